"""Rejecting untrusted input with one precise message: the engine's part, shared by personalities.

Real APIs reject what they do not know, so the sandbox is strict: a connector that sends a
misspelt field or an unknown query parameter fails while its cassettes are being recorded, not
in a customer's workflow. A `ValidationError` (defined beside ``HttpError``, personalities import it
from here) is answered 400 with its message.
"""

from __future__ import annotations

from typing import Any, Iterable

from .body import decode_json
from .exchange import ValidationError

__all__ = ["ValidationError", "parse_json_object", "query_dict"]


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
