"""The company's jobs over the sandbox engine's store: create or upsert, find, and the progress a
worker's app would report.

A job is stored whole (its rendered JSON) beside the columns getjobs filters on. Every write runs in
one engine transaction that also advances the clock: ``tsCreated``/``tsSaved`` are its time, in ms.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from typing import Any, Final

from connector_core.sandbox.exchange import HttpError
from connector_core.sandbox.store import Store

from .jobs import JOB_DEFAULTS, CreateRequest, JobQuery, check_consistent, day_number
from .seed import COMPANY, Member
from .statuses import StatusError

SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    uid_secondary TEXT,
    day INTEGER NOT NULL,
    worker TEXT NOT NULL,
    team_id INTEGER NOT NULL,
    order_id INTEGER NOT NULL,
    ts_created INTEGER NOT NULL,
    archived INTEGER NOT NULL DEFAULT 0,
    document TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_created ON jobs (ts_created, id);
CREATE INDEX IF NOT EXISTS jobs_day ON jobs (day);
CREATE UNIQUE INDEX IF NOT EXISTS jobs_uid_secondary ON jobs (uid_secondary) WHERE uid_secondary != '';
"""

#: What a worker's app reports, as ``POST /_sandbox/jobs/{id}/progress`` sets it.
PROGRESS_VALUES: Final = ("active", "success", "failed", "archived")


