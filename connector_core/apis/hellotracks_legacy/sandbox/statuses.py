"""The API's application status codes: what each means, and the ones a recording injects.

The legacy API answers most errors with HTTP 200 and a negative ``status`` in the body. Endpoints
raise ``StatusError``; ``POST /_sandbox/statuses`` queues codes (-7 not ready, -9 throttling, ...)
that the next API requests answer instead of running, the body-status twin of the engine's HTTP
faults. The queue lives in the store, so a reset drops it like every other row.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Final

from connector_core.sandbox.validation import ValidationError

#: The API's wording of each documented status (the sandbox's `message` beside the code).
STATUS_MESSAGES: Final[dict[int, str]] = {
    -1: "Format error: invalid or malformed request data.",
    -2: "User unknown: the requested user or account could not be found.",
    -3: "Authentication failed.",
    -4: "User already exists.",
    -5: "Permission denied: the account lacks the required permissions.",
    -6: "Unregistered.",
    -7: "Not ready: retry later.",
    -8: "Invalid, missing, or disabled API key.",
    -9: "Throttling: rate limit exceeded, slow down requests.",
    -10: "Clock mismatch in the request timestamp.",
    -11: "Data error: the request data is incorrect.",
    -12: "Force logout: the session is no longer valid.",
    -99: "Unknown request.",
}

SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS injected_statuses (
    position INTEGER PRIMARY KEY,
    status INTEGER NOT NULL,
    remaining INTEGER NOT NULL
);
"""


class StatusError(Exception):
    """Answer with HTTP 200 and this status; `detail` says which field broke which rule."""

    def __init__(self, code: int, detail: str | None = None) -> None:
        super().__init__(detail or STATUS_MESSAGES[code])
        self.code = code
        self.detail = detail or STATUS_MESSAGES[code]

    def body(self) -> dict[str, Any]:
        return {"status": self.code, "message": self.detail}


def format_error(detail: str) -> StatusError:
    return StatusError(-1, f"Format error: {detail}")


def parse_injection(payload: dict[str, Any]) -> tuple[int, int]:
    """Validate a ``POST /_sandbox/statuses`` body: ``{"status": -7, "count": 2}``."""
    for key in payload:
        if key not in ("status", "count"):
            raise ValidationError(f"Unknown field injection.{key}")
    status, count = payload.get("status"), payload.get("count", 1)
    if not _is_int(status) or status == 0:
        raise ValidationError("Invalid value for injection.status: expected a non-zero integer.")
    if not _is_int(count) or count < 1:
        raise ValidationError("Invalid value for injection.count: expected an integer of at least 1.")
    return status, count


def inject(conn: sqlite3.Connection, status: int, count: int) -> None:
    conn.execute("INSERT INTO injected_statuses (status, remaining) VALUES (?, ?)", (status, count))


def take(conn: sqlite3.Connection) -> StatusError | None:
    """Consume one use of the oldest injected status, if any."""
    row = conn.execute("SELECT position, status, remaining FROM injected_statuses ORDER BY position LIMIT 1").fetchone()
    if row is None:
        return None
    if row["remaining"] > 1:
        conn.execute("UPDATE injected_statuses SET remaining = remaining - 1 WHERE position = ?", (row["position"],))
    else:
        conn.execute("DELETE FROM injected_statuses WHERE position = ?", (row["position"],))
    code = row["status"]
    return StatusError(code, STATUS_MESSAGES.get(code, f"Status {code}."))


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
