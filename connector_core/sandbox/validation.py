"""Rejecting untrusted input with one precise message: the engine's part, shared by personalities.

Real APIs reject what they do not know, so the sandbox is strict: a connector that sends a
misspelt field or an unknown query parameter fails while its cassettes are being recorded, not
in a customer's workflow. A `ValidationError` (defined beside ``HttpError``, personalities import it
from here) is answered 400 with its message.
"""

from __future__ import annotations

import re
from typing import Any, Final, Iterable

from .body import decode_json
from .exchange import ValidationError

__all__ = ["ValidationError", "parse_json_object", "query_dict", "query_integer"]

_UINT: Final = re.compile(r"^\d{1,15}$")


def parse_json_object(body: bytes) -> dict[str, Any]:
    """Decode a request body that must be one JSON object (by the strict rules of ``body``)."""
    if not body.strip():
        raise ValidationError("Invalid JSON body: expected a JSON object.")
    value = decode_json(body)
    if not isinstance(value, dict):
        raise ValidationError("Invalid JSON body: expected a JSON object.")
    return value


def query_dict(pairs: Iterable[tuple[str, str]], allowed: Iterable[str]) -> dict[str, str]:
    """Reject unknown and repeated query parameters; return the rest as a dict."""
    allowed_set = set(allowed)
    out: dict[str, str] = {}
    for name, value in pairs:
        if name not in allowed_set:
            raise ValidationError(f"Unknown query parameter: {name}")
        if name in out:
            raise ValidationError(f"Duplicate query parameter: {name}")
        out[name] = value
    return out


def query_integer(query: dict[str, str], name: str, low: int, high: int | None = None) -> int | None:
    """The query parameter `name` as an integer in [low, high] (no upper bound without `high`);
    None when it is absent."""
    raw = query.get(name)
    if raw is None:
        return None
    value = int(raw) if _UINT.match(raw) else None
    if value is None or value < low or (high is not None and value > high):
        rule = f"an integer from {low} to {high}" if high is not None else f"an integer of at least {low}"
        raise ValidationError(f"Invalid value for query parameter {name}: expected {rule}.")
    return value
