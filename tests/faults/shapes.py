"""What every fault test shares, the Python runtime's and the hosts': the operation shapes tried
against each fault kind, the test key and its leak check, and the connector's limits made small.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from connector_core.faults import leaked_forms

# A key that every encoding changes, each differently: '/', '+', '=', '&', '%', a space and a quote.
API_KEY = 'sk_fault/Key+7=a&b%c d9"q'
# Stalls and drips end in seconds; 2 s still leaves a loaded machine time to answer a good request.
LIMITS = {"timeout": 2.0, "deadline": 4.0, "max_response_bytes": 1_000_000}


@dataclass(frozen=True)
class Shape:
    """One operation as the retry rule sees it: a write that is not safe to re-send, the same write
    made safe by its idempotency field, a search (GET), a delete, a trigger's poll."""

    name: str
    operation: str
    input: dict[str, Any]
    safe_to_resend: bool


IDS = ("EXT-1", "job-1")  # in paths and queries: a transport error names the origin only
_JOB = {"title": "Replace the exit light", "address": "South Road, San Francisco, CA", "date": "2026-05-10"}
SHAPES = (
    Shape("create_unsafe", "create_job", _JOB, False),
    Shape("create_idempotent", "create_job", {**_JOB, "externalId": IDS[0]}, True),
    Shape("search", "find_job", {"externalId": IDS[0]}, True),
    Shape("delete", "delete_job", {"id": IDS[1]}, True),
    Shape("poll", "new_job", {}, True),
)


def leaks(texts: str | Iterable[str], key: str = API_KEY) -> list[str]:
    """The forms of the key (connector_core.faults.secret_forms) found in a text or several."""
    return leaked_forms(texts, key)


def small_limits(document: dict[str, Any], timeout: float = LIMITS["timeout"],
                 retry: dict[str, Any] | None = None) -> dict[str, Any]:
    """The runtime document with limits small enough for stalls and drips to end in seconds (and
    `timeout` for the read), its retry settings overridden by `retry` when given."""
    small = {**document, "limits": {**document.get("limits", {}), **LIMITS, "timeout": timeout}}
    if retry is not None:
        small["retry"] = {**document["retry"], **retry}
    return small
