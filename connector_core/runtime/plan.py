"""Sans-I/O execution plans shared by the sync and async clients (and the conformance runner).

A plan is a generator that yields what it needs done (send an `httpx.Request`, or `Sleep`) and
receives the response; it returns the operation's result. All decisions (validation, request
building, retries, extraction) live here once; the clients only perform I/O. Every error a
plan raises has the connection's secrets redacted from its message.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any, Union

import httpx

from connector_core.runtime.connection import ConnectionSettings
from connector_core.runtime.errors import ConnectorError, InputValidationError, RateLimitError
from connector_core.runtime.inputs import ordered, prepare_input
from connector_core.runtime.request import build_request, unsendable
from connector_core.runtime.response import (
    dig,
    error_for,
    interpret,
    json_body,
    keep,
    list_at,
    retry_after_seconds,
    wall_clock_ms,
)
from connector_core.spec.models import Connector, Operation


@dataclass(frozen=True)
class Sleep:
    seconds: float


Step = Union[httpx.Request, Sleep]
Plan = Generator[Step, Any, Any]
Clock = Callable[[], int]


def owned_errors(plan_function: Callable[..., Plan]) -> Callable[..., Plan]:
    """Every error the plan raises names its operation (or option source) and holds no secret."""
    @functools.wraps(plan_function)
    def plan(connector: Connector, subject: Operation | str, settings: ConnectionSettings, *args: Any,
             **kwargs: Any) -> Plan:
        try:
            return (yield from plan_function(connector, subject, settings, *args, **kwargs))
        except ConnectorError as error:
            error.operation = error.operation or (subject if isinstance(subject, str) else subject.key)
            error.redact(settings.redact)
            raise
    return plan


def validated_input(operation: Operation, raw: Any) -> dict[str, Any]:
    """The input ready to send, or InputValidationError naming every broken field rule."""
    value, problems = prepare_input(operation.input, raw if raw is not None else {},
                                    strip=operation.request.strip_empty)
    if isinstance(value, dict):
        problems = ordered(problems + unsendable(operation.request, value))
    if problems:
        raise InputValidationError(operation.key, problems)
    return value


def send(connector: Connector, name: str, settings: ConnectionSettings, request: httpx.Request, *,
         clock: Clock = wall_clock_ms, retries: bool = True) -> Generator[Step, Any, httpx.Response]:
    """Send with bounded exponential backoff on rate limits and temporary failures.

    A Retry-After longer than the policy's `max_delay` is not waited out: the typed error is
    raised at once, carrying the delay, so the caller (or platform) can schedule the retry.
    With `retries` off (a host that retries on its own) the first failure is raised.
    """
    errors, policy = connector.errors, connector.retry
    attempt = 1
    while True:
        response: httpx.Response = yield request
        if response.is_success:
            return response
        status = response.status_code
        retryable = status in errors.rate_limit or status in errors.temporary
        if not retries or not retryable or attempt >= policy.max_attempts:
            raise error_for(response, errors, name, settings.redact, clock())
        delay = min(policy.base_delay * 2 ** (attempt - 1), policy.max_delay)
        if status in errors.rate_limit:
            asked = retry_after_seconds(response, errors.retry_after_header, clock())
            if asked is not None and asked > policy.max_delay:
                raise error_for(response, errors, name, settings.redact, clock())
            delay = max(delay, asked or 0.0)
        yield Sleep(delay)
        attempt += 1


@owned_errors
def run_plan(connector: Connector, operation: Operation, settings: ConnectionSettings, raw: Any, *,
             clock: Clock = wall_clock_ms, retries: bool = True) -> Plan:
    """One action, search or test: validate, send, interpret."""
    value = validated_input(operation, raw)
    request = build_request(operation.request, value, settings)
    response = yield from send(connector, operation.key, settings, request, clock=clock, retries=retries)
    return interpret(operation, value, response)


@owned_errors
def options_plan(connector: Connector, name: str, settings: ConnectionSettings, *,
                 clock: Clock = wall_clock_ms, retries: bool = True) -> Plan:
    """The choices of an option source, as `{"value", "label"}` pairs, after its filters."""
    source = connector.option_source(name)
    request = build_request(source.request, {}, settings)
    response = yield from send(connector, name, settings, request, clock=clock, retries=retries)
    records = keep(list_at(json_body(response), source.response.path), source.response.filters, None, {})
    return [{"value": dig(record, source.value), "label": dig(record, source.label_field)} for record in records]


def drive(plan: Plan, send_request: Callable[[httpx.Request], httpx.Response],
          sleep: Callable[[float], None]) -> Any:
    """Carry out a plan synchronously: each request through `send_request`, each Sleep through `sleep`."""
    reply: Any = None
    try:
        while True:
            step = plan.send(reply)
            if isinstance(step, Sleep):
                sleep(step.seconds)
                reply = None
            else:
                reply = send_request(step)
    except StopIteration as done:
        return done.value


__all__ = ["Plan", "RateLimitError", "Sleep", "Step", "drive", "options_plan", "run_plan", "send", "validated_input"]
