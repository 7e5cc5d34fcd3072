"""The input fields of an operation as n8n parameters: which parameter holds each one, whether it
is required, and whether it sits on the form or in the "Additional Fields" collection.

Order and groups are the spec's (`input_layout`: required first, the `additional` group last);
an object input is one parameter per leaf. One rule is n8n's own: an optional field n8n cannot
leave blank (a number, a boolean, a fixed list of choices, a list: their parameters always hold a
value, which would be sent) goes into the collection, where it is sent only once the user adds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from connector_core.spec.layout import input_layout
from connector_core.spec.models import Operation, input_paths
from n8n_bridge.names import parameter_name


@dataclass(frozen=True)
class Field:
    path: str
    schema: dict[str, Any]
    required: bool
    additional: bool  # an entry of the "Additional Fields" collection, not a parameter of its own

    @property
    def parameter(self) -> str:
        return parameter_name(self.path)

    @property
    def locator(self) -> bool:
        """An ID with a dropdown source and a search that finds it: n8n's resource locator."""
        return "x-options" in self.schema and "x-search" in self.schema


def may_stay_blank(schema: dict[str, Any]) -> bool:
    """Whether n8n's parameter for the schema can be left empty (free text or a dynamic choice)."""
    return "x-options" in schema or (schema.get("type") == "string" and "enum" not in schema)


def input_fields(operation: Operation) -> list[Field]:
    """Leaf input properties in the layout's order; required only when every level is required."""
    paths = input_paths(operation.input)
    fields = []
    for placed in input_layout(operation):
        for path in paths:
            if path != placed.name and not path.startswith(placed.name + "."):
                continue
            schema, required = _locate(operation.input, path)
            if schema.get("type") == "object":
                continue
            additional = placed.group == "additional" or (not required and not may_stay_blank(schema))
            fields.append(Field(path, schema, required, additional))
    return fields


def _locate(schema: dict[str, Any], path: str) -> tuple[dict[str, Any], bool]:
    required = True
    for part in path.split("."):
        required = required and part in schema.get("required", [])
        schema = schema["properties"][part]
    return schema, required
