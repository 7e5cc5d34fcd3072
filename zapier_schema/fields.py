"""Zapier input and output fields from an operation's JSON Schemas.

Nested objects (`contact{name,email}`) become one flat field per property (`contact__email`),
each with its own label, help text, type and required flag: Zapier's `dict` fields are free
key/value pairs and `children` are line items (lists), neither a fixed object. The adapter
rebuilds the nested value from the flat keys before the kernel validates and sends it. So a list
of objects (`jobs: [{title, date}]`) is a line-item group (`children`, one level deep, as Zapier
allows), a list of plain values (`tags`) a `list` field of the item's type, and a free key/value
object (no properties) a `dict` field.

A dropdown whose option source reads inputs (`customer_id` for a customer's jobs) lists what the
form's current values select: each field it reads `altersDynamicFields` (Zapier reloads the
dropdown's choices when it changes) and comes just before the dropdown, so a user fills it first.
Not `dependsOn`: Zapier would disable the dropdown until those fields are filled, and a user may
as well map the dropdown's value (a job ID) from an earlier step without them.

The form's order is the spec's layout (`connector_core.spec.layout`): required fields first, the
rest of the main fields, then the `x-group: additional` ones in Zapier's "Additional Fields"
group. A destructive action opens with a `copy` field carrying its warning.
"""

from __future__ import annotations

from typing import Any

from connector_core.spec.layout import input_layout
from connector_core.spec.models import Operation, OptionSource
from zapier_schema.errors import GenerationError
from zapier_schema.keys import options_trigger_key, zapier_key
from zapier_schema.schemas import is_key_value, leaves, line_item_schema, types_of
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
    """A plain field needs a scalar type (a list of objects and a key/value object have fields of
    their own; a list of lists has none)."""
    kind = scalar_type(schema)
    if kind is None:
        raise GenerationError(f"{where}: type {schema.get('type')!r} has no Zapier input field type")
    return kind


def help_text(description: str | None, label: str) -> dict[str, str]:
    """`helpText` when the description says more than the label (Zapier check D011)."""
    return {"helpText": description} if description and not repeats_label(description, label) else {}


def input_field(operation: Operation, path: str, schema: dict[str, Any], required: bool) -> dict[str, Any]:
    """One field of the form: a line-item group, a key/value field, a list of values or a typed scalar field."""
    where = f"operation {operation.key!r}: input {path}"
    label = schema.get("title", path)
    items = line_item_schema(schema)
    values = schema.get("items", {}) if "array" in types_of(schema) and items is None else None
    if "[]." in path and (items is not None or values is not None or is_key_value(schema)):
        raise GenerationError(f"{where}: a Zapier line item holds plain fields only, not a list or a key/value object")
    if items is not None:
        return {"key": zapier_key(path, where), "label": label, "required": required,
                "children": required_first([input_field(operation, f"{path}[].{child}", sub, child_required)
                                            for child, sub, child_required in leaves(items)])}
    shown = schema if values is None else values  # a list of values: its items' type, choices and examples
    kind = "string" if is_key_value(schema) else field_type(shown, where)
    field: dict[str, Any] = {"key": zapier_key(path.rpartition("[].")[2], where), "label": label, "type": kind,
                             "required": required, **help_text(schema.get("description"), label)}
    if is_key_value(schema):
        field["dict"] = True
    if values is not None:
        field["list"] = True
    if shown.get("examples"):
        field["placeholder"] = str(shown["examples"][0])
    if "enum" in shown:
        field["choices"] = [str(choice) for choice in shown["enum"]]
    if "x-options" in schema:
        field["dynamic"] = f"{options_trigger_key(schema['x-options'])}.id.label"
    if "x-search" in schema:
        search, _, output = schema["x-search"].partition(".")
        field["search"] = f"{zapier_key(search, where)}.{zapier_key(output, where)}"
    return field


