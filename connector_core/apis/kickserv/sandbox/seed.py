"""Fixed data every sandbox starts with: one account's employees, customers, jobs and a few tasks.

Kickserv has no public way to make customers, jobs or employees through the task endpoints, so
they are seeded; tasks are what the connector creates. Ids are integers in the API's style, and
the task id counter starts past the seeded tasks so a fresh database is identical every time.
Jobs with a finished status are there so `job_list` has something to leave out.
"""

from __future__ import annotations

import sqlite3
from typing import Final

from .times import parse_time

#: (id, employee_number, name)
EMPLOYEES: Final = (
    (410001, 1, "Dana Owner"),
    (410002, 4, "Lee Fieldworker"),
    (410003, 7, "Sam Apprentice"),
)

#: (id, customer_number, name)
CUSTOMERS: Final = (
    (1300101, 501, "Olivia Martinez"),
    (1300102, 502, "Harbor View Apartments"),
    (1300103, 503, "New Lead Without Jobs"),
)

#: (id, customer_id, job_number, name, status); job_list shows the active statuses only.
JOBS: Final = (
    (2200201, 1300101, 1001, "Job #1001: Water heater replacement", "scheduled"),
    (2200202, 1300101, 24601, "Opportunity #24601: Bathroom remodel", "new"),
    (2200203, 1300101, 998, "Job #998: Kitchen leak repair", "completed"),
    (2200204, 1300102, 1002, "Job #1002: Boiler service", "in_progress"),
    (2200205, 1300102, 1003, "Job #1003: Gutter cleaning", "cancelled"),
)
ACTIVE_JOB_STATUSES: Final = ("new", "estimate_sent", "estimate_viewed", "scheduled", "in_progress")

_SEED_WRITE_MS: Final = 1_775_030_400_000  # 2026-04-01T08:00:00Z, before the deterministic clock starts

#: (id, job_id, description, starts_at, ends_at, all_day, employee ids): as a client would send them.
TASKS: Final = (
    (3300301, 2200201, "Remove the old water heater", "2026-05-04T08:00:00-05:00", "2026-05-04T10:00:00-05:00",
     False, (410002,)),
    (3300302, 2200201, "Install the new water heater", "2026-05-05T09:00:00-05:00", "2026-05-05T12:00:00-05:00",
     False, (410002, 410003)),
    (3300303, 2200204, "Annual boiler inspection", "2026-05-01T13:00:00-05:00", None, False, (410001,)),
)
LAST_SEEDED_TASK_ID: Final = 3300303


def seed(conn: sqlite3.Connection) -> None:
    """Insert the fixed rows (idempotent: a reopened file-backed sandbox keeps its own)."""
    conn.executemany("INSERT OR IGNORE INTO employees (id, employee_number, name) VALUES (?, ?, ?)", EMPLOYEES)
    conn.executemany("INSERT OR IGNORE INTO customers (id, customer_number, name) VALUES (?, ?, ?)", CUSTOMERS)
    conn.executemany("INSERT OR IGNORE INTO jobs (id, customer_id, job_number, name, status) VALUES (?, ?, ?, ?, ?)",
                     JOBS)
    for number, (task_id, job_id, description, starts_at, ends_at, all_day, employees) in enumerate(TASKS):
        written = _SEED_WRITE_MS + number * 60_000
        inserted = conn.execute(
            "INSERT OR IGNORE INTO tasks (id, job_id, description, starts_at, ends_at, all_day, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (task_id, job_id, description, parse_time(starts_at), ends_at and parse_time(ends_at), int(all_day),
             written, written),
        ).rowcount
        if inserted:
            conn.executemany("INSERT INTO task_employees (task_id, employee_id) VALUES (?, ?)",
                             [(task_id, employee) for employee in employees])
    conn.execute("INSERT OR IGNORE INTO counters (name, value) VALUES ('tasks', ?)", (LAST_SEEDED_TASK_ID,))
