"""Turn a response into the operation's result, or into a typed error with the API's message."""

from __future__ import annotations

import calendar
import json
import math
import re
import time
from collections.abc import Callable
from typing import Any

import httpx

from connector_core.runtime.errors import (
    ApiError,
    AuthError,
    ConnectorError,
    NotFoundError,
    RateLimitError,
    ResponseError,
    TemporaryError,
)
from connector_core.runtime.inputs import check
from connector_core.runtime.jsontext import json_equal, show
from connector_core.runtime.timestamps import stamped
from connector_core.spec.models import BodyStatus, ErrorMapping, ExactMatch, FieldFilter, Operation, ResponseMapping

NO_MESSAGE = "no error message from the API"
DELTA_SECONDS = re.compile(r"[0-9]+(\.[0-9]+)?")
HTTP_DATE = re.compile(r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), ([0-9]{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                       r"([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) GMT")
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
# What reading a body as JSON raises when it is not JSON both runtimes read alike (`parse_json`):
# ValueError (malformed, not UTF-8, NaN, a number past a double's range, nested past MAX_DEPTH) or
# RecursionError (nested past Python's stack, which is deeper than MAX_DEPTH).
NOT_JSON = (ValueError, RecursionError)
MAX_DEPTH = 512
#: The kinds that find records: for them a status in `errors.not_found` is an answer, nothing found.
FINDERS = frozenset({"search", "list"})
ARRAY_INDEX = re.compile("0|[1-9][0-9]*")
#: Lists and objects in an error message deeper than this say nothing.
MESSAGE_DEPTH = 32
#: A non-JSON error body at most this long (in characters, on one line) is the message.
PLAIN_TEXT_LIMIT = 300
WHITESPACE = re.compile("[\t\n\x0b\x0c\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+")


def wall_clock_ms() -> int:
    return int(time.time() * 1000)


def dig(data: Any, dotted: str) -> Any:
    """The value at a dotted path, or None where any part is missing; '' is the whole value."""
    if not dotted:
        return data
    for part in dotted.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def where(path: str) -> str:
    return path or "the body"


def what(value: Any) -> str:
    """What an answer held where the spec expects something else, in words (JSON's types)."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    return "a string" if isinstance(value, str) else "a number"


def parse_json(content: bytes) -> Any:
    """The body as JSON, read as JavaScript's JSON.parse reads it (no NaN or Infinity, every number
    a finite double) and at most MAX_DEPTH arrays and objects deep; else ValueError. The JS kernel
    reads the same bodies the same way, so no answer means one thing to one runtime and another to
    the other."""
    value = json.loads(content, parse_constant=_no_constant)
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > MAX_DEPTH:
                raise ValueError(f"nested deeper than {MAX_DEPTH} levels")
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
        elif isinstance(item, float) and not math.isfinite(item):
            raise ValueError("a number past a double's range")
        elif isinstance(item, int) and not isinstance(item, bool) and not _fits_a_double(item):
            raise ValueError("a number past a double's range")
    return value


def _fits_a_double(number: int) -> bool:
    try:
        float(number)
    except OverflowError:
        return False
    return True


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def answered(response: httpx.Response, errors: ErrorMapping) -> bool:
    """Whether a response is the operation's answer: 2xx, and nothing in its body saying otherwise
    (an error object at `errors.body_error`, a status at `errors.body_status` outside `ok`): an API
    that reports some failures with 200 would otherwise pass them off as success."""
    if not response.is_success:
        return False
    if errors.body_error is None and errors.body_status is None:
        return True
    try:
        body = parse_json(response.content)
    except NOT_JSON:
        return True  # not JSON: no error object or status; extraction reports the body
    if errors.body_error is not None:
        return dig(body, errors.body_error) is None
    return not isinstance(body, dict) or any(json_equal(dig(body, errors.body_status.field), ok)
                                             for ok in errors.body_status.ok)


def finds_nothing(operation: Operation, errors: ErrorMapping, response: httpx.Response) -> bool:
    """Whether a search or list was answered "nothing found" (a status in `errors.not_found`, such as
    a 404 for an ID the API does not know): its result, not an error. An action's 404 stays an error."""
    return operation.kind in FINDERS and response.status_code in errors.not_found


def answers(operation: Operation, errors: ErrorMapping, response: httpx.Response) -> bool:
    """Whether a response is the operation's result to read (`answered`, or nothing found), not an error."""
    return answered(response, errors) or finds_nothing(operation, errors, response)


def nothing_found(operation: Operation) -> Any:
    """What a search or list returns when nothing is found: no records (`items`), else no record."""
    return [] if operation.response.extract == "items" else None


