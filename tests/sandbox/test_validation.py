"""Every 400 the sandbox gives names the field or parameter and the rule."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from connector_core.sandbox import DEFAULT_API_KEY, Sandbox


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with Sandbox("hellotracks", deterministic=True) as sb:
        with httpx.Client(base_url=sb.base_url, headers={"API-Key": DEFAULT_API_KEY}, timeout=5) as c:
            yield c


@pytest.fixture(scope="module")
def job_id(client: httpx.Client) -> str:
    return client.post("/jobs", json={"title": "Existing"}).json()["data"]["items"][0]["id"]


def error(response: httpx.Response) -> str:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "Missing required field job.title."),
        ({"title": None}, "Missing required field job.title."),
        ({"title": ""}, "Invalid value for job.title: expected a non-empty string."),
        ({"title": 5}, "Invalid value for job.title: expected a non-empty string."),
        ({"title": "t", "colour": "red"}, "Unknown field job.colour"),
        ({"title": "t", "contact": {"fax": "1"}}, "Unknown field job.contact.fax"),
        ({"title": "t", "timeWindow": {"start": "09:00", "tz": "UTC"}}, "Unknown field job.timeWindow.tz"),
        ({"title": "t", "id": "abc"}, "Read-only field job.id cannot be set."),
        ({"title": "t", "progress": "success"}, "Read-only field job.progress cannot be set."),
        ({"title": "t", "createdAt": 1}, "Read-only field job.createdAt cannot be set."),
        ({"title": "t", "assignee": {}}, "Read-only field job.assignee cannot be set."),
        ({"title": "t", "date": "10/05/2026"}, "Invalid value for job.date: expected YYYY-MM-DD."),
        ({"title": "t", "date": "2026-02-30"}, "Invalid value for job.date: expected YYYY-MM-DD."),
        ({"title": "t", "priority": 11}, "Invalid value for job.priority: expected an integer from 0 to 10."),
        ({"title": "t", "priority": -1}, "Invalid value for job.priority: expected an integer from 0 to 10."),
        ({"title": "t", "priority": "7"}, "Invalid value for job.priority: expected an integer from 0 to 10."),
        ({"title": "t", "priority": 7.5}, "Invalid value for job.priority: expected an integer from 0 to 10."),
        ({"title": "t", "priority": True}, "Invalid value for job.priority: expected an integer from 0 to 10."),
        ({"title": "t", "timeWindow": {"start": "9:00"}}, "Invalid value for job.timeWindow.start: expected HH:mm."),
        ({"title": "t", "timeWindow": {"end": "24:00"}}, "Invalid value for job.timeWindow.end: expected HH:mm."),
        ({"title": "t", "timeWindow": "09:00-17:00"}, "Invalid value for job.timeWindow: expected an object."),
        (
            {"title": "t", "contact": {"email": "not-an-email"}},
            "Invalid value for job.contact.email: expected an email address.",
        ),
        ({"title": "t", "contact": {"phone": 4155556789}}, "Invalid value for job.contact.phone: expected a string."),
        ({"title": "t", "notes": ["a"]}, "Invalid value for job.notes: expected a string."),
        ({"title": "t", "externalId": ""}, "Invalid value for job.externalId: expected a non-empty string."),
        ({"title": "t", "assigneeUsername": "ghost@example.com"}, "Unknown member job.assigneeUsername: ghost@example.com"),
        ({"title": "t", "assigneeUsername": 3}, "Invalid value for job.assigneeUsername: expected a non-empty string."),
    ],
)
def test_create_validation(client: httpx.Client, body: dict, message: str) -> None:
    assert error(client.post("/jobs", json=body)) == message


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"title": "x"}, "Missing required field job.id."),
        ({"id": None}, "Missing required field job.id."),
        ({"id": 12}, "Invalid value for job.id: expected a non-empty string."),
        ({"id": "ID", "progress": "success"}, "Read-only field job.progress cannot be set."),
        ({"id": "ID", "title": None}, "Invalid value for job.title: expected a non-empty string."),
        ({"id": "ID", "owner": "x"}, "Unknown field job.owner"),
        ({"id": "ID", "contact": {"mail": "x"}}, "Unknown field job.contact.mail"),
        ({"id": "ID", "date": "2026-5-1"}, "Invalid value for job.date: expected YYYY-MM-DD."),
        ({"id": "ID", "priority": 11}, "Invalid value for job.priority: expected an integer from 0 to 10."),
    ],
)
def test_patch_validation(client: httpx.Client, job_id: str, body: dict, message: str) -> None:
    body = {key: job_id if value == "ID" else value for key, value in body.items()}
    assert error(client.patch("/jobs", json=body)) == message


def test_rejected_writes_change_nothing(client: httpx.Client, job_id: str) -> None:
    before = client.get(f"/jobs/{job_id}").json()
    error(client.patch("/jobs", json={"id": job_id, "title": "new", "priority": 99}))
    assert client.get(f"/jobs/{job_id}").json() == before


@pytest.mark.parametrize("body", [b"{", b"", b"[]", b'"title"', b"\xff\xfe"])
def test_invalid_json_body(client: httpx.Client, body: bytes) -> None:
    json_type = {"Content-Type": "application/json"}
    assert error(client.post("/jobs", content=body, headers=json_type)).startswith("Invalid JSON body")
    assert error(client.patch("/jobs", content=body, headers=json_type)).startswith("Invalid JSON body")


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"createdSince": "yesterday"}, "createdSince"),
        ({"createdSince": "-5"}, "createdSince"),
        ({"updatedSince": "1.5"}, "updatedSince"),
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"limit": ""}, "limit"),
        ({"skip": "-1"}, "skip"),
        ({"progress": "done"}, "progress"),
        ({"includeArchived": "yes"}, "includeArchived"),
        ({"includeArchived": "True"}, "includeArchived"),
        ({"externalId": ""}, "externalId"),
    ],
)
def test_invalid_job_filters(client: httpx.Client, params: dict, name: str) -> None:
    message = error(client.get("/jobs", params=params))
    assert message.startswith(f"Invalid value for query parameter {name}: expected ")


def test_unknown_and_duplicate_query_parameters(client: httpx.Client) -> None:
    assert error(client.get("/jobs", params={"sort": "createdAt"})) == "Unknown query parameter: sort"
    assert error(client.get("/jobs?limit=1&limit=2")) == "Duplicate query parameter: limit"
    assert error(client.get("/members", params={"q": "x"})) == "Unknown query parameter: q"
    assert error(client.get("/members", params={"max": "0"})).startswith("Invalid value for query parameter max")
    assert error(client.get("/auth/whoami", params={"verbose": "1"})) == "Unknown query parameter: verbose"
