"""Zapier input and output fields from an operation's JSON Schemas.

Nested objects (`contact{name,email}`) become one flat field per property (`contact__email`),
each with its own label, help text, type and required flag: Zapier's `dict` fields are free
key/value pairs and `children` are line items (lists), neither a fixed object. The runtime
rebuilds the nested value from the flat keys before validating and sending it.
"""

from __future__ import annotations

from typing import Any

from connector_core.spec.models import Operation
from zapier_schema.errors import GenerationError
from zapier_schema.keys import options_trigger_key, zapier_key
from zapier_schema.schemas import leaves, types_of

SCALAR_TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean"}


def scalar_type(schema: dict[str, Any]) -> str | None:
    """Zapier's type for a scalar schema (a date is a datetime field: a date picker), else None."""
    kinds = [kind for kind in types_of(schema) if kind != "null"]
    if len(kinds) != 1 or kinds[0] not in SCALAR_TYPES:
        return None
    return "datetime" if schema.get("format") == "date" else SCALAR_TYPES[kinds[0]]


def field_type(schema: dict[str, Any], where: str) -> str:
    """An input needs a scalar type: Zapier forms have no fixed-shape lists or objects."""
    kind = scalar_type(schema)
    if kind is None:
        raise GenerationError(f"{where}: type {schema.get('type')!r} has no Zapier input field type")
    return kind


def input_fields(operation: Operation) -> list[dict[str, Any]]:
    """The form a Zapier user fills in, in the input schema's property order."""
    fields = []
    for path, schema, required in leaves(operation.input):
        where = f"operation {operation.key!r}: input {path}"
        field: dict[str, Any] = {"key": zapier_key(path, where), "label": schema.get("title", path),
                                 "type": field_type(schema, where), "required": required}
        if schema.get("description"):
            field["helpText"] = schema["description"]
        if schema.get("examples"):
            field["placeholder"] = str(schema["examples"][0])
        if "enum" in schema:
            field["choices"] = [str(choice) for choice in schema["enum"]]
        if "x-options" in schema:
            field["dynamic"] = f"{options_trigger_key(schema['x-options'])}.id.label"
        fields.append(field)
    return fields


def output_fields(operation: Operation) -> list[dict[str, Any]]:
    """Every property of the output schema, labelled; a trigger's dedupe key is primary."""
    primary = set(operation.polling.dedupe_key) if operation.polling else set()
    nested = sorted(key for key in primary if "." in key)
    if nested:
        raise GenerationError(f"operation {operation.key!r}: Zapier dedupes on top-level fields only, not {nested}")
    fields = []
    for path, schema, _ in leaves(operation.output):
        where = f"operation {operation.key!r}: output {path}"
        field: dict[str, Any] = {"key": zapier_key(path, where), "label": schema.get("title", path)}
        if "array" in types_of(schema):
            field["list"] = True
            schema = schema.get("items", {})
        kind = scalar_type(schema)
        if kind:
            field["type"] = kind
        if path in primary:
            field["primary"] = True
        fields.append(field)
    missing = sorted(primary - {path for path, _, _ in leaves(operation.output)})
    if missing:
        raise GenerationError(f"operation {operation.key!r}: dedupe key(s) {missing} are not output properties")
    return fields
