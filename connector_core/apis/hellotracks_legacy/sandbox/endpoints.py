"""The legacy endpoints: every one is ``POST /api/<name>`` with ``{"data": {...}}`` (and an optional
``"ver": 2``), answered with HTTP 200 and a ``status`` first in the body.

Before an endpoint runs, an injected status (``POST /_sandbox/statuses``) answers instead; an
endpoint name the API does not have is status -99, as the API answers it. ``POST
/_sandbox/jobs/{id}/progress`` marks a job done, failed, active again or archived, which the
public API leaves to the worker's app.
"""

from __future__ import annotations

from typing import Any, Callable

from connector_core.sandbox.exchange import Request, Response
from connector_core.sandbox.personality import Endpoints
from connector_core.sandbox.store import Store
from connector_core.sandbox.validation import ValidationError, parse_json_object, query_dict

from . import statuses
from .jobs import parse_create, parse_query
from .statuses import StatusError, format_error
from .store import PROGRESS_VALUES, Company

Query = list[tuple[str, str]]
Handler = Callable[[dict[str, Any]], dict[str, Any]]
API_VERSION = 2


class LegacyApi:
    """The endpoints of one sandbox company."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.company = Company(store)

    def endpoint(self, handler: Handler | None) -> Callable[[Request, dict[str, str], Query], Response]:
        """An API endpoint: an injected status first, then the envelope, then `handler(data)`; without
        a handler, an endpoint the API does not have (-99, whatever the body)."""

        def serve(request: Request, params: dict[str, str], query: Query) -> Response:
            try:
                with self.store.transaction() as conn:
                    injected = statuses.take(conn)
                if injected is not None:
                    raise injected
                if handler is None:
                    raise StatusError(-99, f"Unknown request: {params['endpoint']}")
                query_dict(query, ())
                return Response(200, {"status": 0, **handler(_data(request.body))})
            except StatusError as error:
                return Response(200, error.body())

        return serve

    def getcompany(self, data: dict[str, Any]) -> dict[str, Any]:
        if data:
            raise format_error(f"{next(iter(data))} is an unknown field: getcompany takes no parameters")
        return {"company": self.company.company()}

    def getjobs(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"jobs": self.company.find(parse_query(data))}

    def createjobs(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"jobs": self.company.create(parse_create(data))}

    # ------------------------------------------------------------------ /_sandbox

    def inject_status(self, request: Request, params: dict[str, str], query: Query) -> Response:
        query_dict(query, ())
        status, count = statuses.parse_injection(parse_json_object(request.body))
        with self.store.transaction() as conn:
            statuses.inject(conn, status, count)
        return Response(200, {"data": {"status": status, "count": count}})

    def set_progress(self, request: Request, params: dict[str, str], query: Query) -> Response:
        query_dict(query, ())
        body = parse_json_object(request.body)
        progress = body.get("progress")
        if set(body) != {"progress"} or progress not in PROGRESS_VALUES:
            raise ValidationError('Expected {"progress": ...}, one of ' + ", ".join(PROGRESS_VALUES) + ".")
        return Response(200, {"data": self.company.set_progress(params["id"], progress)})


def _data(body: bytes) -> dict[str, Any]:
    """The envelope: an object with `data` (an object) and perhaps `ver`, nothing else."""
    try:
        envelope = parse_json_object(body)
    except ValidationError as error:
        raise format_error(error.message) from None
    for key in envelope:
        if key not in ("data", "ver"):
            raise format_error(f"{key} is an unknown field: the body is {{\"data\": {{...}}}}")
    if "ver" in envelope and envelope["ver"] != API_VERSION:
        raise format_error(f"ver must be {API_VERSION}")
    data = envelope.get("data")
    if not isinstance(data, dict):
        raise format_error('the body must carry the request in "data", an object')
    return data


def endpoints(store: Store) -> Endpoints:
    api = LegacyApi(store)
    return Endpoints(
        api=(
            (("getcompany",), {"POST": api.endpoint(api.getcompany)}),
            (("getjobs",), {"POST": api.endpoint(api.getjobs)}),
            (("createjobs",), {"POST": api.endpoint(api.createjobs)}),
            (("{endpoint}",), {"POST": api.endpoint(None)}),
        ),
        control=(
            (("statuses",), {"POST": api.inject_status}),
            (("jobs", "{id}", "progress"), {"POST": api.set_progress}),
        ),
    )
