"""How time and record ids advance.

Recordings must be repeatable, so in deterministic mode the clock is a counter
(first write at ``DETERMINISTIC_START_MS``, each later write exactly 1000 ms after
the previous one) and ids come from a counter too. Otherwise time is the wall
clock, kept strictly increasing so that ``updatedSince`` polling never misses a
write that landed in the same millisecond, and ids are random.

The sequencer is stateless: the store keeps the last timestamp and the id counter
in the database, inside the same transaction as the write, so they survive
restarts of a file-backed sandbox and can never hand out the same id twice.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

DETERMINISTIC_START_MS = 1_777_540_000_000
DETERMINISTIC_STEP_MS = 1_000


@dataclass(frozen=True)
class Sequencer:
    """Computes the next write timestamp and the next record id from stored state."""

    deterministic: bool = False

    def next_time(self, last_ms: int) -> int:
        """Timestamp for a write, given the previous write's (0 when none yet)."""
        if self.deterministic:
            if last_ms <= 0:
                return DETERMINISTIC_START_MS
            return last_ms + DETERMINISTIC_STEP_MS
        return max(time.time_ns() // 1_000_000, last_ms + 1)

    def now(self, last_ms: int) -> int:
        """The current time without writing: reads never move the deterministic clock."""
        if self.deterministic:
            return last_ms if last_ms > 0 else DETERMINISTIC_START_MS
        return max(time.time_ns() // 1_000_000, last_ms)

    def next_id(self, counter: int) -> tuple[str, int]:
        """A new 24-hex id and the advanced counter."""
        counter += 1
        if self.deterministic:
            return f"{counter:024x}", counter
        return secrets.token_hex(12), counter
