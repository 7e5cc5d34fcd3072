"""A task write checked the way the API's Rails models check it, and a task as the API renders it.

A write is `{"task": {...}}`; what is wrong with it comes back as a 422 with every problem by
field (`{"errors": {"starts_at": ["can't be blank"]}}`; a notification's as sentences,
`{"errors": ["..."]}`), all problems at once, in the model's fixed order, so the same bad write
always yields the same answer. The sandbox is strict where
the real API would silently drop a field: an unknown attribute is refused, so a connector that
sends a misspelt field fails while its cassettes are recorded, not in a customer's workflow.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from connector_core.sandbox.exchange import HttpError

from .times import parse_time, render_time

#: Attributes a client may write, in the order their problems are reported.
WRITABLE: Final = ("job_id", "description", "starts_at", "ends_at", "all_day", "employee_ids")
NOTIFICATION_TYPES: Final = ("details", "on_the_way")

#: The stored row of a task: column -> value (times as epoch ms, all_day as 0/1).
Row = dict[str, Any]


class RecordInvalid(Exception):
    """A 422: the record's problems by attribute, as Rails renders `record.errors`, or as a list of
    full sentences (`errors.full_messages`), as the API's notify endpoint answers."""

    def __init__(self, errors: dict[str, list[str]] | list[str]) -> None:
        super().__init__(errors)
        self.errors = errors


class RecordNotFound(Exception):
    """A 404: no such task (or customer)."""


class ParameterMissing(HttpError):
    """A 400 for a required parameter that is absent or empty, in Rails' words."""

    def __init__(self, name: str) -> None:
        super().__init__(400, f"param is missing or the value is empty: {name}")


@dataclass(frozen=True)
class Known:
    """What a write may refer to: the ids of existing jobs and employees."""

    job: Callable[[int], bool]
    employee: Callable[[int], bool]


def task_attributes(body: Mapping[str, Any]) -> dict[str, Any]:
    """The `task` object of a write body (Rails' `params.require(:task)`)."""
    task = body.get("task")
    if not isinstance(task, dict) or not task:
        raise ParameterMissing("task")
    return task


def apply_write(current: Row | None, attributes: Mapping[str, Any], known: Known) -> tuple[Row, list[int] | None]:
    """The row after a create (`current` None) or an update, and the new employee ids (None: unchanged).

    Raises RecordInvalid with every problem found."""
    errors: dict[str, list[str]] = {}
    unknown = [name for name in attributes if name not in WRITABLE]
    if unknown:
        errors["base"] = [f"unknown attribute '{name}' for Task." for name in unknown]
    row: Row = dict(current or {"job_id": None, "description": None, "starts_at": None, "ends_at": None, "all_day": 0})
    if "job_id" in attributes:
        row["job_id"] = attributes["job_id"]
    if not _is_int(row["job_id"]) or not known.job(row["job_id"]):
        errors.setdefault("job", []).append("must exist")
    for name in ("starts_at", "ends_at"):
        if name in attributes:
            row[name] = _time(attributes[name], name, errors)
    if row["starts_at"] is None and "starts_at" not in errors:
        errors["starts_at"] = ["can't be blank"]
    if (row["starts_at"] is not None and row["ends_at"] is not None and "ends_at" not in errors
            and row["ends_at"] <= row["starts_at"]):
        errors["ends_at"] = ["must be after the start time"]
    if "description" in attributes:
        row["description"] = attributes["description"]
        if row["description"] is not None and not isinstance(row["description"], str):
            errors["description"] = ["is invalid"]
    if "all_day" in attributes:
        if not isinstance(attributes["all_day"], bool):
            errors["all_day"] = ["is not included in the list"]
        row["all_day"] = int(attributes["all_day"] is True)
    employees = attributes.get("employee_ids")
    if "employee_ids" in attributes and not (
            isinstance(employees, list) and all(_is_int(e) and known.employee(e) for e in employees)):
        errors["employees"] = ["is invalid"]
    if errors:
        raise RecordInvalid(errors)
    return row, (sorted(set(employees)) if employees is not None else None)


def check_notification(body: Mapping[str, Any], has_employees: bool) -> None:
    """A notify body: an optional known `notification_type`; without one, someone must be assigned.
    Its problems come back as full sentences."""
    kind = body.get("notification_type")
    errors = [f"Unknown parameter {name}" for name in body if name != "notification_type"]
    if kind is not None and kind not in NOTIFICATION_TYPES:
        errors.append("Notification type is not included in the list")
    elif kind is None and not has_employees:
        errors.append("No employee is assigned to this task")
    if errors:
        raise RecordInvalid(errors)


def render_task(row: Mapping[str, Any], job: Mapping[str, Any], customer: Mapping[str, Any],
                employees: list[Mapping[str, Any]]) -> dict[str, Any]:
    """The public JSON of a task with its glue records, in one fixed key order."""
    return {
        "id": row["id"],
        "job_id": row["job_id"],
        "description": row["description"],
        "starts_at": render_time(row["starts_at"]),
        "ends_at": render_time(row["ends_at"]),
        "all_day": bool(row["all_day"]),
        "created_at": render_time(row["created_at"]),
        "updated_at": render_time(row["updated_at"]),
        "job": {"id": job["id"], "job_number": job["job_number"], "name": job["name"], "status": job["status"]},
        "customer": {"id": customer["id"], "customer_number": customer["customer_number"], "name": customer["name"]},
        "employees": [{"id": e["id"], "employee_number": e["employee_number"], "name": e["name"]} for e in employees],
    }


def _time(value: Any, name: str, errors: dict[str, list[str]]) -> int | None:
    if value is None:
        return None
    try:
        if isinstance(value, str):
            return parse_time(value)
    except ValueError:
        pass
    errors[name] = ["is invalid"]
    return None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
