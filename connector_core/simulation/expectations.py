"""What a trigger should have emitted, and how what it did emit compares (rules: EXPECTED.md).

Candidates come from the timeline, never from the poller: one per record (a `created` cursor), one
per entry of a record into the trigger's set (an event key that is the record's identity: Completed
Job), or one per version in the set (an event key that tells versions apart: Updated Job). Emitted
records are matched to versions by their content, so a poller cannot vouch for itself; both sides
with the trigger's derived timestamps set (a host may deliver them, and the corpus judges their text).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from connector_core.runtime.timestamps import stamped
from connector_core.simulation.shape import ApiShape, cursor_kind, fixed_params, identity
from connector_core.simulation.timeline import Timeline, Version

REQUIRED, ALLOWED, EXCLUDED = "required", "allowed", "excluded"



@dataclass(frozen=True)
class Activity:
    """When the trigger was on: (switched on, switched off or None) per activation, true time."""
    spans: tuple[tuple[int, int | None], ...]
    light_polls: tuple[int, ...]   # completed polls while on that had at most a poll's page budget to read
    host_baseline: int | None = None   # a host whose baseline is its own clock: that clock's time at the first
                                       # switch-on, minus the true time (Poller.baseline_clock)

    def state_at(self, visible_at: int, stamp: int) -> str:
        """`active`, `paused` (off after having been on), `before` (the first activation's baseline) or
        `edge` (stamped before an activation, committed after it; for a host whose baseline is its own
        clock, also stamped on the other side of that clock's time than it was committed)."""
        first = self.spans[0][0]
        dated = None if self.host_baseline is None else first + self.host_baseline
        if visible_at <= first:
            return "edge" if dated is not None and stamp > dated else "before"
        for on, off in self.spans:
            if on < visible_at and (off is None or visible_at <= off):
                straddles = stamp < on or (on == first and dated is not None and stamp <= dated)
                return "edge" if straddles else "active"
        return "paused"


@dataclass
class Candidate:
    name: str
    rule: str                    # REQUIRED, ALLOWED or EXCLUDED


@dataclass
class Tally:
    expected: int = 0
    emitted: int = 0
    lost: int = 0
    duplicated: int = 0
    unexpected: int = 0
    problems: list[str] = field(default_factory=list)   # a few examples, for a failing test's message

    def add(self, other: Tally) -> None:
        for name in ("expected", "emitted", "lost", "duplicated", "unexpected"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.problems.extend(other.problems[: max(0, 5 - len(self.problems))])


class Expectations:
    """The candidates of one trigger over one finished timeline, for one host."""

    def __init__(self, document: dict[str, Any], trigger: str, timeline: Timeline, activity: Activity,
                 paused: str = REQUIRED, *, same_key_is_same_event: bool = False) -> None:
        operation = document["operations"][trigger]
        polling = operation["polling"]
        self.shape: ApiShape = timeline.shape
        self.output: dict[str, Any] = operation["output"]
        self.fixed = [(check, value) for name, value in fixed_params(operation).items()
                      if (check := self.shape.param_filter(name)) is not None]
        self.kind = cursor_kind(polling)
        per_record = list(polling["dedupe_key"]) == identity(polling) and not polling.get("fingerprint")
        self.mode = "record" if self.kind == "created" else "entry" if per_record else "version"
        self.remember_ms = int(polling.get("remember_ms", 0)) + int(polling["lookback_ms"])
        self.paused = paused   # what the host owes for what happened while it was off (Poller.paused_events)
        self.dedupe_key = list(polling["dedupe_key"]) if same_key_is_same_event else None
        self.timeline, self.activity = timeline, activity
        self.candidates: list[Candidate] = []
        self._by_content: dict[str, list[Candidate]] = {}
        for record in timeline.records.values():
            self._add_record(record.versions)

    def in_set(self, version: Version) -> bool:
        """Does the trigger's own request (its fixed params) return this version?"""
        return all(check(version.content, value) for check, value in self.fixed)

    def _add_record(self, versions: list[Version]) -> None:
        if self.mode == "record":
            self._candidate(f"{versions[0].record} created", versions, None)
            return
        runs: list[list[Version]] = []          # maximal stretches of consecutive versions in the set
        for previous, version in zip([None, *versions], versions):
            if self.in_set(version):
                if runs and previous is not None and runs[-1][-1] is previous:
                    runs[-1].append(version)
                else:
                    runs.append([version])
        entered_at: int | None = None
        for run in runs:
            after = versions[run[-1].number + 1:]
            if self.mode == "version":
                for version, nxt in zip(run, [*run[1:], after[0] if after else None]):
                    self._candidate(f"{version.record} v{version.number}", [version],
                                    nxt.visible_at if nxt is not None else None, again=self._repeats_key(version))
                continue
            again = entered_at is not None and run[0].stamp - entered_at < self.remember_ms
            self._candidate(f"{run[0].record} entry v{run[0].number}", run, after[0].visible_at if after else None,
                            again=again)
            entered_at = run[0].stamp

    def _repeats_key(self, version: Version) -> bool:
        """Does a host that knows an event only by its dedupe_key values see this version as an earlier one?"""
        if self.dedupe_key is None:
            return False
        key = [version.content.get(field) for field in self.dedupe_key]
        record = self.timeline.records[version.record]
        return any([earlier.content.get(field) for field in self.dedupe_key] == key
                   for earlier in record.versions[:version.number] if self.in_set(earlier))

    def _candidate(self, name: str, versions: list[Version], end: int | None, *, again: bool = False) -> None:
        """One event owed (or not) for `versions`, which stayed in the set until `end` (None: still are)."""
        candidate = Candidate(name, self._rule(versions[0], end, again))
        self.candidates.append(candidate)
        for version in versions:
            self._index(candidate, version)

    def _index(self, candidate: Candidate, version: Version) -> None:
        delivered = stamped(self.output, self.shape.render(version.content))
        self._by_content.setdefault(_content_key(delivered), []).append(candidate)

    def _rule(self, first: Version, end: int | None, again: bool) -> str:
        state = self.activity.state_at(first.visible_at, first.stamp)
        if state == "before":
            return EXCLUDED
        if state == "edge" or again:
            return ALLOWED
        if state == "paused" and self.paused != REQUIRED:
            return self.paused
        if end is None:
            return REQUIRED
        seen = any(first.visible_at <= at < end for at in self.activity.light_polls)
        return REQUIRED if seen else ALLOWED   # gone before any poll could read it: not owed

    def judge(self, emitted: list[dict[str, Any]]) -> Tally:
        """Count the emitted records against the candidates."""
        tally = Tally(emitted=len(emitted))
        hits: Counter[int] = Counter()
        for record in emitted:
            matches = self._by_content.get(_content_key(stamped(self.output, record)), [])
            if not matches:
                tally.unexpected += 1
                _note(tally, f"emitted a record that no version of the timeline has: {_short(record)}")
                continue
            hits[id(matches[0])] += 1
        for candidate in self.candidates:
            count = hits[id(candidate)]
            if candidate.rule == REQUIRED:
                tally.expected += 1
                if count == 0:
                    tally.lost += 1
                    _note(tally, f"lost {candidate.name}")
            if candidate.rule == EXCLUDED and count:
                tally.unexpected += count
                _note(tally, f"emitted {candidate.name}, which the host's semantics exclude")
                continue
            if count > 1:
                tally.duplicated += count - 1
                _note(tally, f"emitted {candidate.name} {count} times")
        return tally


def _content_key(record: dict[str, Any]) -> str:
    return json.dumps(record, sort_keys=True, separators=(",", ":"))


def _short(record: dict[str, Any]) -> str:
    return _content_key(record)[:120]


def _note(tally: Tally, problem: str) -> None:
    if len(tally.problems) < 5:
        tally.problems.append(problem)
