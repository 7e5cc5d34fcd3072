"""The bodies the fault server answers with: an operation's good answer and its malformed twins.

A malformed 2xx only proves something when everything else about it is right, so each twin is made
from the operation's own good answer: the same envelope with the payload gone, or of the wrong type.
"""

from __future__ import annotations

import json
from typing import Any

LIST_EXTRACTS = ("items", "first")


def success_body(document: dict[str, Any], operation_key: str) -> bytes:
    """The operation's sample placed at its response path (in a one-item list for list paths), as
    the API would answer it."""
    operation = document["operations"][operation_key]
    response = operation["response"]
    payload: Any = operation["sample"]
    if response["extract"] in LIST_EXTRACTS:
        payload = [payload]
    for part in reversed([part for part in (response.get("path") or "").split(".") if part]):
        payload = {part: payload}
    return encode(payload)


def encode(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _envelope(body: Any) -> tuple[list[str], Any]:
    """The keys leading through single-key objects to the payload, and the payload (a list, or an
    object of several fields: a record)."""
    keys: list[str] = []
    while isinstance(body, dict) and len(body) == 1 and isinstance(next(iter(body.values())), (dict, list)):
        key = next(iter(body))
        keys.append(key)
        body = body[key]
    return keys, body


def _rebuilt(keys: list[str], payload: Any) -> Any:
    for key in reversed(keys):
        payload = {key: payload}
    return payload


def hollow(success: bytes) -> bytes:
    """The envelope without its payload (`{"data": {}}` for `{"data": {"items": [...]}}`)."""
    keys, _ = _envelope(json.loads(success))
    return encode(_rebuilt(keys[:-1], {}) if keys else {})


def mistyped(success: bytes) -> bytes:
    """The payload of the wrong type: a list becomes its first item, a record a list of itself."""
    keys, payload = _envelope(json.loads(success))
    if isinstance(payload, list):
        return encode(_rebuilt(keys, payload[0] if payload else {}))
    return encode(_rebuilt(keys, [payload]))


def error_object(message: str) -> bytes:
    """The usual shape of an API's error answer."""
    return encode({"error": {"message": message}})


def deeply_nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth
