"""The timeline server: hostile orders, late commits, since filters, both paging styles, real HTTP; and
each connector's wire (method, params in the query or the body, credentials, base path, envelope)."""

from __future__ import annotations

import copy
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import pytest

from connector_core.runtime.response import dig
from connector_core.simulation.peers import PeersPoller
from connector_core.simulation.server import ORDERS, TimelineServer
from connector_core.simulation.shape import ApiShape
from connector_core.simulation.timeline import Timeline

from .conftest import bounded, connector_triggers

KEY = "k-test"
T = 1_767_571_200_000


def ids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [job["id"] for job in response.json()["data"]["items"]]


@pytest.fixture
def timeline(document: dict[str, Any]) -> Timeline:
    """Three jobs created 1, 2, 3 s after T; the first one updated at T + 4 s."""
    timeline = Timeline(ApiShape.of(document), T)
    for second in (1, 2, 3):
        timeline.create(stamp=T + second * 1000)
    timeline.now = T + 5000
    timeline.change("job000001", "update", stamp=T + 4000)
    return timeline


def get(server: TimelineServer, **params: Any) -> httpx.Response:
    return httpx.get(f"{server.base_url}/jobs", params={"includeArchived": "true", **params}, headers={"API-Key": KEY})


@pytest.mark.parametrize("order, expected", [
    ("created_asc", ["job000001", "job000002", "job000003"]),
    ("created_desc", ["job000003", "job000002", "job000001"]),
    ("updated_asc", ["job000002", "job000003", "job000001"]),
    ("updated_desc", ["job000001", "job000003", "job000002"]),
    ("id", ["job000001", "job000002", "job000003"]),
])
def test_orders_are_the_scenarios_and_stable(timeline: Timeline, order: str, expected: list[str]) -> None:
    with TimelineServer(timeline, KEY, order=order) as server:
        assert ids(get(server)) == expected
        assert ids(get(server)) == expected
    assert set(ORDERS) == {"created_asc", "created_desc", "updated_asc", "updated_desc", "id"}


def test_since_filters_by_the_cursor_field_and_params_filter(timeline: Timeline) -> None:
    timeline.change("job000002", "complete")
    with TimelineServer(timeline, KEY) as server:
        assert ids(get(server, updatedSince=T + 4000)) == ["job000001", "job000002"]
        assert ids(get(server, createdSince=T + 2000)) == ["job000002", "job000003"]
        assert ids(get(server, progress="success")) == ["job000002"]


def test_a_late_commit_is_stamped_early_and_visible_late(timeline: Timeline) -> None:
    late = timeline.change("job000002", "update", stamp=T + 4500, delay=60_000)
    with TimelineServer(timeline, KEY) as server:
        assert ids(get(server, updatedSince=T + 4500)) == []
        timeline.now += 60_000
        page = get(server, updatedSince=T + 4500).json()["data"]["items"]
        assert [(job["id"], job["updatedAt"]) for job in page] == [("job000002", late.stamp)]


def test_archived_and_deleted_jobs_stay_listed_with_include_archived(timeline: Timeline) -> None:
    timeline.change("job000001", "archive")
    timeline.change("job000002", "delete")
    with TimelineServer(timeline, KEY) as server:
        assert ids(get(server)) == ["job000001", "job000002", "job000003"]
        assert ids(get(server, includeArchived="false")) == ["job000003"]
        assert all("_deleted" not in job for job in get(server).json()["data"]["items"])


def test_offset_paging_and_the_date_header(timeline: Timeline) -> None:
    with TimelineServer(timeline, KEY) as server:
        response = get(server, skip=1, limit=1)
        assert ids(response) == ["job000002"]
        assert parsedate_to_datetime(response.headers["date"]).timestamp() * 1000 == T + 5000
        assert ids(get(server, skip=3, limit=1)) == []
        assert get(server, limit=101).status_code == 400
        assert get(server, since=0).status_code == 400        # unknown param: the document does not name it
        assert httpx.get(f"{server.base_url}/jobs", headers={"API-Key": "wrong"}).status_code == 401
        assert server.traffic.requests == 5
        assert server.traffic.bytes > sum(len(get(server).content) for _ in range(1))


def test_page_number_paging(document: dict[str, Any]) -> None:
    paged = copy.deepcopy(document)
    for operation in paged["operations"].values():
        if operation.get("kind") == "trigger":
            operation["polling"]["pagination"] = {"style": "page", "page_param": "page", "size_param": "size",
                                                  "page_size": 100, "first_page": 1}
    timeline = Timeline(ApiShape.of(paged), T)
    for second in range(5):
        timeline.create(stamp=T + second)
    with TimelineServer(timeline, KEY) as server:
        assert ids(get(server, page=2, size=2)) == ["job000003", "job000004"]
        assert ids(get(server, page=3, size=2)) == ["job000005"]


@pytest.mark.parametrize(("connector", "trigger"), connector_triggers())
def test_each_connector_is_served_as_its_document_asks(connector: str, trigger: str) -> None:
    """A client that asks as the document says (here the peers' request: paging, and a since param where
    there is one, in the query or the body) gets the records; wrong credentials, the wrong method or a
    path outside the connection's base URL do not."""
    document = bounded(connector)
    timeline = Timeline(ApiShape.of(document), T)
    for second in (1, 2, 3):
        timeline.create(stamp=T + second * 1000)
    timeline.now = T + 5000
    shape = timeline.shape
    with TimelineServer(timeline, KEY) as server:
        peers = PeersPoller(document, trigger, server.base_url, shape.connection(KEY))

        def ask(method: str = peers.method, url: str = peers.url, headers: dict[str, str] = peers.headers) -> httpx.Response:
            return peers.http.request(method, url, params=peers.params, json=peers.body, headers=headers)

        try:
            answer = ask().json()
            assert len(dig(answer, shape.envelope)) == 3
            assert all(dig(answer, path) == value for path, value in shape.success.items())
            assert ask(headers=shape.auth_headers(shape.connection("wrong"))).status_code == 401
            assert ask(headers={}).status_code == 401
            assert ask(method="GET" if peers.method == "POST" else "POST").status_code == 405
            if shape.base_path:
                assert ask(url=peers.url.replace(shape.base_path, "", 1)).status_code == 404
        finally:
            peers.close()
