"""Sans-I/O execution plans shared by the sync and async clients (and the conformance runner).

A plan is a generator that yields what it needs done (send an `httpx.Request`, or `Sleep`) and
receives the response, or the TransportFailure a host met instead (runtime/transport.py); it
returns the operation's result. All decisions (validation, request
building, retries, extraction) live here once; the clients only perform I/O. Every error a
plan raises has the connection's secrets redacted from its message.
"""

from __future__ import annotations

import functools
import random as randomness
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any, Union

import httpx

from connector_core.runtime.budget import Budget, Clock, Random
from connector_core.runtime.connection import ConnectionSettings
from connector_core.runtime.errors import (
    ConnectorError,
    InputValidationError,
    RateLimitError,
    TemporaryError,
    TooManyResultsError,
    TransportError,
)
from connector_core.runtime.inputs import ordered, prepare_input
from connector_core.runtime.paging import page_params, with_params
from connector_core.runtime.request import build_request, unsendable
from connector_core.runtime.response import (
    answered,
    answers,
    dig,
    error_for,
    finds_nothing,
    interpret,
    json_body,
    keep,
    list_at,
    records,
    result_of,
    retry_after_seconds,
    wall_clock_ms,
)
from connector_core.runtime.transport import MAYBE_ACTED, NOT_SENT, TransportFailure, failure_message, known_kind
from connector_core.spec.models import Connector, ErrorMapping, Operation, RequestMapping


@dataclass(frozen=True)
class Sleep:
    seconds: float


Step = Union[httpx.Request, Sleep]
Plan = Generator[Step, Any, Any]

#: Methods that mean the same when sent twice (RFC 9110, 9.2.2).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"})
NOT_SENT_AGAIN = "; not sent again: the API may have carried it out"
#: The kinds whose requests only read: sending one again changes nothing.
READERS = frozenset({"search", "list", "test", "trigger"})


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
    return validated(operation.key, operation.input, operation.request, raw)


def validated(name: str, schema: dict[str, Any], mapping: RequestMapping, raw: Any) -> dict[str, Any]:
    """`raw` held to an input schema and to what `mapping` can send (an operation's or an option
    source's), or InputValidationError naming every broken field rule."""
    value, problems = prepare_input(schema, raw if raw is not None else {}, strip=mapping.strip_empty)
    if isinstance(value, dict) and not any(problem.rule == "depth" for problem in problems):  # else judged no further
        problems = ordered(problems + unsendable(mapping, value))
    if problems:
        raise InputValidationError(name, problems)
    return value


def unsafe_note(operation_input: dict[str, Any], mapping: RequestMapping, value: dict[str, Any]) -> str | None:
    """None when the request is safe to send again (its method, or a value for a field of
    `idempotent_with`); else what the error adds when the request is not sent again."""
    if mapping.method in SAFE_METHODS or any(dig(value, field) is not None for field in mapping.idempotent_with):
        return None
    if not mapping.idempotent_with:
        return NOT_SENT_AGAIN
    titles = " or ".join(field_title(operation_input, field) for field in mapping.idempotent_with)
    return f"{NOT_SENT_AGAIN} (give {titles} to make a retry safe)"


def resend_note(operation: Operation, value: dict[str, Any]) -> str | None:
    """None when the operation's request is safe to send again: a search, list, test or a trigger's
    poll only reads, whatever its method (an API may take every call as a POST); an action by
    `unsafe_note`."""
    return None if operation.kind in READERS else unsafe_note(operation.input, operation.request, value)


def field_title(schema: dict[str, Any], dotted: str) -> str:
    """The title a user knows a field by, else its name."""
    for name in dotted.split("."):
        properties = schema.get("properties") if isinstance(schema, dict) else None
        schema = properties.get(name) if isinstance(properties, dict) else None
    title = schema.get("title") if isinstance(schema, dict) else None
    return title if isinstance(title, str) and title else dotted


def retry_class(reply: httpx.Response, error: ConnectorError, errors: ErrorMapping) -> tuple[bool, bool]:
    """(always, if_safe) for an error answer: retried for any request, or only for one safe to send
    again. A rate-limit or temporary code in a 2xx body: the API says it did nothing, so any request
    may retry."""
    if reply.is_success:
        return isinstance(error, (RateLimitError, TemporaryError)), False
    return reply.status_code in errors.rate_limit, reply.status_code in errors.temporary


