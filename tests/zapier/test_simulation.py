"""The Zapier poller: the generated app in one zapier-platform-core process, with Zapier's dedupe in
front of it, against the simulation's timeline server (real HTTP, a scripted server clock).

What Zapier does is written in zapier_schema/simulation.py; each test drives one part of it and
checks what the user would receive.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from connector_core import Client
from connector_core.document import connector_from_document
from connector_core.platforms import Polling
from connector_core.simulation.server import TimelineServer
from connector_core.simulation.shape import ApiShape
from connector_core.simulation.timeline import Timeline
from tests.zapier.loopback import Seen, loopback_api
from zapier_schema.app_process import AppProcess, close_shared_apps, shared_app
from zapier_schema.execution import ZapierRun
from zapier_schema.platform import ZapierPlatform
from zapier_schema.project_dir import built_app
from zapier_schema.simulation import ZapierPoller, ZapierPollFailed, primary_fields
from zapier_schema.trigger_limits import ZAPIER_TRIGGER_LIMITS

API_KEY = "simulation-key"
START_MS = 1_777_543_600_000
MINUTE = 60_000


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("zapier-simulation")


@contextmanager
def zap(document: dict[str, Any], trigger: str, workdir: Path) -> Iterator[tuple[Timeline, TimelineServer, ZapierPoller]]:
    """A timeline, its server and a Zapier poller of `trigger` pointed at it (not yet switched on)."""
    timeline = Timeline(ApiShape.of(document), START_MS)
    with TimelineServer(timeline, API_KEY) as server:
        poller = ZapierPlatform().poller(document, trigger, server.base_url, {"api_key": API_KEY}, workdir)
        with closing(poller):
            yield timeline, server, poller


def ids(events: list[dict[str, Any]]) -> list[str]:
    return [event["id"] for event in events]


def window_ids(document: dict[str, Any], server: TimelineServer, trigger: str, now_ms: int) -> list[str]:
    """What the trigger's window holds now, asked by the Python runtime: what the app handed Zapier."""
    with Client(connector_from_document(document), connection={"api_key": API_KEY}, base_url=server.base_url) as client:
        return ids(client.poll_window(trigger, now_ms=now_ms).events)


def test_the_platform_offers_a_poller(hellotracks_document: dict[str, Any], workdir: Path) -> None:
    platform = ZapierPlatform()
    assert isinstance(platform, Polling)
    with pytest.raises(ValueError, match="'get_job' is a search, not a trigger"):
        platform.poller(hellotracks_document, "get_job", "http://127.0.0.1:9", {"api_key": API_KEY}, workdir)


def test_a_baseline_then_each_new_item_once(hellotracks_document: dict[str, Any], workdir: Path) -> None:
    with zap(hellotracks_document, "new_job", workdir) as (timeline, server, poller):
        backlog = [timeline.create().record for _ in range(3)]
        timeline.now += 1000
        assert sorted(window_ids(hellotracks_document, server, "new_job", timeline.now)) == backlog
        before = server.traffic.requests
        assert poller.activate(timeline.now) == []  # switched on: the backlog is stored, not fired
        timeline.now += MINUTE
        fresh = timeline.create().record
        timeline.now += MINUTE
        assert ids(poller.poll(timeline.now)) == [fresh]
        timeline.now += MINUTE
        assert poller.poll(timeline.now) == []  # already seen
        assert server.traffic.requests - before == 3
        assert fresh in window_ids(hellotracks_document, server, "new_job", timeline.now)


def test_items_come_newest_first_and_fire_in_that_order(hellotracks_document: dict[str, Any], workdir: Path) -> None:
    with zap(hellotracks_document, "new_job", workdir) as (timeline, _, poller):
        poller.activate(timeline.now)
        created = []
        for _ in range(3):
            timeline.now += 1000
            created.append(timeline.create().record)
        timeline.now += MINUTE
        assert ids(poller.poll(timeline.now)) == list(reversed(created))


def test_a_crashed_poll_fires_nothing_and_the_next_one_fires_it(hellotracks_document: dict[str, Any],
                                                                 workdir: Path) -> None:
    with zap(hellotracks_document, "new_job", workdir) as (timeline, server, poller):
        poller.activate(timeline.now)
        timeline.now += MINUTE
        lost_in_crash = timeline.create().record
        timeline.now += MINUTE
        assert poller.poll(timeline.now, crash=True) == []
        assert server.traffic.requests == 2  # the crashed poll did fetch
        timeline.now += MINUTE
        assert ids(poller.poll(timeline.now)) == [lost_in_crash]