def required_first(fields: list[dict[str, Any]], leading: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """Stable: a required field nested in an object (or a line item) comes first too, and so does
    a field the shared layout puts just before a required dropdown that reads it (`leading`)."""
    return sorted(fields, key=lambda field: not (field["required"] or field["key"] in leading))


def warning_field(operation: Operation) -> dict[str, Any]:
    """A destructive action's warning, shown above its fields (a `copy` field holds no value)."""
    return {"key": WARNING_KEY, "label": "Warning", "type": "copy", "helpText": f"**Warning:** {operation.warning}"}


def input_fields(operation: Operation, sources: dict[str, OptionSource]) -> list[dict[str, Any]]:
    """The form a Zapier user fills in: the warning, required fields, the rest, Additional Fields."""
    main: list[dict[str, Any]] = []
    additional: list[dict[str, Any]] = []
    layouts = input_layout(operation)
    required = {layout.name for layout in layouts if layout.required}
    leading: set[str] = set()
    for layout in layouts:
        schema = {"properties": {layout.name: layout.schema}, "required": [layout.name] if layout.required else []}
        made = [input_field(operation, path, sub, needed) for path, sub, needed in leaves(schema)]
        if layout.leads in required:
            leading.update(field["key"] for field in made)
        (main if layout.group == "main" else additional).extend(made)
    fields = required_first(main, frozenset(leading)) + [{**field, "group": ADDITIONAL_GROUP["key"]}
                                                         for field in additional]
    keys = [field["key"] for field in fields] + [child["key"] for field in fields for child in field.get("children", [])]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise GenerationError(f"operation {operation.key!r}: Zapier needs unique field keys, line items' included; "
                              f"{repeated} repeat")
    fields = reloading_dropdowns(fields, dropdown_inputs(operation, sources))
    if not operation.destructive:
        return fields
    if any(field["key"] == WARNING_KEY for field in fields):
        raise GenerationError(f"operation {operation.key!r}: input {WARNING_KEY!r} is the key of the warning field")
    return [warning_field(operation), *fields]


def dropdown_inputs(operation: Operation, sources: dict[str, OptionSource]) -> dict[str, str]:
    """Each field an option source of this form reads -> the first field whose dropdown lists that
    source's choices (a line-item group when the dropdown is one of its fields)."""
    dropdowns = []
    for path, schema, _ in leaves(operation.input):
        items = line_item_schema(schema)
        dropdowns += [(path, sub) for _, sub, _ in leaves(items)] if items is not None else [(path, schema)]
    read: dict[str, str] = {}
    for path, schema in dropdowns:
        if "x-options" in schema:
            where = f"operation {operation.key!r}: input {path}"
            for name in sources[schema["x-options"]].input.get("properties", {}):
                read.setdefault(zapier_key(name, where), zapier_key(path, where))
    return read


def reloading_dropdowns(fields: list[dict[str, Any]], read: dict[str, str]) -> list[dict[str, Any]]:
    """Each field a dropdown reads reloads the form's dynamic parts when changed; the shared layout
    (`input_layout`) already puts it just before that dropdown."""
    return [{**field, "altersDynamicFields": True} if field["key"] in read else field for field in fields]


def input_field_groups(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The groups the fields name: Additional Fields when any field is in it."""
    return [ADDITIONAL_GROUP] if any(field.get("group") == ADDITIONAL_GROUP["key"] for field in fields) else []


def output_fields(operation: Operation) -> list[dict[str, Any]]:
    """Every property of the output schema, labelled; a trigger's dedupe key is primary."""
    primary = set(operation.polling.dedupe_key) if operation.polling else set()
    nested = sorted(key for key in primary if "." in key)
    if nested:
        raise GenerationError(f"operation {operation.key!r}: Zapier dedupes on top-level fields only, not {nested}")
    fields = output_leaves(operation, operation.output, "")
    for field in fields:
        if field["key"] in primary:
            field["primary"] = True
    missing = sorted(primary - {path for path, _, _ in leaves(operation.output)})
    if missing:
        raise GenerationError(f"operation {operation.key!r}: dedupe key(s) {missing} are not output properties")
    return fields


def output_leaves(operation: Operation, schema: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    """A field per leaf: a list of objects as line items (`children`, Zapier's own shape for them),
    a list of values as a `list` field of their type."""
    fields = []
    for path, sub, _ in leaves(schema):
        where = f"operation {operation.key!r}: output {prefix}{path}"
        field: dict[str, Any] = {"key": zapier_key(path, where), "label": sub.get("title", path)}
        items = line_item_schema(sub)
        if items is not None:
            fields.append({**field, "children": output_leaves(operation, items, f"{prefix}{path}[].")})
            continue
        if "array" in types_of(sub):
            field["list"] = True
            sub = sub.get("items", {})
        kind = scalar_type(sub)
        if kind:
            field["type"] = kind
        fields.append(field)
    return fields
