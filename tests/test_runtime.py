"""The httpx runtime: every operation for real against the sandbox, and each rule in isolation."""

from __future__ import annotations

import asyncio
import json
import math
import random
import struct
import subprocess
from email.utils import formatdate

import httpx
import pytest

from connector_core import AsyncClient, Client
from connector_core.runtime import (
    ApiError,
    AuthError,
    ConnectionSettingsError,
    InputValidationError,
    NotFoundError,
    PollState,
    RateLimitError,
    ResponseError,
    TemporaryError,
    TransportError,
)
from connector_core.runtime import ecma
from connector_core.runtime.jsontext import js_number, json_text, show
from connector_core.spec.models import Connector
from tests.conftest import SANDBOX_KEY

JOB = {"id": "j1", "title": "T", "progress": "scheduled", "createdAt": 1000, "updatedAt": 1000}
# JOB as the runtime returns it: the spec's derived timestamps set beside the API's epoch milliseconds.
RETURNED_JOB = {**JOB, "createdAtIso": "1970-01-01T00:00:01.000Z", "updatedAtIso": "1970-01-01T00:00:01.000Z"}


def mock_client(hellotracks, handler, *, sleeps=None, clock=lambda: 10_000_000_000) -> Client:
    record = sleeps.append if sleeps is not None else (lambda seconds: None)
    return Client(hellotracks, connection={"api_key": "secret-key-123"}, base_url="https://api.test/v1",
                  transport=httpx.MockTransport(handler), sleep=record, clock=clock)


def refuse(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"nothing may be sent, but {request.method} {request.url} was")


def items(*records, status=200, headers=None):
    return httpx.Response(status, json={"data": {"items": list(records)}}, headers=headers)


# --- every operation against the sandbox ---------------------------------------------------------


def test_every_operation_runs_against_the_sandbox(client, sandbox):
    assert client.run("test_connection")["company"]["name"] == "Sandbox Field Services"
    created = client.run("create_job", {
        "title": "Inspect", "externalId": "E-1", "priority": "7", "date": "2026-05-10",
        "assigneeUsername": "worker@example.com", "notes": "",
        "contact": {"name": "Olivia", "email": "olivia@example.com"}, "timeWindow": {"start": "09:00"},
    })
    assert created["priority"] == 7 and created["assignee"]["username"] == "worker@example.com"
    assert "notes" not in created  # an empty optional value is not sent
    job_id = created["id"]
    assert client.run("get_job", {"id": job_id})["title"] == "Inspect"
    assert [job["id"] for job in client.run("find_job", {"externalId": "E-1"})] == [job_id]
    updated = client.run("update_job", {"id": job_id, "notes": "Ring twice"})
    assert (updated["notes"], updated["title"]) == ("Ring twice", "Inspect")
    assert [job["id"] for job in client.run("new_job")] == [job_id]
    assert [job["id"] for job in client.run("updated_job")] == [job_id]
    assert client.run("completed_job") == []
    httpx.post(f"{sandbox.root_url}/_sandbox/jobs/{job_id}/progress", json={"progress": "success"})
    assert [job["progress"] for job in client.run("completed_job")] == ["success"]
    assert client.run("archive_job", {"id": job_id})["progress"] == "archived"
    assert client.run("delete_job", {"id": job_id}) == {"id": job_id}
    assert client.run("get_job", {"id": job_id}) is None  # the API's 404: nothing found, not an error
    with pytest.raises(NotFoundError, match="Job not found"):
        client.run("archive_job", {"id": job_id})  # an action's 404 stays an error
    assert client.run("find_member", {"query": "LEE.TECH"}) == [
        {"id": "f1e1d7", "username": "lee.tech", "email": "lee@example.com", "name": "Lee Fieldworker"}]
    assert client.run("find_member", {"query": "worker"}) == []  # fuzzy hits, no exact match


