"""Hellotracks' tables and queries: jobs and members, over the sandbox engine's store.

The engine serialises every write in one transaction that also advances its clock and id
counter; here, a partial unique index backs the rule "at most one live job per externalId" at
the database level, so two concurrent creates with the same externalId yield one job.

The queries trust their input: payload validation happens before they are called.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from connector_core.sandbox.exchange import HttpError
from connector_core.sandbox.store import Store, where_clause

from .jobs import Changes, apply_changes, render_job
from .seed import ADMIN_ID, COMPANY, Member
from .validation import JobFilters

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    external_id TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    progress TEXT NOT NULL,
    assignee_username TEXT,
    archived INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0,
    document TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_created ON jobs (created_at, id);
CREATE INDEX IF NOT EXISTS jobs_updated ON jobs (updated_at);
CREATE INDEX IF NOT EXISTS jobs_external_id ON jobs (external_id);
CREATE INDEX IF NOT EXISTS jobs_assignee ON jobs (assignee_username COLLATE NOCASE);
CREATE UNIQUE INDEX IF NOT EXISTS jobs_live_external_id ON jobs (external_id) WHERE deleted = 0;
CREATE TABLE IF NOT EXISTS members (
    position INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    username TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    name TEXT NOT NULL
);
"""

_JOB_COLUMNS = "id, external_id, created_at, updated_at, progress, assignee_username, archived, deleted, document"


class JobNotFound(HttpError):
    """No live job has this id."""

    def __init__(self, job_id: str) -> None:
        super().__init__(404, f"Job not found: {job_id}")


class DuplicateExternalId(HttpError):
    """A PATCH would give a job the externalId another live job already has."""

    def __init__(self, external_id: str, other_id: str) -> None:
        super().__init__(400, f"Duplicate value for job.externalId: {external_id} already identifies job {other_id}.")


