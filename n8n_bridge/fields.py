"""The input fields of an operation: which n8n parameter holds each one, and whether it is required."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from connector_core.spec.models import Operation, input_paths
from n8n_bridge.names import parameter_name


@dataclass(frozen=True)
class Field:
    path: str
    schema: dict[str, Any]
    required: bool

    @property
    def parameter(self) -> str:
        return parameter_name(self.path)


def input_fields(operation: Operation) -> list[Field]:
    """Leaf input properties in schema order; required only when every level is required."""
    fields = []
    for path in input_paths(operation.input):
        schema, required = _locate(operation.input, path)
        if schema.get("type") != "object":
            fields.append(Field(path, schema, required))
    return fields


def _locate(schema: dict[str, Any], path: str) -> tuple[dict[str, Any], bool]:
    required = True
    for part in path.split("."):
        required = required and part in schema.get("required", [])
        schema = schema["properties"][part]
    return schema, required
