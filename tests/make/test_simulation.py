"""The rendered Make trigger run as Make runs it, over loopback HTTP.

Against the real sandbox where no clock matters (its deterministic clock stamps the first write
DETERMINISTIC_START_MS and each later one a second after, and its `Date` header stays at the last
write); on the simulation's timeline server, whose clock the test moves, where the wait for a
record to settle does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from connector_core.document import runtime_document
from connector_core.platforms import NotOffered, Polling
from connector_core.sandbox import DEFAULT_API_KEY, Sandbox
from connector_core.sandbox.clock import DETERMINISTIC_START_MS
from connector_core.simulation.poller import Poller
from connector_core.simulation.server import TimelineServer
from connector_core.simulation.shape import ApiShape
from connector_core.simulation.timeline import Timeline
from connector_core.spec import Connector
from make_blueprints import approximations, limits, simulation
from make_blueprints.app import generate
from make_blueprints.platform import MakePlatform
from make_blueprints.simulation import MakePoller

MINUTE = 60_000
BEFORE = DETERMINISTIC_START_MS - MINUTE  # Make's clock when the scenario is switched on


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox("hellotracks", deterministic=True) as running:
        yield running


@pytest.fixture
def api(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.base_url, headers={"API-Key": DEFAULT_API_KEY}, timeout=5) as client:
        yield client


@pytest.fixture
def poller_of(hellotracks: Connector, sandbox: Sandbox, tmp_path: Path) -> Iterator:
    made: list[Poller] = []

    def make(trigger: str) -> Poller:
        poller = MakePlatform().poller(runtime_document(hellotracks), trigger, sandbox.base_url,
                                       {"api_key": DEFAULT_API_KEY}, tmp_path)
        made.append(poller)
        return poller

    yield make
    for poller in made:
        poller.close()
        assert poller.failures == []


def create(api: httpx.Client, count: int) -> list[str]:
    return [api.post("/jobs", json={"title": f"Job {n}"}).json()["data"]["items"][0]["id"] for n in range(count)]


def ids(events: list[dict]) -> list[str]:
    return [event["id"] for event in events]


def test_the_platform_builds_a_poller_of_the_simulation_s_protocol(poller_of):
    poller = poller_of("new_job")
    assert isinstance(poller, MakePoller) and isinstance(poller, Poller)
    assert isinstance(MakePlatform(), Polling)


def test_make_hosts_no_trigger_its_one_stored_item_cannot_keep(hellotracks, poller_of):
    """Updated Job (every version an event) and Completed Job (remembered ids) are not offered: the
    app has no module for them and the platform refuses to host them, each with its registry reason."""
    reasons = {"updated_job": approximations.FINGERPRINT, "completed_job": approximations.REMEMBERED_IDS}
    assert {key: approximations.NOT_OFFERED + why
            for key, why in MakePlatform().declined(runtime_document(hellotracks)).items()} == reasons
    for trigger, why in reasons.items():
        with pytest.raises(NotOffered, match=re.escape(why.removeprefix(approximations.NOT_OFFERED))):
            poller_of(trigger)
        assert f"/{trigger.replace('_', '-')}/" not in "".join(generate(runtime_document(hellotracks)))


def test_a_failed_run_outputs_nothing_stores_nothing_and_is_kept(api, hellotracks, sandbox, tmp_path):
    poller = MakePlatform().poller(runtime_document(hellotracks), "new_job", sandbox.base_url,
                                   {"api_key": "not-the-key"}, tmp_path)
    try:
        poller.activate(BEFORE)
        create(api, 1)
        assert poller.poll(BEFORE + MINUTE) == []
        assert [failure.kind for failure in poller.failures] == ["InvalidAccessTokenError"]
    finally:
        poller.close()


# --- The generated trigger's own rules, on the scripted clock ---------------------------------
# New Job and Completed Job output a record once the API's clock (the `Date` header) is the
# lookback (5 minutes) past its stamp; Updated Job once the clock has reached its stamp.


@pytest.fixture
def timeline_of(hellotracks: Connector, tmp_path: Path) -> Iterator:
    """A trigger's Make poller (not yet switched on) on the simulation's timeline server."""
    document = runtime_document(hellotracks)
    pollers: list[Poller] = []
    with ExitStack() as servers:
        def make(trigger: str) -> tuple[Timeline, Poller]:
            timeline = Timeline(ApiShape.of(document), DETERMINISTIC_START_MS)
            server = servers.enter_context(TimelineServer(timeline, DEFAULT_API_KEY, order="created_desc"))
            poller = MakePlatform().poller(document, trigger, server.base_url, {"api_key": DEFAULT_API_KEY}, tmp_path)
            servers.callback(poller.close)
            pollers.append(poller)
            return timeline, poller

        yield make
    assert all(poller.failures == [] for poller in pollers)


def at(timeline: Timeline, poller: Poller, minutes: int) -> list[str]:
    timeline.now = DETERMINISTIC_START_MS + minutes * MINUTE
    return ids(poller.poll(timeline.now))


def creates(timeline: Timeline, count: int) -> list[str]:
    """`count` jobs, one a second from the timeline's clock on."""
    made = []
    for _ in range(count):
        made.append(timeline.create().record)
        timeline.now += 1_000
    return made


def test_from_now_on_outputs_nothing_old_then_each_new_job_once_settled_oldest_first(timeline_of):
    timeline, poller = timeline_of("new_job")
    old = creates(timeline, 2)
    assert poller.activate(timeline.now) == []
    timeline.now = DETERMINISTIC_START_MS + MINUTE
    new = creates(timeline, 3)
    assert at(timeline, poller, 5) == []       # stamped less than 5 minutes ago by the API's clock
    assert at(timeline, poller, 7) == new
    assert at(timeline, poller, 8) == []
    assert not set(old) & set(new)