def test_the_async_client_gives_the_same_results(sandbox, hellotracks):
    async def scenario():
        async with AsyncClient(hellotracks, connection={"api_key": SANDBOX_KEY}, base_url=sandbox.base_url) as client:
            created = await client.run("create_job", {"title": "Async", "externalId": "A-1"})
            found = await client.run("find_job", {"externalId": "A-1"})
            polled = await client.poll_window("new_job")
            latest = await client.latest("new_job")
            with pytest.raises(InputValidationError):
                await client.run("create_job", {"priority": 3})
            return created, found, polled, latest

    created, found, polled, latest = asyncio.run(scenario())
    assert found == [created]
    assert polled.events == [created] and polled.state is None
    assert latest.events == [created]


def test_a_path_id_cannot_reach_another_endpoint(client, hellotracks):
    for hostile in ("../members", "a/b?c#d", "..."):
        with pytest.raises(NotFoundError) as raised:
            client.run("archive_job", {"id": hostile})
        assert f"Job not found: {hostile}" in str(raised.value)
    for dot_segment in ("..", "%2e%2e", ".%2E", "%252e"):
        with pytest.raises(InputValidationError, match="id: must not be a dot segment"):
            client.run("get_job", {"id": dot_segment})
    sent = []
    mock = mock_client(hellotracks, lambda request: sent.append(request) or items(JOB))
    mock.run("archive_job", {"id": "../members?x#y"})
    assert sent[0].url.raw_path == b"/v1/jobs/..%2Fmembers%3Fx%23y/archive"


# --- input validation: a clear error and nothing sent ------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "value", "field", "words"),
    [
        ("create_job", {"title": "x", "priority": 11}, "priority", "at most 10"),
        ("create_job", {"title": "x", "priority": "high"}, "priority", "of type integer"),
        ("create_job", {"title": "x", "date": "2026/05/10"}, "date", "YYYY-MM-DD"),
        ("create_job", {"title": "x", "date": "2026-02-30"}, "date", "YYYY-MM-DD"),
        ("create_job", {"title": "x", "date": "20260510"}, "date", "YYYY-MM-DD"),
        ("create_job", {"title": "x", "timeWindow": {"start": "9am"}}, "timeWindow.start", "09:00"),
        ("create_job", {"title": "x", "timeWindow": {"end": "24:00"}}, "timeWindow.end", "pattern"),
        ("create_job", {"title": "x", "contact": {"email": "nope"}}, "contact.email", "email address"),
        ("create_job", {"notes": "no title"}, "title", "is required"),
        ("create_job", {"title": ""}, "title", "is required"),
        ("create_job", {"title": "x", "assigneeId": "u1"}, "assigneeId", "not a known field"),
        ("create_job", {"title": "x", "contact": {"mail": "a@b.co"}}, "contact.mail", "not a known field"),
        ("update_job", {"title": "x"}, "id", "is required"),
        ("archive_job", {}, "id", "is required"),
        ("find_member", {"query": ""}, "query", "is required"),
    ],
)
def test_invalid_input_names_field_and_rule_and_sends_nothing(hellotracks, operation, value, field, words):
    with pytest.raises(InputValidationError) as raised:
        mock_client(hellotracks, refuse).run(operation, value)
    problems = {problem.field: problem.message for problem in raised.value.problems}
    assert field in problems, problems
    assert words in problems[field]
    assert f"{field}: " in str(raised.value)


def test_input_that_is_not_an_object_is_refused(hellotracks):
    with pytest.raises(InputValidationError, match="must be a JSON object"):
        mock_client(hellotracks, refuse).run("create_job", ["title"])


def test_every_problem_is_reported_at_once(hellotracks):
    with pytest.raises(InputValidationError) as raised:
        mock_client(hellotracks, refuse).run("create_job", {"priority": -1, "date": "tomorrow"})
    assert [problem.field for problem in raised.value.problems] == ["date", "priority", "title"]


# --- the request on the wire ----------------------------------------------------------------------