def test_switching_off_clears_the_store_and_switching_on_sets_a_new_baseline(hellotracks_document: dict[str, Any],
                                                                                workdir: Path) -> None:
    with zap(hellotracks_document, "new_job", workdir) as (timeline, _, poller):
        poller.activate(timeline.now)
        timeline.now += MINUTE
        seen_before = timeline.create().record
        timeline.now += MINUTE
        assert ids(poller.poll(timeline.now)) == [seen_before]
        poller.deactivate()
        with pytest.raises(RuntimeError, match="the Zap is off"):
            poller.poll(timeline.now)
        timeline.now += MINUTE
        timeline.create()  # while the Zap is off: never fired
        timeline.now += MINUTE
        assert poller.activate(timeline.now) == []
        timeline.now += MINUTE
        assert poller.poll(timeline.now) == []
        timeline.now += MINUTE
        after = timeline.create().record
        timeline.now += MINUTE
        assert ids(poller.poll(timeline.now)) == [after]


def test_updates_fire_per_primary_key_so_a_same_millisecond_change_is_one_item(hellotracks_document: dict[str, Any],
                                                                              workdir: Path) -> None:
    """Updated Job's primary fields are id and updatedAt: each new updatedAt fires once; two changes
    stamped in the same millisecond share them, and Zapier sees one item (docs/platforms.md)."""
    with zap(hellotracks_document, "updated_job", workdir) as (timeline, _, poller):
        job = timeline.create().record
        timeline.now += MINUTE
        poller.activate(timeline.now)
        timeline.now += MINUTE
        first = timeline.change(job, "update")
        timeline.now += MINUTE
        fired = poller.poll(timeline.now)
        assert [(event["id"], event["updatedAt"]) for event in fired] == [(job, first.stamp)]
        timeline.now += MINUTE
        timeline.change(job, "update")
        twice = timeline.change(job, "update")  # the same millisecond
        timeline.now += MINUTE
        fired = poller.poll(timeline.now)
        assert [(event["id"], event["updatedAt"]) for event in fired] == [(job, twice.stamp)]
        assert fired[0]["notes"] == twice.content["notes"]
        timeline.now += MINUTE
        assert poller.poll(timeline.now) == []


def test_a_completed_job_fires_once_however_often_it_is_edited(hellotracks_document: dict[str, Any],
                                                              workdir: Path) -> None:
    """Completed Job's only primary field is id (the definition's, as Zapier reads it)."""
    with zap(hellotracks_document, "completed_job", workdir) as (timeline, server, poller):
        job = timeline.create().record
        poller.activate(timeline.now)
        timeline.now += MINUTE
        timeline.change(job, "complete")
        timeline.now += MINUTE
        assert ids(poller.poll(timeline.now)) == [job]
        timeline.now += MINUTE
        edited = timeline.change(job, "update")
        timeline.now += MINUTE
        assert poller.poll(timeline.now) == []
        assert edited.content["progress"] == "success"
        assert window_ids(hellotracks_document, server, "completed_job", timeline.now) == [job]


def test_primary_fields_default_to_id_as_in_zapier() -> None:
    definition = {"triggers": {"plain": {"operation": {"outputFields": [{"key": "name"}]}},
                               "keyed": {"operation": {"outputFields": [{"key": "a", "primary": True},
                                                                        {"key": "b", "primary": True}]}}}}
    assert primary_fields(definition, "plain") == ["id"]
    assert primary_fields(definition, "keyed") == ["a", "b"]


def test_the_server_clock_sets_the_window_not_a_skewed_client(hellotracks_document: dict[str, Any],
                                                              workdir: Path) -> None:
    """A client clock ten minutes slow or fast changes nothing: the window is the server's."""
    with zap(hellotracks_document, "new_job", workdir) as (timeline, _, poller):
        poller.activate(timeline.now - 10 * MINUTE)
        for skew in (-10 * MINUTE, 10 * MINUTE):
            timeline.now += MINUTE
            job = timeline.create().record
            timeline.now += MINUTE
            assert ids(poller.poll(timeline.now + skew)) == [job]


