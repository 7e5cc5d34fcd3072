"""The counting cannot be fooled: a poller that drops, repeats or invents one event fails."""

from __future__ import annotations

from typing import Any

import pytest

from connector_core.simulation.expectations import Activity, Expectations
from connector_core.simulation.peers import PeersPoller
from connector_core.simulation.poller import Poller
from connector_core.simulation.run import run
from connector_core.simulation.scenarios import scenario
from connector_core.simulation.script import MINUTE
from connector_core.simulation.shape import ApiShape, cursor_kind
from connector_core.simulation.timeline import Timeline

from .conftest import bounded, connector_triggers, hosting_platforms


class Tampered:
    """The Python host, with one emitted event dropped, repeated or altered on its way to the user."""

    def __init__(self, inner: Poller, how: str) -> None:
        self.inner, self.how, self.done = inner, how, False

    def activate(self, now_ms: int) -> list[dict[str, Any]]:
        return self.inner.activate(now_ms)

    def poll(self, now_ms: int, *, crash: bool = False) -> list[dict[str, Any]]:
        events = self.inner.poll(now_ms, crash=crash)
        if events and not self.done:
            self.done = True
            first, rest = events[0], events[1:]
            events = {"drop": rest, "repeat": [first, first, *rest],
                      "alter": [{**first, "tampered": "not on the timeline"}, *rest]}[self.how]
        return events

    def deactivate(self) -> None:
        self.inner.deactivate()

    def close(self) -> None:
        self.inner.close()


@pytest.mark.skipif("python" not in hosting_platforms(), reason="the python platform hosts no trigger")
@pytest.mark.parametrize(("connector", "trigger"), connector_triggers())
@pytest.mark.parametrize("how, counts", [("drop", (1, 0, 0)), ("repeat", (0, 1, 0)), ("alter", (1, 0, 1))])
def test_one_tampered_event_is_counted(connector: str, trigger: str, how: str, counts: tuple[int, int, int],
                                       factories: dict[str, Any]) -> None:
    tampered = lambda *args: Tampered(factories["python"](*args), how)  # noqa: E731
    tally = run(scenario("deletes_archives"), bounded(connector), trigger, "python", tampered).tally
    assert (tally.lost, tally.duplicated, tally.unexpected) == counts, tally.problems


ONE_PER_RECORD = [(connector, trigger) for connector, trigger in connector_triggers()
                  if cursor_kind(bounded(connector)["operations"][trigger]["polling"]) == "created"]


@pytest.mark.parametrize(("connector", "trigger"), ONE_PER_RECORD)
def test_the_peers_baseline_loses_what_the_rules_say(connector: str, trigger: str) -> None:
    """A trigger with one event per record: the burst's records are all owed, and one page a poll outruns it."""
    outcome = run(scenario("burst_page"), bounded(connector), trigger, "peers", lambda *args: PeersPoller(*args))
    assert outcome.tally.expected == 250
    assert outcome.tally.lost > 0            # one page of 100 per poll: a burst of 250 outruns it
    assert outcome.tally.duplicated == 0


class Forgetful(PeersPoller):
    """The peers' strategy in a host that documents not firing for what happened while it was off."""
    paused_events = "excluded"


@pytest.mark.parametrize(("connector", "trigger"), connector_triggers())
def test_a_host_that_excludes_the_pause_owes_nothing_for_it(connector: str, trigger: str) -> None:
    document = bounded(connector)
    stateful = run(scenario("pause"), document, trigger, "peers", lambda *args: PeersPoller(*args)).tally
    excluded = run(scenario("pause"), document, trigger, "peers", lambda *args: Forgetful(*args)).tally
    assert stateful.expected > excluded.expected


def test_candidates_follow_the_trigger_kind(document: dict[str, Any]) -> None:
    """One job created, completed, edited, reopened, completed again, polled every 15 minutes."""
    start = 1_767_571_200_000
    timeline = Timeline(ApiShape.of(document), start + MINUTE)
    timeline.create()
    for change, minutes in [("complete", 20), ("update", 40), ("reopen", 60), ("complete", 80), ("update", 81)]:
        timeline.now = start + minutes * MINUTE
        timeline.change(timeline.shape.record_key(1), change)
    polls = tuple(start + minutes * MINUTE for minutes in range(15, 120, 15))
    activity = Activity(((start, None),), light_polls=polls)

    def rules(trigger: str) -> list[str]:
        return [candidate.rule for candidate in Expectations(document, trigger, timeline, activity).candidates]

    assert rules("new_job") == ["required"]
    # each version read by a poll is owed; the one replaced after a minute is not
    assert rules("updated_job") == ["required", "required", "required", "required", "allowed", "required"]
    assert rules("completed_job") == ["required", "allowed"]   # completed again within 30 days: not owed
    before = Activity(((start + 200 * MINUTE, None),), light_polls=())
    assert {c.rule for c in Expectations(document, "new_job", timeline, before).candidates} == {"excluded"}


def test_a_host_that_knows_events_by_their_key_owes_no_same_millisecond_twin(document: dict[str, Any]) -> None:
    start = 1_767_571_200_000
    timeline = Timeline(ApiShape.of(document), start + MINUTE)
    timeline.create()
    timeline.now = start + 20 * MINUTE
    timeline.change(timeline.shape.record_key(1), "update")
    timeline.change(timeline.shape.record_key(1), "update", stamp=timeline.now, delay=2 * MINUTE)  # the late twin
    activity = Activity(((start, None),), light_polls=tuple(start + m * MINUTE for m in (15, 21, 30)))

    def rules(**host: bool) -> list[str]:
        return [c.rule for c in Expectations(document, "updated_job", timeline, activity, **host).candidates]

    assert rules() == ["required", "required", "required"]
    assert rules(same_key_is_same_event=True) == ["required", "required", "allowed"]