def test_a_crash_before_storing_outputs_nothing_and_the_next_run_outputs_it_all(timeline_of):
    timeline, poller = timeline_of("new_job")
    poller.activate(timeline.now)
    timeline.now += 1
    made = creates(timeline, 3)
    timeline.now = DETERMINISTIC_START_MS + 7 * MINUTE
    assert poller.poll(timeline.now, crash=True) == []
    assert at(timeline, poller, 8) == made
    assert at(timeline, poller, 9) == []


def test_every_page_of_a_burst_is_read_and_output_once(timeline_of):
    timeline, poller = timeline_of("new_job")
    poller.activate(timeline.now)
    timeline.now += 1
    made = creates(timeline, 230)  # three pages of 100
    assert at(timeline, poller, 10) == made
    assert at(timeline, poller, 11) == []


def test_without_the_pagination_directive_a_burst_loses_all_but_its_first_page(timeline_of, monkeypatch):
    def without_pagination(document):
        files = generate(document)
        path = "modules/new-job/new-job.communication.iml.json"
        communication = json.loads(files[path])
        communication.pop("pagination")
        files[path] = json.dumps(communication)
        return files

    monkeypatch.setattr(simulation, "generate", without_pagination)
    timeline, poller = timeline_of("new_job")
    poller.activate(timeline.now)
    timeline.now += 1
    made = creates(timeline, 230)
    assert at(timeline, poller, 10) == made[130:]  # the server lists the newest first


def test_a_scenario_switched_off_for_hours_continues_from_the_stored_item(timeline_of):
    """The window follows Make's stored date, not the polling interval: nothing falls behind it."""
    timeline, poller = timeline_of("new_job")
    poller.activate(timeline.now)
    timeline.now += 1
    first = creates(timeline, 1)
    assert at(timeline, poller, 6) == first
    poller.deactivate()
    timeline.now = DETERMINISTIC_START_MS + 10 * MINUTE
    later = creates(timeline, 2)
    poller.activate(DETERMINISTIC_START_MS + 5 * 60 * MINUTE)
    assert at(timeline, poller, 5 * 60 + 1) == later


def test_a_late_commit_stamped_before_a_job_committed_earlier_is_output_with_it(timeline_of):
    """Make never stores `first` before `late` is visible: both wait until they have settled."""
    timeline, poller = timeline_of("new_job")
    poller.activate(timeline.now)
    timeline.now += MINUTE
    first = timeline.create().record
    late = timeline.create(stamp=timeline.now - 1, delay=4 * MINUTE).record  # stamped before `first`
    assert at(timeline, poller, 2) == []
    assert at(timeline, poller, 7) == [late, first]
    assert at(timeline, poller, 8) == []


def test_a_job_stamped_ahead_of_the_api_clock_waits_for_it(timeline_of):
    """A fast server node's stamp: output after the jobs stamped before it, not before them."""
    timeline, poller = timeline_of("new_job")
    poller.activate(timeline.now)
    timeline.now += MINUTE
    ahead = timeline.create(stamp=timeline.now + 10 * MINUTE).record
    timeline.now += MINUTE
    normal = timeline.create().record
    assert at(timeline, poller, 7) == [normal]
    timeline.now += MINUTE
    later = timeline.create().record
    assert at(timeline, poller, 17) == [later, ahead]


def test_without_a_date_header_make_s_own_clock_decides(timeline_of, monkeypatch):
    monkeypatch.setattr(TimelineServer, "date", lambda self: "not a date")
    timeline, poller = timeline_of("new_job")
    poller.activate(timeline.now)
    timeline.now += MINUTE
    job = timeline.create().record
    assert poller.poll(timeline.now + 4 * MINUTE) == []
    assert ids(poller.poll(timeline.now + 5 * MINUTE)) == [job]


def test_what_one_run_does_not_read_is_lost_once_a_newer_item_is_stored(timeline_of, monkeypatch):
    """Make's cap on one run (3,200 records), shrunk to two pages here: the burst's oldest jobs,
    listed last (newest first), are never read before a newer job is stored."""
    monkeypatch.setattr(limits, "RUN_RECORDS", 200)
    monkeypatch.setattr(simulation, "RUN_RECORDS", 200)
    timeline, poller = timeline_of("new_job")
    poller.activate(timeline.now)
    timeline.now += 1
    made = creates(timeline, 230)
    assert at(timeline, poller, 10) == made[30:]
    assert at(timeline, poller, 11) == []
    assert approximations.WALKS in approximations.MAKE_TRIGGER_LIMITS.values()


def test_with_the_api_clock_ahead_a_job_written_before_activation_is_output(timeline_of):
    timeline, poller = timeline_of("new_job")
    job = timeline.create().record  # stamped by the API at START
    poller.activate(timeline.now - MINUTE)  # then switched on, by Make's clock a minute behind the API's
    assert at(timeline, poller, 6) == [job]
    assert approximations.CLOCK_SKEW in approximations.MAKE_TRIGGER_LIMITS.values()


def test_each_limit_is_stated_in_the_platform_notes_in_the_same_words():
    text = (Path(__file__).parents[2] / "docs" / "platforms.md").read_text(encoding="utf-8")
    for rule, why in approximations.MAKE_TRIGGER_LIMITS.items():
        assert f"| {rule} | {why} |" in text
