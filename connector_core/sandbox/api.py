"""The sandbox's HTTP semantics, independent of any socket: routing, auth, envelopes.

``SandboxApi.handle`` maps one parsed request to one response. Under ``/v1`` the
order is: authenticate, then consume an injected fault, then route (404/405),
then run the endpoint. ``/_sandbox/*`` is the control plane for recordings and
needs no key. Every answer is a JSON envelope: ``{"data": ...}`` on success,
``{"error": {"message": ...}}`` on failure. The API key is compared, never
repeated: no message, header or log line contains it.
"""

from __future__ import annotations

import hmac
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable, Final
from urllib.parse import parse_qsl, unquote

from .faults import FaultQueue, parse_fault
from .jobs import PROGRESS_VALUES
from .store import DuplicateExternalId, JobNotFound, Store
from .validation import (
    ValidationError,
    parse_job_filters,
    parse_json_object,
    parse_member_query,
    query_dict,
    validate_create,
    validate_patch,
)


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: str = ""
    api_key: str | None = None
    body: bytes = b""


@dataclass
class Response:
    status: int
    payload: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class HttpError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def error_payload(message: str) -> dict[str, Any]:
    return {"error": {"message": message}}


def _items(*jobs: dict[str, Any]) -> Response:
    return Response(200, {"data": {"items": list(jobs)}})


Handler = Callable[["SandboxApi", Request, dict[str, str], list[tuple[str, str]]], Response]


