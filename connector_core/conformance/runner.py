"""Run one corpus case on the Python runtime and return what it observed, shaped as `expect`.

The runner drives the runtime's sans-I/O plans with the case's scripted responses, so no
socket is opened and no real time passes: every send is answered from `responses` in order (a
response may be a transport failure, `{"failure": "timeout"}`), every sleep is only recorded, and
the plan's clock is virtual: it starts at the case's `now_ms` and moves on by each sleep and by the
case's `latency_ms` per request. Jitter draws the case's `random` (0 unless given). A `run`, `poll` or `options` case may say `"retries": false`:
the runtime then runs as for a host that retries on its own (Zapier). `outcome(case)` is compared with the case's `expect` as JSON
(`canonical`), where `1` equals `1.0` but not `true`.
"""

from __future__ import annotations

import json
from collections.abc import Generator
from typing import Any

import httpx

from connector_core.conformance import load_document
from connector_core.runtime.connection import ConnectionSettings
from connector_core.runtime.errors import ConnectorError, InputValidationError, TransportError
from connector_core.runtime.jsontext import plain
from connector_core.runtime.plan import drive, options_plan, run_plan, validated_input
from connector_core.runtime.polling import PollState, latest_plan, poll_plan, window_plan
from connector_core.runtime.request import build_request
from connector_core.runtime.response import answers, error_for, interpret
from connector_core.runtime.transport import TransportFailure
from connector_core.spec.models import Connector

TRANSPORT_HEADERS = {"host", "content-length"}


class CaseError(Exception):
    """A case the runner cannot run as written (a corpus mistake, not a runtime failure)."""


def outcome(case: dict[str, Any]) -> dict[str, Any]:
    """What the Python runtime does for `case`, in the shape of the case's `expect`."""
    connector = load_document(case["connector"])
    step = STEPS.get(case["step"])
    if step is None:
        raise CaseError(f"case {case['name']!r}: unknown step {case['step']!r}")
    return step(connector, case)


def canonical(value: Any) -> str:
    """JSON text for comparing an outcome with an expectation (keys sorted, 7.0 written 7)."""
    return json.dumps(plain(value), sort_keys=True, ensure_ascii=False, indent=1)


def error_shape(error: ConnectorError) -> dict[str, Any]:
    if isinstance(error, InputValidationError):
        return {"kind": "InputValidationError",
                "problems": [{"field": p.field, "rule": p.rule, "message": p.message} for p in error.problems]}
    shape = {"kind": type(error).__name__, "status": error.status, "message": error.message,
             "retry_after": error.retry_after}
    if isinstance(error, TransportError):
        shape["failure"] = error.failure
    if error.code is not None:
        shape["code"] = error.code
    if error.may_have_succeeded:
        shape["may_have_succeeded"] = True
    return shape


def request_shape(request: httpx.Request) -> dict[str, Any]:
    headers = {name.lower(): value for name, value in request.headers.items() if name.lower() not in TRANSPORT_HEADERS}
    return {"method": request.method, "url": str(request.url), "headers": headers,
            "body": json.loads(request.content) if request.content else None}


def reply_of(scripted: dict[str, Any], request: httpx.Request) -> httpx.Response | TransportFailure:
    """What a host hands the plan for a scripted answer: a response, or `{"failure", "detail"}`."""
    if "failure" in scripted:
        return TransportFailure(scripted["failure"], scripted.get("detail", ""))
    return response_of(scripted, request)


def response_of(scripted: dict[str, Any], request: httpx.Request | None = None) -> httpx.Response:
    """An httpx response from a case's `{"status", "headers", "json" | "body"}`."""
    content = scripted["body"].encode() if "body" in scripted else json.dumps(scripted["json"]).encode()
    return httpx.Response(scripted["status"], headers=scripted.get("headers", {}), content=content, request=request)


def settings_of(connector: Connector, case: dict[str, Any]) -> ConnectionSettings:
    return ConnectionSettings(connector, case.get("connection"), base_url=case.get("base_url"), env=case.get("env", {}))


def _prepare(connector: Connector, case: dict[str, Any]) -> dict[str, Any]:
    try:
        return {"value": validated_input(connector.operation(case["operation"]), case["input"])}
    except ConnectorError as error:
        return {"error": error_shape(error)}


def _request(connector: Connector, case: dict[str, Any]) -> dict[str, Any]:
    operation = connector.operation(case["operation"])
    return {"request": request_shape(build_request(operation.request, case["value"], settings_of(connector, case)))}