def test_the_request_follows_the_mapping_and_the_key_travels_only_in_its_header(hellotracks):
    sent = []
    mock = mock_client(hellotracks, lambda request: sent.append(request) or items(JOB))
    mock.run("update_job", {"id": "j1", "title": "New", "contact": {"email": "a@b.co", "name": ""}})
    request = sent[0]
    assert (request.method, request.url.path) == ("PATCH", "/v1/jobs")
    assert json.loads(request.content) == {"id": "j1", "title": "New", "contact": {"email": "a@b.co"}}
    assert request.headers["API-Key"] == "secret-key-123"
    assert request.headers["Accept"] == "application/json"
    assert request.headers["Content-Type"] == "application/json"
    assert "secret-key-123" not in str(request.url) and b"secret-key-123" not in request.content
    mock.run("find_job", {"externalId": "E 1/2"})
    assert dict(sent[1].url.params) == {"externalId": "E 1/2", "includeArchived": "true", "limit": "1"}
    mock.run("archive_job", {"id": "j1"})
    assert sent[2].content == b"" and "Content-Type" not in sent[2].headers


# --- errors and retries ---------------------------------------------------------------------------


def test_rate_limits_honour_retry_after_then_succeed(hellotracks):
    answers = [httpx.Response(429, headers={"Retry-After": "3"}, json={"error": {"message": "Slow down"}}), items(JOB)]
    sleeps: list[float] = []
    assert mock_client(hellotracks, lambda request: answers.pop(0), sleeps=sleeps).run("get_job", {"id": "j1"}) == RETURNED_JOB
    assert sleeps == [3.0]


def test_temporary_errors_back_off_exponentially_and_give_up_typed(hellotracks):
    sleeps: list[float] = []
    calls = []

    def unavailable(request):
        calls.append(request)
        return httpx.Response(503, json={"error": {"message": "Hellotracks API is temporarily unavailable."}})

    with pytest.raises(TemporaryError) as raised:
        mock_client(hellotracks, unavailable, sleeps=sleeps).run("find_member", {"query": "x"})
    assert len(calls) == hellotracks.retry.max_attempts == 4
    assert sleeps == [0.5, 1.0, 2.0]
    assert raised.value.status == 503 and raised.value.message == "Hellotracks API is temporarily unavailable."


def test_a_retry_after_beyond_the_policy_is_raised_at_once_with_the_delay(hellotracks):
    calls = []
    throttled = lambda request: calls.append(1) or httpx.Response(  # noqa: E731
        429, headers={"Retry-After": "120"}, json={"error": {"message": "Rate limit reached."}})
    with pytest.raises(RateLimitError) as raised:
        mock_client(hellotracks, throttled, sleeps=[]).run("test_connection")
    assert (len(calls), raised.value.retry_after, raised.value.message) == (1, 120.0, "Rate limit reached.")


@pytest.mark.parametrize(
    ("status", "error_type"),
    [(400, ApiError), (401, AuthError), (403, AuthError), (404, NotFoundError), (422, ApiError)],
)
def test_client_errors_are_typed_carry_the_api_message_and_are_not_retried(hellotracks, status, error_type):
    calls = []
    answer = lambda request: calls.append(1) or httpx.Response(status, json={"error": {"message": "From API"}})  # noqa: E731
    with pytest.raises(error_type) as raised:
        mock_client(hellotracks, answer).run("test_connection")
    assert type(raised.value) is error_type
    assert (raised.value.status, raised.value.message, len(calls)) == (status, "From API", 1)


def test_the_key_never_appears_in_an_error_even_when_the_api_echoes_it(hellotracks):
    echo = lambda request: httpx.Response(  # noqa: E731
        401, json={"error": {"message": f"Key {request.headers['API-Key']} is invalid"}})
    with pytest.raises(AuthError) as raised:
        mock_client(hellotracks, echo).run("test_connection")
    assert "secret-key-123" not in str(raised.value) and "***" in str(raised.value)


