"""Run one case with the Python client and describe what happened as an Outcome."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from connector_core.cassettes.cases import Outcome, PollMode
from connector_core.runtime import Client, ConnectorError, InputValidationError, RateLimitError
from connector_core.spec.models import Operation


def execute(client: Client, operation: Operation, value: dict[str, Any], *, polls: int, clock_ms: int,
            interval_ms: int, mode: PollMode = "poll", between_polls: Callable[[], Any] = lambda: None) -> Outcome:
    """Triggers are polled `polls` times in `mode`, the clock advancing by `interval_ms` each time."""
    try:
        if operation.kind != "trigger":
            return Outcome(status="ok", output=client.run(operation.key, value))
        outputs, state = [], None
        for number in range(polls):
            if number:
                between_polls()
            now_ms = clock_ms + number * interval_ms
            if mode == "poll":
                result = client.poll(operation.key, state, value, now_ms=now_ms)
                state = result.state
            elif mode == "window":
                result = client.poll_window(operation.key, value, now_ms=now_ms)
            else:
                result = client.latest(operation.key, value, now_ms=now_ms)
            outputs.append(result.events)
        return Outcome(status="ok", output=outputs)
    except ConnectorError as error:
        return Outcome(status="error", error=describe_error(error))


def describe_error(error: ConnectorError) -> dict[str, Any]:
    """The platform-neutral parts of an error: its kind, HTTP status and message."""
    described: dict[str, Any] = {"type": type(error).__name__, "status": getattr(error, "status", None),
                                 "message": getattr(error, "message", str(error))}
    if isinstance(error, InputValidationError):
        described["fields"] = sorted({problem.field for problem in error.problems})
    if isinstance(error, RateLimitError):
        described["retry_after"] = error.retry_after
    return described
