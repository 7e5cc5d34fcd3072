"""The three ways a host polls a trigger (docs/polling.md): with state, stateless, and the manual test.

`poll_plan` keeps a cursor and the seen keys, sets a baseline on its first run and moves the cursor
only when a walk provably read all of Q(since). `window_plan` reads the last polling interval for a
host that keeps no state and dedupes on its own. `latest_plan` finds the newest record for a manual
test.
"""

from __future__ import annotations

import random as randomness
from dataclasses import dataclass
from typing import Any

from connector_core.runtime.budget import Budget, Clock, Random
from connector_core.runtime.connection import ConnectionSettings
from connector_core.runtime.plan import Plan, owned_errors, validated_input
from connector_core.runtime.polling.state import PollState, Walk, event_key, identity_key, item_key, position
from connector_core.runtime.polling.walk import Pages
from connector_core.runtime.timestamps import stamped
from connector_core.spec.models import Connector, OffsetPagination, Operation, Polling

HOUR_MS, DAY_MS = 3_600_000, 86_400_000
#: The Date header counts whole seconds: a client clock less than this ahead of it agrees with it.
DATE_RESOLUTION_MS = 1_000
WINDOW_BUDGET = 10  # a window poll may read this many times max_pages: it cannot resume, only stop runaways


@dataclass
class PollResult:
    """New events, newest first; the state to save with them (None for stateless plans); requests sent."""

    events: list[dict[str, Any]]
    state: PollState | None
    requests: int


def _pages(connector: Connector, operation: Operation, settings: ConnectionSettings, raw: Any, now_ms: int,
           clock: Clock | None, random: Random, retries: bool, budget: int = 1) -> Pages:
    """The page sender of one poll, whose page budget is `budget` times max_pages and whose
    pages and retries share one deadline."""
    if operation.polling is None:
        raise ValueError(f"{operation.key} is not a trigger")
    time_budget = Budget.start(connector.limits, clock or (lambda: now_ms), random)
    return Pages(connector, operation, settings, validated_input(operation, raw), now_ms, time_budget, retries,
                 budget=budget * operation.polling.max_pages)


def delivered(records: list[Any], operation: Operation) -> list[Any]:
    """The events a host receives: by position, newest first (records at one position keep the
    order they were read in), derived timestamps set."""
    assert operation.polling is not None
    ordered = sorted(records, key=lambda record: position(record, operation.polling), reverse=True)
    return [stamped(operation.output, record) for record in ordered]


def since_at(at: int) -> int:
    """A since value: epoch milliseconds, never before 0 (an API takes no negative time)."""
    return max(0, at)


def server_clock(walk: Walk, now_ms: int) -> int:
    """The clock a window should be measured on: the server's when the client's is ahead of it."""
    assert walk.now is not None
    return walk.now if now_ms - walk.now >= DATE_RESOLUTION_MS else now_ms


def _start(polling: Polling, state: PollState, now_ms: int, probe: bool) -> Walk:
    """A new walk from the horizon; a created cursor skips the records it already knows."""
    if state.cursor is None:
        return Walk(since=since_at(now_ms - polling.lookback_ms))
    since = since_at(state.cursor - polling.lookback_ms)
    if not probe or polling.cursor.kind != "created":
        return Walk(since=since)
    known = sum(1 for at in state.seen.values() if at >= since)
    size = polling.pagination.page_size
    skip = known if isinstance(polling.pagination, OffsetPagination) else known // size * size
    return Walk(since=since, skip=skip, known=known)


def _forget(polling: Polling, state: PollState) -> None:
    """Drop seen keys no later poll can read again: `remember_ms` behind the horizon."""
    if state.cursor is not None:
        oldest = state.cursor - polling.lookback_ms - polling.remember_ms
        state.seen = {key: at for key, at in state.seen.items() if at >= oldest}


@owned_errors
def poll_plan(connector: Connector, operation: Operation, settings: ConnectionSettings, raw: Any,
              state: PollState | None, now_ms: int, *, clock: Clock | None = None, random: Random = randomness.random,
              retries: bool = True) -> Plan:
    """One poll from `state` (None: a baseline); returns a PollResult. A failure raises, and the
    host keeps its old state."""
    pages = _pages(connector, operation, settings, raw, now_ms, clock, random, retries)
    polling = pages.polling
    state = state.copy() if state else PollState()
    if polling.cursor is None:
        return (yield from _census(pages, state))
    events: list[Any] = []
    probe = True
    one_key = polling.dedupe_key == polling.record_identity and not polling.fingerprint  # the same text: build it once
    clock_ms = now_ms  # becomes the server's clock when the client's is ahead of it (a baseline's window)
    while pages.requests < pages.budget:
        walk = state.walk = state.walk or _start(polling, state, clock_ms, probe)
        counted = set(walk.ids)
        known = {key for key, at in state.seen.items() if at >= walk.since} - counted if walk.known else set()

        def take(record: Any) -> None:
            identity = identity_key(record, polling)
            if identity not in counted and identity not in known:
                counted.add(identity)
                walk.ids.append(identity)
            key = identity if one_key else event_key(record, polling)
            if key not in state.seen:
                state.seen[key] = position(record, polling)
                if state.cursor is not None:  # a baseline remembers, and emits nothing
                    events.append(record)

        total = yield from pages.walk(walk, take)
        if total is None:
            break  # capped: the walk resumes at its skip next time; the cursor stays
        state.walk = None
        clock_ms = server_clock(walk, now_ms)
        if state.cursor is None and walk.since > since_at(clock_ms - polling.lookback_ms):
            continue  # a baseline asked from a client clock ahead of the server's: ask again from the server's
        if walk.known + len(walk.ids) == total:
            assert walk.now is not None
            state.cursor = walk.now if state.cursor is None else max(state.cursor, walk.now)
            break
        probe = False  # a record moved behind the offset: read the whole set again
    _forget(polling, state)
    return PollResult(events=delivered(events, operation), state=state, requests=pages.requests)


