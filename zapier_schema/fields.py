"""Zapier input and output fields from an operation's JSON Schemas.

Nested objects (`contact{name,email}`) become one flat field per property (`contact__email`),
each with its own label, help text, type and required flag: Zapier's `dict` fields are free
key/value pairs and `children` are line items (lists), neither a fixed object. The runtime
rebuilds the nested value from the flat keys before validating and sending it.

The form's order is the spec's layout (`connector_core.spec.layout`): required fields first, the
rest of the main fields, then the `x-group: additional` ones in Zapier's "Additional Fields"
group. A destructive action opens with a `copy` field carrying its warning.
"""

from __future__ import annotations

from typing import Any

from connector_core.spec.layout import input_layout
from connector_core.spec.models import Operation
from zapier_schema.errors import GenerationError
from zapier_schema.keys import options_trigger_key, zapier_key
from zapier_schema.schemas import leaves, types_of
from zapier_schema.style import repeats_label

SCALAR_TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean"}
DATE_FORMATS = ("date", "date-time")
ADDITIONAL_GROUP = {"key": "additional", "label": "Additional Fields"}
WARNING_KEY = "destructive_warning"


def scalar_type(schema: dict[str, Any]) -> str | None:
    """Zapier's type for a scalar schema (a date or date-time is `datetime`: a date picker on input,
    a date Zapier can reformat on output), else None."""
    kinds = [kind for kind in types_of(schema) if kind != "null"]
    if len(kinds) != 1 or kinds[0] not in SCALAR_TYPES:
        return None
    return "datetime" if schema.get("format") in DATE_FORMATS else SCALAR_TYPES[kinds[0]]


def field_type(schema: dict[str, Any], where: str) -> str:
    """An input needs a scalar type: Zapier forms have no fixed-shape lists or objects."""
    kind = scalar_type(schema)
    if kind is None:
        raise GenerationError(f"{where}: type {schema.get('type')!r} has no Zapier input field type")
    return kind


def help_text(description: str | None, label: str) -> dict[str, str]:
    """`helpText` when the description says more than the label (Zapier check D011)."""
    return {"helpText": description} if description and not repeats_label(description, label) else {}


def input_field(operation: Operation, path: str, schema: dict[str, Any], required: bool) -> dict[str, Any]:
    where = f"operation {operation.key!r}: input {path}"
    label = schema.get("title", path)
    field: dict[str, Any] = {"key": zapier_key(path, where), "label": label,
                             "type": field_type(schema, where), "required": required,
                             **help_text(schema.get("description"), label)}
    if schema.get("examples"):
        field["placeholder"] = str(schema["examples"][0])
    if "enum" in schema:
        field["choices"] = [str(choice) for choice in schema["enum"]]
    if "x-options" in schema:
        field["dynamic"] = f"{options_trigger_key(schema['x-options'])}.id.label"
    if "x-search" in schema:
        search, _, output = schema["x-search"].partition(".")
        field["search"] = f"{zapier_key(search, where)}.{zapier_key(output, where)}"
    return field


def warning_field(operation: Operation) -> dict[str, Any]:
    """A destructive action's warning, shown above its fields (a `copy` field holds no value)."""
    return {"key": WARNING_KEY, "label": "Warning", "type": "copy", "helpText": f"**Warning:** {operation.warning}"}


def input_fields(operation: Operation) -> list[dict[str, Any]]:
    """The form a Zapier user fills in: the warning, required fields, the rest, Additional Fields."""
    main: list[dict[str, Any]] = []
    additional: list[dict[str, Any]] = []
    for layout in input_layout(operation):
        schema = {"properties": {layout.name: layout.schema}, "required": [layout.name] if layout.required else []}
        target = main if layout.group == "main" else additional
        target += [input_field(operation, path, sub, required) for path, sub, required in leaves(schema)]
    main.sort(key=lambda field: not field["required"])  # stable: a required field nested in an object first too
    fields = main + [{**field, "group": ADDITIONAL_GROUP["key"]} for field in additional]
    if not operation.destructive:
        return fields
    if any(field["key"] == WARNING_KEY for field in fields):
        raise GenerationError(f"operation {operation.key!r}: input {WARNING_KEY!r} is the key of the warning field")
    return [warning_field(operation), *fields]


def input_field_groups(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The groups the fields name: Additional Fields when any field is in it."""
    return [ADDITIONAL_GROUP] if any(field.get("group") == ADDITIONAL_GROUP["key"] for field in fields) else []


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
