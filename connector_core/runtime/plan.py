"""Sans-I/O execution plans shared by the sync and async clients.

A plan is a generator that yields what it needs done (send an `httpx.Request`, or `Sleep`) and
receives the response; it returns the operation's result. All decisions (validation, request
building, retries, extraction) live here once; the clients only perform I/O.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any, Union

import httpx

from connector_core.runtime.connection import ConnectionSettings
from connector_core.runtime.errors import InputValidationError, RateLimitError
from connector_core.runtime.inputs import prepare_input
from connector_core.runtime.request import build_request
from connector_core.runtime.response import dig, error_for, extract_list, interpret, retry_after_seconds
from connector_core.spec.models import Connector, Operation


@dataclass(frozen=True)
class Sleep:
    seconds: float


Step = Union[httpx.Request, Sleep]
Plan = Generator[Step, Any, Any]


def validated_input(operation: Operation, raw: Any) -> dict[str, Any]:
    """The input ready to send, or InputValidationError naming every broken field rule."""
    value, problems = prepare_input(operation.input, raw if raw is not None else {},
                                    strip=operation.request.strip_empty)
    if problems:
        raise InputValidationError(operation.key, problems)
    return value


def send(connector: Connector, name: str, settings: ConnectionSettings,
         request: httpx.Request) -> Generator[Step, Any, httpx.Response]:
    """Send with bounded exponential backoff on rate limits and temporary failures.

    A Retry-After longer than the policy's `max_delay` is not waited out: the typed error is
    raised at once, carrying the delay, so the caller (or platform) can schedule the retry.
    """
    errors, policy = connector.errors, connector.retry
    attempt = 1
    while True:
        response: httpx.Response = yield request
        if response.is_success:
            return response
        status = response.status_code
        retryable = status in errors.rate_limit or status in errors.temporary
        if not retryable or attempt >= policy.max_attempts:
            raise error_for(response, errors, name, settings.redact)
        delay = min(policy.base_delay * 2 ** (attempt - 1), policy.max_delay)
        if status in errors.rate_limit:
            asked = retry_after_seconds(response, errors.retry_after_header)
            if asked is not None and asked > policy.max_delay:
                raise error_for(response, errors, name, settings.redact)
            delay = max(delay, asked or 0.0)
        yield Sleep(delay)
        attempt += 1


def run_plan(connector: Connector, operation: Operation, settings: ConnectionSettings, raw: Any) -> Plan:
    """One action, search or test: validate, send, interpret."""
    value = validated_input(operation, raw)
    request = build_request(operation.request, value, settings)
    response = yield from send(connector, operation.key, settings, request)
    return interpret(operation, value, response)


def options_plan(connector: Connector, name: str, settings: ConnectionSettings) -> Plan:
    """The choices of an option source, as `{"value", "label"}` pairs."""
    source = connector.option_source(name)
    request = build_request(source.request, {}, settings)
    response = yield from send(connector, name, settings, request)
    return [{"value": dig(record, source.value), "label": dig(record, source.label_field)}
            for record in extract_list(source.response, response, name)]


__all__ = ["Plan", "RateLimitError", "Sleep", "Step", "options_plan", "run_plan", "send", "validated_input"]
