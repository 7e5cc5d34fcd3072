"""The trigger node in n8n-core against the scripted timeline server (real HTTP on loopback).

Scheduled polls go through the n8n poller of the simulation (n8n-core's ActiveWorkflowTriggers,
PollTriggerExecutor and PollContext, the workflow's static data kept as n8n keeps it); the editor's
"Fetch test event" goes through WorkflowExecute in manual mode. Every expectation is a timeline
the test wrote, never a value the node produced.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from connector_core.document import connector_from_document
from connector_core.platforms import Polling
from connector_core.runtime.timestamps import stamped
from connector_core.simulation.server import TimelineServer
from connector_core.simulation.shape import ApiShape
from connector_core.simulation.timeline import Timeline
from n8n_bridge.execution import credential_values, node_parameters, node_type
from n8n_bridge.names import credential_name
from n8n_bridge.platform import N8nPlatform
from n8n_bridge.simulation import N8nHostError, N8nPoller
from n8n_bridge.toolchain import built_package
from tests.n8n.conftest import run_harness

KEY = "timeline-key-3Hq8"
START = 1_767_571_200_000  # 2026-01-05T00:00:00Z
MINUTE, HOUR, DAY = 60_000, 3_600_000, 86_400_000
BUDGET_PAGES = 2  # a poll's page cap in the capped-walk test: a burst of 250 jobs needs three pages


def ids(events: list[dict[str, Any]]) -> list[str]:
    return sorted(event["id"] for event in events)


@pytest.fixture
def timeline(hellotracks_document: dict[str, Any]) -> Timeline:
    return Timeline(ApiShape.of(hellotracks_document), START)


@contextmanager
def switched_on(document: dict[str, Any], trigger: str, server: TimelineServer, workdir: Path) -> Iterator[N8nPoller]:
    """The trigger in n8n, polling `server`; closed (its workflow removed from the shared process) on the way out."""
    platform = N8nPlatform()
    assert isinstance(platform, Polling)
    poller = platform.poller(document, trigger, server.base_url, {"api_key": KEY}, workdir)
    try:
        yield poller
    finally:
        poller.close()


def later(timeline: Timeline, ms: int = MINUTE) -> int:
    timeline.now += ms
    return timeline.now


def test_a_first_activation_is_a_baseline_then_each_new_job_fires_once(
        hellotracks_document: dict[str, Any], timeline: Timeline, tmp_path: Path) -> None:
    for age in (3 * DAY, HOUR, 2 * MINUTE):  # a backlog: old, within a day, within the lookback
        timeline.create(stamp=START - age)
    with TimelineServer(timeline, KEY) as server, switched_on(hellotracks_document, "new_job", server, tmp_path) as n8n:
        assert n8n.activate(timeline.now) == []
        fresh = [timeline.create().record for _ in range(2)]
        assert ids(n8n.poll(later(timeline))) == sorted(fresh)
        assert n8n.poll(later(timeline)) == []


def test_every_change_of_updated_job_fires_once_including_two_in_one_millisecond(
        hellotracks_document: dict[str, Any], timeline: Timeline, tmp_path: Path) -> None:
    job = timeline.create(stamp=START - HOUR).record
    with TimelineServer(timeline, KEY) as server, switched_on(hellotracks_document, "updated_job", server, tmp_path) as n8n:
        assert n8n.activate(timeline.now) == []
        later(timeline)
        first = timeline.change(job, "update")
        assert [event["notes"] for event in n8n.poll(later(timeline))] == [first.content["notes"]]
        twin = timeline.change(job, "update", stamp=first.stamp)  # same millisecond, other content
        assert [event["notes"] for event in n8n.poll(later(timeline))] == [twin.content["notes"]]
        assert n8n.poll(later(timeline)) == []


def test_a_poll_stopped_at_its_page_cap_resumes_where_it_stopped(
        hellotracks_document: dict[str, Any], timeline: Timeline, tmp_path: Path) -> None:
    document = copy.deepcopy(hellotracks_document)
    document["operations"]["new_job"]["polling"]["max_pages"] = BUDGET_PAGES
    page = document["operations"]["new_job"]["polling"]["pagination"]["page_size"]
    with TimelineServer(timeline, KEY, order="created_desc") as server, \
            switched_on(document, "new_job", server, tmp_path) as n8n:
        n8n.activate(timeline.now)
        later(timeline)
        burst = {timeline.create().record for _ in range(BUDGET_PAGES * page + page // 2)}
        polls, requests = [], []
        for _ in range(3):
            before = server.traffic.requests
            polls.append(ids(n8n.poll(later(timeline))))
            requests.append(server.traffic.requests - before)
    emitted = [job for events in polls for job in events]
    assert sorted(emitted) == sorted(burst)  # every job once, none twice
    assert [len(events) for events in polls] == [BUDGET_PAGES * page, page // 2, 0]
    assert requests[0] == BUDGET_PAGES and requests[1] == 1  # resumed at the offset, not walked again from 0


def test_a_crash_before_saving_loses_nothing_and_repeats_nothing(
        hellotracks_document: dict[str, Any], timeline: Timeline, tmp_path: Path) -> None:
    with TimelineServer(timeline, KEY) as server, switched_on(hellotracks_document, "new_job", server, tmp_path) as n8n:
        n8n.activate(timeline.now)
        jobs = [timeline.create().record for _ in range(3)]
        assert n8n.poll(later(timeline), crash=True) == []
        assert n8n.poll(later(timeline), crash=True) == []  # n8n's restart dies too, before its activation saves
        extra = timeline.create().record
        assert ids(n8n.poll(later(timeline))) == sorted([*jobs, extra])  # n8n's restart polls from the saved state
        assert n8n.poll(later(timeline)) == []


def test_a_failed_poll_keeps_the_state_so_the_next_poll_delivers(
        hellotracks_document: dict[str, Any], timeline: Timeline, tmp_path: Path) -> None:
    with TimelineServer(timeline, KEY) as server, switched_on(hellotracks_document, "new_job", server, tmp_path) as n8n:
        n8n.activate(timeline.now)
        job = timeline.create().record
        server.api_key = "rotated"
        with pytest.raises(N8nHostError, match="NodeApiError"):
            n8n.poll(later(timeline))
        server.api_key = KEY
        assert ids(n8n.poll(later(timeline))) == [job]
        assert n8n.poll(later(timeline)) == []


def test_reactivation_resumes_from_the_kept_static_data(
        hellotracks_document: dict[str, Any], timeline: Timeline, tmp_path: Path) -> None:
    """n8n keeps a workflow's static data while it is inactive, and polls once on activation."""
    with TimelineServer(timeline, KEY) as server, switched_on(hellotracks_document, "new_job", server, tmp_path) as n8n:
        n8n.activate(timeline.now)
        before = timeline.create().record
        assert ids(n8n.poll(later(timeline))) == [before]
        n8n.deactivate()
        while_off = timeline.create(stamp=later(timeline, HOUR)).record
        assert ids(n8n.activate(later(timeline, HOUR))) == [while_off]
        assert n8n.poll(later(timeline)) == []