class SandboxApi:
    """One sandbox company's API over a store and a fault queue."""

    def __init__(self, store: Store, faults: FaultQueue, api_key: str) -> None:
        self.store = store
        self.faults = faults
        self._api_key = api_key.encode("utf-8")

    def handle(self, request: Request) -> Response:
        try:
            return self._dispatch(request)
        except HttpError as exc:
            return Response(exc.status, error_payload(exc.message), exc.headers)
        except ValidationError as exc:
            return Response(400, error_payload(exc.message))
        except JobNotFound as exc:
            return Response(404, error_payload(f"Job not found: {exc.job_id}"))
        except DuplicateExternalId as exc:
            return Response(
                400,
                error_payload(f"Duplicate value for job.externalId: {exc.external_id} already identifies job {exc.other_id}."),
            )
        except Exception:  # a sandbox bug: say so without leaking request data
            traceback.print_exc()
            return Response(500, error_payload("Internal sandbox error."))

    # ------------------------------------------------------------------ dispatch

    def _dispatch(self, request: Request) -> Response:
        segments = [unquote(part) for part in request.path.split("/")[1:]]
        if segments and segments[0] == "v1":
            self._authenticate(request.api_key)
            fault = self.faults.take()
            if fault is not None:
                headers = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
                raise HttpError(fault.status, fault.message, headers)
        handler, params = self._route(request.method, request.path, segments)
        pairs = parse_qsl(request.query, keep_blank_values=True)
        return handler(self, request, params, pairs)

    def _authenticate(self, supplied: str | None) -> None:
        if supplied is None or not supplied.strip():
            raise HttpError(401, "Missing API-Key header.")
        if not hmac.compare_digest(supplied.strip().encode("utf-8"), self._api_key):
            raise HttpError(401, "Invalid Hellotracks API key.")

    def _route(self, method: str, path: str, segments: list[str]) -> tuple[Handler, dict[str, str]]:
        for pattern, methods in ROUTES:
            params = _match(pattern, segments)
            if params is None:
                continue
            if method not in methods:
                raise HttpError(405, f"Method not allowed: {method} {path}", {"Allow": ", ".join(methods)})
            return methods[method], params
        raise HttpError(404, f"Not found: {method} {path}")

    # ------------------------------------------------------------------ /v1

    def whoami(self, request: Request, params: dict[str, str], query: list[tuple[str, str]]) -> Response:
        query_dict(query, ())
        return Response(200, {"data": self.store.whoami()})

    def list_jobs(self, request: Request, params: dict[str, str], query: list[tuple[str, str]]) -> Response:
        return _items(*self.store.list_jobs(parse_job_filters(query)))

    def create_job(self, request: Request, params: dict[str, str], query: list[tuple[str, str]]) -> Response:
        """Create, or update the live job with the same externalId; 200 either way."""
        query_dict(query, ())
        changes = validate_create(parse_json_object(request.body), self.store.resolve_member)
        return _items(self.store.upsert_job(changes))

    def patch_job(self, request: Request, params: dict[str, str], query: list[tuple[str, str]]) -> Response:
        query_dict(query, ())
        job_id, changes = validate_patch(parse_json_object(request.body), self.store.resolve_member)
        return _items(self.store.patch_job(job_id, changes))

    def get_job(self, request: Request, params: dict[str, str], query: list[tuple[str, str]]) -> Response:
        query_dict(query, ())
        return _items(self.store.get_job(params["id"]))

    def delete_job(self, request: Request, params: dict[str, str], query: list[tuple[str, str]]) -> Response:
        query_dict(query, ())
        self.store.delete_job(params["id"])
        return Response(200, {"data": {}})

    def archive_job(self, request: Request, params: dict[str, str], query: list[tuple[str, str]]) -> Response:
        query_dict(query, ())
        return _items(self.store.archive_job(params["id"]))

    def members(self, request: Request, params: dict[str, str], query: list[tuple[str, str]]) -> Response:
        parsed = parse_member_query(query)
        return Response(200, {"data": {"items": self.store.search_members(parsed.query, parsed.max)}})

    # ------------------------------------------------------------------ /_sandbox

    def get_faults(self, request: Request, params: dict[str, str], query: list[tuple[str, str]]) -> Response:
        query_dict(query, ())
        return Response(200, {"data": {"items": self.faults.describe()}})

    def add_fault(self, request: Request, params: dict[str, str], query: list[tuple[str, str]]) -> Response:
        query_dict(query, ())
        fault, count = parse_fault(parse_json_object(request.body))
        self.faults.add(fault, count)
        return Response(200, {"data": fault.describe(count)})

    def clear_faults(self, request: Request, params: dict[str, str], query: list[tuple[str, str]]) -> Response:
        query_dict(query, ())
        self.faults.clear()
        return Response(200, {"data": {}})

    def reset(self, request: Request, params: dict[str, str], query: list[tuple[str, str]]) -> Response:
        """Wipe jobs, restart clock and id counter, drop pending faults."""
        query_dict(query, ())
        self.store.reset()
        self.faults.clear()
        return Response(200, {"data": {}})

    def set_progress(self, request: Request, params: dict[str, str], query: list[tuple[str, str]]) -> Response:
        """Mark a job success/failed/...: the public API has no way to, recordings need it."""
        query_dict(query, ())
        body = parse_json_object(request.body)
        for key in body:
            if key != "progress":
                raise ValidationError(f"Unknown field {key}")
        progress = body.get("progress")
        if progress not in PROGRESS_VALUES:
            raise ValidationError("Invalid value for progress: expected one of " + ", ".join(PROGRESS_VALUES) + ".")
        return _items(self.store.set_progress(params["id"], progress))


def _match(pattern: tuple[str, ...], segments: list[str]) -> dict[str, str] | None:
    if len(pattern) != len(segments):
        return None
    params: dict[str, str] = {}
    for expected, actual in zip(pattern, segments):
        if expected.startswith("{"):
            if not actual:
                return None
            params[expected[1:-1]] = actual
        elif expected != actual:
            return None
    return params


ROUTES: Final[tuple[tuple[tuple[str, ...], dict[str, Handler]], ...]] = (
    (("v1", "auth", "whoami"), {"GET": SandboxApi.whoami}),
    (("v1", "jobs"), {"GET": SandboxApi.list_jobs, "POST": SandboxApi.create_job, "PATCH": SandboxApi.patch_job}),
    (("v1", "jobs", "{id}"), {"GET": SandboxApi.get_job, "DELETE": SandboxApi.delete_job}),
    (("v1", "jobs", "{id}", "archive"), {"POST": SandboxApi.archive_job}),
    (("v1", "members"), {"GET": SandboxApi.members}),
    (("_sandbox", "faults"), {"GET": SandboxApi.get_faults, "POST": SandboxApi.add_fault, "DELETE": SandboxApi.clear_faults}),
    (("_sandbox", "reset"), {"POST": SandboxApi.reset}),
    (("_sandbox", "jobs", "{id}", "progress"), {"POST": SandboxApi.set_progress}),
)