@pytest.mark.parametrize("echo", [
    "a%2Fb%3Dc%2Bd", "a%2fb%3dc%2bd", "a\\/b=c+d", "YS9iPWMrZA==",  # URL-encoded (either case), JSON-escaped, base64
])
def test_the_key_never_appears_in_an_error_in_any_encoding_the_api_echoes_it(hellotracks, echo):
    answer = lambda request: httpx.Response(401, json={"error": {"message": f"Key {echo} is invalid"}})  # noqa: E731
    client = Client(hellotracks, connection={"api_key": "a/b=c+d"}, base_url="https://api.test/v1",
                    transport=httpx.MockTransport(answer), sleep=lambda seconds: None)
    with pytest.raises(AuthError) as raised:
        client.run("test_connection")
    assert raised.value.message == "Key *** is invalid"


def test_a_key_pasted_with_a_windows_line_end_is_trimmed_and_works(hellotracks):
    sent: list[str] = []
    answer = lambda request: sent.append(request.headers["API-Key"]) or items(JOB)  # noqa: E731
    client = Client(hellotracks, connection={"api_key": "secret-key-123\r\n"}, base_url="https://api.test/v1",
                    transport=httpx.MockTransport(answer))
    assert client.run("get_job", {"id": "j1"}) == RETURNED_JOB and sent == ["secret-key-123"]


def test_a_key_with_an_inner_line_break_is_refused_naming_the_field(hellotracks):
    with pytest.raises(ConnectionSettingsError) as raised:
        Client(hellotracks, connection={"api_key": "secret\nkey"}, transport=httpx.MockTransport(refuse))
    assert str(raised.value) == "api_key: must not contain control characters (was it pasted with a line break?)"


def test_an_answer_without_its_list_is_drift_never_an_empty_search(hellotracks):
    """find_job read [] from `{"data": {}}`, so search-or-create would have created a duplicate."""
    with pytest.raises(ResponseError) as raised:
        mock_client(hellotracks, lambda request: httpx.Response(200, json={"data": {}})).run(
            "find_job", {"externalId": "E-1"})
    assert str(raised.value) == "find_job: the answer has no list at data.items (got nothing)"


def test_a_200_with_an_error_body_is_an_api_error_not_a_success(hellotracks):
    calls: list[int] = []
    answer = lambda request: calls.append(1) or httpx.Response(200, json={"error": {"message": "nope"}})  # noqa: E731
    with pytest.raises(ApiError) as raised:
        mock_client(hellotracks, answer).run("delete_job", {"id": "j1"})
    assert (type(raised.value), raised.value.status, raised.value.message, len(calls)) == (ApiError, 200, "nope", 1)


def test_a_create_answered_without_its_job_is_drift_not_a_404(hellotracks):
    with pytest.raises(ResponseError) as raised:
        mock_client(hellotracks, lambda request: items()).run("create_job", {"title": "T"})
    assert str(raised.value) == "create_job: the answer has no item at data.items (got an empty list)"
    assert "404" not in str(raised.value)


def test_an_error_without_the_envelope_still_says_what_happened(hellotracks):
    with pytest.raises(TemporaryError, match="HTTP 502: no error message from the API"):
        # an HTML page (short plain text would be the message itself)
        page = httpx.Response(502, text="<html>", headers={"content-type": "text/html"})
        mock_client(hellotracks, lambda request: page).run("test_connection")


def test_an_unreachable_api_is_a_transport_error_without_the_key(hellotracks):
    def down(request):
        raise httpx.ConnectError("connection refused", request=request)

    sleeps: list[float] = []
    with pytest.raises(TransportError) as raised:
        mock_client(hellotracks, down, sleeps=sleeps).run("test_connection")
    assert raised.value.message == "cannot connect to https://api.test: connection refused"
    assert raised.value.failure == "connect" and sleeps == [0.5, 1.0, 2.0]
    assert "secret-key-123" not in str(raised.value)