def _census(pages: Pages, state: PollState) -> Plan:
    """A poll without a cursor (an API with no since filter): walk the whole list from its first
    page (resuming a walk capped at max_pages); an event is a record whose identity no walk read
    before. `cursor` counts the complete walks (null until the baseline's completes: it emits
    nothing), and each seen key holds the number of the last walk that read it, so a complete walk
    forgets the keys that neither it nor the one before read: seen keys stay bounded by two walks."""
    polling = pages.polling
    number = (state.cursor or 0) + 1  # the walk under way
    walk = state.walk = state.walk or Walk(since=0)
    events: list[Any] = []

    def take(record: Any) -> None:
        identity = identity_key(record, polling)
        if identity not in state.seen and state.cursor is not None:  # a baseline remembers, and emits nothing
            events.append(record)
        state.seen[identity] = number

    if (yield from pages.walk(walk, take)) is not None:  # complete: the next poll walks from the first page
        state.walk, state.cursor = None, number
        state.seen = {key: last for key, last in state.seen.items() if last >= number - 1}
    return PollResult(events=delivered(events, pages.operation), state=state, requests=pages.requests)


@owned_errors
def window_plan(connector: Connector, operation: Operation, settings: ConnectionSettings, raw: Any, now_ms: int,
                window_ms: int | None = None, *, clock: Clock | None = None,
                random: Random = randomness.random, retries: bool = True) -> Plan:
    """Everything that changed in the last two polling intervals (`window_ms`) plus the lookback, on
    the server's clock, newest first: for a host that keeps no state, cannot resume, and dedupes on
    its own. Two intervals, so the poll after a failed one still covers what the failed one missed.
    Without a cursor: the records of the whole list, in the order they were read."""
    pages = _pages(connector, operation, settings, raw, now_ms, clock, random, retries, budget=WINDOW_BUDGET)
    polling = pages.polling
    span = 2 * (window_ms if window_ms and window_ms > 0 else polling.window_ms) + polling.lookback_ms
    items: dict[str, Any] = {}
    if polling.cursor is None:  # no window to ask for: the whole list is the window, in the order the API lists it
        yield from pages.walk(Walk(since=0), lambda record: items.__setitem__(item_key(record, polling), record))
        return PollResult(events=delivered(list(items.values()), operation), state=None, requests=pages.requests)
    walk = Walk(since=since_at(now_ms - span))
    while pages.requests < pages.budget:
        counted: set[str] = set()

        def take(record: Any) -> None:
            counted.add(identity_key(record, polling))
            items[item_key(record, polling)] = record  # the host knows an item by its dedupe key: the last read stands

        total = yield from pages.walk(walk, take)
        since = since_at(min(walk.since, server_clock(walk, now_ms) - span))  # a client clock ahead asked too late
        if total is None or (len(counted) == total and since == walk.since):
            break
        walk = Walk(since=since, now=walk.now)
    return PollResult(events=delivered(list(items.values()), operation), state=None, requests=pages.requests)


@owned_errors
def latest_plan(connector: Connector, operation: Operation, settings: ConnectionSettings, raw: Any, now_ms: int, *,
                clock: Clock | None = None, random: Random = randomness.random, retries: bool = True) -> Plan:
    """The newest record of the first non-empty window (1 hour, 1 day, initial_window_ms), or without
    a cursor the first record of the first page; the spec's sample, as every host shows it, when the
    account has none."""
    pages = _pages(connector, operation, settings, raw, now_ms, clock, random, retries)
    polling = pages.polling
    if polling.cursor is None:  # no position to compare: the record the API lists first
        pages.budget = 1
        first: list[Any] = []
        yield from pages.walk(Walk(since=0), lambda record: first.append(record))
        return PollResult(events=delivered(first[:1] or [operation.sample], operation), state=None,
                          requests=pages.requests)
    spans = [span for span in (HOUR_MS, DAY_MS) if span < polling.initial_window_ms] + [polling.initial_window_ms]
    now: int | None = None
    for span in spans:
        walk = Walk(since=since_at((now_ms if now is None else now) - span), now=now)
        newest: list[Any] = []

        def take(record: Any) -> None:
            if not newest or position(record, polling) > position(newest[0], polling):
                newest[:] = [record]

        yield from pages.walk(walk, take)
        now = walk.now
        if newest or pages.requests >= pages.budget:
            return PollResult(events=delivered(newest, operation), state=None, requests=pages.requests)
    return PollResult(events=delivered([operation.sample], operation), state=None, requests=pages.requests)
