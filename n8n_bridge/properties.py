"""n8n node parameters from an operation's input JSON Schema, each routed where the request sends it."""

from __future__ import annotations

from typing import Any

from connector_core.spec.models import Operation
from n8n_bridge.fields import Field, input_fields
from n8n_bridge.names import camel, help_text


DYNAMIC_OPTIONS_HELP = ('Choose from the list, or specify an ID using an '
                        '<a href="https://docs.n8n.io/code/expressions/">expression</a>')


def option_loader(source: str) -> str:
    """The `methods.loadOptions` entry that lists an option source (`members` → `getMembers`)."""
    return camel(f"get_{source}")


def parameter(field: Field, operation: Operation, show: dict[str, list[str]] | None) -> dict[str, Any]:
    """One n8n parameter: display name, type, default, help, and where it goes in the request."""
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
    routing = _routing(field, operation)
    if routing:
        prop["routing"] = routing
    return prop


def _type(schema: dict[str, Any]) -> dict[str, Any]:
    if "x-options" in schema:
        return {"type": "options", "typeOptions": {"loadOptionsMethod": option_loader(schema["x-options"])},
                "default": ""}
    kind = schema.get("type")
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


def _routing(field: Field, operation: Operation) -> dict[str, Any]:
    """Body and query params go through declarative `routing.send`; path and header params are
    filled by the operation's preSend (they need the runtime's encoding)."""
    for param in operation.request.params:
        if not param.is_constant and param.source == field.path and param.location in ("body", "query"):
            return {"send": {"type": param.location, "property": param.name}}
    return {}


def operation_parameters(operation: Operation, show: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Required fields on their own; optional ones in an "Additional Fields" collection."""
    fields = input_fields(operation)
    required = [parameter(field, operation, show) for field in fields if field.required]
    optional = sorted((parameter(field, operation, None) for field in fields if not field.required),
                      key=lambda prop: prop["displayName"].lower())
    if optional:
        required.append({"displayName": "Additional Fields", "name": "additionalFields", "type": "collection",
                         "placeholder": "Add Field", "default": {}, "displayOptions": {"show": show},
                         "options": optional})
    return required
