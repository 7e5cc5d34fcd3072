"""The Zap editor's form of an operation, read from the generated `definition.json`.

For `connectors report`: each input field in the definition's order, with its label, required
mark, help text, its group (Additional Fields) and a fixed dropdown's choices or where a dynamic
one gets its values (a hidden trigger, `dynamic`; a search, `search`; a field a dropdown reads
reloads it, `altersDynamicFields`); a line-item group lists its fields, a `dict` field is key/value pairs; a `copy` field is the
warning text shown above the fields. The connection's test operation shows the connection's
fields (the definition's `authentication.fields`), which is what a user fills in to test it.
"""

from __future__ import annotations

import json
from typing import Any

from connector_core.document import connector_from_document
from connector_core.platforms import FormField
from zapier_schema import generate
from zapier_schema.keys import zapier_key

SECTIONS = ("triggers", "searches", "creates")


def form(document: dict[str, Any], operation_key: str) -> list[FormField] | None:
    """The operation's inputFields; None when the app has no trigger, search or action for it."""
    definition = json.loads(generate(document)["definition.json"])
    if operation_key == connector_from_document(document).connection.test:
        return [_field(field) for field in definition["authentication"].get("fields", [])]
    key = zapier_key(operation_key, "operation")
    entry = next((definition[section][key] for section in SECTIONS if key in definition.get(section, {})), None)
    if entry is None:
        return None
    groups = {group["key"]: group.get("label", group["key"]) for group in entry["operation"].get("inputFieldGroups", [])}
    return [_field(field, groups) for field in entry["operation"].get("inputFields", [])]


def _field(field: dict[str, Any], groups: dict[str, str] | None = None) -> FormField:
    sources = [f"{name}: {field[name]}" for name in ("dynamic", "search") if field.get(name)]
    if field.get("altersDynamicFields"):
        sources.append("reloads the dropdowns that read it")
    kind = _kind(field)
    if field.get("group"):
        kind += f" in {(groups or {}).get(field['group'], field['group'])}"
    return FormField(key=field["key"], label=field.get("label", field["key"]), required=bool(field.get("required")),
                     help=field.get("helpText", ""), kind=kind, choices=_choices(field.get("choices")),
                     source="; ".join(sources))


def _kind(field: dict[str, Any]) -> str:
    """The field's type as the Zap editor shows it: line items with their fields, key/value pairs, or a type."""
    if field.get("children"):
        return "line items of " + ", ".join(
            f"{child.get('label', child['key'])}{' (required)' if child.get('required') else ''}"
            for child in field["children"])
    if field.get("dict"):
        return "key/value pairs"
    return field.get("type", "string") + (" list" if field.get("list") else "")


def _choices(choices: Any) -> tuple[str, ...]:
    """Zapier's three ways to write choices: a list of values, {value: label}, or [{value, label}]."""
    if isinstance(choices, dict):
        return tuple(str(label) for label in choices.values())
    if isinstance(choices, list):
        return tuple(str(choice.get("label", choice.get("value"))) if isinstance(choice, dict) else str(choice)
                     for choice in choices)
    return ()
