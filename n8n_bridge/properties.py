"""n8n node parameters for one operation, from its input JSON Schema and the spec's annotations.

A parameter only holds a value: nothing is routed from it. The adapter reads the parameters into
the input object the spec names (`parameters.ts`) and the kernel builds the whole request. In
the order n8n's guidelines ask for: a destructive operation's warning first (a notice), the
fields on the form (required first), "Simplify" when the output names a summary, then the
"Additional Fields" collection (sorted by name, as n8n's lint wants).
"""

from __future__ import annotations

from typing import Any

from connector_core.runtime.response import dig
from connector_core.spec.models import Connector, Operation
from n8n_bridge.fields import Field, input_fields
from n8n_bridge.names import camel, help_text, title
from n8n_bridge.operation_names import with_article

DYNAMIC_OPTIONS_HELP = ('Choose from the list, or specify an ID using an '
                        '<a href="https://docs.n8n.io/code/expressions/">expression</a>')
# n8n's own wording and defaults, which its lint holds every node to.
SIMPLIFY = {"displayName": "Simplify", "name": "simple", "type": "boolean", "default": True,
            "description": "Whether to return a simplified version of the response instead of the raw data"}
LIMIT_PARAMETER = "limit"
LIMIT_DESCRIPTION = "Max number of results to return"
LIMIT_DEFAULT = 50


def option_loader(source: str) -> str:
    """The `methods.loadOptions` entry that lists an option source (`members` → `getMembers`)."""
    return camel(f"get_{source}")


def list_searcher(source: str) -> str:
    """The `methods.listSearch` entry behind a resource locator's list (`jobs` → `searchJobs`)."""
    return camel(f"search_{source}")


SIMPLIFIED_KINDS = ("search", "list", "trigger")  # reads; an action returns the record it wrote, whole


def summary(operation: Operation) -> list[str]:
    """The fields "Simplify" keeps (the output's `x-summary`) for a read; none: the operation has no Simplify."""
    return list(operation.output.get("x-summary", [])) if operation.kind in SIMPLIFIED_KINDS else []


def parameter(connector: Connector, field: Field, show: dict[str, list[str]] | None) -> dict[str, Any]:
    """One n8n parameter (`show` None: an entry of Additional Fields): display name, type, default, help."""
    schema = field.schema
    prop: dict[str, Any] = {"displayName": schema.get("title", field.path), "name": field.parameter}
    prop.update(_type(connector, field))
    if field.required and show is not None:
        prop["required"] = True
    if show is not None:
        prop["displayOptions"] = {"show": show}
    if prop["type"] == "options" and "x-options" in schema:
        prop["displayName"] += " Name or ID"
        prop["description"] = help_text(" ".join(filter(None, [schema.get("description"), DYNAMIC_OPTIONS_HELP])))
    elif prop["name"] == LIMIT_PARAMETER and prop["type"] == "number":
        prop["description"] = LIMIT_DESCRIPTION
    elif "description" in schema:
        prop["description"] = help_text(_whether(schema) if prop["type"] == "boolean" else schema["description"])
    return prop


def _whether(schema: dict[str, Any]) -> str:
    """n8n's lint wants a yes/no field's help to start with "Whether"; other help keeps its text after that."""
    text = schema["description"]
    return text if text.startswith("Whether") else f"Whether to set {schema.get('title', 'this')}. {text}"


def _type(connector: Connector, field: Field) -> dict[str, Any]:
    schema = field.schema
    if field.locator:
        return _locator(connector, schema)
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
        return _number(field.parameter, schema)
    if kind == "boolean":
        return {"type": "boolean", "default": False}
    typed = {"type": "string", "default": ""}
    if schema.get("format") == "email":
        typed["placeholder"] = "name@email.com"
    elif schema.get("examples"):
        typed["placeholder"] = f"e.g. {schema['examples'][0]}"
    return typed


def _number(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    """A number within the schema's bounds; a `limit` takes n8n's default and a minimum of at least 1."""
    options: dict[str, Any] = {}
    default = schema.get("minimum", 0)
    if name == LIMIT_PARAMETER:
        options["minValue"] = max(1, schema.get("minimum", 1))
        default = min(max(LIMIT_DEFAULT, options["minValue"]), schema.get("maximum", LIMIT_DEFAULT))
    elif "minimum" in schema:
        options["minValue"] = schema["minimum"]
    if "maximum" in schema:
        options["maxValue"] = schema["maximum"]
    if schema.get("type") == "integer":
        options["numberPrecision"] = 0
    typed: dict[str, Any] = {"type": "number", "default": default}
    return {**typed, "typeOptions": options} if options else typed


def _locator(connector: Connector, schema: dict[str, Any]) -> dict[str, Any]:
    """A resource locator: pick from the option source's list, or type the ID (with the search's
    sample value as the example)."""
    search_key, _, output_field = schema["x-search"].partition(".")
    search = connector.operation(search_key)
    noun = connector.resources[search.resource].label.lower() if search.resource else "record"
    by_id: dict[str, Any] = {"displayName": "By ID", "name": "id", "type": "string"}
    example = dig(search.sample, output_field)
    if example is not None:
        by_id["placeholder"] = f"e.g. {example}"
    from_list = {"displayName": "From List", "name": "list", "type": "list",
                 "placeholder": f"Select {with_article(noun)}...",
                 "typeOptions": {"searchListMethod": list_searcher(schema["x-options"]), "searchable": True}}
    return {"type": "resourceLocator", "default": {"mode": "list", "value": ""}, "modes": [from_list, by_id]}


def operation_parameters(connector: Connector, operation: Operation,
                         show: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The operation's parameters, each shown only for it (`show`)."""
    fields = input_fields(operation)
    properties: list[dict[str, Any]] = []
    if operation.destructive and operation.warning:
        properties.append({"displayName": operation.warning, "name": "notice", "type": "notice", "default": "",
                           "displayOptions": {"show": show}})
    properties += [parameter(connector, field, show) for field in fields if not field.additional]
    if summary(operation):
        properties.append({**SIMPLIFY, "displayOptions": {"show": show}})
    optional = sorted((parameter(connector, field, None) for field in fields if field.additional),
                      key=lambda prop: prop["displayName"].lower())
    if optional:
        properties.append({"displayName": "Additional Fields", "name": "additionalFields", "type": "collection",
                           "placeholder": "Add Field", "default": {}, "displayOptions": {"show": show},
                           "options": optional})
    return properties