def test_pollers_of_one_package_share_a_process_and_keep_their_own_state(
        hellotracks_document: dict[str, Any], timeline: Timeline, tmp_path: Path) -> None:
    """One n8n-core process hosts every workflow; a crash of one and the close of another touch nobody else."""
    with TimelineServer(timeline, KEY) as server, \
            switched_on(hellotracks_document, "new_job", server, tmp_path) as crashing, \
            switched_on(hellotracks_document, "new_job", server, tmp_path) as steady:
        assert crashing.host is steady.host
        crashing.activate(timeline.now)
        steady.activate(timeline.now)
        both = timeline.create().record
        assert ids(steady.poll(later(timeline))) == [both]
        assert crashing.poll(later(timeline), crash=True) == []
        after_crash = timeline.create().record
        assert ids(steady.poll(later(timeline))) == [after_crash]
        assert ids(crashing.poll(later(timeline))) == sorted([both, after_crash])
        with switched_on(hellotracks_document, "new_job", server, tmp_path) as brief:
            assert brief.activate(timeline.now) == []
        last = timeline.create().record
        assert ids(steady.poll(later(timeline))) == [last]
        assert ids(crashing.poll(later(timeline))) == [last]


def test_a_host_process_that_died_fails_its_pollers_and_is_started_again(
        hellotracks_document: dict[str, Any], timeline: Timeline, tmp_path: Path) -> None:
    with TimelineServer(timeline, KEY) as server:
        with switched_on(hellotracks_document, "new_job", server, tmp_path) as orphan:
            orphan.activate(timeline.now)
            orphan.host.process.kill()
            orphan.host.process.wait()
            with pytest.raises(N8nHostError, match="exited"):
                orphan.poll(later(timeline))
        with switched_on(hellotracks_document, "new_job", server, tmp_path) as fresh:
            assert fresh.host is not orphan.host and fresh.host.alive
            assert fresh.activate(timeline.now) == []
            job = timeline.create().record
            assert ids(fresh.poll(later(timeline))) == [job]


def test_the_poller_refuses_a_trigger_that_is_not_one(hellotracks_document: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a trigger"):
        N8nPoller(hellotracks_document, "create_job", "http://127.0.0.1:9", {"api_key": KEY}, tmp_path)


def manual_case(document: dict[str, Any], trigger: str, base_url: str, clock_ms: int) -> dict[str, Any]:
    """The editor's "Fetch test event" on the trigger node (WorkflowExecute in manual mode)."""
    connector = connector_from_document(document)
    operation = connector.operation(trigger)
    return {"name": trigger, "kind": "trigger", "manual": True, "nodeType": node_type(connector, operation),
            "parameters": node_parameters(connector, operation, {}), "credentialType": credential_name(connector),
            "credentials": credential_values(connector, {"api_key": KEY}, base_url), "clockMs": clock_ms}


def fetch_test_events(document: dict[str, Any], timeline: Timeline) -> dict[str, Any]:
    with TimelineServer(timeline, KEY, order="created_asc") as server:
        cases = [manual_case(document, trigger, server.base_url, timeline.now) for trigger in ("new_job", "updated_job")]
        return run_harness(built_package(document), cases)


def test_fetch_test_event_returns_the_newest_real_record(hellotracks_document: dict[str, Any],
                                                          timeline: Timeline) -> None:
    edited = timeline.create(stamp=START - 3 * DAY).record
    newest = timeline.create(stamp=START - 2 * HOUR).record
    timeline.create(stamp=START - 2 * DAY)
    timeline.change(edited, "update", stamp=START - 30 * MINUTE)
    outcomes = fetch_test_events(hellotracks_document, timeline)
    assert [event["id"] for event in outcomes["new_job"]["output"]] == [newest], outcomes["new_job"]
    assert [event["id"] for event in outcomes["updated_job"]["output"]] == [edited], outcomes["updated_job"]


def test_fetch_test_event_shows_the_sample_when_the_account_has_none(hellotracks_document: dict[str, Any],
                                                                      timeline: Timeline) -> None:
    outcomes = fetch_test_events(hellotracks_document, timeline)
    for trigger in ("new_job", "updated_job"):
        operation = hellotracks_document["operations"][trigger]
        sample = stamped(operation["output"], operation["sample"])  # with its derived timestamps, as every record
        assert outcomes[trigger] == {"status": "ok", "output": [sample]}
