"""The job object and the two request shapes that touch it: what ``createjobs`` may write, what
``getjobs`` may ask for, each checked as strictly as the API's format rules.

A malformed value (a day sent as a string, a window of 930 written "09:30", a priority of 11, an
unknown field) is a format error (-1) naming the field as ``jobs[2].day`` or ``sort.limit``; values
that are well-formed but contradict each other (a window that ends before it starts, a team the
company does not have) are a data error (-11). Checks run in a fixed order, so the same bad request
always gets the same message. A job always renders every field, in the seed's order, so the same
job serialises to the same JSON (stable cassettes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Final

from .statuses import StatusError, format_error

#: Every field of a rendered job with the value a new job gets, in the API's order.
JOB_DEFAULTS: Final[dict[str, Any]] = {
    "assigneeName": "", "assigneeUsername": "", "carryOver": 1, "contactEmail": "", "contactName": "",
    "contactPhone": "", "confirmationEmails": "", "customFields": [], "day": 0, "destinationLat": 0,
    "destinationLng": 0, "destinationName": "", "destinationText": "", "dispatcherName": "", "dispatcherUid": "",
    "dispatcherUrl": "", "id": "", "inputFormConfig": "", "itemsToDropoff": 0, "itemsToPickup": 0, "label": "",
    "linkedForms": "", "linkedZones": "", "manualChecks": "", "number": 0, "onSiteSeconds": 720, "orderId": 0,
    "placeName": "", "placeUid": "", "placeUrl": "", "priority": 5, "radius": 100, "receiverUid": "",
    "scheduledEnd": 0, "scheduledStart": 0, "signatureName": "", "signaturePdf": "", "signatureSvg": "",
    "teamId": 0, "textDispatcher": "", "textReceiver": "", "tsAccepted": 0, "tsAssigned": 0, "tsCheckIn": 0,
    "tsCheckNFC1": 0, "tsCheckNFC2": 0, "tsCheckOut": 0, "tsCreated": 0, "tsDoneFailed": 0, "tsDoneSuccess": 0,
    "tsRejected": 0, "tsSaved": 0, "tsScheduled": 0, "tsSignature": 0, "type": 0, "uidSecondary": "",
    "windowEnd": 2400, "windowStart": 0, "worker": "", "workerName": "",
}

MAX_JOBS_PER_REQUEST: Final = 100
MAX_SORT_LIMIT: Final = 1000
TIMESTAMP_FIELDS: Final = tuple(field for field in JOB_DEFAULTS if field.startswith("ts"))
#: Fields getjobs can sort by: every scalar field of a job.
SORT_FIELDS: Final = tuple(field for field, value in JOB_DEFAULTS.items() if not isinstance(value, list))


def _integer(low: int, high: int | None = None) -> Callable[[Any], str | None]:
    rule = f"an integer from {low} to {high}" if high is not None else f"an integer of at least {low}"

    def check(value: Any) -> str | None:
        ok = _is_int(value) and value >= low and (high is None or value <= high)
        return None if ok else f"must be {rule}"

    return check


def _number(low: float, high: float) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and low <= value <= high
        return None if ok else f"must be a number from {low:g} to {high:g}"

    return check


def _string(value: Any) -> str | None:
    return None if isinstance(value, str) else "must be a string"


def _day(value: Any) -> str | None:
    return None if _is_int(value) and (value == 0 or is_day(value)) else "must be an integer YYYYMMDD naming a day, or 0"


def _time(end_of_day: int) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        ok = _is_int(value) and (value == end_of_day or (0 <= value < 2400 and value % 100 < 60))
        return None if ok else f"must be an integer HHMM from 0 to {end_of_day}"

    return check


#: What createjobs may write, each with its format rule.
WRITABLE: Final[dict[str, Callable[[Any], str | None]]] = {
    "type": _integer(0, 2),
    "teamId": _integer(0),
    "orderId": _integer(0),
    "destinationName": _string,
    "destinationText": _string,
    "destinationLat": _number(-90, 90),
    "destinationLng": _number(-180, 180),
    "day": _day,
    "windowStart": _time(2359),
    "windowEnd": _time(2400),
    "worker": _string,
    "priority": _integer(0, 10),
    "onSiteSeconds": _integer(0),
    "radius": _integer(0),
    "contactName": _string,
    "contactPhone": _string,
    "contactEmail": _string,
    "label": _string,
    "textDispatcher": _string,
    "uidSecondary": _string,
}

CREATE_FLAGS: Final = ("autoassign", "sendRouteChange")


@dataclass(frozen=True)
class CreateRequest:
    """Validated createjobs data. `sendRouteChange` is checked but changes nothing here: it notifies
    a worker's device, and the sandbox has none."""

    jobs: list[dict[str, Any]]  # per job, the fields it writes
    autoassign: bool = False


