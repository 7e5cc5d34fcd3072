"""The timelines every trigger must survive, each in a bounded size (`make test`) and a long one (bench).

Each scenario switches the trigger on at the script's start, writes what happens on the API, and
polls every interval; the runner then drains (polls until nothing more comes). Orders are picked to
be hostile to the trigger's cursor: none is promised by the API (a trigger without a cursor walks the
list from page 1, so an order that lists new records last, or moves changed ones, is as hostile to
it). Scenarios are API-neutral: records and the changes of `script.CHANGES`, which each API's timeline
personality maps to what its records can do.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from connector_core.simulation.script import DAY, HOUR, MINUTE, Script


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    order: str
    build: Callable[[Script, bool], None]   # (script, long)
    skew_ms: int = 0                         # the client's clock minus the server's


def _size(long: bool, bounded: int, full: int) -> int:
    return full if long else bounded


def burst_page(s: Script, long: bool) -> None:
    t, i = s.start, s.interval
    s.on(t)
    records = s.create(t + MINUTE, _size(long, 250, 2_000), spread_ms=5_000)
    s.change(t + i + MINUTE, records[: _size(long, 150, 1_500)], "update", spread_ms=5_000)
    s.change(t + 2 * i + MINUTE, records[: _size(long, 120, 1_200)], "complete", spread_ms=5_000)
    s.polls(t + i, t + 4 * i)


def burst_cap(s: Script, long: bool) -> None:
    t, i = s.start, s.interval
    s.on(t)
    records = s.create(t + MINUTE, _size(long, 650, 6_000), spread_ms=10_000)
    s.create(t + i + 2 * MINUTE, _size(long, 150, 500), spread_ms=3_000)  # lands while the walk resumes
    s.change(t + 3 * i + MINUTE, records, "update", spread_ms=20_000)
    s.change(t + 6 * i + MINUTE, records[: len(records) * 3 // 4], "complete", spread_ms=20_000)
    s.polls(t + i, t + 9 * i)


def same_millisecond(s: Script, long: bool) -> None:
    t, i = s.start, s.interval
    s.on(t)
    records = s.create(t + MINUTE, _size(long, 5, 50))
    for _ in range(3):
        s.change(t + i + MINUTE, records, "update")              # three changes, one millisecond
    s.change(t + 2 * i + MINUTE, records, "complete")
    s.change(t + 3 * i - MINUTE, records, "update")               # seen by the next poll ...
    s.change(t + 3 * i - MINUTE, records, "update", delay=2 * MINUTE)  # ... and its twin, same ms, committed late
    s.polls(t + i, t + 5 * i)


def late_commits(s: Script, long: bool) -> None:
    t, i = s.start, s.interval
    s.on(t)
    rounds, per = _size(long, 4, 12), _size(long, 10, 100)
    for n in range(rounds):
        poll = t + (n + 1) * i
        records = s.create(poll - MINUTE, per, delay=4 * MINUTE)   # stamped before the poll, visible after it
        s.change(poll - 30_000, records, "complete", delay=4 * MINUTE)
        seen = s.create(poll - 2 * MINUTE, per)
        s.change(poll - 10_000, seen, "update")   # committed at once, stamped after the late ones
    s.polls(t + i, t + (rounds + 2) * i)


def deletes_and_archives(s: Script, long: bool) -> None:
    t, i = s.start, s.interval
    s.on(t)
    n = _size(long, 40, 400)
    records = list(s.create(t + MINUTE, n, spread_ms=MINUTE))
    q = n // 4
    s.change(t + i + MINUTE, records[:2 * q], "complete", spread_ms=MINUTE)
    s.change(t + 2 * i + MINUTE, records[2 * q:3 * q], "archive", spread_ms=MINUTE)
    s.change(t + 2 * i + 2 * MINUTE, records[3 * q:], "delete", spread_ms=MINUTE)
    s.change(t + 2 * i + 3 * MINUTE, records[:q // 2], "update", spread_ms=MINUTE)   # completed records edited
    s.change(t + 3 * i + MINUTE, records[q:q + q // 2], "reopen", spread_ms=MINUTE)
    s.change(t + 4 * i + MINUTE, records[q:q + q // 2], "complete", spread_ms=MINUTE)  # completed again
    s.change(t + 4 * i + 2 * MINUTE, records[2 * q:3 * q], "delete", spread_ms=MINUTE)  # archived, then deleted
    s.polls(t + i, t + 6 * i)


def crash(s: Script, long: bool) -> None:
    t, i = s.start, s.interval
    s.on(t)
    s.create(t + MINUTE, _size(long, 250, 2_000), spread_ms=5_000)
    records = s.create(t + 3 * i + MINUTE, _size(long, 650, 6_000), spread_ms=10_000)
    s.change(t + 3 * i + 2 * MINUTE, records[:50], "complete")
    s.polls(t + i, t + 8 * i, crash=[t + i, t + 5 * i])   # one after a burst, one in a capped walk


def pause(s: Script, long: bool) -> None:
    t, i = s.start, s.interval
    s.on(t)
    records = s.create(t + MINUTE, _size(long, 300, 6_000), spread_ms=MINUTE)
    s.polls(t + i, t + 4 * i)
    s.off(t + 5 * i)
    s.change(t + 6 * i, records, "update", spread_ms=HOUR)
    s.change(t + 7 * i, records[: len(records) // 3], "complete", spread_ms=10 * MINUTE)
    s.create(t + 8 * i, _size(long, 150, 1_000), spread_ms=HOUR)
    s.on(t + 14 * i)
    s.polls(t + 15 * i, t + 20 * i)


def _steady(s: Script, minutes: int, *, fast_every: int = 0) -> None:
    """Each minute: a record created, two changed, one completed every five minutes (a fixed seed)."""
    t = s.start
    s.on(t)
    chooser = random.Random(9)
    for minute in range(1, minutes + 1):
        at = t + minute * MINUTE + 7_000
        shift = 10 * MINUTE if fast_every and minute % fast_every == 0 else 0
        s.create(at, stamp_shift=shift)
        s.change(at + 1_000, [chooser.randint(1, s.created) for _ in range(2)], "update", spread_ms=20_000,
                 stamp_shift=shift)
        if minute % 5 == 0:
            s.change(at + 30_000, [chooser.randint(1, s.created)], "complete", stamp_shift=shift)
    s.polls(t + s.interval, t + minutes * MINUTE + s.interval)


def steady(s: Script, long: bool) -> None:
    _steady(s, _size(long, 3 * 60, 2 * 24 * 60))


def fast_node(s: Script, long: bool) -> None:
    _steady(s, _size(long, 2 * 60, 12 * 60), fast_every=3)


def skewed(s: Script, long: bool) -> None:
    _steady(s, _size(long, 2 * 60, 12 * 60))


def _quiet(s: Script, long: bool, spread: int) -> None:
    t, i = s.start, s.interval
    s.create(t - spread, 10_000, spread_ms=spread - HOUR)
    s.on(t)
    s.polls(t + i, t + _size(long, 4, 12) * i)


def quiet_180_days(s: Script, long: bool) -> None:
    _quiet(s, long, 180 * DAY)


def quiet_7_days(s: Script, long: bool) -> None:
    _quiet(s, long, 7 * DAY)


SCENARIOS = (
    Scenario("burst_page", "records created within seconds, more than a page; then most changed, then completed",
             "updated_desc", burst_page),
    Scenario("burst_cap", "a burst larger than a poll's page cap, more arriving while the walk resumes, "
             "then every record changed, then most completed", "created_desc", burst_cap),
    Scenario("same_ms", "several changes to one record in the same millisecond, and a twin committed late",
             "id", same_millisecond),
    Scenario("late_commits", "records and completions stamped before a poll, committed 4 minutes later, "
             "after changes stamped later but committed at once",
             "updated_asc", late_commits),
    Scenario("deletes_archives", "completions, archives, deletes, edits of completed records, reopen and "
             "complete again", "updated_desc", deletes_and_archives),
    Scenario("crash", "the host dies between fetching and saving, after a burst and inside a capped walk",
             "created_asc", crash),
    Scenario("pause", "switched off, every record changed and more created meanwhile, switched on again",
             "updated_asc", pause),
    Scenario("clock_ahead", "steady load, the client's clock 10 minutes ahead of the server",
             "created_desc", skewed, skew_ms=10 * MINUTE),
    Scenario("clock_behind", "steady load, the client's clock 10 minutes behind the server",
             "updated_desc", skewed, skew_ms=-10 * MINUTE),
    Scenario("fast_node", "steady load, every third minute's writes stamped by a node 10 minutes fast",
             "updated_desc", fast_node),
    Scenario("quiet_180d", "10,000 records spread over 180 days, nothing happening", "created_asc", quiet_180_days),
    Scenario("quiet_7d", "10,000 records all within the last 7 days, nothing happening", "updated_desc",
             quiet_7_days),
    Scenario("steady", "a record created and two changed every minute, a completion every five", "created_asc",
             steady),
)


def scenario(name: str) -> Scenario:
    for found in SCENARIOS:
        if found.name == name:
            return found
    raise KeyError(f"no scenario {name!r} (known: {', '.join(s.name for s in SCENARIOS)})")