def test_a_response_that_breaks_the_output_schema_is_reported_as_drift(hellotracks):
    broken = dict(JOB, priority="high")
    with pytest.raises(ResponseError, match="item 0 breaks the output schema: priority"):
        mock_client(hellotracks, lambda request: items(broken)).run("find_job", {"externalId": "x"})
    assert mock_client(hellotracks, lambda request: items()).run("get_job", {"id": "j1"}) is None
    assert mock_client(hellotracks, lambda request: httpx.Response(200, json={"data": {}})).run(
        "delete_job", {"id": "j1"}) == {"id": "j1"}


# --- polling --------------------------------------------------------------------------------------


class FakeJobs:
    """An API answering GET /jobs from a list (in creation order, as the sandbox), honouring
    createdSince/updatedSince, progress, limit and skip; its Date header is `server_ms`."""

    def __init__(self, jobs, server_ms=None):
        self.jobs = jobs
        self.server_ms = server_ms
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        params = request.url.params
        field, since = next((f, int(params[p])) for p, f in (("createdSince", "createdAt"), ("updatedSince", "updatedAt"))
                            if p in params)
        matching = [job for job in self.jobs if job[field] >= since
                    and params.get("progress", job["progress"]) == job["progress"]]
        skip, limit = int(params["skip"]), int(params["limit"])
        date = {"date": formatdate(self.server_ms / 1000, usegmt=True)} if self.server_ms is not None else None
        return items(*matching[skip:skip + limit], headers=date)

    def asked(self, name: str) -> list[int]:
        return [int(request.url.params[name]) for request in self.requests]


def job(number: int, created: int, updated: int | None = None, **extra) -> dict:
    return {"id": f"j{number}", "title": f"Job {number}", "progress": "scheduled",
            "createdAt": created, "updatedAt": updated or created, **extra}


def ids(result) -> list[str]:
    return [event["id"] for event in result.events]


def test_a_first_poll_sets_a_baseline_instead_of_replaying_the_backlog(hellotracks):
    now = 1_800_000_000_000
    api = FakeJobs([job(1, now - 86_400_000), job(2, now - 60_000)])
    first = mock_client(hellotracks, api, clock=lambda: now).poll("new_job")
    assert api.asked("createdSince") == [now - 300_000]  # the lookback, not the week before
    assert first.events == [] and first.state.cursor == now  # no Date header: the client's clock
    assert list(first.state.seen) == ['["j2"]']


def test_polling_emits_each_event_once_even_when_a_job_commits_late(hellotracks):
    api = FakeJobs([job(1, 100_000)], server_ms=500_000)
    mock = mock_client(hellotracks, api, clock=lambda: 500_000)
    baseline = mock.poll("new_job")
    api.jobs += [job(2, 480_000), job(3, 510_000)]
    second = mock.poll("new_job", baseline.state)
    assert ids(second) == ["j3", "j2"] and second.state.cursor == 500_000  # newest first; the server's now
    api.jobs.append(job(4, 350_000))  # committed now, stamped before the cursor, inside the lookback
    third = mock.poll("new_job", second.state)
    assert api.asked("createdSince")[-1] == 500_000 - 300_000 and ids(third) == ["j4"]
    quiet = mock.poll("new_job", third.state)
    assert quiet.events == [] and quiet.requests == 1
    assert api.asked("skip")[-1] == 3  # the probe skips the three jobs it knows: an empty page proves quiet


def test_every_update_of_a_job_is_an_event_for_updated_triggers(hellotracks):
    api = FakeJobs([job(1, 100, 200)], server_ms=1_000)
    mock = mock_client(hellotracks, api, clock=lambda: 1_000)
    state = mock.poll("updated_job").state
    api.jobs[0] = job(1, 100, 900)
    second = mock.poll("updated_job", state)
    api.jobs[0] = job(1, 100, 900, notes="same millisecond")
    third = mock.poll("updated_job", second.state)
    assert [(e["id"], e["updatedAt"]) for e in second.events + third.events] == [("j1", 900), ("j1", 900)]
    assert mock.poll("updated_job", third.state).events == []  # an unchanged re-read is no event
    new_state = mock.poll("new_job").state
    api.jobs[0] = job(1, 100, 950)
    assert mock.poll("new_job", new_state).events == []  # New Job dedupes by id alone