def _response(connector: Connector, case: dict[str, Any]) -> dict[str, Any]:
    operation = connector.operation(case["operation"])
    settings = settings_of(connector, case)
    response = response_of(case["response"])
    try:
        if not answers(operation, connector.errors, response):
            raise error_for(response, connector.errors, operation.key, settings.redact, case.get("now_ms"))
        return {"result": interpret(operation, case["value"], response, connector.errors)}
    except ConnectorError as error:
        error.redact(settings.redact)
        return {"error": error_shape(error)}


def _connection(connector: Connector, case: dict[str, Any]) -> dict[str, Any]:
    try:
        settings = settings_of(connector, case)
    except ConnectorError as error:
        return {"error": error_shape(error)}
    return {"base_url": settings.base_url, "headers": {name.lower(): value for name, value in settings.headers().items()}}


def _run(connector: Connector, case: dict[str, Any]) -> dict[str, Any]:
    operation, clock = connector.operation(case["operation"]), VirtualClock(case)
    plan = run_plan(connector, operation, settings_of(connector, case), case["input"], clock=clock,
                    random=clock.random, retries=case.get("retries", True))
    return _drive(plan, case, clock, lambda result: {"result": result})


def _poll(connector: Connector, case: dict[str, Any]) -> dict[str, Any]:
    """`mode` poll (default: from `state`), window (stateless, `window_ms`) or latest (the manual test)."""
    operation = connector.operation(case["operation"])
    settings, mode, clock = settings_of(connector, case), case.get("mode", "poll"), VirtualClock(case)
    timing = {"clock": clock, "random": clock.random, "retries": case.get("retries", True)}
    if mode == "poll":
        plan = poll_plan(connector, operation, settings, case["input"], PollState.from_json(case["state"]),
                         case["now_ms"], **timing)
        return _drive(plan, case, clock, lambda result: {"events": result.events, "state": result.state.to_json()})
    if mode == "window":
        plan = window_plan(connector, operation, settings, case["input"], case["now_ms"], case.get("window_ms"),
                           **timing)
    elif mode == "latest":
        plan = latest_plan(connector, operation, settings, case["input"], case["now_ms"], **timing)
    else:
        raise CaseError(f"case {case['name']!r}: unknown poll mode {mode!r}")
    return _drive(plan, case, clock, lambda result: {"events": result.events})


def _options(connector: Connector, case: dict[str, Any]) -> dict[str, Any]:
    clock = VirtualClock(case)
    plan = options_plan(connector, case["source"], settings_of(connector, case), case.get("input"), clock=clock,
                        random=clock.random, retries=case.get("retries", True))
    return _drive(plan, case, clock, lambda choices: {"choices": choices})


class VirtualClock:
    """The case's time: `now_ms`, moved on by each sleep and by `latency_ms` per request."""

    def __init__(self, case: dict[str, Any]) -> None:
        self.now = case.get("now_ms", 0)
        self.latency = case.get("latency_ms", 0)
        self.drawn = case.get("random", 0)

    def __call__(self) -> int:
        return self.now

    def random(self) -> float:
        return self.drawn

    def sleep(self, seconds: float) -> None:
        self.now += seconds * 1000

    def request(self) -> None:
        self.now += self.latency


def _drive(plan: Generator[Any, Any, Any], case: dict[str, Any], clock: VirtualClock, shape: Any) -> dict[str, Any]:
    """Answer each send from the case's responses in order and record each sleep."""
    responses = list(case["responses"])
    requests: list[dict[str, Any]] = []
    sleeps: list[float] = []

    def answer(request: Any) -> Any:
        requests.append(request_shape(request))
        if not responses:
            raise CaseError(f"case {case['name']!r}: request {len(requests)} has no scripted response")
        clock.request()
        return reply_of(responses.pop(0), request)

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        clock.sleep(seconds)

    try:
        result = shape(drive(plan, answer, sleep))
    except ConnectorError as error:
        result = {"error": error_shape(error)}
    if responses:
        raise CaseError(f"case {case['name']!r}: {len(responses)} scripted response(s) were never asked for")
    return {"requests": requests, "sleeps": sleeps, **result}


STEPS = {"prepare": _prepare, "request": _request, "response": _response, "run": _run, "poll": _poll,
         "options": _options, "connection": _connection}
