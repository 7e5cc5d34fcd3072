"""Kickserv's task endpoints, answered the API's way: bare JSON, 200 on create, 422 with Rails errors.

A task is addressed as `/tasks/<id>.json`: the engine's router captures whole path segments, so
the id is read out of `<id>.json` here, and anything else there (text, `..`) is the API's 404.
`job_list.json` is matched before that pattern, as Rails matches its named route first.
"""

from __future__ import annotations

import re
from typing import Any, Final

from connector_core.sandbox.exchange import Endpoint, Request, Response
from connector_core.sandbox.personality import Endpoints
from connector_core.sandbox.store import Store
from connector_core.sandbox.validation import ValidationError, parse_json_object, query_dict, query_integer

from .store import Account, TaskFilters
from .tasks import ParameterMissing, RecordInvalid, RecordNotFound, task_attributes
from .times import day_start

Query = list[tuple[str, str]]

#: What Rails answers for a record it cannot find, in JSON.
NOT_FOUND: Final = {"status": 404, "error": "Not Found"}
MAX_PER_PAGE: Final = 100
DEFAULT_PER_PAGE: Final = 25
TASK_FILTERS: Final = ("job_id", "from", "to", "mapping", "employee_number", "page", "per_page")

_UINT: Final = re.compile(r"^(\d{1,18})$")
_TASK_FILE: Final = re.compile(r"^(\d{1,18})\.json$")


def answering(endpoint: Endpoint) -> Endpoint:
    """The endpoint, with a record's problems answered 422 and a missing record 404, in the API's shapes."""
    def answer(request: Request, params: dict[str, str], query: Query) -> Response:
        try:
            return endpoint(request, params, query)
        except RecordInvalid as invalid:
            return Response(422, {"errors": invalid.errors})
        except RecordNotFound:
            return Response(404, dict(NOT_FOUND))
    return answer


class KickservApi:
    """The endpoints of one sandbox account."""

    def __init__(self, account: Account) -> None:
        self.account = account

    def list_tasks(self, request: Request, params: dict[str, str], query: Query) -> Response:
        return Response(200, self.account.list_tasks(parse_task_filters(query)))

    def create_task(self, request: Request, params: dict[str, str], query: Query) -> Response:
        """Creates answer 200 (not 201), as the API does."""
        query_dict(query, ())
        return Response(200, self.account.create_task(_task_write(request)))

    def get_task(self, request: Request, params: dict[str, str], query: Query) -> Response:
        query_dict(query, ())
        return Response(200, self.account.get_task(_task_id(params["task"], _TASK_FILE)))

    def update_task(self, request: Request, params: dict[str, str], query: Query) -> Response:
        query_dict(query, ())
        task_id = _task_id(params["task"], _TASK_FILE)
        return Response(200, self.account.update_task(task_id, _task_write(request)))

    def delete_task(self, request: Request, params: dict[str, str], query: Query) -> Response:
        query_dict(query, ())
        return Response(200, self.account.delete_task(_task_id(params["task"], _TASK_FILE)))

    def notify_task(self, request: Request, params: dict[str, str], query: Query) -> Response:
        query_dict(query, ())
        body = parse_json_object(request.body) if request.body.strip() else {}
        return Response(200, self.account.notify(_task_id(params["task"], _UINT), body))

    def job_list(self, request: Request, params: dict[str, str], query: Query) -> Response:
        """The customer's active jobs, a bare array of {id, name, status}."""
        customer = query_dict(query, ("customer_id",)).get("customer_id", "")
        if not customer:
            raise ParameterMissing("customer_id")
        if not _UINT.match(customer):
            raise RecordNotFound(customer)
        return Response(200, self.account.active_jobs(int(customer)))


def parse_task_filters(query: Query) -> TaskFilters:
    """`GET /tasks.json`'s query; `employee_number` counts only with `mapping=true` (the map view)."""
    given = query_dict(query, TASK_FILTERS)
    mapping = given.get("mapping", "false")
    if mapping not in ("true", "false"):
        raise ValidationError("Invalid value for query parameter mapping: expected true or false.")
    return TaskFilters(
        job_id=query_integer(given, "job_id", 1),
        starts_from=_day(given, "from"),
        starts_before=_day(given, "to"),
        employee_number=query_integer(given, "employee_number", 0) if mapping == "true" else None,
        page=query_integer(given, "page", 1) or 1,
        per_page=query_integer(given, "per_page", 1, MAX_PER_PAGE) or DEFAULT_PER_PAGE,
    )


def _day(given: dict[str, str], name: str) -> int | None:
    raw = given.get(name)
    if raw is None:
        return None
    try:
        return day_start(raw)
    except ValueError:
        raise ValidationError(f"Invalid value for query parameter {name}: expected a date YYYY-MM-DD.") from None


def _task_write(request: Request) -> dict[str, Any]:
    """The attributes of a `{"task": {...}}` body, which holds nothing else."""
    body = parse_json_object(request.body)
    attributes = task_attributes(body)
    for key in body:
        if key != "task":
            raise ValidationError(f"Unknown parameter: {key}")
    return attributes


def _task_id(segment: str, pattern: re.Pattern[str]) -> int:
    found = pattern.match(segment)
    if found is None:
        raise RecordNotFound(segment)
    return int(found.group(1))


def endpoints(store: Store) -> Endpoints:
    api = KickservApi(Account(store))
    return Endpoints(api=(
        (("tasks.json",), {"GET": answering(api.list_tasks), "POST": answering(api.create_task)}),
        (("tasks", "job_list.json"), {"GET": answering(api.job_list)}),
        (("tasks", "{task}"), {"GET": answering(api.get_task), "PUT": answering(api.update_task),
                               "DELETE": answering(api.delete_task)}),
        (("tasks", "{task}", "notify.json"), {"POST": answering(api.notify_task)}),
    ))
