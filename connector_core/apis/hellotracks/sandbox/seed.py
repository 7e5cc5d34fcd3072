"""Fixed data every sandbox starts with: the company and its members.

Members are hard-coded (not generated) so that a fresh database is identical
every time. Several names and emails deliberately overlap ("worker") because the
real member search is fuzzy and connectors must pick the exact match themselves.
"""

from __future__ import annotations

import sqlite3
from typing import Final, TypedDict


class Member(TypedDict):
    id: str
    username: str
    email: str
    name: str


COMPANY: Final[dict[str, str]] = {"id": "5a9c0e7d", "name": "Sandbox Field Services"}

#: The member ``GET /auth/whoami`` answers with (the API key's owner).
ADMIN_ID: Final = "ad00a1"

MEMBERS: Final[tuple[Member, ...]] = (
    {"id": ADMIN_ID, "username": "admin@example.com", "email": "admin@example.com", "name": "Sandbox Admin"},
    {"id": "ce2fg4", "username": "worker@example.com", "email": "worker@example.com", "name": "Worker Name"},
    {"id": "ce2fg5", "username": "worker2@example.com", "email": "worker2@example.com", "name": "Second Worker"},
    {"id": "d15p01", "username": "dispatcher@example.com", "email": "dispatcher@example.com", "name": "Dispatch Desk"},
    # A login-name username that differs from the email, as the API doc allows.
    {"id": "f1e1d7", "username": "lee.tech", "email": "lee@example.com", "name": "Lee Fieldworker"},
)


def seed(conn: sqlite3.Connection) -> None:
    """Insert the members (idempotent: a reopened file-backed sandbox keeps its rows)."""
    conn.executemany(
        "INSERT OR IGNORE INTO members (position, id, username, email, name) VALUES (?, ?, ?, ?, ?)",
        [(position, m["id"], m["username"], m["email"], m["name"]) for position, m in enumerate(MEMBERS)],
    )