def test_completed_trigger_asks_the_api_and_fires_once_per_job(hellotracks):
    api = FakeJobs([job(1, 10, 30, progress="success"), job(2, 10, 20, progress="failed")], server_ms=1_000)
    mock = mock_client(hellotracks, api, clock=lambda: 1_000)
    state = mock.poll("completed_job").state
    api.jobs.append(job(3, 10, 1_100, progress="success"))
    api.server_ms = 2_000
    second = mock.poll("completed_job", state)
    assert ids(second) == ["j3"] and {r.url.params["progress"] for r in api.requests} == {"success"}
    api.jobs[2] = job(3, 10, 1_500, progress="success", notes="edited after completion")
    assert mock.poll("completed_job", second.state).events == []  # remembered for 30 days


def test_a_burst_larger_than_the_page_budget_is_emitted_across_polls(hellotracks):
    api = FakeJobs([], server_ms=1_000_000)
    mock = mock_client(hellotracks, api, clock=lambda: 1_000_000)
    state = mock.poll("new_job").state
    api.jobs += [job(n, 1_000_100 + n // 10) for n in range(6_000)]  # 6,000 jobs within a second
    api.server_ms = 1_060_000
    first = mock.poll("new_job", state)
    assert len(first.events) == 5_000 and first.requests == 50
    assert first.state.cursor == state.cursor and first.state.walk.skip == 5_000  # capped: resumes there
    second = mock.poll("new_job", first.state)
    assert len(second.events) == 1_000 and second.requests == 11 and second.state.walk is None
    assert {e["id"] for e in first.events + second.events} == {f"j{n}" for n in range(6_000)}
    assert mock.poll("new_job", second.state).requests == 1


def test_polling_pages_through_skip_until_a_short_page(hellotracks):
    api = FakeJobs([job(n, 1_000 + n) for n in range(230)])
    result = mock_client(hellotracks, api, clock=lambda: 100_000).poll("new_job", PollState(cursor=1_000))
    assert api.asked("skip") == [0, 100, 200]
    assert {r.url.params["limit"] for r in api.requests} == {"100"}
    assert len(result.events) == 230 and result.requests == 3
    assert len({event["id"] for event in result.events}) == 230


def test_the_poll_state_survives_a_round_trip_through_json(hellotracks, tmp_path):
    from connector_core.runtime.polling import load_state, save_state

    api = FakeJobs([job(n, 100_000 + n) for n in range(120)])
    spec = hellotracks.model_dump(by_alias=True)
    spec["operations"]["new_job"]["polling"]["max_pages"] = 1
    capped = Client(Connector.model_validate(spec), connection={"api_key": "k"}, base_url="https://api.test/v1",
                    transport=httpx.MockTransport(api), clock=lambda: 200_000)
    result = capped.poll("new_job", PollState(cursor=100_000))
    assert result.state.walk is not None and result.state.walk.skip == 100
    path = tmp_path / "state.json"
    save_state(path, result.state)
    assert load_state(path) == result.state and PollState.from_json(result.state.to_json()) == result.state
    assert len(capped.poll("new_job", load_state(path)).events) == 20
    assert load_state(tmp_path / "missing.json") is None
    assert PollState.from_json({"cursor": "soon", "seen": {}}) is None


def test_a_window_poll_and_latest_read_the_server_clock(hellotracks):
    server = 1_800_000_000_000
    api = FakeJobs([job(1, server - 3_000_000), job(2, server - 600_000), job(3, server - 200_000)], server_ms=server)
    mock = mock_client(hellotracks, api, clock=lambda: server + 3_600_000)  # the client's clock an hour ahead
    window = mock.poll_window("new_job")
    assert api.asked("createdSince") == [server + 3_600_000 - 2_100_000, server - 2_100_000]  # 2 x 15 min + 5 min
    assert ids(window) == ["j3", "j2"] and window.state is None
    assert mock.poll_window("new_job", window_ms=3_600_000).events[-1]["id"] == "j1"
    assert ids(mock.latest("new_job")) == ["j3"]


def test_an_api_message_spanning_lines_is_folded_onto_one(hellotracks):
    multi = lambda request: httpx.Response(400, json={"error": {"message": "Bad data:\n  date\r\n  priority"}})  # noqa: E731
    with pytest.raises(ApiError) as raised:
        mock_client(hellotracks, multi).run("test_connection")
    assert raised.value.message == "Bad data: date priority"


def test_an_option_source_lists_choices_for_a_dropdown(client):
    members = client.options("members")
    assert {"value": "worker@example.com", "label": "Worker Name"} in members
    assert {"value": "lee.tech", "label": "Lee Fieldworker"} in members
    assert len(members) == 5


def test_the_async_client_lists_options_too(sandbox, hellotracks):
    async def scenario():
        async with AsyncClient(hellotracks, connection={"api_key": SANDBOX_KEY}, base_url=sandbox.base_url) as client:
            return await client.options("members")

    assert len(asyncio.run(scenario())) == 5


# --- JSON text as JavaScript writes it ------------------------------------------------------------


def test_numbers_are_written_as_javascript_writes_them():
    """js_number against Node itself, over edge values and random doubles of every magnitude."""
    numbers = [-1e-7, 1e-6, 1e21, 1e20, 1.5e300, 5e-324, 1.7976931348623157e308, 0.1 + 0.2, -0.5, 123456789012345680000.0]
    rng = random.Random(7)
    numbers += [struct.unpack("d", struct.pack("Q", rng.getrandbits(64)))[0] for _ in range(1500)]
    numbers += [rng.random() * 10 ** rng.randint(-30, 30) for _ in range(1500)]
    numbers = [number for number in numbers if math.isfinite(number)]
    script = "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).map(String).join('\\n')))"
    node = subprocess.run(["node", "-e", script], input=json.dumps(numbers), capture_output=True, text=True, check=True)
    assert [js_number(number) for number in numbers] == node.stdout.split()


def test_json_text_escapes_lone_surrogates_and_drops_integral_fractions():
    assert json_text({"a": [1, 2.0, None, True, "é\ud800\n"], "b": {}}) == '{"a":[1,2,null,true,"é\\ud800\\n"],"b":{}}'
    assert show("x" * 100) == '"' + "x" * 56 + "..."


def test_patterns_match_what_javascript_regexp_matches():
    """ecma.search against Node's RegExp on the tokens where Python's `re` reads differently."""
    patterns = [r"^\d{5}$", r"^([01][0-9]|2[0-3]):[0-5][0-9]$", r"^[^@\s]+@[^@\s]+\.[^@\s]+$", r"\w+", r"^\W$",
                r"^a.b$", r"[]", r"^[^]$", r"^\S+$", r"[0-9]{3}", r"^[\d\s]+$", r"x$"]
    texts = ["12345", "١٢٣٤٥", "09:00", "09:00\n", "a@b.co", "a@b.co\n", "a b@c.de", "é", "ü_1", "a\nb", "a\u2028b",
             "a\rb", "acb", "\u00a0", "1 2\u3000", "ab123", "x\n", "", "７"]
    script = ("let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const [ps,ts]=JSON.parse(s);"
              "console.log(JSON.stringify(ps.map(p=>ts.map(t=>new RegExp(p).test(t)))))})")
    node = subprocess.run(["node", "-e", script], input=json.dumps([patterns, texts]), capture_output=True, text=True,
                          check=True)
    assert [[ecma.search(pattern, text) for text in texts] for pattern in patterns] == json.loads(node.stdout)
