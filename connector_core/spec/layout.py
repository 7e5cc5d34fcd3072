"""The order and grouping of an operation's input fields, decided once for every platform.

Each platform's reviewers ask for required fields first and rarely used ones tucked away (an
"additional fields" collection, advanced settings, fields after the main ones). Generators
read the form's layout from here so the three platforms show the same fields in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass
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


def input_layout(operation: Operation) -> list[LayoutField]:
    """Top-level input properties in display order: required ones (in spec order), then the other
    main ones (in spec order), then the `x-group: additional` ones (in spec order)."""
    required = set(operation.input.get("required", []))
    fields = [LayoutField(name, schema, name in required, schema.get("x-group", "main"))
              for name, schema in operation.input.get("properties", {}).items()]
    rank = {(True, "main"): 0, (False, "main"): 1, (False, "additional"): 2}
    return sorted(fields, key=lambda field: rank[(field.required, field.group)])
