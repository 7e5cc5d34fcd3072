"""What the simulation drives: one trigger switched on in one host (interfaces §5).

A poller is given the client's time and never reads a clock, so a scenario can skew it, pause it and
replay it exactly. It returns the events the USER receives, after the host's own dedupe (Zapier's
primary keys, Make's trigger id/date, n8n's static data), because that is what "lost" and
"duplicated" are about. Each platform plugin builds its poller with `Platform.poller(...)`
(connector_core/platforms.py, `Polling`).
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Poller(Protocol):
    """One trigger switched on in one host, polling a server. Client time is given, never read.

    Optional class attributes, each the host's documented behaviour (EXPECTED.md):
    - `paused_events`: what the host owes the user for what happened while the trigger was switched
      off: "required" (the default: it resumes from its state), "allowed" (no promise either way) or
      "excluded" (it must not fire for them).
    - `same_key_is_same_event`: True when the host itself drops an item whose dedupe_key values it
      has seen, whatever its content (Zapier's primary keys); a version repeating an earlier version's
      dedupe_key values is then not owed. Default False.
    - `baseline_clock`: "server" (the default: the first switch-on's baseline is that moment) or
      "host" (the host stores its own clock's time at the first switch-on and compares records'
      stamps with it, as Make's "From now on" does): with "host", a record stamped on one side of
      that time and committed on the other straddles the activation (allowed), however skewed the
      host's clock is.
    """

    def activate(self, now_ms: int) -> list[dict[str, Any]]:
        """Switch on, with the host's own first-activation behaviour; the events it emits (usually none)."""

    def poll(self, now_ms: int, *, crash: bool = False) -> list[dict[str, Any]]:
        """One scheduled poll at client time `now_ms`; the events the user receives.

        crash=True: the host dies after fetching and before saving its state. It returns [] and the
        next poll starts from the old state.
        """

    def deactivate(self) -> None:
        """Switch off (state kept or dropped as the host does); no polls until `activate` again."""

    def close(self) -> None:
        """Release the host (child process, temporary files)."""


def paused_events(poller: object) -> str:
    """The poller's `paused_events`, "required" when it declares none."""
    declared = str(getattr(poller, "paused_events", "required"))
    if declared not in ("required", "allowed", "excluded"):
        raise ValueError(f"{type(poller).__name__}.paused_events is {declared!r}: required, allowed or excluded")
    return declared


def same_key_is_same_event(poller: object) -> bool:
    """The poller's `same_key_is_same_event`, False when it declares none."""
    return bool(getattr(poller, "same_key_is_same_event", False))


def baseline_clock(poller: object) -> str:
    """The poller's `baseline_clock`, "server" when it declares none."""
    declared = str(getattr(poller, "baseline_clock", "server"))
    if declared not in ("server", "host"):
        raise ValueError(f"{type(poller).__name__}.baseline_clock is {declared!r}: server or host")
    return declared