class Company:
    """The jobs and members of one sandbox company, in the engine's store."""

    def __init__(self, store: Store) -> None:
        self._store = store
        with store.read() as conn:
            self._members = [self._member(row) for row in conn.execute("SELECT * FROM members ORDER BY position")]
        self._by_username = {m["username"].casefold(): m for m in self._members}

    # ------------------------------------------------------------------ plumbing

    @staticmethod
    def _member(row: sqlite3.Row) -> Member:
        return {"id": row["id"], "username": row["username"], "email": row["email"], "name": row["name"]}

    def _render(self, row: sqlite3.Row) -> dict[str, Any]:
        assignee = None
        if row["assignee_username"] is not None:
            assignee = self._by_username.get(row["assignee_username"].casefold())
        return render_job(
            job_id=row["id"],
            document=json.loads(row["document"]),
            progress=row["progress"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            assignee=assignee,
        )

    def _live_row(self, conn: sqlite3.Connection, job_id: str) -> sqlite3.Row:
        row: sqlite3.Row | None = conn.execute(
            f"SELECT {_JOB_COLUMNS} FROM jobs WHERE id = ? AND deleted = 0", (job_id,)
        ).fetchone()
        if row is None:
            raise JobNotFound(job_id)
        return row

    def _update(self, conn: sqlite3.Connection, row: sqlite3.Row, changes: Changes) -> dict[str, Any]:
        """Apply changes to a live job, bump updatedAt, return the rendered job."""
        document = apply_changes(json.loads(row["document"]), changes)
        external_id = document.get("externalId")
        if external_id is not None and external_id != row["external_id"]:
            other = conn.execute(
                "SELECT id FROM jobs WHERE external_id = ? AND deleted = 0 AND id != ?", (external_id, row["id"])
            ).fetchone()
            if other is not None:
                raise DuplicateExternalId(external_id, other[0])
        conn.execute(
            "UPDATE jobs SET external_id = ?, assignee_username = ?, document = ?, updated_at = ? WHERE id = ?",
            (external_id, document.get("assigneeUsername"), _dumps(document), self._store.tick(conn), row["id"]),
        )
        return self._render(self._live_row(conn, row["id"]))

    def _set_state(self, job_id: str, *, progress: str | None = None, delete: bool = False) -> dict[str, Any]:
        with self._store.transaction() as conn:
            row = self._live_row(conn, job_id)
            new_progress = progress or row["progress"]
            conn.execute(
                "UPDATE jobs SET progress = ?, archived = ?, deleted = ?, updated_at = ? WHERE id = ?",
                (new_progress, int(new_progress == "archived"), int(delete), self._store.tick(conn), job_id),
            )
            return self._render(conn.execute(f"SELECT {_JOB_COLUMNS} FROM jobs WHERE id = ?", (job_id,)).fetchone())

    # ------------------------------------------------------------------ members

    def whoami(self) -> dict[str, Any]:
        admin = next(m for m in self._members if m["id"] == ADMIN_ID)
        return {"company": dict(COMPANY), "user": dict(admin)}

    def resolve_member(self, username: str) -> str | None:
        """The canonical username of the member named ``username`` (case-insensitive)."""
        member = self._by_username.get(username.casefold())
        return member["username"] if member else None

    def search_members(self, query: str, limit: int) -> list[Member]:
        """Fuzzy search like the real API: substring of id, username, email or name."""
        needle = query.casefold()
        found = [
            m.copy()
            for m in self._members
            if not needle or any(needle in m[key].casefold() for key in ("id", "username", "email", "name"))
        ]
        return found[:limit]

    # ------------------------------------------------------------------ jobs

    def upsert_job(self, changes: Changes) -> dict[str, Any]:
        """Create a job, or update the live job that already has its externalId."""
        with self._store.transaction() as conn:
            external_id = changes.get("externalId")
            if external_id is not None:
                row = conn.execute(
                    f"SELECT {_JOB_COLUMNS} FROM jobs WHERE external_id = ? AND deleted = 0", (external_id,)
                ).fetchone()
                if row is not None:
                    return self._update(conn, row, changes)
            document = apply_changes({}, changes)
            job_id = self._store.new_id(conn, "jobs")
            now = self._store.tick(conn)
            conn.execute(
                f"INSERT INTO jobs ({_JOB_COLUMNS}) VALUES (?, ?, ?, ?, 'scheduled', ?, 0, 0, ?)",
                (job_id, document.get("externalId"), now, now, document.get("assigneeUsername"), _dumps(document)),
            )
            return self._render(self._live_row(conn, job_id))

    def patch_job(self, job_id: str, changes: Changes) -> dict[str, Any]:
        with self._store.transaction() as conn:
            return self._update(conn, self._live_row(conn, job_id), changes)

    def get_job(self, job_id: str) -> dict[str, Any]:
        with self._store.read() as conn:
            return self._render(self._live_row(conn, job_id))

    def archive_job(self, job_id: str) -> dict[str, Any]:
        return self._set_state(job_id, progress="archived")

    def set_progress(self, job_id: str, progress: str) -> dict[str, Any]:
        """Sandbox-only: the public API cannot complete a job, but recordings need some."""
        return self._set_state(job_id, progress=progress)

    def delete_job(self, job_id: str) -> None:
        """Soft delete: the row stays (visible with includeArchived=true), updatedAt bumped."""
        self._set_state(job_id, delete=True)

    def list_jobs(self, filters: JobFilters) -> list[dict[str, Any]]:
        where, args = where_clause((
            ("created_at >= ?", filters.created_since),
            ("updated_at >= ?", filters.updated_since),
            ("progress = ?", filters.progress),
            ("external_id = ?", filters.external_id),
            ("assignee_username = ? COLLATE NOCASE", filters.assignee_username),
        ), *([] if filters.include_archived else ["archived = 0 AND deleted = 0"]))
        sql = f"SELECT {_JOB_COLUMNS} FROM jobs{where} ORDER BY created_at, id LIMIT ? OFFSET ?"
        with self._store.read() as conn:
            rows = conn.execute(sql, (*args, filters.limit, filters.skip)).fetchall()
            return [self._render(row) for row in rows]


def _dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))
