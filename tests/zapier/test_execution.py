"""The generated app run by zapier-platform-core: cassettes, the verify column, bad input, dropdowns."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from connector_core import Client
from connector_core.cassettes.cases import CassetteIndex, Outcome
from connector_core.cassettes.replay import CaseReport
from connector_core.cassettes.verify import PLATFORMS, render_table, verify
from connector_core.runtime.connection import ConnectionSettings
from connector_core.runtime.plan import validated_input
from connector_core.runtime.request import build_request
from connector_core.sandbox import Sandbox
from connector_core.spec import Connector
from tests.conftest import CASSETTES, SANDBOX_KEY
from zapier_schema.execution import ZapierRun, auth_data, operation_run, options_method, run_in_zapier
from zapier_schema.platform import ZapierPlatform

Run = tuple[ZapierPlatform, dict[str, Outcome], dict[str, CaseReport]]


# ------------------------------------------------------------------------- recorded cases


def test_every_recorded_case_passes_the_strict_judge(zapier_verify_run: Run, cassette_index: CassetteIndex) -> None:
    platform, outcomes, reports = zapier_verify_run
    assert set(outcomes) == {case.name for case in cassette_index.cases}
    for case in cassette_index.cases:
        assert platform.judge(case, outcomes[case.name], reports[case.name]) == [], case.name


def test_outcomes_match_the_python_runtime(zapier_verify_run: Run, cassette_index: CassetteIndex) -> None:
    """Spot checks of what the judge compares, read straight from the recording."""
    _, outcomes, reports = zapier_verify_run
    cases = {case.name: case for case in cassette_index.cases}
    assert outcomes["new_job_paged"].output == cases["new_job_paged"].outcome.output[0]
    assert len(outcomes["new_job_paged"].output) == 103 and reports["new_job_paged"].played == 2
    assert outcomes["new_job"].output == cases["new_job"].outcome.output[0] and reports["new_job"].played == 1
    assert outcomes["get_job"].output == [cases["get_job"].outcome.output]
    assert outcomes["test_connection_bad_key"].error == {
        "type": "AuthError", "status": 401,
        "message": "Invalid Hellotracks API key. (HTTP 401: the API key is wrong or lacks access to this; "
                   "check it in the connection settings.)"}
    assert outcomes["find_job_rate_limited"].error["type"] == "ThrottledError"
    assert outcomes["find_job_rate_limited"].error["retry_after"] == 1
    assert "Rate limit reached." in outcomes["find_job_rate_limited"].error["message"]
    assert outcomes["find_member_temporary_error"].error["status"] == 500
    assert reports["find_job_rate_limit_exhausted"].played == 1
    assert outcomes["create_job_invalid_input"].error["message"] == (
        "Invalid input, nothing was sent: Date (date) must be a date in YYYY-MM-DD format, got '2026/05/10'; "
        "Priority (priority) must be at most 10, got 11")
    assert reports["create_job_invalid_input"].played == 0


def _tampered(outcome: Outcome, **changes: Any) -> Outcome:
    return outcome.model_copy(update=changes)


def _error(outcome: Outcome, **changes: Any) -> Outcome:
    return outcome.model_copy(update={"error": {**(outcome.error or {}), **changes}})


def test_the_judge_fails_anything_else(zapier_verify_run: Run, cassette_index: CassetteIndex) -> None:
    platform, outcomes, reports = zapier_verify_run
    cases = {case.name: case for case in cassette_index.cases}

    def problems(name: str, outcome: Outcome | None, report: CaseReport | None = None) -> list[str]:
        return platform.judge(cases[name], outcome, report or reports[name])

    new_job = outcomes["new_job"]
    assert problems("new_job", _tampered(new_job, output=new_job.output[:-1]))
    assert problems("new_job", _tampered(new_job, output=list(reversed(new_job.output))))
    assert problems("new_job", new_job, CaseReport(played=2, recorded=2))
    assert problems("new_job", new_job, CaseReport(played=1, recorded=2, mismatches=["GET /v1/jobs: query"]))
    assert problems("new_job", None)
    assert problems("get_job", _tampered(outcomes["get_job"], output=outcomes["get_job"].output[0]))
    bad_key = outcomes["test_connection_bad_key"]
    assert problems("test_connection_bad_key", _error(bad_key, status=403))
    assert problems("test_connection_bad_key", _error(bad_key, message="The key was refused."))
    assert problems("test_connection_bad_key", _error(bad_key, type="ApiError"))
    limited = outcomes["find_job_rate_limited"]
    assert problems("find_job_rate_limited", _error(limited, retry_after=5))
    assert problems("find_job_rate_limited", cases["find_job_rate_limited"].outcome)
    assert problems("find_job_rate_limited", limited, CaseReport(played=2, recorded=2))
    assert problems("find_member_temporary_error", _error(outcomes["find_member_temporary_error"], status=503))
    refused = outcomes["create_job_invalid_input"]
    assert problems("create_job_invalid_input", _error(refused, message="Invalid input: (date), (priority)"))
    assert problems("create_job_invalid_input", refused, CaseReport(played=1, recorded=0))


def test_connectors_verify_has_a_green_zapier_column(hellotracks: Connector) -> None:
    assert PLATFORMS["zapier"] is ZapierPlatform
    cells = verify(CASSETTES, ["zapier"])
    assert {cell.operation for cell in cells} == set(hellotracks.operations)
    assert [cell for cell in cells if cell.status != "pass"] == []
    assert render_table(cells).splitlines()[0].split() == ["operation", "zapier"]


# ------------------------------------------------------------------------- bad input


class CaptureServer:
    """A loopback API that records each raw request and answers 404 with the API's envelope."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def _record(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                outer.requests.append((self.command, self.path, json.loads(body) if body else None))
                payload = json.dumps({"error": {"message": "Job not found"}}).encode()
                self.send_response(404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PATCH = do_DELETE = _record

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"


@pytest.fixture
def capture() -> Iterator[CaptureServer]:
    server = CaptureServer()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


TRICKY_IDS = ["a/b", "../members?x#y", "x!'()*~", "é ü+&=", "%2e%2e", "...", ".hidden"]
REFUSED = {
    "priority_11": ({"title": "T", "priority": 11}, "Priority (priority) must be at most 10, got 11"),
    "slash_date": ({"title": "T", "date": "2026/05/10"},
                   "Date (date) must be a date in YYYY-MM-DD format, got '2026/05/10'"),
    "no_such_day": ({"title": "T", "date": "2026-02-30"},
                    "Date (date) must be a date in YYYY-MM-DD format, got '2026-02-30'"),
    "bad_email": ({"title": "T", "contact": {"email": "nope"}},
                  "Contact Email (contact__email) must be an email address, got 'nope'"),
    "bad_time": ({"title": "T", "timeWindow": {"start": "9am"}},
                 "Time Window Start (timeWindow__start) must match the pattern ^([01][0-9]|2[0-3]):[0-5][0-9]$ "
                 "(for example '09:00'), got '9am'"),
    "no_title": ({"notes": "x"}, "Title (title) is required"),
}


def python_path(connector: Connector, key: str, value: dict[str, Any], base_url: str) -> str:
    """The raw path and query the Python runtime sends for the same input."""
    operation = connector.operation(key)
    settings = ConnectionSettings(connector, {"api_key": "k"}, base_url=base_url)
    url = build_request(operation.request, validated_input(operation, value), settings).url
    return url.raw_path.decode()


def test_bad_input_never_reaches_another_endpoint(hellotracks: Connector, capture: CaptureServer) -> None:
    def run(name: str, key: str, value: dict[str, Any]) -> ZapierRun:
        return operation_run(hellotracks, name, hellotracks.operation(key), value, base_url=capture.base_url,
                             api_key="capture-key", clock_ms=0)

    runs = [run(f"refused_{name}", "create_job", value) for name, (value, _) in REFUSED.items()]
    runs += [run(f"dots_{index}", "get_job", {"id": dots}) for index, dots in enumerate([".", ".."])]
    results = run_in_zapier(hellotracks, runs)
    for name, (_, message) in REFUSED.items():
        error = results[f"refused_{name}"]["error"]
        assert error["type"] == "InputValidationError" and message in error["message"], error
    for index in range(2):
        assert results[f"dots_{index}"]["error"]["type"] == "InputValidationError"
        assert "would address another endpoint" in results[f"dots_{index}"]["error"]["message"]
    assert capture.requests == []

    sent = [run(f"id_{index}", key, {"id": tricky}) for index, tricky in enumerate(TRICKY_IDS)
            for key in ("get_job", "archive_job")]
    results = run_in_zapier(hellotracks, sent)
    expected = [python_path(hellotracks, key, {"id": tricky}, capture.base_url)
                for tricky in TRICKY_IDS for key in ("get_job", "archive_job")]
    assert [path for _, path, _ in capture.requests] == expected
    assert "/v1/jobs/a%2Fb/archive" in expected and "/v1/jobs/x%21%27%28%29%2A~" in expected
    assert all(result["error"] == {"type": "NotFoundError", "status": 404, "message": "Job not found (HTTP 404)"}
               for result in results.values())


def test_zapier_text_and_datetimes_become_the_api_values(hellotracks: Connector, capture: CaptureServer) -> None:
    """Zapier sends typed fields as text and dates as ISO date-times; the body is the Python one."""
    zapier_input = {"title": "T", "priority": "7", "date": "2026-05-10T00:00:00+02:00",
                    "contact__email": "a@example.com", "notes": "", "address": None}
    run = ZapierRun("typed", "creates.create_job.operation.perform",
                    auth_data(hellotracks, capture.base_url, "capture-key"), zapier_input, 0)
    run_in_zapier(hellotracks, [run])
    operation = hellotracks.operation("create_job")
    python_body = json.loads(build_request(
        operation.request, validated_input(operation, {"title": "T", "priority": "7", "date": "2026-05-10",
                                                       "contact": {"email": "a@example.com"}, "notes": ""}),
        ConnectionSettings(hellotracks, {"api_key": "k"}, base_url=capture.base_url)).content)
    assert capture.requests == [("POST", "/v1/jobs", python_body)]
    assert python_body == {"title": "T", "priority": 7, "date": "2026-05-10", "contact": {"email": "a@example.com"}}


# ------------------------------------------------------------------------- dropdowns


def test_the_hidden_trigger_lists_the_same_choices_as_the_runtime(hellotracks: Connector) -> None:
    with Sandbox(api_key=SANDBOX_KEY) as sandbox:
        with Client(hellotracks, connection={"api_key": SANDBOX_KEY}, base_url=sandbox.base_url) as client:
            choices = client.options("members")
        run = ZapierRun("members", options_method("members"), auth_data(hellotracks, sandbox.base_url, SANDBOX_KEY),
                        {}, 0)
        result = run_in_zapier(hellotracks, [run])["members"]
    assert len(choices) >= 2
    assert result == {"status": "ok", "output": [{"id": choice["value"], "label": choice["label"]} for choice in choices]}
