"""Fixed data every sandbox starts with: the company (``getcompany``) and its members.

Hard-coded, not generated, so that a fresh database is identical every time. The sandbox's account
time zone is UTC: "today" (getjobs' default day) is the sandbox clock's UTC date.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Final, TypedDict


class Member(TypedDict):
    username: str
    name: str
    team: int  # 0: no team
    worker: bool  # does field work (autoassign picks among these)


COMPANY: Final[dict[str, Any]] = {
    "uid": "5a9c0e7d",
    "username": "company@example.com",
    "type": "company",
    "name": "Sandbox Field Services",
    "email": "ops@example.com",
    "phone": "+14155551234",
    "address": "1 Market St, San Francisco, CA",
    "teams_config": [
        {"id": 1, "name": "North Team", "working_hours": {"source": "default"}},
        {"id": 2, "name": "South Team", "working_hours": {"source": "default"}},
    ],
}

MEMBERS: Final[tuple[Member, ...]] = (
    {"username": "admin@example.com", "name": "Sandbox Admin", "team": 0, "worker": False},
    {"username": "worker@example.com", "name": "Worker Name", "team": 1, "worker": True},
    {"username": "worker2@example.com", "name": "Second Worker", "team": 2, "worker": True},
    # A login-name username that differs from an email, as the API allows.
    {"username": "lee.tech", "name": "Lee Fieldworker", "team": 1, "worker": True},
)

SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS members (
    position INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    team INTEGER NOT NULL,
    worker INTEGER NOT NULL
);
"""


def seed(conn: sqlite3.Connection) -> None:
    """Insert the members (idempotent: a reopened file-backed sandbox keeps its rows)."""
    conn.executemany(
        "INSERT OR IGNORE INTO members (position, username, name, team, worker) VALUES (?, ?, ?, ?, ?)",
        [(position, m["username"], m["name"], m["team"], int(m["worker"])) for position, m in enumerate(MEMBERS)],
    )
