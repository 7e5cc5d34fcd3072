"""Transport failures: answers a host could not get, handed to the plan to judge like a status.

A host never raises on a transport problem: it classifies it as one of FAILURE_KINDS and returns
a TransportFailure, so the plan alone decides whether to send again (docs/conformance.md, "retries
by idempotency") and how to say what happened. Messages name the request's origin, never its path
or query, so ids stay home.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from connector_core.runtime.jsontext import js_number
from connector_core.runtime.response import WHITESPACE

#: Nothing was sent: trying again cannot repeat a write.
NOT_SENT = ("connect", "tls")
#: The request may have reached the API: only a request safe to re-send is sent again.
MAYBE_ACTED = ("timeout", "reset")
FAILURE_KINDS = (*NOT_SENT, *MAYBE_ACTED, "too_large")

_ORIGIN = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)(?:[^/?#@]*@)?([^/?#]*)")


@dataclass(frozen=True)
class TransportFailure:
    """What a host hands the plan instead of a response; `detail` is the host's own text."""

    kind: str
    detail: str = ""


def known_kind(kind: str) -> str:
    """A kind the rules know; anything else may have reached the API, so it counts as `reset`."""
    return kind if kind in FAILURE_KINDS else "reset"


def origin(url: str) -> str:
    """scheme://host[:port] of a URL, without credentials, path or query."""
    found = _ORIGIN.match(url)
    return f"{found.group(1)}{found.group(2)}" if found else "the API"


def failure_message(failure: TransportFailure, url: str, timeout: float, max_bytes: int) -> str:
    """The one wording of each failure kind, the same in the JS kernel."""
    where = origin(url)
    text = WHITESPACE.sub(" ", failure.detail).strip(" ")
    detail = f": {text}" if text else ""
    kind = known_kind(failure.kind)
    if kind == "connect":
        return f"cannot connect to {where}{detail}"
    if kind == "tls":
        return f"TLS handshake with {where} failed{detail}"
    if kind == "timeout":
        return f"no answer from {where} within {js_number(timeout)} s (read timeout)"
    if kind == "reset":
        return f"the connection to {where} was closed before a complete answer"
    return f"the answer from {where} is larger than {max_bytes} bytes, the connector's limit"


def deadline_message(deadline: float) -> str:
    return f"gave up after {js_number(deadline)} s (the operation's deadline)"