def test_the_app_is_written_once_and_each_call_sees_its_client_time(hellotracks_document: dict[str, Any], workdir: Path) -> None:
    """The app is written once per content under the workdir, and each call sees its own client time
    as Date.now: visible when the server sends no Date header, so the window falls back to it."""
    polling = hellotracks_document["operations"]["new_job"]["polling"]

    def empty(request: Seen) -> tuple[int, Any, dict[str, str]]:
        return 200, {"data": {"items": []}}, {}

    clocks = [START_MS, START_MS + 7 * MINUTE, START_MS + 19 * MINUTE]
    with loopback_api(empty, clock=lambda: None) as api:
        poller = ZapierPlatform().poller(hellotracks_document, "new_job", api.base_url(), {"api_key": API_KEY}, workdir)
        with closing(poller):
            poller.activate(clocks[0])
            for now_ms in clocks[1:]:
                poller.poll(now_ms)
        since = [int(parse_qs(urlsplit(seen.path).query)[polling["cursor"]["param"]][0]) for seen in api.seen]
    assert [now_ms - start for now_ms, start in zip(clocks, since, strict=True)] == [
        2 * polling["window_ms"] + polling["lookback_ms"]] * 3  # docs/polling.md rule 8
    assert len(list((workdir / "zapier").iterdir())) == 1


def test_a_failed_poll_raises_instead_of_firing_nothing(hellotracks_document: dict[str, Any], workdir: Path) -> None:
    def refused(request: Seen) -> tuple[int, Any, dict[str, str]]:
        return 401, {"error": {"message": "Invalid Hellotracks API key."}}, {}

    with loopback_api(refused) as api:
        poller = ZapierPlatform().poller(hellotracks_document, "new_job", api.base_url(), {"api_key": API_KEY}, workdir)
        with closing(poller):
            with pytest.raises(ZapierPollFailed, match="AuthError.*Invalid Hellotracks API key"):
                poller.activate(START_MS)
            with pytest.raises(RuntimeError, match="the Zap is off"):  # it could not be turned on
                poller.poll(START_MS)


def test_pollers_of_one_app_share_its_process_and_keep_their_own_dedupe(hellotracks_document: dict[str, Any],
                                                                         workdir: Path) -> None:
    """Two Zaps of one app, each on its own server: one Node process answers both, each Zap fires
    its own items once, and closing one leaves the other polling."""
    with zap(hellotracks_document, "new_job", workdir) as (first, _, one):
        with zap(hellotracks_document, "new_job", workdir) as (second, _, other):
            one.activate(first.now)
            other.activate(second.now)
            app = shared_app(built_app(hellotracks_document, workdir))
            pid = app.pid
            first.now += MINUTE
            second.now += MINUTE
            mine, theirs = first.create().record, second.create().record
            first.now += MINUTE
            second.now += MINUTE
            assert ids(one.poll(first.now)) == [mine]
            assert ids(other.poll(second.now)) == [theirs]
            other.close()
            with pytest.raises(RuntimeError, match="the poller is closed"):
                other.poll(second.now)
            first.now += MINUTE
            later = first.create().record
            first.now += MINUTE
            assert ids(one.poll(first.now)) == [later]
            assert app.pid == pid


def test_a_shared_process_that_died_is_started_again_on_the_next_call(hellotracks_document: dict[str, Any],
                                                                      workdir: Path) -> None:
    with zap(hellotracks_document, "new_job", workdir) as (timeline, _, poller):
        poller.activate(timeline.now)
        app = shared_app(built_app(hellotracks_document, workdir))
        dead = app.pid
        assert dead is not None
        os.kill(dead, signal.SIGKILL)
        os.waitid(os.P_PID, dead, os.WEXITED | os.WNOWAIT)  # until it is gone, leaving it to be reaped
        timeline.now += MINUTE
        job = timeline.create().record
        timeline.now += MINUTE
        assert ids(poller.poll(timeline.now)) == [job]  # the dedupe store outlived the process
        assert app.pid not in (None, dead)
        close_shared_apps()  # what the interpreter does at exit
        assert app.pid is None
        timeline.now += MINUTE
        assert poller.poll(timeline.now) == []  # a later call starts it again


def test_an_app_process_that_dies_says_why(tmp_path: Path) -> None:
    """No app in the folder: Node exits at once, and the error carries its stderr instead of hanging;
    the next call starts a new process, which says the same."""
    process = AppProcess(tmp_path)
    run = ZapierRun("poll", "triggers.new_job.operation.perform", {}, {}, START_MS)
    try:
        for _ in range(2):
            with pytest.raises(RuntimeError, match=r"the Zapier app process ended \(exit 1\).*Cannot find module"):
                process.call("probe", run)
    finally:
        process.close()
    assert process.pid is None


def test_each_trigger_limit_is_stated_in_the_platform_notes_in_the_same_words():
    text = (Path(__file__).parents[2] / "docs" / "platforms.md").read_text(encoding="utf-8")
    zapier = text[text.index("### Zapier triggers"):]
    for rule, why in ZAPIER_TRIGGER_LIMITS.items():
        assert f"| {rule} | {why} |" in zapier