def error_for(response: httpx.Response, errors: ErrorMapping, operation: str, redact: Callable[[str], str] = str,
              now_ms: int | None = None) -> ConnectorError:
    """The typed error for a response that is not an answer (see `answered`), carrying the API's own
    message on one line, and the spec's advice for its status."""
    status = response.status_code
    if response.is_success and errors.body_status is not None:
        return body_status_error(parse_json(response.content), errors.body_status, status, operation)
    # Redact before collapsing white space: a collapsed echo of the key no longer equals the key.
    message = one_line(redact(api_message(response, errors) or "")) or NO_MESSAGE
    message += "".join(f"; {advice.message}" for advice in errors.advice if advice.status == status)
    if status in errors.auth:
        return AuthError(status, message, operation=operation)
    if status in errors.rate_limit:
        retry_after = retry_after_seconds(response, errors.retry_after_header, now_ms)
        return RateLimitError(status, message, operation=operation, retry_after=retry_after)
    if status in errors.temporary or status >= 500:
        return TemporaryError(status, message, operation=operation)
    if status in errors.not_found:
        return NotFoundError(status, message, operation=operation)
    return ApiError(status, message, operation=operation)


#: The error a status code in a 2xx body makes, by the kind the spec gives the code.
BODY_STATUS_ERRORS: dict[str, type[ApiError]] = {"auth": AuthError, "rate_limit": RateLimitError,
                                                 "temporary": TemporaryError, "api": ApiError}


def body_status_error(body: Any, mapping: BodyStatus, status: int, operation: str) -> ConnectorError:
    """The error of a 2xx JSON object whose status field is not `ok`: "<meaning> (status <code>)" for a
    listed code, "status <code>" for any other; an answer without the field, or with a list or an
    object there, is drift."""
    value = dig(body, mapping.field)
    if value is None or isinstance(value, (dict, list)):
        return ResponseError(f"the answer has no status at {mapping.field} (got {what(value)})")
    listed = next((code for code in mapping.codes if json_equal(code.code, value)), None)
    message = f"{listed.message} (status {show(value)})" if listed else f"status {show(value)}"
    kind = BODY_STATUS_ERRORS[listed.kind if listed else "api"]
    error = (RateLimitError(status, message, operation=operation, retry_after=None) if kind is RateLimitError
             else kind(status, message, operation=operation))
    error.code = value
    return error


def one_line(text: str) -> str:
    """Runs of white space as one space, trimmed: a message is one line."""
    return WHITESPACE.sub(" ", text).strip(" ")


def api_message(response: httpx.Response, errors: ErrorMapping) -> str | None:
    """The text at the first of the spec's message paths that holds any (`rendered`); for a body that
    is not JSON, the body itself when it is short plain text (`HTTP Basic: Access denied.`)."""
    try:
        body = parse_json(response.content)
    except NOT_JSON:
        return plain_text(response)
    for path in errors.message_paths:
        text = rendered(dig(body, path))
        if one_line(text):
            return text
    return None


def rendered(value: Any, depth: int = 0) -> str:
    """An API's message as text: a string as it is; a list as its items' texts joined by "; " (", "
    inside another value); an object as "<key>: <its value's text>" joined by "; ", keys in the order
    JavaScript reads them (`{"errors": {"starts_at": ["can't be blank"]}}` -> "starts_at: can't be
    blank"). Anything else, an entry whose text is empty, and a list or object nested more than
    MESSAGE_DEPTH levels (no message is, and a hostile answer must not exhaust the stack) say nothing."""
    if isinstance(value, str):
        return value
    if depth > MESSAGE_DEPTH:
        return ""
    if isinstance(value, list):
        texts = [rendered(item, depth + 1) for item in value]
        return ("; " if depth == 0 else ", ").join(text for text in texts if text)
    if isinstance(value, dict):
        texts = [(key, rendered(value[key], depth + 1)) for key in js_key_order(value)]
        return "; ".join(f"{key}: {text}" for key, text in texts if text)
    return ""


def js_key_order(value: dict[str, Any]) -> list[str]:
    """An object's keys as JavaScript enumerates them: array indices (`"0"`, `"12"`) ascending first,
    then the others in the order received."""
    indices = {key for key in value if ARRAY_INDEX.fullmatch(key) and int(key) < 2**32 - 1}
    return sorted(indices, key=int) + [key for key in value if key not in indices]


def plain_text(response: httpx.Response) -> str | None:
    """A short plain-text error body as the message: `text/plain` or no content type, at most
    PLAIN_TEXT_LIMIT characters once on one line."""
    media = (response.headers.get("content-type") or "text/plain").split(";")[0].strip().lower()
    text = one_line(response.content.decode("utf-8", errors="replace"))
    return text if media == "text/plain" and 0 < len(text) <= PLAIN_TEXT_LIMIT else None


