"""Hellotracks as the trigger simulation's timeline server plays it (connector_core/simulation).

Only what the runtime document cannot say: what a job looks like, what each scripted change does to
it (given the change's number on the record and its server time), and how `/jobs`' fixed query
params filter jobs. Deleted jobs stay listed with
`includeArchived=true` (as the sandbox keeps them), marked by an internal `_deleted` never rendered.
"""

from __future__ import annotations

from typing import Any

MAX_PAGE_SIZE = 100


def record_key(number: int) -> str:
    return f"job{number:06d}"


def new_record(number: int, at: int) -> dict[str, Any]:
    return {"title": f"Job {number}", "progress": "scheduled", "priority": number % 10}


def _edit(job: dict[str, Any], number: int, at: int) -> dict[str, Any]:
    return {**job, "notes": f"edit {number}"}


def _progress(value: str) -> Any:
    return lambda job, number, at: {**job, "progress": value}


CHANGES = {
    "update": _edit,
    "complete": _progress("success"),
    "fail": _progress("failed"),
    "reopen": _progress("scheduled"),
    "archive": _progress("archived"),
    "delete": lambda job, number, at: {**job, "_deleted": True},
}


def _hidden(job: dict[str, Any]) -> bool:
    return job["progress"] == "archived" or bool(job.get("_deleted"))


FILTERS = {
    "includeArchived": lambda job, value: value == "true" or not _hidden(job),
    "progress": lambda job, value: job["progress"] == value,
}


def render(job: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in job.items() if not key.startswith("_")}
