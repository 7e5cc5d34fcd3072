"""Rejecting untrusted input with one precise message: the engine's part, shared by personalities.

Real APIs reject what they do not know, so the sandbox is strict: a connector that sends a
misspelt field or an unknown query parameter fails while its cassettes are being recorded, not
in a customer's workflow. A `ValidationError` is answered 400 with its message.
"""

from __future__ import annotations

import json
from typing import Any, Iterable

from .exchange import HttpError


class ValidationError(HttpError):
    """Input was rejected; ``message`` is safe to show to the API client."""

    def __init__(self, message: str) -> None:
        super().__init__(400, message)


def parse_json_object(body: bytes) -> dict[str, Any]:
    """Decode a request body that must be one JSON object."""
    if not body.strip():
        raise ValidationError("Invalid JSON body: expected a JSON object.")
    try:
        value = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValidationError("Invalid JSON body: not UTF-8.") from None
    except json.JSONDecodeError as exc:
        raise ValidationError(f"Invalid JSON body: {exc.msg} at line {exc.lineno} column {exc.colno}.") from None
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
