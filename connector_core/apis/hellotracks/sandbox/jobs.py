"""The job document: which fields exist, how changes merge, how a job renders.

Stored jobs hold only client-writable fields; the read-only ones (id, progress,
timestamps, assignee) live in their own columns and are added on rendering.
Rendering uses one fixed key order and omits unset fields so that the same job
always serialises to the same JSON (stable cassettes).
"""

from __future__ import annotations

from typing import Any, Final, Mapping

from .seed import Member

#: Client-writable top-level fields, in rendering order.
WRITABLE_FIELDS: Final = (
    "externalId",
    "title",
    "address",
    "notes",
    "date",
    "assigneeUsername",
    "priority",
    "contact",
    "timeWindow",
    "placeId",
)

#: Writable fields that are objects, with their keys in rendering order.
NESTED_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "contact": ("name", "phone", "email"),
    "timeWindow": ("start", "end"),
}

READ_ONLY_FIELDS: Final = ("id", "progress", "createdAt", "updatedAt", "assignee")

PROGRESS_VALUES: Final = ("scheduled", "success", "failed", "archived")

#: A validated change set: field -> new value, or None to clear the field.
#: Nested fields map to a dict of key -> value-or-None that merges into the
#: existing object.
Changes = dict[str, Any]


def apply_changes(current: Mapping[str, Any], changes: Changes) -> dict[str, Any]:
    """Merge a change set into a stored job document and return the new document.

    ``None`` clears a field (or a nested key); nested objects merge key by key;
    a nested object left empty disappears, so "never set" and "cleared" look alike.
    """
    merged: dict[str, Any] = {key: value for key, value in current.items()}
    for field, value in changes.items():
        if value is None:
            merged.pop(field, None)
        elif field in NESTED_FIELDS:
            inner = dict(merged.get(field) or {})
            for key, inner_value in value.items():
                if inner_value is None:
                    inner.pop(key, None)
                else:
                    inner[key] = inner_value
            if inner:
                merged[field] = {k: inner[k] for k in NESTED_FIELDS[field] if k in inner}
            else:
                merged.pop(field, None)
        else:
            merged[field] = value
    return {field: merged[field] for field in WRITABLE_FIELDS if field in merged}


def render_job(
    *,
    job_id: str,
    document: Mapping[str, Any],
    progress: str,
    created_at: int,
    updated_at: int,
    assignee: Member | None,
) -> dict[str, Any]:
    """The public JSON shape of a job, in a fixed key order, unset fields omitted."""
    out: dict[str, Any] = {"id": job_id}
    for field in WRITABLE_FIELDS:
        if field in document:
            out[field] = document[field]
        if field == "assigneeUsername" and assignee is not None:
            out["assignee"] = dict(assignee)
    out["progress"] = progress
    out["createdAt"] = created_at
    out["updatedAt"] = updated_at
    return out
