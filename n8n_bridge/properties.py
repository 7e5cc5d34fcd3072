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
DATE_TIME_HELP = "Give a UTC offset, such as 2021-03-05T12:15:00-05:00 (a time without one is refused)."
DATE_PLACEHOLDER = "YYYY-MM-DD"
ENTRY_OPTION = "values"  # the option of a fixed collection that holds its entries (n8n's Set node: `fields.values`)


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


def parameter(connector: Connector, field: Field, show: dict[str, list[str]] | None,
              depends: dict[str, str] | None = None) -> dict[str, Any]:
    """One n8n parameter (`show` None: an entry of a collection): display name, type, default, help.
    `depends`: the parameters a dropdown's source reads, by the source input's property (n8n reloads
    the dropdown when one changes)."""
    schema = field.schema
    prop: dict[str, Any] = {"displayName": schema.get("title", field.path), "name": field.parameter}
    prop.update(_type(connector, field))
    if field.required and show is not None:
        prop["required"] = True
    if show is not None:
        prop["displayOptions"] = {"show": show}
    if "x-options" in schema and depends:
        prop.setdefault("typeOptions", {})["loadOptionsDependsOn"] = list(depends.values())
    if prop["type"] == "options" and "x-options" in schema:
        prop["displayName"] += " Name or ID"
        prop["description"] = help_text(" ".join(filter(None, [schema.get("description"),
                                                                _depends_help(connector, field, depends),
                                                                DYNAMIC_OPTIONS_HELP])))
    elif prop["name"] == LIMIT_PARAMETER and prop["type"] == "number":
        prop["description"] = LIMIT_DESCRIPTION
    elif "description" in schema or prop["type"] == "dateTime":
        prop["description"] = help_text(_whether(schema) if prop["type"] == "boolean" else _described(schema))
    return prop


def _depends_help(connector: Connector, field: Field, depends: dict[str, str] | None) -> str:
    """Which fields the dropdown's choices follow (`Lists the choices for the Customer ID given.`)."""
    if not depends:
        return ""
    source = connector.option_sources[field.schema["x-options"]]
    titles = [source.input["properties"][name].get("title", name) for name in depends]
    return f"Lists the choices for the {' and '.join(titles)} given."


def _described(schema: dict[str, Any]) -> str:
    """The schema's help; a date-time adds that it needs its UTC offset (the kernel refuses a time without one)."""
    text = schema.get("description", "")
    if schema.get("format") == "date-time" and "offset" not in text:
        text = f"{text if not text or text.endswith('.') else text + '.'} {DATE_TIME_HELP}".strip()
    return text


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
    if field.shape != "value":
        return _entries(connector, field)
    kind = schema.get("type")
    if kind == "array":
        return {"type": "string", "typeOptions": {"multipleValues": True}, "default": []}
    if kind in ("integer", "number"):
        return _number(field.parameter, schema)
    if kind == "boolean":
        return {"type": "boolean", "default": False}
    typed = {"type": "dateTime" if schema.get("format") == "date-time" else "string", "default": ""}
    if schema.get("format") == "email":
        typed["placeholder"] = "name@email.com"
    elif schema.get("examples"):
        typed["placeholder"] = f"e.g. {schema['examples'][0]}"
    elif schema.get("format") == "date":
        typed["placeholder"] = DATE_PLACEHOLDER
    return typed


def _entries(connector: Connector, field: Field) -> dict[str, Any]:
    """n8n's fixed collection with multiple values: one entry per item of a list (the item's own
    fields, sorted by name as n8n's lint wants, its optional ones that cannot stay blank in the
    entry's Additional Fields), or per key of a key/value object (a name and a value)."""
    title = field.schema.get("title", field.path)
    if field.shape == "pairs":
        values = [{"displayName": "Name", "name": "name", "type": "string", "default": ""},
                  {"displayName": "Value", "name": "value", "type": "string", "default": ""}]
    else:
        title = field.schema["items"].get("title", title)
        values = [{**parameter(connector, item, None), **({"required": True} if item.required else {})}
                  for item in field.items if not item.additional]
        values += _additional_fields([parameter(connector, item, None) for item in field.items if item.additional])
        values.sort(key=lambda prop: prop["displayName"].lower())  # n8n's lint wants an entry's fields by name
    option = {"displayName": title, "name": ENTRY_OPTION, "values": values}
    return {"type": "fixedCollection", "typeOptions": {"multipleValues": True}, "placeholder": f"Add {title}",
            "default": {}, "options": [option]}


def _additional_fields(optional: list[dict[str, Any]], show: dict[str, list[str]] | None = None) -> list[dict[str, Any]]:
    """The "Additional Fields" collection of these parameters (sorted by name, as n8n's lint wants), or nothing."""
    if not optional:
        return []
    collection: dict[str, Any] = {"displayName": "Additional Fields", "name": "additionalFields", "type": "collection",
                                  "placeholder": "Add Field", "default": {}}
    if show is not None:
        collection["displayOptions"] = {"show": show}
    return [{**collection, "options": sorted(optional, key=lambda prop: prop["displayName"].lower())}]


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


def dropdown_inputs(connector: Connector, fields: list[Field], source: str) -> dict[str, str]:
    """The source input's properties -> the operation's parameters holding them (as n8n's
    `loadOptionsDependsOn` names a parameter: `additionalFields.customerId` inside the collection)."""
    wanted = connector.option_sources[source].input.get("properties", {})
    return {field.path: ("additionalFields." if field.additional else "") + field.parameter
            for field in fields if field.path in wanted}


def operation_parameters(connector: Connector, operation: Operation,
                         show: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The operation's parameters, each shown only for it (`show`)."""
    fields = input_fields(operation)
    properties: list[dict[str, Any]] = []
    if operation.destructive and operation.warning:
        properties.append({"displayName": operation.warning, "name": "notice", "type": "notice", "default": "",
                           "displayOptions": {"show": show}})

    def shown(field: Field, where: dict[str, list[str]] | None) -> dict[str, Any]:
        source = field.schema.get("x-options")
        return parameter(connector, field, where, dropdown_inputs(connector, fields, source) if source else None)

    properties += [shown(field, show) for field in fields if not field.additional]
    if summary(operation):
        properties.append({**SIMPLIFY, "displayOptions": {"show": show}})
    return properties + _additional_fields([shown(field, None) for field in fields if field.additional], show)
