"""Injected failures, so error cassettes (429, 500, ...) can be recorded on demand.

Faults queue up in the order they were posted; each answers its ``count`` next
authenticated API requests before the next fault takes over. A request that
meets a fault has no other effect. A fault posted without a message gets the
API's own wording for its status (the personality's ``MESSAGES``).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, TypeGuard

from .validation import ValidationError

FALLBACK_MESSAGE: Final = "Sandbox fault."
_FIELDS: Final = ("status", "count", "retryAfter", "message")


@dataclass(frozen=True)
class Fault:
    status: int
    message: str
    retry_after: int | None = None

    def describe(self, count: int) -> dict[str, Any]:
        out: dict[str, Any] = {"status": self.status, "count": count, "message": self.message}
        if self.retry_after is not None:
            out["retryAfter"] = self.retry_after
        return out


def parse_fault(payload: dict[str, Any], messages: Mapping[int, str]) -> tuple[Fault, int]:
    """Validate a ``POST /_sandbox/faults`` body; returns the fault and its count."""
    for key in payload:
        if key not in _FIELDS:
            raise ValidationError(f"Unknown field fault.{key}")
    status = payload.get("status")
    if not _is_int(status) or not 400 <= status <= 599:
        raise ValidationError("Invalid value for fault.status: expected an integer from 400 to 599.")
    count = payload.get("count", 1)
    if not _is_int(count) or count < 1:
        raise ValidationError("Invalid value for fault.count: expected an integer of at least 1.")
    retry_after = payload.get("retryAfter")
    if retry_after is not None and (not _is_int(retry_after) or retry_after < 0):
        raise ValidationError("Invalid value for fault.retryAfter: expected a non-negative integer (seconds).")
    message = payload.get("message", messages.get(status, FALLBACK_MESSAGE))
    if not isinstance(message, str) or not message:
        raise ValidationError("Invalid value for fault.message: expected a non-empty string.")
    return Fault(status=status, message=message, retry_after=retry_after), count


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass
class _Pending:
    fault: Fault
    remaining: int


class FaultQueue:
    """Thread-safe queue of pending faults."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: deque[_Pending] = deque()

    def add(self, fault: Fault, count: int) -> None:
        with self._lock:
            self._pending.append(_Pending(fault, count))

    def take(self) -> Fault | None:
        """Consume one use of the head fault, if any."""
        with self._lock:
            if not self._pending:
                return None
            head = self._pending[0]
            head.remaining -= 1
            if head.remaining == 0:
                self._pending.popleft()
            return head.fault

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()

    def describe(self) -> list[dict[str, Any]]:
        with self._lock:
            return [entry.fault.describe(entry.remaining) for entry in self._pending]
