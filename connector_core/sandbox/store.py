"""SQLite persistence for one sandbox: the personality's tables plus the engine's clock.

One connection guarded by one lock serves every thread: an in-memory database exists only
inside its connection, and serialising writes is what makes a read-then-write (an upsert, say)
atomic. Every write runs in an explicit ``BEGIN IMMEDIATE`` transaction that also advances the
clock and id counter stored in ``meta``, so a file-backed sandbox resumes where it stopped.
The personality brings its schema and seed rows and does its own queries through
``transaction()`` and ``read()``.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from .clock import Sequencer

_META_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
"""

Seed = Callable[[sqlite3.Connection], None]


def where_clause(filters: Iterable[tuple[str, Any]], *fixed: str) -> tuple[str, list[Any]]:
    """A filtered read's ` WHERE ...` ("" when nothing filters) and its arguments: the `fixed`
    conditions, then each (condition with one `?`, argument) pair whose argument was given (not None)."""
    asked = [(condition, argument) for condition, argument in filters if argument is not None]
    conditions = [*fixed, *(condition for condition, _ in asked)]
    return (" WHERE " + " AND ".join(conditions) if conditions else ""), [argument for _, argument in asked]


class Store:
    """One SQLite database; ``schema`` creates the personality's tables, ``seed`` fills fixed rows."""

    def __init__(self, path: str = ":memory:", sequencer: Sequencer | None = None, *,
                 schema: str = "", seed: Seed = lambda conn: None) -> None:
        self._sequencer = sequencer or Sequencer()
        self._seed = seed
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        if path != ":memory:" and not path.startswith("file::memory:"):
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
        # executescript manages its own transaction, so it runs outside transaction().
        with self._lock:
            self._conn.executescript(schema + _META_SCHEMA)
        with self.transaction() as conn:
            seed(conn)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write: all of it or nothing, and no other thread in between."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """Reads, with no other thread in between."""
        with self._lock:
            yield self._conn

    def tick(self, conn: sqlite3.Connection) -> int:
        """Advance the clock for one write (inside its transaction); returns the write's time."""
        now = self._sequencer.next_time(self._meta(conn, "clock_ms"))
        self._set_meta(conn, "clock_ms", now)
        return now

    def new_id(self, conn: sqlite3.Connection, table: str) -> str:
        """A fresh id for a row of ``table`` (inside the write's transaction), unused there."""
        counter = self._meta(conn, "id_counter")
        while True:
            row_id, counter = self._sequencer.next_id(counter)
            if conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)).fetchone() is None:
                break
        self._set_meta(conn, "id_counter", counter)
        return row_id

    def now_ms(self) -> int:
        """Current sandbox time; in deterministic mode the time of the last write."""
        with self._lock:
            return self._sequencer.now(self._meta(self._conn, "clock_ms"))

    def reset(self) -> None:
        """Empty every table and seed again: restarts the clock and id counter, keeps the seed rows."""
        with self.transaction() as conn:
            tables = [row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
            for table in tables:
                conn.execute(f'DELETE FROM "{table}"')
            self._seed(conn)

    @staticmethod
    def _meta(conn: sqlite3.Connection, key: str) -> int:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return int(row[0]) if row else 0

    @staticmethod
    def _set_meta(conn: sqlite3.Connection, key: str, value: int) -> None:
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = ?",
                     (key, value, value))
