"""Make's Limit: how many bundles a module that outputs many gives in one run.

Make's best practices ask every search and polling trigger for a `limit` parameter that the
response's `limit` directive reads. Its default, 10, is what the form shows; left empty, the
module outputs all a run reads (3200 records, where Make's pagination stops). When the spec's
input already has an integer `limit` (an API that takes one), that input is the module's Limit:
it is sent to the API and bounds the output alike. A trigger's further items are not lost:
Make stores the last item it output and the next run continues after it.
"""

from __future__ import annotations

from typing import Any

from connector_core.spec.models import Operation, Resource
from make_blueprints import iml
from make_blueprints.unsupported import Unsupported

NAME = "limit"
DEFAULT = 10
# The records one run reads and outputs at most: Make's pagination stops at 3200 (its best
# practices for polling triggers).
RUN_RECORDS = 3200


def outputs_many(operation: Operation) -> bool:
    """A trigger, or a search or list that returns every record it finds."""
    return operation.kind == "trigger" or (operation.kind in ("search", "list") and operation.response.returns_list)


def parameter(operation: Operation, resource: Resource) -> dict[str, Any] | None:
    """The Limit parameter the module gains (last in its form); None when it outputs one record or
    its own `limit` input serves (an input named `limit` that is no integer refuses the build)."""
    if not outputs_many(operation):
        return None
    own = operation.input.get("properties", {}).get(NAME)
    if own is not None:
        if own.get("type") != "integer":
            raise Unsupported(f"operation {operation.key}", f"input {NAME}",
                              "Make's Limit parameter has this name; an input called limit must be an integer")
        return None
    plural = resource.plural.lower()
    later = f" The rest follow in the next runs.{_unread(operation, plural)}" if operation.kind == "trigger" else ""
    return {"name": NAME, "label": "Limit", "type": "uinteger", "required": False, "default": DEFAULT,
            "help": f"The most {plural} one run outputs (empty: all it reads, up to {RUN_RECORDS}).{later}",
            "validate": {"min": 1}}


def _unread(operation: Operation, plural: str) -> str:
    """What a trigger's run cannot read is never output (Make cannot resume a walk it cut short):
    said where the user sets the limit, so they schedule the scenario to stay under it."""
    if operation.polling is not None and operation.polling.cursor is None:
        return f" A run reads the first {RUN_RECORDS} {plural} of the list: one listed beyond them is never output."
    return (f" A run reads at most {RUN_RECORDS} {plural}: when more are new or changed between two runs, those "
            "it did not read are never output, so schedule the scenario often enough.")


def directive() -> str:
    """The response's `limit`: the module's Limit, else all a run reads."""
    return iml.wrap(f"ifempty(parameters.{NAME}, {RUN_RECORDS})")