def parse_create(data: dict[str, Any]) -> CreateRequest:
    """Validate ``createjobs``' data: 1 to 100 job objects and the two flags."""
    _known(data, ("jobs", *CREATE_FLAGS), "")
    jobs = data.get("jobs")
    if not isinstance(jobs, list) or not 1 <= len(jobs) <= MAX_JOBS_PER_REQUEST:
        raise format_error(f"jobs must be a list of 1 to {MAX_JOBS_PER_REQUEST} jobs")
    for flag in CREATE_FLAGS:
        if flag in data and not isinstance(data[flag], bool):
            raise format_error(f"{flag} must be true or false")
    parsed = [_parse_job(job, f"jobs[{index}]") for index, job in enumerate(jobs)]
    return CreateRequest(parsed, data.get("autoassign") is True)


def _parse_job(job: Any, where: str) -> dict[str, Any]:
    if not isinstance(job, dict):
        raise format_error(f"{where} must be a job object")
    if "id" in job:
        raise format_error(f"{where}.id is set by Hellotracks; do not send it")
    for key in job:
        if key not in WRITABLE:
            state = "a read-only" if key in JOB_DEFAULTS else "an unknown"
            raise format_error(f"{where}.{key} is {state} field")
    for key, check in WRITABLE.items():
        problem = check(job[key]) if key in job else None
        if problem:
            raise format_error(f"{where}.{key} {problem}")
    return dict(job)


def check_consistent(job: dict[str, Any], where: str, teams: set[int]) -> None:
    """The rules between fields of a job as it will be saved (a data error, -11)."""
    if job["windowStart"] > job["windowEnd"]:
        raise StatusError(-11, f"Data error: {where}.windowStart {job['windowStart']} is after windowEnd "
                               f"{job['windowEnd']}")
    if job["teamId"] and job["teamId"] not in teams:
        raise StatusError(-11, f"Data error: {where}.teamId {job['teamId']} is not a team of the company")


# --------------------------------------------------------------------------- getjobs


@dataclass(frozen=True)
class Sort:
    """getjobs' `sort`: order, page (skip, limit) and a time window on the sort field."""

    field: str = "tsCreated"
    ascending: bool = True
    limit: int | None = None
    skip: int = 0
    since: int | None = None  # `from`: the sort field >= it
    until: int | None = None  # the sort field < it


@dataclass(frozen=True)
class JobQuery:
    """Validated getjobs data: which jobs, and how they are ordered and paged."""

    ids: tuple[str, ...] | None = None
    day: int | None = None  # None: today
    worker: str = "*"
    team: int | None = None
    order_ids: tuple[int, ...] | None = None
    success: bool = False
    active: bool = False
    include_archived: bool = False
    sort: Sort | None = None


GETJOBS_FIELDS: Final = ("id", "ids", "day", "worker", "team", "orderId", "orderIds", "progressSuccess",
                         "progressActive", "includeArchived", "sort")
SORT_KEYS: Final = ("field", "ascending", "limit", "skip", "from", "until", "status")


