"""Hellotracks' /v1 endpoints, and the one control endpoint its recordings need.

Every success is ``{"data": ...}``; a job comes back as ``{"data": {"items": [job]}}``, as the
real API answers. ``POST /_sandbox/jobs/{id}/progress`` marks a job success/failed/..., which
the public API cannot do.
"""

from __future__ import annotations

from typing import Any

from connector_core.sandbox.exchange import Request, Response
from connector_core.sandbox.personality import Endpoints
from connector_core.sandbox.store import Store
from connector_core.sandbox.validation import ValidationError, parse_json_object, query_dict

from .jobs import PROGRESS_VALUES
from .store import Company
from .validation import parse_job_filters, parse_member_query, validate_create, validate_patch

Query = list[tuple[str, str]]


def _items(*jobs: dict[str, Any]) -> Response:
    return Response(200, {"data": {"items": list(jobs)}})


class HellotracksApi:
    """The endpoints of one sandbox company."""

    def __init__(self, company: Company) -> None:
        self.company = company

    def whoami(self, request: Request, params: dict[str, str], query: Query) -> Response:
        query_dict(query, ())
        return Response(200, {"data": self.company.whoami()})

    def list_jobs(self, request: Request, params: dict[str, str], query: Query) -> Response:
        return _items(*self.company.list_jobs(parse_job_filters(query)))

    def create_job(self, request: Request, params: dict[str, str], query: Query) -> Response:
        """Create, or update the live job with the same externalId; 200 either way."""
        query_dict(query, ())
        changes = validate_create(parse_json_object(request.body), self.company.resolve_member)
        return _items(self.company.upsert_job(changes))

    def patch_job(self, request: Request, params: dict[str, str], query: Query) -> Response:
        query_dict(query, ())
        job_id, changes = validate_patch(parse_json_object(request.body), self.company.resolve_member)
        return _items(self.company.patch_job(job_id, changes))

    def get_job(self, request: Request, params: dict[str, str], query: Query) -> Response:
        query_dict(query, ())
        return _items(self.company.get_job(params["id"]))

    def delete_job(self, request: Request, params: dict[str, str], query: Query) -> Response:
        query_dict(query, ())
        self.company.delete_job(params["id"])
        return Response(200, {"data": {}})

    def archive_job(self, request: Request, params: dict[str, str], query: Query) -> Response:
        query_dict(query, ())
        return _items(self.company.archive_job(params["id"]))

    def members(self, request: Request, params: dict[str, str], query: Query) -> Response:
        parsed = parse_member_query(query)
        return Response(200, {"data": {"items": self.company.search_members(parsed.query, parsed.max)}})

    def set_progress(self, request: Request, params: dict[str, str], query: Query) -> Response:
        """Mark a job success/failed/...: the public API has no way to, recordings need it."""
        query_dict(query, ())
        body = parse_json_object(request.body)
        for key in body:
            if key != "progress":
                raise ValidationError(f"Unknown field {key}")
        progress = body.get("progress")
        if progress not in PROGRESS_VALUES:
            raise ValidationError("Invalid value for progress: expected one of " + ", ".join(PROGRESS_VALUES) + ".")
        return _items(self.company.set_progress(params["id"], progress))


def endpoints(store: Store) -> Endpoints:
    api = HellotracksApi(Company(store))
    return Endpoints(
        api=(
            (("auth", "whoami"), {"GET": api.whoami}),
            (("jobs",), {"GET": api.list_jobs, "POST": api.create_job, "PATCH": api.patch_job}),
            (("jobs", "{id}"), {"GET": api.get_job, "DELETE": api.delete_job}),
            (("jobs", "{id}", "archive"), {"POST": api.archive_job}),
            (("members",), {"GET": api.members}),
        ),
        control=((("jobs", "{id}", "progress"), {"POST": api.set_progress}),),
    )
