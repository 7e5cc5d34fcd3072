"""Kickserv's tasks as the trigger simulation's timeline server plays them (connector_core/simulation).

Only what the runtime document cannot say: what a task looks like, what each scripted change does
to it (given the change's number on the record and its server time), and how `/tasks.json`'s
params filter tasks. Kickserv has no since filter, so New Task has no cursor: the engine still
stamps every version, and the server's scenario orders (by creation, by change, by id) stay hostile
to a walk from page 1; the real list is ordered by start time, which a change moves, so no order
is promised to the trigger either way.

The scenarios' changes, as a task can take them: `update` edits the description and moves the
start (so a list by start time reorders); a task has no progress of its own, so `complete`,
`fail` and `reopen` change its job's status (`completed`, `cancelled`, `scheduled`), which the
task renders, and `archive` cancels the job too (Kickserv archives no task); `delete` removes the
task (`DELETE /tasks/{id}`): it leaves the list.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

MAX_PAGE_SIZE = 100            # the sandbox's MAX_PER_PAGE
ZONE = timezone(timedelta(hours=-5))
HOUR = 3_600_000


def record_key(number: int) -> int:
    return 2_357_910 + number


def _time(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, ZONE).isoformat(timespec="milliseconds")


def new_record(number: int, at: int) -> dict[str, Any]:
    job = 34_769_000 + number % 7
    starts = at + (number * 7_919 % 240) * HOUR          # starts spread over ten days, not in creation order
    return {"job_id": job, "description": f"Task {number}", "starts_at": _time(starts),
            "ends_at": _time(starts + 2 * HOUR), "all_day": False, "created_at": _time(at), "updated_at": _time(at),
            "job": {"id": job, "job_number": 1000 + number % 7, "name": f"Job #{1000 + number % 7}", "status": "scheduled"},
            "customer": {"id": 13_579, "customer_number": 501, "name": "Olivia Martinez"}, "employees": []}


def _saved(task: dict[str, Any], at: int, **changes: Any) -> dict[str, Any]:
    return {**task, **changes, "updated_at": _time(at)}


def _job_status(status: str) -> Any:
    return lambda task, number, at: _saved(task, at, job={**task["job"], "status": status})


def _edit(task: dict[str, Any], number: int, at: int) -> dict[str, Any]:
    starts = at + (number * 104_729 % 240) * HOUR
    return _saved(task, at, description=f"{task['description'].split(' (')[0]} (edit {number})",
                  starts_at=_time(starts), ends_at=_time(starts + 2 * HOUR))


CHANGES = {
    "update": _edit,
    "complete": _job_status("completed"),
    "fail": _job_status("cancelled"),
    "reopen": _job_status("scheduled"),
    "archive": _job_status("cancelled"),
    "delete": lambda task, number, at: {**task, "_deleted": True},
}


def listed(task: dict[str, Any]) -> bool:
    return not task.get("_deleted")


FILTERS = {
    "job_id": lambda task, value: str(task["job_id"]) == str(value),
}


def render(task: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in task.items() if not key.startswith("_")}