def parse_query(data: dict[str, Any]) -> JobQuery:
    """Validate ``getjobs``' data. Without a day it is today, unless ids or a sort are given."""
    _known(data, GETJOBS_FIELDS, "")
    ids = _ids(data)
    day = data.get("day")
    if "day" in data and not (_is_int(day) and (day in (-1, 0) or is_day(day))):
        raise format_error("day must be an integer YYYYMMDD, 0 (no date) or -1 (any day)")
    worker = data.get("worker", "*")
    if not isinstance(worker, str):
        raise format_error('worker must be a username, "" (unassigned) or "*" (every worker)')
    flags = {}
    for key in ("progressSuccess", "progressActive", "includeArchived"):
        if key in data and (isinstance(data[key], bool) or data[key] not in (0, 1)):
            raise format_error(f"{key} must be 0 or 1")
        flags[key] = data.get(key) == 1
    for key in ("team", "orderId"):
        problem = _integer(0)(data[key]) if key in data else None
        if problem:
            raise format_error(f"{key} {problem}")
    order_ids = data.get("orderIds")
    if order_ids is not None and (not isinstance(order_ids, list) or any(_integer(0)(o) for o in order_ids)):
        raise format_error("orderIds must be a list of integers")
    if "orderId" in data:
        order_ids = [data["orderId"]]
    sort = _sort(data["sort"]) if "sort" in data else None
    if day is None and (ids is not None or sort is not None):
        day = -1
    return JobQuery(ids=ids, day=day, worker=worker, team=data.get("team"),
                    order_ids=tuple(order_ids) if order_ids is not None else None,
                    success=flags["progressSuccess"], active=flags["progressActive"],
                    include_archived=flags["includeArchived"], sort=sort)


def _ids(data: dict[str, Any]) -> tuple[str, ...] | None:
    if "id" in data and "ids" in data:
        raise format_error("send id or ids, not both")
    if "id" in data:
        if not isinstance(data["id"], str) or not data["id"]:
            raise format_error("id must be a non-empty string")
        return (data["id"],)
    if "ids" in data:
        ids = data["ids"]
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) and i for i in ids):
            raise format_error("ids must be a non-empty list of job ids")
        return tuple(ids)
    return None


def _sort(sort: Any) -> Sort:
    if not isinstance(sort, dict):
        raise format_error("sort must be an object")
    _known(sort, SORT_KEYS, "sort.")
    field = sort.get("field", "tsCreated")
    if field not in SORT_FIELDS:
        raise format_error("sort.field must be a field of a job, such as tsCreated, priority or number")
    if not isinstance(sort.get("ascending", True), bool):
        raise format_error("sort.ascending must be true or false")
    for key, check in (("limit", _integer(1, MAX_SORT_LIMIT)), ("skip", _integer(0)), ("from", _integer(0)),
                       ("until", _integer(0))):
        problem = check(sort[key]) if key in sort else None
        if problem:
            raise format_error(f"sort.{key} {problem}")
    if ("from" in sort or "until" in sort) and field not in TIMESTAMP_FIELDS:
        raise format_error("sort.from and sort.until filter a timestamp: sort.field must be a ts field")
    if sort.get("status", -1) != -1:
        raise format_error("sort.status: the sandbox knows only -1 (all)")
    return Sort(field=field, ascending=sort.get("ascending", True), limit=sort.get("limit"),
                skip=sort.get("skip", 0), since=sort.get("from"), until=sort.get("until"))


# --------------------------------------------------------------------------- helpers


def is_day(value: int) -> bool:
    """An integer YYYYMMDD naming a real calendar day."""
    try:
        date(value // 10000, value // 100 % 100, value % 100)
    except ValueError:
        return False
    return 10000101 <= value <= 99991231


def day_number(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def _known(data: dict[str, Any], allowed: tuple[str, ...], prefix: str) -> None:
    for key in data:
        if key not in allowed:
            raise format_error(f"{prefix}{key} is an unknown field")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
