"""n8n node parameters from an operation's input JSON Schema.

A parameter only holds a value: nothing is routed from it. The adapter reads the parameters into
the input object the spec names (`parameters.ts`) and the kernel builds the whole request.
"""

from __future__ import annotations

from typing import Any

from connector_core.spec.models import Operation
from n8n_bridge.fields import Field, input_fields
from n8n_bridge.names import camel, help_text, title


DYNAMIC_OPTIONS_HELP = ('Choose from the list, or specify an ID using an '
                        '<a href="https://docs.n8n.io/code/expressions/">expression</a>')


def option_loader(source: str) -> str:
    """The `methods.loadOptions` entry that lists an option source (`members` → `getMembers`)."""
    return camel(f"get_{source}")


def parameter(field: Field, show: dict[str, list[str]] | None) -> dict[str, Any]:
    """One n8n parameter: display name, type, default and help."""
    schema = field.schema
    prop: dict[str, Any] = {"displayName": schema.get("title", field.path), "name": field.parameter}
    prop.update(_type(schema))
    if field.required and show is not None:
        prop["required"] = True
    if show is not None:
        prop["displayOptions"] = {"show": show}
    if "x-options" in schema:
        prop["displayName"] += " Name or ID"
        prop["description"] = help_text(" ".join(filter(None, [schema.get("description"), DYNAMIC_OPTIONS_HELP])))
    elif "description" in schema:
        prop["description"] = help_text(schema["description"])
    return prop


def _type(schema: dict[str, Any]) -> dict[str, Any]:
    if "x-options" in schema:
        return {"type": "options", "typeOptions": {"loadOptionsMethod": option_loader(schema["x-options"])},
                "default": ""}
    if "enum" in schema:
        choices = sorted(({"name": title(str(value)), "value": value} for value in schema["enum"]),
                         key=lambda choice: choice["name"])
        return {"type": "options", "options": choices, "default": choices[0]["value"]}
    kind = schema.get("type")
    if kind == "array":
        return {"type": "string", "typeOptions": {"multipleValues": True}, "default": []}
    if kind in ("integer", "number"):
        options: dict[str, Any] = {}
        if "minimum" in schema:
            options["minValue"] = schema["minimum"]
        if "maximum" in schema:
            options["maxValue"] = schema["maximum"]
        if kind == "integer":
            options["numberPrecision"] = 0
        typed: dict[str, Any] = {"type": "number", "default": schema.get("minimum", 0)}
        return {**typed, "typeOptions": options} if options else typed
    if kind == "boolean":
        return {"type": "boolean", "default": False}
    typed = {"type": "string", "default": ""}
    if schema.get("format") == "email":
        typed["placeholder"] = "name@email.com"
    elif schema.get("examples"):
        typed["placeholder"] = f"e.g. {schema['examples'][0]}"
    return typed


def operation_parameters(operation: Operation, show: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Required fields on their own; optional ones in an "Additional Fields" collection."""
    fields = input_fields(operation)
    required = [parameter(field, show) for field in fields if field.required]
    optional = sorted((parameter(field, None) for field in fields if not field.required),
                      key=lambda prop: prop["displayName"].lower())
    if optional:
        required.append({"displayName": "Additional Fields", "name": "additionalFields", "type": "collection",
                         "placeholder": "Add Field", "default": {}, "displayOptions": {"show": show},
                         "options": optional})
    return required