class Company:
    """The jobs and members of one sandbox company, in the engine's store."""

    def __init__(self, store: Store) -> None:
        self._store = store
        with store.read() as conn:
            rows = conn.execute("SELECT username, name, team, worker FROM members ORDER BY position").fetchall()
        self._members: list[Member] = [
            {"username": r["username"], "name": r["name"], "team": r["team"], "worker": bool(r["worker"])} for r in rows]
        self._by_username = {m["username"].casefold(): m for m in self._members}
        self._teams = {team["id"] for team in COMPANY["teams_config"]}

    def company(self) -> dict[str, Any]:
        return json.loads(json.dumps(COMPANY))

    def today(self) -> int:
        """The sandbox clock's day (the account's time zone is UTC)."""
        return day_number(datetime.fromtimestamp(self._store.now_ms() / 1000, tz=timezone.utc).date())

    # ------------------------------------------------------------------ createjobs

    def create(self, request: CreateRequest) -> list[dict[str, Any]]:
        """Create each job, or update the job with its uidSecondary; all of them or none."""
        with self._store.transaction() as conn:
            now = self._store.tick(conn)
            return [self._save(conn, changes, f"jobs[{index}]", now, request.autoassign)
                    for index, changes in enumerate(request.jobs)]

    def _save(self, conn: sqlite3.Connection, changes: dict[str, Any], where: str, now: int,
              autoassign: bool) -> dict[str, Any]:
        existing = None
        if changes.get("uidSecondary"):
            existing = conn.execute("SELECT document FROM jobs WHERE uid_secondary = ?",
                                    (changes["uidSecondary"],)).fetchone()
        if existing is not None:
            job = json.loads(existing["document"])
        else:
            job = dict(JOB_DEFAULTS, id=self._store.new_id(conn, "jobs"), tsCreated=now,
                       number=conn.execute("SELECT COUNT(*) FROM jobs").fetchone()[0] + 1)
        previous_worker = job["worker"]
        job.update(changes)
        if autoassign and not job["worker"]:
            job["worker"] = self._nearest_free_worker(conn, job["day"])
        self._assign(job, where, previous_worker, now)
        check_consistent(job, where, self._teams)
        job["tsSaved"] = now
        conn.execute(
            "INSERT INTO jobs (id, uid_secondary, day, worker, team_id, order_id, ts_created, document) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET uid_secondary = excluded.uid_secondary, "
            "day = excluded.day, worker = excluded.worker, team_id = excluded.team_id, "
            "order_id = excluded.order_id, document = excluded.document",
            (job["id"], job["uidSecondary"], job["day"], job["worker"], job["teamId"], job["orderId"],
             job["tsCreated"], _dumps(job)))
        return job

    def _assign(self, job: dict[str, Any], where: str, previous_worker: str, now: int) -> None:
        """Resolve the worker's username (-2 when nobody has it) and fill the assignee fields."""
        if not job["worker"]:
            job.update(worker="", workerName="", assigneeName="", assigneeUsername="", tsAssigned=0)
            return
        member = self._by_username.get(job["worker"].casefold())
        if member is None:
            raise StatusError(-2, f"User unknown: {where}.worker {job['worker']} is not a member of the company")
        job.update(worker=member["username"], workerName=member["name"], assigneeName=member["name"],
                   assigneeUsername=member["username"])
        if member["username"] != previous_worker:
            job["tsAssigned"] = now

    def _nearest_free_worker(self, conn: sqlite3.Connection, day: int) -> str:
        """The sandbox's "nearest available member": the worker with the fewest jobs that day."""
        workers = [m["username"] for m in self._members if m["worker"]]
        load = dict(conn.execute("SELECT worker, COUNT(*) FROM jobs WHERE day = ? GROUP BY worker", (day,)).fetchall())
        return min(workers, key=lambda username: load.get(username, 0))

    # ------------------------------------------------------------------ getjobs

    def find(self, query: JobQuery) -> list[dict[str, Any]]:
        where, args = ["1 = 1"], []
        if query.ids is not None:
            where.append(f"id IN ({', '.join('?' for _ in query.ids)})")
            args.extend(query.ids)
        day = self.today() if query.day is None else query.day
        if day != -1:
            where.append("day = ?")
            args.append(day)
        if query.worker != "*":
            where.append("worker = ? COLLATE NOCASE")
            args.append(query.worker)
        if query.team is not None:
            where.append("team_id = ?")
            args.append(query.team)
        if query.order_ids is not None:
            where.append(f"order_id IN ({', '.join('?' for _ in query.order_ids)})")
            args.extend(query.order_ids)
        if not query.include_archived:
            where.append("archived = 0")
        with self._store.read() as conn:
            rows = conn.execute(f"SELECT document FROM jobs WHERE {' AND '.join(where)} ORDER BY ts_created, id",
                                args).fetchall()
        jobs = [json.loads(row["document"]) for row in rows]
        if query.success:
            jobs = [job for job in jobs if job["tsDoneSuccess"]]
        if query.active:
            jobs = [job for job in jobs if not job["tsDoneSuccess"] and not job["tsDoneFailed"]]
        return _sorted(jobs, query)

    # ------------------------------------------------------------------ what the app reports

    def set_progress(self, job_id: str, progress: str) -> dict[str, Any]:
        """Sandbox-only: a worker completes (or fails) a job, or a dispatcher archives it."""
        with self._store.transaction() as conn:
            row = conn.execute("SELECT document FROM jobs WHERE id = ?", (job_id,)).fetchone()
            if row is None:
                raise HttpError(404, f"Job not found: {job_id}")
            job = json.loads(row["document"])
            now = self._store.tick(conn)
            if progress == "archived":
                conn.execute("UPDATE jobs SET archived = 1 WHERE id = ?", (job_id,))
            else:
                job.update(tsDoneSuccess=now if progress == "success" else 0,
                           tsDoneFailed=now if progress == "failed" else 0)
            job["tsSaved"] = now
            conn.execute("UPDATE jobs SET document = ? WHERE id = ?", (_dumps(job), job_id))
            return job


def _sorted(jobs: list[dict[str, Any]], query: JobQuery) -> list[dict[str, Any]]:
    sort = query.sort
    if sort is None:
        return jobs
    if sort.since is not None:
        jobs = [job for job in jobs if job[sort.field] >= sort.since]
    if sort.until is not None:
        jobs = [job for job in jobs if job[sort.field] < sort.until]
    jobs = sorted(jobs, key=lambda job: (job[sort.field], job["id"]), reverse=not sort.ascending)
    end = None if sort.limit is None else sort.skip + sort.limit
    return jobs[sort.skip:end]


def _dumps(job: dict[str, Any]) -> str:
    return json.dumps(job, ensure_ascii=False, separators=(",", ":"))
