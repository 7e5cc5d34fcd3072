"""What the Zapier and n8n fault tests share: the cases (every fault kind x every operation shape of
tests/faults/shapes.py, with its key, leak check and small limits) and the judgement of one run.

The hosts run plans with retries off (their platforms retry whole runs), so a correct host sends
one request per run whatever the fault (`expected(..., host_retries=True)`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from connector_core.faults import FAULT_KINDS, FaultServer, expected
from tests.faults.shapes import API_KEY, IDS, LIMITS, SHAPES, Shape, leaks, small_limits

__all__ = ["API_KEY", "CASES", "SHAPES", "HostOutcome", "Shape", "case_id", "leaks", "problems", "small_limits"]

TIME_BOUND_S = LIMITS["deadline"] + 4  # a run ends within its deadline; 4 s for a loaded machine
MAY_HAVE_ACTED = "may have carried it out"  # the kernel's words when a write is not sent again
CASES = [(kind, shape) for kind in FAULT_KINDS for shape in SHAPES]


def case_id(kind: str, shape: Shape) -> str:
    return f"{kind}-{shape.name}"


@dataclass(frozen=True)
class HostOutcome:
    """One run on a host, as the judgement needs it: the kernel's error kind ("ok" for a result),
    the message a user sees, every text the error holds (its message, description, JSON, all of
    it) and how long the run took."""

    kind: str
    message: str
    texts: list[str]
    elapsed_s: float


def problems(kind: str, shape: Shape, outcome: HostOutcome, server: FaultServer,
             document: dict[str, Any]) -> list[str]:
    """What the host did wrong with `kind` for `shape` of `document` (empty when it did everything
    right). An operation whose answer may hold no item (`response.empty == "input"`) is done when
    the item's path is empty."""
    item_optional = document["operations"][shape.operation]["response"].get("empty") == "input"
    expectation = expected(FAULT_KINDS[kind], safe_to_resend=shape.safe_to_resend, host_retries=True,
                           item_optional=item_optional)
    found = []
    if outcome.kind != expectation.outcome:
        found.append(f"outcome {outcome.kind} ({outcome.message!r}), expected {expectation.outcome}")
    if len(server.received) > expectation.max_requests:
        found.append(f"{len(server.received)} requests, at most {expectation.max_requests} allowed")
    if server.other_received:
        found.append(f"{len(server.other_received)} request(s) reached the other origin")
    if (MAY_HAVE_ACTED in outcome.message) != expectation.may_have_succeeded:
        found.append(f"the message {'does not say' if expectation.may_have_succeeded else 'says'} "
                     f"the API may have acted: {outcome.message!r}")
    if outcome.kind == "TransportError" and any(value in outcome.message for value in IDS):
        found.append(f"the transport error names more than the origin: {outcome.message!r}")
    if leaked := leaks(outcome.texts):
        found.append(f"the key leaked into the error ({', '.join(leaked)})")
    if outcome.elapsed_s > TIME_BOUND_S:
        found.append(f"took {outcome.elapsed_s:.1f} s, more than {TIME_BOUND_S} s")
    return found
