"""Hellotracks' legacy /api as the trigger simulation's timeline server plays it (connector_core/simulation).

Only what the runtime document cannot say: what a job looks like, what each scripted change does to
it (given the change's number on the record and its server time), and how getjobs' fixed body
params filter jobs. The scenarios' changes, as the sandbox's worker app and dispatcher make them:
`update` edits the dispatcher's notes; `complete` and `fail` set `tsDoneSuccess` / `tsDoneFailed`
(the other back to 0), `reopen` clears both; `archive` archives the job (listed only with
`includeArchived: 1`, which New Job sends); `delete`: the API has no delete, a job removed in the
app leaves every list (`listed`). Each write sets `tsSaved`; `tsCreated` is the cursor, stamped by
the engine. `data.sort.field` and `data.sort.ascending` ask for an order: the server keeps the
scenario's (the rules rely on none), so they filter nothing.
"""

from __future__ import annotations

from typing import Any

MAX_PAGE_SIZE = 1000   # the sandbox's MAX_SORT_LIMIT
WORKERS = ("anna@example.com", "ben@example.com", "")


def record_key(number: int) -> str:
    return f"{number:024x}"   # the API's ids are 24 hex digits


def new_record(number: int, at: int) -> dict[str, Any]:
    return {"destinationName": f"Job {number}", "day": 20260105 + number % 20, "worker": WORKERS[number % 3],
            "priority": number % 11, "tsDoneSuccess": 0, "tsDoneFailed": 0, "tsSaved": at}


def _saved(job: dict[str, Any], at: int, **changes: Any) -> dict[str, Any]:
    return {**job, **changes, "tsSaved": at}


CHANGES = {
    "update": lambda job, number, at: _saved(job, at, textDispatcher=f"edit {number}"),
    "complete": lambda job, number, at: _saved(job, at, tsDoneSuccess=at, tsDoneFailed=0),
    "fail": lambda job, number, at: _saved(job, at, tsDoneSuccess=0, tsDoneFailed=at),
    "reopen": lambda job, number, at: _saved(job, at, tsDoneSuccess=0, tsDoneFailed=0),
    "archive": lambda job, number, at: _saved(job, at, _archived=True),
    "delete": lambda job, number, at: {**job, "_deleted": True},
}


def listed(job: dict[str, Any]) -> bool:
    return not job.get("_deleted")


FILTERS = {
    "data.day": lambda job, value: value == -1 or job["day"] == value,
    "data.worker": lambda job, value: value == "*" or job["worker"].casefold() == str(value).casefold(),
    "data.includeArchived": lambda job, value: value == 1 or not job.get("_archived"),
    "data.sort.field": lambda job, value: value in job,
    "data.sort.ascending": lambda job, value: isinstance(value, bool),
}


def render(job: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in job.items() if not key.startswith("_")}