def retry_after_seconds(response: httpx.Response, header: str, now_ms: int | None = None) -> float | None:
    """Retry-After as seconds: delta seconds (decimals allowed) or an HTTP date counted from `now`;
    anything else (negative, text) is no value."""
    raw = (response.headers.get(header) or "").strip()
    if DELTA_SECONDS.fullmatch(raw):
        return float(raw)
    when = http_date_ms(raw)
    if when is None:
        return None
    now = wall_clock_ms() if now_ms is None else now_ms
    return max(0.0, (when - now) / 1000)


def http_date_ms(text: str) -> int | None:
    """Epoch milliseconds of an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), or None."""
    date = HTTP_DATE.fullmatch(text.strip())
    if not date:
        return None
    day, month, year, hour, minute, second = date.groups()
    return calendar.timegm((int(year), MONTHS.index(month) + 1, int(day), int(hour), int(minute), int(second))) * 1000


def json_body(response: httpx.Response) -> Any:
    """The body as JSON; an empty body is null."""
    if not response.content:
        return None
    try:
        return parse_json(response.content)
    except NOT_JSON:
        raise ResponseError(f"the API answered HTTP {response.status_code} with a body that is not JSON") from None


def list_at(body: Any, path: str) -> list[Any]:
    """The list a response mapping points at; an answer without it is drift, never an empty result
    (a search that read `[]` from `{"data": {}}` would let search-or-create create a duplicate)."""
    items = dig(body, path)
    if not isinstance(items, list):
        raise ResponseError(f"the answer has no list at {where(path)} (got {what(items)})")
    return items


def records(operation: Operation, body: Any) -> list[Any]:
    """Every record the body holds for the operation, as the API sent it, each held to the output
    schema as the operation returns it (its derived timestamps set: the API need not send them)."""
    mapping = operation.response
    if mapping.extract == "object":
        found = dig(body, mapping.path)
        if not isinstance(found, dict):
            raise ResponseError(f"the answer has no object at {where(mapping.path)} (got {what(found)})")
        found_records = [found]
    elif mapping.empty == "input" and dig(body, mapping.path) is None:
        found_records = []  # the answer with no item that `empty: input` declares (a delete)
    else:
        found_records = list_at(body, mapping.path)
    for index, record in enumerate(found_records):
        problems = check(operation.output, stamped(operation.output, record))
        if problems:
            name = "the result" if mapping.extract == "object" else f"item {index}"
            raise ResponseError(f"{name} breaks the output schema: {problems[0]}")
    return found_records


def interpret(operation: Operation, value: dict[str, Any], response: httpx.Response, errors: ErrorMapping) -> Any:
    """The operation's output from its answer (see `answers`), derived timestamps set. A search or list
    may find nothing (`nothing_found`)."""
    if finds_nothing(operation, errors, response):
        return nothing_found(operation)
    return result_of(operation, value, records(operation, json_body(response)))


def result_of(operation: Operation, value: dict[str, Any], found: list[Any]) -> Any:
    """The operation's output from every record its answer (or its pages) held: the object, the
    records the filters and the match keep, or the first of them. An action's answer without its
    record is drift, not a 404 the API never sent."""
    mapping: ResponseMapping = operation.response
    if mapping.extract == "object":
        return stamped(operation.output, found[0])
    items = keep(found, mapping.filters, mapping.match, value)
    if mapping.extract == "items":
        return [stamped(operation.output, item) for item in items]
    if items:
        return stamped(operation.output, items[0])
    if mapping.empty == "input":
        return value
    if operation.kind in FINDERS:
        return nothing_found(operation)
    left = "an empty list" if not found else "no record the filters keep"
    raise ResponseError(f"the answer has no item at {where(mapping.path)} (got {left})")


def keep(items: list[Any], filters: list[FieldFilter], match: ExactMatch | None, value: dict[str, Any]) -> list[Any]:
    """Records that pass every filter and, when declared, the exact match."""
    kept = [item for item in items if all(passes(item, rule) for rule in filters)]
    if match is not None:
        wanted = _lower(dig(value, match.input), match.case_insensitive)
        kept = [item for item in kept
                if any(json_equal(_lower(dig(item, field), match.case_insensitive), wanted) for field in match.fields)]
    return kept


def passes(item: Any, rule: FieldFilter) -> bool:
    """A filter compares by JSON equality (`true` is not `1`)."""
    actual = dig(item, rule.field)
    if rule.op == "eq":
        return json_equal(actual, rule.value)
    if rule.op == "ne":
        return not json_equal(actual, rule.value)
    return any(json_equal(actual, option) for option in rule.value)


def _lower(item: Any, case_insensitive: bool) -> Any:
    """The Unicode default lower-case mapping (JavaScript's toLowerCase), never casefold."""
    return item.lower() if case_insensitive and isinstance(item, str) else item
