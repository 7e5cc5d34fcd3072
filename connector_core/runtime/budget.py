"""One operation's budget on the host's clock: its deadline, and the limits each request carries.

A plan starts its budget once (a poll's pages and every retry share it), stamps each request with
its timeout (the spec's per-request timeout, never past the deadline) and its size cap, and asks
it before every back-off sleep whether the sleep still fits.
"""

from __future__ import annotations

import random as randomness
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from connector_core.runtime.errors import TransportError
from connector_core.runtime.transport import deadline_message
from connector_core.spec.models import Limits

Clock = Callable[[], int]
Random = Callable[[], float]


@dataclass(frozen=True)
class Budget:
    limits: Limits
    clock: Clock
    random: Random
    started_at: int

    @classmethod
    def start(cls, limits: Limits, clock: Clock, random: Random = randomness.random) -> Budget:
        return cls(limits, clock, random, clock())

    def elapsed_ms(self) -> float:
        return self.clock() - self.started_at

    def remaining(self) -> float:
        """Seconds left before the deadline."""
        return self.limits.deadline - self.elapsed_ms() / 1000

    def fits(self, seconds: float) -> bool:
        """Whether a sleep of `seconds` ends by the deadline."""
        return self.elapsed_ms() + seconds * 1000 <= self.limits.deadline * 1000

    def stamp(self, request: httpx.Request) -> float:
        """Give the request its timeout and size cap (httpx reads `timeout` from its extensions);
        returns the timeout. No time left raises the deadline's TransportError: nothing is sent."""
        left = self.remaining()
        if left <= 0:
            raise TransportError(deadline_message(self.limits.deadline), failure="deadline")
        timeout = min(self.limits.timeout, left)
        request.extensions["timeout"] = {"connect": timeout, "read": timeout, "write": timeout, "pool": timeout}
        request.extensions["max_response_bytes"] = self.limits.max_response_bytes
        return timeout