def send(connector: Connector, name: str, settings: ConnectionSettings, request: httpx.Request, budget: Budget, *,
         unsafe: str | None = None, retries: bool = True,
         operation: Operation | None = None) -> Generator[Step, Any, httpx.Response]:
    """Send, and send again while attempts and the deadline allow, by the rule of idempotency.

    A rate limit and a failure before anything was sent (connect, tls) are always retried; a
    temporary status, a timeout or a reset only when the request is safe to re-send (`unsafe` is
    None), else the error is raised at once, ending with `unsafe`, as `may_have_succeeded`. A
    rate-limit or temporary status code in a 2xx body (`errors.body_status`) is retried for any
    request: the API says it did nothing.
    Retry-After is honoured on every retried status; one longer than `max_delay`, or a sleep
    that would end past the deadline, raises the error instead. With `retries` off (a host that
    retries on its own) the first failure is raised. The response is returned when it is the
    answer: `answered`, or, for a search or list `operation`, nothing found (`answers`).
    """
    errors, policy = connector.errors, connector.retry
    attempt = 1
    while True:
        timeout = budget.stamp(request)
        reply: httpx.Response | TransportFailure = yield request
        asked: float | None = None
        if isinstance(reply, TransportFailure):
            kind = known_kind(reply.kind)
            message = failure_message(reply, str(request.url), timeout, budget.limits.max_response_bytes)
            error: ConnectorError = TransportError(message, failure=kind)
            always, if_safe = kind in NOT_SENT, kind in MAYBE_ACTED
        elif answers(operation, errors, reply) if operation else answered(reply, errors):
            return reply
        else:
            error = error_for(reply, errors, name, settings.redact, budget.clock())
            always, if_safe = retry_class(reply, error, errors)
            if not reply.is_success and (always or if_safe):
                asked = retry_after_seconds(reply, errors.retry_after_header, budget.clock())
        if if_safe and not always and unsafe is not None:
            error.message += unsafe
            error.may_have_succeeded = True
            raise error
        if not retries or not (always or if_safe) or attempt >= policy.max_attempts:
            raise error
        if asked is not None and asked > policy.max_delay:
            error.retry_after = asked
            raise error
        backoff = min(policy.base_delay * 2 ** (attempt - 1), policy.max_delay) * (1 - policy.jitter * budget.random())
        delay = max(backoff, asked or 0.0)
        if not budget.fits(delay):
            raise error
        yield Sleep(delay)
        attempt += 1


@owned_errors
def run_plan(connector: Connector, operation: Operation, settings: ConnectionSettings, raw: Any, *,
             clock: Clock = wall_clock_ms, random: Random = randomness.random, retries: bool = True) -> Plan:
    """One action, search, list or test: validate, send (page after page with `request.pagination`),
    interpret."""
    budget = Budget.start(connector.limits, clock, random)
    value = validated_input(operation, raw)
    unsafe = resend_note(operation, value)

    def sending(mapping: RequestMapping) -> Generator[Step, Any, httpx.Response]:
        return send(connector, operation.key, settings, build_request(mapping, value, settings), budget,
                    unsafe=unsafe, retries=retries, operation=operation)

    paging = operation.request.pagination
    if paging is None:
        return interpret(operation, value, (yield from sending(operation.request)), connector.errors)
    found: list[Any] = []
    for page in range(paging.max_pages):
        response = yield from sending(with_params(operation.request, page_params(paging, page * paging.page_size)))
        if finds_nothing(operation, connector.errors, response):
            break  # nothing found on the first page; the end of the list on a later one
        on_page = records(operation, json_body(response))
        found += on_page
        if len(on_page) < paging.page_size:
            break
    else:
        raise TooManyResultsError(f"more than {paging.max_pages * paging.page_size} records: narrow the search")
    return result_of(operation, value, found)


@owned_errors
def options_plan(connector: Connector, name: str, settings: ConnectionSettings, value: Any = None, *,
                 clock: Clock = wall_clock_ms, random: Random = randomness.random, retries: bool = True) -> Plan:
    """The choices of an option source, as `{"value", "label"}` pairs, after its filters. A source
    with an `input` (a customer's jobs) reads `value`, the other fields of the form, held to that
    input's schema first: nothing is sent while a rule is broken."""
    source = connector.option_source(name)
    given = validated(name, source.input, source.request, value)
    request = build_request(source.request, given, settings)
    response = yield from send(connector, name, settings, request, Budget.start(connector.limits, clock, random),
                               unsafe=unsafe_note(source.input, source.request, given), retries=retries)
    listed = keep(list_at(json_body(response), source.response.path), source.response.filters, None, {})
    return [{"value": dig(record, source.value), "label": dig(record, source.label_field)} for record in listed]


def drive(plan: Plan, send_request: Callable[[httpx.Request], httpx.Response | TransportFailure],
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


__all__ = ["Clock", "Plan", "RateLimitError", "Sleep", "Step", "drive", "options_plan", "run_plan", "send",
           "validated_input"]
