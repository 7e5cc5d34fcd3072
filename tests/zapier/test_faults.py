"""The generated Zapier app in zapier-platform-core against every fault kind of the fault server:
the right error, one request per run, nothing at another origin, no key in the error, no hang."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from typing import Any

import pytest

from connector_core.document import connector_from_document
from connector_core.faults import FaultServer, success_body
from connector_core.spec import Connector
from tests.host_faults import API_KEY, CASES, SHAPES, HostOutcome, Shape, case_id, leaks, problems, small_limits
from zapier_schema.app_process import AppProcess
from zapier_schema.execution import operation_run
from zapier_schema.project_dir import project_dir

SEARCH = next(shape for shape in SHAPES if shape.name == "search")


@pytest.fixture(scope="module")
def document(hellotracks_document: dict[str, Any]) -> dict[str, Any]:
    return small_limits(hellotracks_document)


@pytest.fixture(scope="module")
def app(document: dict[str, Any]) -> Iterator[AppProcess]:
    """The app built from the small-limits document, in one Node process for every run, started
    before the first case (so that its start-up does not count against the case's time)."""
    with project_dir(document) as folder:
        process = AppProcess(folder)
        try:
            with FaultServer("status_400", success=b"{}") as server:
                run(process, connector_from_document(document), SEARCH, server)
            yield process
        finally:
            process.close()


def run(app: AppProcess, connector: Connector, shape: Shape, server: FaultServer) -> tuple[HostOutcome, dict[str, Any]]:
    """One run of the shape's operation against the server, on the real clock; its outcome for the
    judgement, and the harness's raw answer."""
    call = dataclasses.replace(
        operation_run(connector, shape.name, connector.operation(shape.operation), shape.input,
                      base_url=server.base_url, api_key=API_KEY, clock_ms=None),
        dump=True)
    started = time.monotonic()
    answer = app.call("faults", call)
    elapsed = time.monotonic() - started
    if answer["status"] == "ok":
        return HostOutcome("ok", "", [], elapsed), answer
    error = answer["error"]
    kind = "RateLimitError" if error["type"] == "ThrottledError" else error["type"]
    return HostOutcome(kind, error["message"], [error["message"], error["dump"]], elapsed), answer


@pytest.mark.parametrize(("kind", "shape"), CASES, ids=[case_id(*case) for case in CASES])
def test_the_app_survives_the_fault(app: AppProcess, document: dict[str, Any], kind: str, shape: Shape) -> None:
    connector = connector_from_document(document)
    with FaultServer(kind, success=success_body(document, shape.operation), secrets=[API_KEY]) as server:
        outcome, _ = run(app, connector, shape, server)
        assert problems(kind, shape, outcome, server, document) == []


@pytest.mark.parametrize(("kind", "delay"), [
    ("status_429_retry_after_1_5_then_200", 1.5),
    ("status_429_retry_after_negative_then_200", None),
    ("status_429_retry_after_text_then_200", None),
])
def test_retry_after_is_the_throttled_errors_delay(app: AppProcess, document: dict[str, Any], kind: str,
                                                  delay: float | None) -> None:
    """Zapier retries a throttled run after the delay: the one the API asked for, or Zapier's own
    when the API asked for none it could mean (never 0, which would retry at once)."""
    with FaultServer(kind, success=success_body(document, SEARCH.operation), secrets=[API_KEY]) as server:
        _, answer = run(app, connector_from_document(document), SEARCH, server)
    assert answer["status"] == "error" and answer["error"]["type"] == "ThrottledError", answer
    assert answer["error"]["retry_after"] == delay


def test_the_judgement_sees_a_leak_in_the_dump() -> None:
    """The leak check reads every form of the key (a check that cannot fail proves nothing)."""
    assert leaks(["headers: { 'api-key': 'sk_fault%2FKey%2B7%3Da%26b%25c%20d9%22q' }"]) == ["url-encoded"]
    assert leaks(["q=sk_fault%2fKey%2b7%3da%26b%25c%20d9%22q"]) == ["url-encoded lower"]
    assert leaks(["q=sk_fault%2FKey%2B7%3Da%26b%25c+d9%22q"]) == ["form-encoded"]
    assert leaks(['{"message": "sk_fault/Key+7=a&b%c d9\\"q"}']) == ["json-escaped"]
    assert leaks(["c2tfZmF1bHQvS2V5Kzc9YSZiJWMgZDkicQ=="]) == ["base64"]
    assert leaks(["API-Key: ***"]) == []
