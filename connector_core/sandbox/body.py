"""What a request body must be before any endpoint reads it: declared JSON, bounded, unambiguous.

Anything on the machine can reach a sandbox, and a 500 would tell a connector's author that the
sandbox broke when it was their request that was wrong. Python's json module alone is not strict
enough for that: it accepts NaN and Infinity (not JSON), keeps the last of two equal keys without a
word (another parser keeps the first), raises RecursionError on deep nesting and ValueError on an
integer past 4,300 digits, turns 1e999 into infinity, and returns lone surrogates (``\\ud800``) that
neither UTF-8 nor SQLite can store. Each of those is a 400 (``ValidationError``) here, whose message
names the rule. The size of a body is bounded earlier, by the HTTP reader (413).
"""

from __future__ import annotations

import json
import math
from typing import Any, Final

from .exchange import ValidationError

JSON_MEDIA_TYPE: Final = "application/json"
MAX_DEPTH: Final = 32  # arrays and objects inside one another; API bodies nest a few levels
MAX_NUMBER_CHARS: Final = 100  # far more than an int64 or a double can mean
_UTF8: Final = ("utf-8", "utf8")


def require_json_content_type(header: str | None) -> None:
    """A request that carries a body must declare it JSON, in UTF-8 (the only charset JSON has)."""
    if header is None or not header.strip():
        raise ValidationError(f"Missing Content-Type header: a request body must be {JSON_MEDIA_TYPE}.")
    media_type, *params = (part.strip() for part in header.split(";"))
    if media_type.lower() != JSON_MEDIA_TYPE:
        raise ValidationError(f"Invalid Content-Type header: a request body must be {JSON_MEDIA_TYPE}.")
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in _UTF8:
            raise ValidationError("Invalid Content-Type header: the charset of a JSON body must be utf-8.")


def decode_json(body: bytes) -> Any:
    """The JSON value of `body`, or a ValidationError saying which rule it broke."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError("Invalid JSON body: not UTF-8.") from None
    try:
        value = json.loads(text, object_pairs_hook=_object, parse_int=_integer, parse_float=_float,
                           parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"Invalid JSON body: {exc.msg} at line {exc.lineno} column {exc.colno}.") from None
    except RecursionError:
        raise _too_deep() from None
    _check_depth_and_strings(value)
    return value


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise ValidationError(f"Invalid JSON body: duplicate key {_quoted(key)} in one object.")
        obj[key] = value
    return obj


def _integer(literal: str) -> int:
    _check_length(literal)
    return int(literal)


def _float(literal: str) -> float:
    _check_length(literal)
    value = float(literal)
    if not math.isfinite(value):
        raise ValidationError(f"Invalid JSON body: the number {literal[:20]} is out of range for a double.")
    return value


def _constant(literal: str) -> Any:
    raise ValidationError(f"Invalid JSON body: {literal} is not a JSON value.")


def _check_length(literal: str) -> None:
    if len(literal) > MAX_NUMBER_CHARS:
        raise ValidationError(f"Invalid JSON body: a number literal is longer than {MAX_NUMBER_CHARS} characters.")


def _check_depth_and_strings(value: Any) -> None:
    """Walk without recursion: depth within MAX_DEPTH, every key and string encodable as UTF-8."""
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, (dict, list)):
            if depth >= MAX_DEPTH:
                raise _too_deep()
            children = [*item, *item.values()] if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise ValidationError("Invalid JSON body: a string holds a lone surrogate (\\ud800 to \\udfff).") from None


def _too_deep() -> ValidationError:
    return ValidationError(f"Invalid JSON body: arrays and objects nested deeper than {MAX_DEPTH} levels.")


def _quoted(key: str) -> str:
    """The key as a JSON string (ASCII, so even a lone surrogate is shown safely), cut to 40 characters."""
    return json.dumps(key if len(key) <= 40 else key[:37] + "...")
