"""The Zapier app definition (definition.json), derived from the spec alone.

Plain data for what Zapier shows (fields, labels, samples, the connection label); a one-line
`{source}` function, calling the adapter, for everything that runs. Zapier's own request
features stay unused (no `requestTemplate`, no `afterResponse`, `cleanInputData` off): the
kernel decides every header, input and error, as it does on every platform.
"""

from __future__ import annotations

import re
from typing import Any

from connector_core.runtime.response import dig
from connector_core.spec.models import Connection, Connector, Operation, OptionSource
from zapier_schema.errors import GenerationError
from zapier_schema.fields import input_fields, output_fields
from zapier_schema.keys import noun, options_trigger_key, zapier_key
from zapier_schema.snippets import adapter_call

CORE_VERSION = "19.1.0"
SECTIONS = {"trigger": "triggers", "search": "searches", "action": "creates"}
PERFORMERS = {"trigger": "poll", "search": "search", "action": "create"}
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}")


def curlies(template: str, bundle_part: str) -> str:
    """A spec template (`{company.name}`) as a Zapier curly (`{{bundle.inputData.company.name}}`)."""
    return _PLACEHOLDER.sub(lambda match: "{{bundle.%s.%s}}" % (bundle_part, match.group(1)), template)


def auth_fields(connection: Connection) -> list[dict[str, Any]]:
    """Secret fields are passwords; a field with a default is optional and prefilled."""
    fields = []
    for field in connection.fields:
        entry: dict[str, Any] = {"key": zapier_key(field.key, "connection field"), "label": field.label,
                                 "type": "password" if field.secret else "string",
                                 "required": field.required and field.default is None}
        if field.description:
            entry["helpText"] = field.description
        if field.default is not None:
            entry["default"] = field.default
        fields.append(entry)
    return fields


def authentication(connector: Connector) -> dict[str, Any]:
    connection = connector.connection
    auth: dict[str, Any] = {"type": "custom", "fields": auth_fields(connection), "test": adapter_call("test")}
    if connection.label:
        auth["connectionLabel"] = curlies(connection.label, "inputData")
    return auth


def display(label: str, description: str, *, hidden: bool = False) -> dict[str, Any]:
    shown: dict[str, Any] = {"label": label, "description": description}
    if hidden:
        shown["hidden"] = True
    return shown


def operation_entry(operation: Operation) -> dict[str, Any]:
    """A trigger, search or create: display, fields, sample, and the adapter call."""
    body: dict[str, Any] = {"perform": adapter_call(PERFORMERS[operation.kind], operation.key),
                            "inputFields": input_fields(operation), "outputFields": output_fields(operation),
                            "sample": operation.sample, "cleanInputData": False}
    if operation.kind == "action" and operation.response.returns_list:
        raise GenerationError(f"operation {operation.key!r}: a Zapier create returns one object, not a list")
    return {"key": zapier_key(operation.key, "operation"), "noun": noun(operation.label),
            "display": display(operation.label, operation.description), "operation": body}


def options_trigger(name: str, source: OptionSource) -> dict[str, Any]:
    """A hidden trigger listing an option source's choices for dynamic dropdowns."""
    key = options_trigger_key(name)
    return {"key": key, "noun": noun(source.label),
            "display": display(source.label, source.description, hidden=True),
            "operation": {"perform": adapter_call("options", name),
                          "outputFields": [{"key": "id", "label": "Value"}, {"key": "label", "label": "Label"}],
                          "sample": {"id": str(dig(source.sample, source.value)),
                                     "label": str(dig(source.sample, source.label_field))}}}


def search_or_create(search: Operation, create: Operation) -> dict[str, Any]:
    """Zapier's "Find or Create Job" when both act on one noun, else both labels joined."""
    same_noun = noun(search.label) == noun(create.label) != search.label
    label = (f"{search.label.split()[0]} or {create.label.split()[0]} {noun(search.label)}" if same_noun
             else f"{search.label} or {create.label}")
    if len(label) > 64:
        raise GenerationError(f"operation {search.key!r}: search-or-create label {label!r} exceeds 64 characters")
    return {"key": search.key, "search": search.key, "create": create.key,
            "display": display(label, f"{search.description} If none is found: {create.description}")}


def app_definition(connector: Connector) -> dict[str, Any]:
    definition: dict[str, Any] = {
        "version": connector.version,
        "platformVersion": CORE_VERSION,
        "authentication": authentication(connector),
        "triggers": {}, "searches": {}, "creates": {}, "searchOrCreates": {},
    }
    for operation in connector.operations.values():
        if operation.kind in SECTIONS:
            definition[SECTIONS[operation.kind]][operation.key] = operation_entry(operation)
    for name, source in connector.option_sources.items():
        key = options_trigger_key(name)
        if key in definition["triggers"]:
            raise GenerationError(f"option source {name!r}: its trigger key {key!r} is an operation's key")
        definition["triggers"][key] = options_trigger(name, source)
    for operation in connector.operations.values():
        if operation.or_create:
            definition["searchOrCreates"][operation.key] = search_or_create(
                operation, connector.operation(operation.or_create))
    return {section: value for section, value in definition.items() if value != {}}
