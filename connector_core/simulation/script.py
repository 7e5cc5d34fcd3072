"""A scenario's script: what happens on the timeline, and when the host polls, in true time.

Records are named by creation number (1, 2, ...), so a script is written before any record exists.
Steps at the same instant run in the order they were written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from connector_core.simulation.timeline import Timeline

# The changes a script may make to a record, API-neutral: each API's timeline personality maps every one
# to what its records can do (its docstring says how, where one has no meaning for the API).
CHANGES = ("update", "complete", "fail", "reopen", "archive", "delete")

MINUTE = 60_000
HOUR = 60 * MINUTE
DAY = 24 * HOUR


@dataclass(frozen=True)
class Step:
    at: int
    kind: str                                   # act | poll | crash | on | off
    act: Callable[[Timeline], object] | None = None


class Script:
    def __init__(self, start: int, interval: int) -> None:
        self.start, self.interval = start, interval
        self.steps: list[Step] = []
        self.created = 0

    def act(self, at: int, act: Callable[[Timeline], object]) -> None:
        self.steps.append(Step(at, "act", act))

    def create(self, at: int, count: int = 1, *, spread_ms: int = 0, stamp_shift: int = 0, delay: int = 0) -> range:
        """`count` records created from `at` over `spread_ms`; their creation numbers."""
        numbers = range(self.created + 1, self.created + count + 1)
        self.created += count
        for index in range(count):
            when = at + (spread_ms * index) // max(1, count)
            self.act(when, lambda tl, when=when: tl.create(stamp=when + stamp_shift, delay=delay))
        return numbers

    def change(self, at: int, numbers: Iterable[int], change: str, *, spread_ms: int = 0, stamp_shift: int = 0,
               delay: int = 0) -> None:
        """The same change to each record, from `at` over `spread_ms` (0: all in one millisecond)."""
        if change not in CHANGES:
            raise ValueError(f"unknown change {change!r} (known: {', '.join(CHANGES)})")
        numbers = list(numbers)
        for index, number in enumerate(numbers):
            when = at + (spread_ms * index) // max(1, len(numbers))
            self.act(when, lambda tl, when=when, number=number: tl.change(
                tl.shape.record_key(number), change, stamp=when + stamp_shift, delay=delay))

    def on(self, at: int) -> None:
        self.steps.append(Step(at, "on"))

    def off(self, at: int) -> None:
        """A last regular poll, then switched off."""
        self.poll(at)
        self.steps.append(Step(at, "off"))

    def poll(self, at: int, *, crash: bool = False) -> None:
        self.steps.append(Step(at, "crash" if crash else "poll"))

    def polls(self, first: int, last: int, *, crash: Iterable[int] = ()) -> None:
        """A poll every interval from `first` to `last` (inclusive); the given ones crash."""
        crashing = set(crash)
        for at in range(first, last + 1, self.interval):
            self.poll(at, crash=at in crashing)

    def ordered(self) -> list[Step]:
        return sorted(self.steps, key=lambda step: step.at)  # stable: same instant keeps script order
