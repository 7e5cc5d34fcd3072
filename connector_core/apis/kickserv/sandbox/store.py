"""Kickserv's tables and queries: tasks with their job, customer and employees, over the engine's store.

Task ids are integers from a counter kept in the database (inside the write's transaction, like
the engine's clock), so ids never repeat, not even after a delete, and a reset starts them over.
The task list is ordered by start time, not by creation: nothing may assume that a new task is
listed last (or first).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from connector_core.sandbox.store import Store, where_clause

from .seed import ACTIVE_JOB_STATUSES
from .tasks import Known, RecordNotFound, Row, apply_write, check_notification, render_task

SCHEMA = """
CREATE TABLE IF NOT EXISTS employees (
    id INTEGER PRIMARY KEY,
    employee_number INTEGER NOT NULL UNIQUE,
    name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS customers (
    id INTEGER PRIMARY KEY,
    customer_number INTEGER NOT NULL UNIQUE,
    name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    job_number INTEGER NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tasks (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES jobs (id),
    description TEXT,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER,
    all_day INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS tasks_start ON tasks (starts_at, id);
CREATE INDEX IF NOT EXISTS tasks_job ON tasks (job_id);
CREATE TABLE IF NOT EXISTS task_employees (
    task_id INTEGER NOT NULL,
    employee_id INTEGER NOT NULL,
    PRIMARY KEY (task_id, employee_id)
);
CREATE TABLE IF NOT EXISTS counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
"""

_TASK_COLUMNS = "id, job_id, description, starts_at, ends_at, all_day, created_at, updated_at"


@dataclass(frozen=True)
class TaskFilters:
    """Validated `GET /tasks.json` query: filters and the page."""

    job_id: int | None = None
    starts_from: int | None = None  # epoch ms, included
    starts_before: int | None = None  # epoch ms, excluded
    employee_number: int | None = None
    page: int = 1
    per_page: int = 25


class Account:
    """The tasks of one sandbox account, in the engine's store."""

    def __init__(self, store: Store) -> None:
        self._store = store

    # ------------------------------------------------------------------ plumbing

    @staticmethod
    def _row(conn: sqlite3.Connection, task_id: int) -> Row:
        row = conn.execute(f"SELECT {_TASK_COLUMNS} FROM tasks WHERE id = ?", (task_id,)).fetchone()
        if row is None:
            raise RecordNotFound(task_id)
        return dict(row)

    @staticmethod
    def _render(conn: sqlite3.Connection, row: Row) -> dict[str, Any]:
        job = conn.execute("SELECT * FROM jobs WHERE id = ?", (row["job_id"],)).fetchone()
        customer = conn.execute("SELECT * FROM customers WHERE id = ?", (job["customer_id"],)).fetchone()
        employees = conn.execute(
            "SELECT e.* FROM employees e JOIN task_employees t ON t.employee_id = e.id WHERE t.task_id = ? ORDER BY e.id",
            (row["id"],)).fetchall()
        return render_task(row, job, customer, employees)

    @staticmethod
    def _known(conn: sqlite3.Connection) -> Known:
        def exists(table: str) -> Callable[[int], bool]:
            return lambda row_id: conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)).fetchone() is not None
        return Known(job=exists("jobs"), employee=exists("employees"))

    @staticmethod
    def _set_employees(conn: sqlite3.Connection, task_id: int, employees: list[int] | None) -> None:
        if employees is None:
            return
        conn.execute("DELETE FROM task_employees WHERE task_id = ?", (task_id,))
        conn.executemany("INSERT INTO task_employees (task_id, employee_id) VALUES (?, ?)",
                         [(task_id, employee) for employee in employees])

    # ------------------------------------------------------------------ tasks

    def list_tasks(self, filters: TaskFilters) -> list[dict[str, Any]]:
        where, args = where_clause((
            ("job_id = ?", filters.job_id),
            ("starts_at >= ?", filters.starts_from),
            ("starts_at < ?", filters.starts_before),
            ("id IN (SELECT t.task_id FROM task_employees t JOIN employees e ON e.id = t.employee_id"
             " WHERE e.employee_number = ?)", filters.employee_number),
        ))
        sql = f"SELECT {_TASK_COLUMNS} FROM tasks{where} ORDER BY starts_at, id LIMIT ? OFFSET ?"
        with self._store.read() as conn:
            rows = conn.execute(sql, (*args, filters.per_page, (filters.page - 1) * filters.per_page)).fetchall()
            return [self._render(conn, dict(row)) for row in rows]

    def get_task(self, task_id: int) -> dict[str, Any]:
        with self._store.read() as conn:
            return self._render(conn, self._row(conn, task_id))

    def create_task(self, attributes: dict[str, Any]) -> dict[str, Any]:
        with self._store.transaction() as conn:
            row, employees = apply_write(None, attributes, self._known(conn))
            task_id = conn.execute("UPDATE counters SET value = value + 1 WHERE name = 'tasks' RETURNING value"
                                   ).fetchone()[0]
            now = self._store.tick(conn)
            row.update(id=task_id, created_at=now, updated_at=now)
            conn.execute(f"INSERT INTO tasks ({_TASK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         tuple(row[column] for column in _TASK_COLUMNS.split(", ")))
            self._set_employees(conn, task_id, employees)
            return self._render(conn, row)

    def update_task(self, task_id: int, attributes: dict[str, Any]) -> dict[str, Any]:
        with self._store.transaction() as conn:
            row, employees = apply_write(self._row(conn, task_id), attributes, self._known(conn))
            row["updated_at"] = self._store.tick(conn)
            conn.execute("UPDATE tasks SET job_id = ?, description = ?, starts_at = ?, ends_at = ?, all_day = ?,"
                         " updated_at = ? WHERE id = ?",
                         (row["job_id"], row["description"], row["starts_at"], row["ends_at"], row["all_day"],
                          row["updated_at"], task_id))
            self._set_employees(conn, task_id, employees)
            return self._render(conn, row)

    def delete_task(self, task_id: int) -> dict[str, Any]:
        """Delete for good, answering with the task as it was."""
        with self._store.transaction() as conn:
            task = self._render(conn, self._row(conn, task_id))
            conn.execute("DELETE FROM task_employees WHERE task_id = ?", (task_id,))
            conn.execute("DELETE FROM tasks WHERE id = ?", (task_id,))
            self._store.tick(conn)
            return task

    def notify(self, task_id: int, body: dict[str, Any]) -> dict[str, Any]:
        with self._store.read() as conn:
            task = self._render(conn, self._row(conn, task_id))
        check_notification(body, bool(task["employees"]))
        return task

    # ------------------------------------------------------------------ jobs

    def active_jobs(self, customer_id: int) -> list[dict[str, Any]]:
        with self._store.read() as conn:
            if conn.execute("SELECT 1 FROM customers WHERE id = ?", (customer_id,)).fetchone() is None:
                raise RecordNotFound(customer_id)
            marks = ", ".join("?" for _ in ACTIVE_JOB_STATUSES)
            rows = conn.execute(f"SELECT id, name, status FROM jobs WHERE customer_id = ? AND status IN ({marks})"
                                " ORDER BY id", (customer_id, *ACTIVE_JOB_STATUSES)).fetchall()
            return [dict(row) for row in rows]
