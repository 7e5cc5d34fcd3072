"""Turn a response into the operation's result, or into a typed error with the API's message."""

from __future__ import annotations

import email.utils
import json
import time
from typing import Any

import httpx

from connector_core.runtime.errors import (
    ApiError,
    AuthError,
    NotFoundError,
    RateLimitError,
    ResponseError,
    TemporaryError,
)
from connector_core.runtime.inputs import check
from connector_core.spec.models import ErrorMapping, ExactMatch, FieldFilter, Operation, ResponseMapping


def dig(data: Any, dotted: str) -> Any:
    """The value at a dotted path, or None where any part is missing; '' is the whole value."""
    if not dotted:
        return data
    for part in dotted.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def error_for(response: httpx.Response, errors: ErrorMapping, operation: str, redact=str) -> ApiError:
    """The typed error for a non-2xx response, carrying the API's own `error.message`."""
    status = response.status_code
    message = redact(api_message(response, errors) or f"{response.reason_phrase or 'error'}")
    message = " ".join(message.split())  # one line, whatever the API sent
    if status in errors.auth:
        return AuthError(status, message, operation=operation)
    if status in errors.rate_limit:
        retry_after = retry_after_seconds(response, errors.retry_after_header)
        return RateLimitError(status, message, operation=operation, retry_after=retry_after)
    if status in errors.temporary or status >= 500:
        return TemporaryError(status, message, operation=operation)
    if status == 404:
        return NotFoundError(status, message, operation=operation)
    return ApiError(status, message, operation=operation)


def api_message(response: httpx.Response, errors: ErrorMapping) -> str | None:
    try:
        message = dig(response.json(), errors.message)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return message if isinstance(message, str) and message else None


def retry_after_seconds(response: httpx.Response, header: str) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date."""
    raw = response.headers.get(header)
    if raw is None:
        return None
    raw = raw.strip()
    if raw.isdigit():
        return float(raw)
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def json_body(response: httpx.Response, name: str) -> Any:
    try:
        return response.json() if response.content else {}
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ResponseError(f"{name}: the API answered HTTP {response.status_code} with a body that is not JSON") from None


def extract_list(mapping: ResponseMapping, response: httpx.Response, name: str) -> list[Any]:
    """The list a response mapping points at (a missing list is an empty one)."""
    return _list_at(json_body(response, name), mapping.path, name)


def _list_at(body: Any, path: str, name: str) -> list[Any]:
    items = dig(body, path)
    if items is None:
        return []
    if not isinstance(items, list):
        raise ResponseError(f"{name}: expected a list at {path}")
    return items


def interpret(operation: Operation, value: dict[str, Any], response: httpx.Response, *,
              apply_filters: bool = True) -> Any:
    """The operation's output from a 2xx response, checked against its output schema."""
    result = extract(operation, value, json_body(response, operation.key), apply_filters=apply_filters)
    records = result if operation.response.returns_list else [result]
    for index, record in enumerate(records):
        problems = check(operation.output, record)
        if problems:
            where = f"item {index}" if operation.response.returns_list else "the result"
            raise ResponseError(f"{operation.key}: {where} breaks the output schema: {problems[0]}")
    return result


def extract(operation: Operation, value: dict[str, Any], body: Any, *, apply_filters: bool = True) -> Any:
    mapping: ResponseMapping = operation.response
    found = dig(body, mapping.path)
    if mapping.extract == "object":
        if not isinstance(found, dict):
            raise ResponseError(f"{operation.key}: expected an object at {mapping.path or 'the body'}")
        return found
    items = _list_at(body, mapping.path, operation.key)
    if apply_filters:
        items = keep(items, mapping.filters, mapping.match, value)
    if mapping.extract == "items":
        return items
    if items:
        return items[0]
    if mapping.empty == "input":
        return value
    raise NotFoundError(404, f"the API returned no item at {mapping.path}", operation=operation.key)


def keep(items: list[Any], filters: list[FieldFilter], match: ExactMatch | None, value: dict[str, Any]) -> list[Any]:
    """Records that pass every filter and, when declared, the exact match."""
    kept = [item for item in items if all(_passes(item, rule) for rule in filters)]
    if match is not None:
        wanted = _fold(dig(value, match.input), match.case_insensitive)
        kept = [item for item in kept
                if any(_fold(dig(item, field), match.case_insensitive) == wanted for field in match.fields)]
    return kept


def _passes(item: Any, rule: FieldFilter) -> bool:
    actual = dig(item, rule.field)
    if rule.op == "eq":
        return actual == rule.value
    if rule.op == "ne":
        return actual != rule.value
    return actual in rule.value


def _fold(item: Any, case_insensitive: bool) -> Any:
    if isinstance(item, str):
        return item.casefold() if case_insensitive else item
    return item
