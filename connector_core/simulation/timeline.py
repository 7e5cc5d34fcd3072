"""The scripted API's data: records, each a list of versions, on a clock the scenario moves.

A version is what the API would return for a record after one change. It carries when it was
stamped (its cursor fields) and when it became visible: a late commit is stamped at `t` and visible
only at `t + delay`; a fast server node stamps `t + 10 min` and is visible at `t`. Nothing here knows
an API: the cursor fields and their kinds come from the runtime document, the content of a record
and of a change from the API's personality (`shape.ApiShape`). A trigger without a cursor has no
cursor field, yet every version keeps its stamp: the expectations and the server's orders read it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from connector_core.simulation.shape import ApiShape


@dataclass(frozen=True)
class Version:
    record: str            # the record's identity value
    number: int            # 0 for the creation, then one per change (per record)
    change: str            # "create" or the personality's change name ("update", "complete", ...)
    stamp: int             # the server time written into the cursor fields
    visible_at: int        # the true time from which the API returns it
    content: dict[str, Any]  # the internal record (the personality renders it for the wire)


@dataclass
class Record:
    key: str
    versions: list[Version] = field(default_factory=list)

    def visible(self, now: int) -> Version | None:
        """The newest committed version at true time `now` (late commits wait their turn)."""
        newest = self.versions[-1]
        if newest.visible_at <= now and all(v.visible_at <= newest.visible_at for v in self.versions):
            return newest   # the common case: no late commit pending or overtaken
        shown = [version for version in self.versions if version.visible_at <= now]
        return max(shown, key=lambda version: (version.visible_at, version.number)) if shown else None


class Timeline:
    """Every record of one account and the true time; the server reads it, the scenario writes it."""

    def __init__(self, shape: ApiShape, start: int) -> None:
        self.shape = shape
        self.now = start
        self.records: dict[str, Record] = {}
        self._count = 0
        self.generation = 0   # bumped by every write, so a reader may cache what it computed from the data
        self.lock = threading.Lock()

    def create(self, *, stamp: int | None = None, delay: int = 0) -> Version:
        """A new record stamped at `stamp` (default now), visible `delay` ms after now."""
        with self.lock:
            self._count += 1
            key = self.shape.record_key(self._count)
            record = self.records[key] = Record(key)
            at = self.now if stamp is None else stamp
            content = self.shape.stamped(self.shape.new_record(self._count, at), at, created=True)
            return self._add(record, "create", at, delay, content)

    def change(self, key: str, change: str, *, stamp: int | None = None, delay: int = 0) -> Version:
        """A change to the record's newest version (committed or not: the API serialises writes)."""
        with self.lock:
            record = self.records[key]
            at = self.now if stamp is None else stamp
            latest = record.versions[-1].content
            content = self.shape.stamped(self.shape.changed(latest, change, len(record.versions), at), at, created=False)
            return self._add(record, change, at, delay, content)

    def _add(self, record: Record, change: str, stamp: int, delay: int, content: dict[str, Any]) -> Version:
        version = Version(record.key, len(record.versions), change, stamp, self.now + delay, content)
        record.versions.append(version)
        self.generation += 1
        return version

    def visible(self) -> list[Version]:
        """The version of each record the API shows right now."""
        with self.lock:
            shown = (record.visible(self.now) for record in self.records.values())
            return [version for version in shown if version is not None]

    def versions(self) -> list[Version]:
        return [version for record in self.records.values() for version in record.versions]
