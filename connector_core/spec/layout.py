"""The order and grouping of an operation's input fields, decided once for every platform.

Each platform's reviewers ask for required fields first and rarely used ones tucked away (an
"additional fields" collection, advanced settings, fields after the main ones). Generators
read the form's layout from here so the three platforms show the same fields in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from connector_core.spec.models import Operation

Group = Literal["main", "additional"]


@dataclass(frozen=True)
class LayoutField:
    """One top-level input property as a form shows it."""

    name: str
    schema: dict[str, Any]
    required: bool
    group: Group
    leads: str | None = None  # the dropdown it stands just before, because that dropdown reads it


def input_layout(operation: Operation) -> list[LayoutField]:
    """Top-level input properties in display order: required ones (in spec order), then the other
    main ones (in spec order), then the `x-group: additional` ones (in spec order). A field that a
    dropdown reads (the customer whose jobs a Job dropdown lists) stands just before that dropdown,
    in its group and rank, so every platform asks for it first."""
    required = set(operation.input.get("required", []))
    fields = [LayoutField(name, schema, name in required, schema.get("x-group", "main"))
              for name, schema in operation.input.get("properties", {}).items()]
    rank = {(True, "main"): 0, (False, "main"): 1, (False, "additional"): 2}
    ordered = sorted(fields, key=lambda field: rank[(field.required, field.group)])
    for name, dropdown in operation.dropdown_reads.items():
        names = [field.name for field in ordered]
        if names.index(name) < names.index(dropdown):
            continue
        led = ordered.pop(names.index(name))
        target = names.index(dropdown)  # the dropdown's index once `led`, which stood after it, is gone
        ordered.insert(target, replace(led, group=ordered[target].group, leads=dropdown))
    return ordered
