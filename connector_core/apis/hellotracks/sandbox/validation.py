"""Turn untrusted job and query input into validated values, or one precise message.

The real API rejects unknown fields, so the sandbox is strict everywhere: a
connector that sends a misspelt field, a string where an integer belongs, or an
unknown query parameter should fail while its cassettes are being recorded, not
in a customer's workflow. Each message names the field (``job.<path>``) or the
query parameter and the rule that failed. Checks run in a fixed order so the
same bad input always yields the same message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Final, Iterable

from connector_core.sandbox.validation import ValidationError, query_dict, query_integer

from .jobs import NESTED_FIELDS, PROGRESS_VALUES, READ_ONLY_FIELDS, WRITABLE_FIELDS, Changes

#: Looks a username up among members; returns the member's canonical username.
MemberResolver = Callable[[str], str | None]

_DATE_RE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME_RE: Final = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_EMAIL_RE: Final = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_UINT_RE: Final = re.compile(r"^\d{1,15}$")

MAX_LIST_LIMIT: Final = 500
DEFAULT_LIST_LIMIT: Final = 100
DEFAULT_MEMBER_MAX: Final = 50


def validate_create(payload: dict[str, Any], resolve_member: MemberResolver) -> Changes:
    """Validate a ``POST /jobs`` body (create or upsert by externalId)."""
    _check_field_names(payload, allow_id=False)
    if payload.get("title") is None:
        raise ValidationError("Missing required field job.title.")
    return _validate_values(payload, resolve_member)


def validate_patch(payload: dict[str, Any], resolve_member: MemberResolver) -> tuple[str, Changes]:
    """Validate a ``PATCH /jobs`` body; returns the job id and the changes."""
    _check_field_names(payload, allow_id=True)
    job_id = payload.get("id")
    if job_id is None:
        raise ValidationError("Missing required field job.id.")
    if not isinstance(job_id, str) or not job_id:
        raise ValidationError("Invalid value for job.id: expected a non-empty string.")
    fields = {key: value for key, value in payload.items() if key != "id"}
    return job_id, _validate_values(fields, resolve_member)


def _check_field_names(payload: dict[str, Any], *, allow_id: bool) -> None:
    for key, value in payload.items():
        if key in READ_ONLY_FIELDS and not (allow_id and key == "id"):
            raise ValidationError(f"Read-only field job.{key} cannot be set.")
        if key not in WRITABLE_FIELDS and key not in READ_ONLY_FIELDS:
            raise ValidationError(f"Unknown field job.{key}")
        if key in NESTED_FIELDS and isinstance(value, dict):
            for inner in value:
                if inner not in NESTED_FIELDS[key]:
                    raise ValidationError(f"Unknown field job.{key}.{inner}")


def _validate_values(fields: dict[str, Any], resolve_member: MemberResolver) -> Changes:
    """Check every given field, in the fixed field order; None means "clear"."""
    changes: Changes = {}
    for field in WRITABLE_FIELDS:
        if field not in fields:
            continue
        value = fields[field]
        if value is None:
            if field == "title":
                raise ValidationError("Invalid value for job.title: expected a non-empty string.")
            changes[field] = None
        elif field in NESTED_FIELDS:
            changes[field] = _validate_nested(field, value)
        elif field == "assigneeUsername":
            _expect_string(field, value, non_empty=True)
            canonical = resolve_member(value)
            if canonical is None:
                raise ValidationError(f"Unknown member job.assigneeUsername: {value}")
            changes[field] = canonical
        elif field == "priority":
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
                raise ValidationError("Invalid value for job.priority: expected an integer from 0 to 10.")
            changes[field] = value
        elif field == "date":
            _expect_string(field, value)
            if not _is_iso_date(value):
                raise ValidationError("Invalid value for job.date: expected YYYY-MM-DD.")
            changes[field] = value
        else:
            _expect_string(field, value, non_empty=field in ("title", "externalId"))
            changes[field] = value
    return changes


def _validate_nested(field: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValidationError(f"Invalid value for job.{field}: expected an object.")
    out: dict[str, Any] = {}
    for key in NESTED_FIELDS[field]:
        if key not in value:
            continue
        inner = value[key]
        path = f"{field}.{key}"
        if inner is None:
            out[key] = None
            continue
        _expect_string(path, inner)
        if field == "timeWindow" and not _TIME_RE.match(inner):
            raise ValidationError(f"Invalid value for job.{path}: expected HH:mm.")
        if path == "contact.email" and not _EMAIL_RE.match(inner):
            raise ValidationError("Invalid value for job.contact.email: expected an email address.")
        out[key] = inner
    return out


def _expect_string(path: str, value: Any, *, non_empty: bool = False) -> None:
    if not isinstance(value, str) or (non_empty and not value):
        kind = "a non-empty string" if non_empty else "a string"
        raise ValidationError(f"Invalid value for job.{path}: expected {kind}.")


def _is_iso_date(value: str) -> bool:
    if not _DATE_RE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------- queries


@dataclass(frozen=True)
class JobFilters:
    """Validated ``GET /jobs`` query parameters."""

    created_since: int | None = None
    updated_since: int | None = None
    progress: str | None = None
    include_archived: bool = False
    limit: int = DEFAULT_LIST_LIMIT
    skip: int = 0
    external_id: str | None = None
    assignee_username: str | None = None


@dataclass(frozen=True)
class MemberQuery:
    """Validated ``GET /members`` query parameters."""

    query: str = ""
    max: int = DEFAULT_MEMBER_MAX


JOB_FILTER_PARAMS: Final = (
    "createdSince",
    "updatedSince",
    "progress",
    "includeArchived",
    "limit",
    "skip",
    "externalId",
    "assigneeUsername",
)


def parse_job_filters(pairs: Iterable[tuple[str, str]]) -> JobFilters:
    params = query_dict(pairs, JOB_FILTER_PARAMS)
    progress = params.get("progress")
    if progress is not None and progress not in PROGRESS_VALUES:
        raise ValidationError(
            "Invalid value for query parameter progress: expected one of " + ", ".join(PROGRESS_VALUES) + "."
        )
    include = params.get("includeArchived", "false")
    if include not in ("true", "false"):
        raise ValidationError("Invalid value for query parameter includeArchived: expected true or false.")
    return JobFilters(
        created_since=_opt_uint(params, "createdSince"),
        updated_since=_opt_uint(params, "updatedSince"),
        progress=progress,
        include_archived=include == "true",
        limit=query_integer(params, "limit", 1, MAX_LIST_LIMIT) or DEFAULT_LIST_LIMIT,
        skip=query_integer(params, "skip", 0) or 0,
        external_id=_opt_non_empty(params, "externalId"),
        assignee_username=_opt_non_empty(params, "assigneeUsername"),
    )


def parse_member_query(pairs: Iterable[tuple[str, str]]) -> MemberQuery:
    params = query_dict(pairs, ("query", "max"))
    return MemberQuery(
        query=params.get("query", ""),
        max=query_integer(params, "max", 1, MAX_LIST_LIMIT) or DEFAULT_MEMBER_MAX,
    )


def _opt_uint(params: dict[str, str], name: str) -> int | None:
    raw = params.get(name)
    if raw is None:
        return None
    if not _UINT_RE.match(raw):
        raise ValidationError(
            f"Invalid value for query parameter {name}: expected a non-negative integer (epoch milliseconds)."
        )
    return int(raw)


def _opt_non_empty(params: dict[str, str], name: str) -> str | None:
    raw = params.get(name)
    if raw is not None and not raw:
        raise ValidationError(f"Invalid value for query parameter {name}: expected a non-empty string.")
    return raw
