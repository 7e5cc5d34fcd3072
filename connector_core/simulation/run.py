"""Run one scenario for one trigger in one host, and count what the user received.

The runner owns true time: it moves the timeline's clock, applies the script's writes, and calls
the poller with the client's time (true time plus the scenario's skew). After the script it drains:
it keeps polling until three polls in a row bring nothing (a capped walk needs several). Each poll's
traffic is measured at the server, and called quiet when nothing became visible in the lookback and
two intervals before it.
"""

from __future__ import annotations

import bisect
import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from connector_core.simulation.expectations import Activity, Expectations, Tally
from connector_core.simulation.poller import Poller, baseline_clock, paused_events, same_key_is_same_event
from connector_core.simulation.scenarios import Scenario
from connector_core.simulation.script import Script, Step
from connector_core.simulation.server import TimelineServer
from connector_core.simulation.shape import ApiShape
from connector_core.simulation.timeline import Timeline

START = 1_767_571_200_000            # 2026-01-05T00:00:00Z, a Monday
API_KEY = "sim-key-not-a-secret"
BOUNDED_MAX_PAGES = 4                # the bounded run shrinks a poll's page cap so small bursts exceed it
DRAIN_QUIET, DRAIN_MAX = 3, 40

PollerFactory = Callable[[dict[str, Any], str, str, dict[str, str]], Poller]   # (document, trigger, base_url, connection)


@dataclass
class PollCost:
    at: int
    requests: int
    bytes: int
    quiet: bool


@dataclass
class Outcome:
    connector: str
    scenario: str
    trigger: str
    platform: str
    tally: Tally
    polls: list[PollCost] = field(default_factory=list)

    def costs(self, quiet: bool) -> list[PollCost]:
        return [poll for poll in self.polls if poll.quiet == quiet]


def sized(document: dict[str, Any], long: bool) -> dict[str, Any]:
    """The document as the run uses it: the bounded run caps a poll at a few pages."""
    if long:
        return document
    smaller = copy.deepcopy(document)
    for operation in smaller["operations"].values():
        if operation.get("kind") == "trigger":
            operation["polling"]["max_pages"] = min(operation["polling"]["max_pages"], BOUNDED_MAX_PAGES)
    return smaller


def interval_of(document: dict[str, Any], trigger: str) -> int:
    """The hosts' polling interval: the trigger's `window_ms` (docs/polling.md rule 8), 15 minutes by default."""
    return int(document["operations"][trigger]["polling"].get("window_ms", 900_000))


def light_polls(timeline: Timeline, polls: list[int], polling: dict[str, Any], budget: int) -> tuple[int, ...]:
    """The completed polls that had no more than `budget` versions to read (made visible since the
    previous one, lookback included): a version current at one of them was readable by any host."""
    visible = sorted(version.visible_at for version in timeline.versions())
    light, previous = [], None
    for at in polls:
        since = (at if previous is None else previous) - int(polling["lookback_ms"])
        if bisect.bisect_right(visible, at) - bisect.bisect_right(visible, since) <= budget:
            light.append(at)
        previous = at
    return tuple(light)


class _Driver:
    """One run's moving parts: the true clock, the host, what it emitted, when it was on."""

    def __init__(self, scenario: Scenario, polling: dict[str, Any], interval: int, timeline: Timeline,
                 server: TimelineServer, poller: Poller, outcome: Outcome) -> None:
        self.scenario, self.timeline, self.server, self.poller, self.outcome = scenario, timeline, server, poller, outcome
        self.interval = interval
        self.quiet_after = int(polling["lookback_ms"]) + 2 * interval
        self.emitted: list[dict[str, Any]] = []
        self.spans: list[list[int | None]] = []   # [switched on, switched off or None]
        self.regular: list[int] = []               # true times of completed polls while switched on

    def measured(self, at: int, call: Callable[[int], list[dict[str, Any]]], *, busy: bool = False) -> int:
        """Call the host at true time `at` (it is given the client's time); the number of events it emitted."""
        self.timeline.now = at
        before = (self.server.traffic.requests, self.server.traffic.bytes)
        events = call(at + self.scenario.skew_ms)
        self.emitted.extend(events)
        recent = any(at - self.quiet_after < v.visible_at <= at for v in self.timeline.versions())
        self.outcome.polls.append(PollCost(at, self.server.traffic.requests - before[0],
                                           self.server.traffic.bytes - before[1], quiet=not (busy or recent)))
        return len(events)

    def play(self, steps: list[Step]) -> int:
        """Every step of the script; the true time of the last."""
        last = START
        for step in steps:
            last = self.timeline.now = step.at
            if step.kind == "act" and step.act is not None:
                step.act(self.timeline)
            elif step.kind == "on":
                self.spans.append([step.at, None])
                self.measured(step.at, self.poller.activate, busy=True)
            elif step.kind == "off":
                self.poller.deactivate()
                self.spans[-1][1] = step.at
            else:
                crash = step.kind == "crash"
                self.measured(step.at, lambda now: self.poller.poll(now, crash=crash))
                if not crash and self.spans and self.spans[-1][1] is None:
                    self.regular.append(step.at)
        return last

    def drain(self, last: int) -> None:
        """Poll on until DRAIN_QUIET polls in a row bring nothing: a capped walk needs several."""
        calm = 0
        for n in range(1, DRAIN_MAX + 1):
            at = last + n * self.interval
            calm = 0 if self.measured(at, self.poller.poll) else calm + 1
            self.regular.append(at)
            if calm >= DRAIN_QUIET:
                return


def run(scenario: Scenario, document: dict[str, Any], trigger: str, platform: str, make: PollerFactory, *,
        long: bool = False) -> Outcome:
    polling = document["operations"][trigger]["polling"]
    interval = interval_of(document, trigger)
    script = Script(START, interval)
    scenario.build(script, long)
    timeline = Timeline(ApiShape.of(document), START)
    outcome = Outcome(document["name"], scenario.name, trigger, platform, Tally())
    with TimelineServer(timeline, API_KEY, order=scenario.order) as server:
        poller = make(document, trigger, server.base_url, timeline.shape.connection(API_KEY))
        driver = _Driver(scenario, polling, interval, timeline, server, poller, outcome)
        try:
            driver.drain(driver.play(script.ordered()))
        finally:
            poller.close()
    budget = int(polling["max_pages"]) * int(polling["pagination"]["page_size"])
    light = light_polls(timeline, driver.regular, polling, budget)
    activity = Activity(tuple((on, off) for on, off in driver.spans), light,
                        scenario.skew_ms if baseline_clock(poller) == "host" else None)
    expectations = Expectations(document, trigger, timeline, activity, paused_events(poller),
                                same_key_is_same_event=same_key_is_same_event(poller))
    outcome.tally = expectations.judge(driver.emitted)
    return outcome
