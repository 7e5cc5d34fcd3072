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
from connector_core.runtime.timestamps import stamped
from connector_core.spec.models import (Connection, ConnectionField, Connector, Operation, OptionSource, Resource,
                                        template_fields)
from zapier_schema.errors import GenerationError
from zapier_schema.fields import help_text, input_field_groups, input_fields, output_fields
from zapier_schema.keys import line_items_key, options_trigger_key, zapier_key
from zapier_schema.snippets import adapter_call

CORE_VERSION = "19.1.0"
SECTIONS = {"trigger": "triggers", "search": "searches", "list": "searches", "action": "creates"}
PERFORMERS = {"trigger": "poll", "search": "search", "list": "list", "action": "create"}
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}")


def curlies(template: str, bundle_part: str) -> str:
    """A spec template (`{company.name}`) as a Zapier curly (`{{bundle.inputData.company.name}}`)."""
    return _PLACEHOLDER.sub(lambda match: "{{bundle.%s.%s}}" % (bundle_part, match.group(1)), template)


def where_to_find(field: ConnectionField) -> str:
    """The field's description, then a Markdown link to where its value is found (Zapier check D002)."""
    link = f"[Where to find your {field.label}]({field.help_url})" if field.help_url else ""
    return " ".join(part for part in (field.description, link) if part)


def auth_field(field: ConnectionField) -> dict[str, Any]:
    """Secret fields are passwords; a field with a default is optional and prefilled; a field with
    choices is a static dropdown of exactly those (no free text)."""
    entry: dict[str, Any] = {"key": zapier_key(field.key, "connection field"), "label": field.label,
                             "type": "password" if field.secret else "string",
                             "required": field.required and field.default is None,
                             **help_text(where_to_find(field), field.label)}
    if field.choices:
        entry["choices"] = [{"value": choice.value, "sample": choice.value, "label": choice.label}
                            for choice in field.choices]
    if field.default is not None:
        entry["default"] = field.default
    return entry


def connection_label(connection: Connection) -> str | None:
    """Zapier check D003: the spec's label over the test's output; without one, the account the
    user named to connect (the required fields without a default that the base URL reads: an
    account slug), else none."""
    if connection.label:
        return curlies(connection.label, "inputData")
    named = [field.key for field in connection.fields if not field.secret and field.required
             and field.default is None and field.key in template_fields(connection.base_url)]
    return " ".join("{{bundle.authData.%s}}" % key for key in named) or None


def authentication(connector: Connector) -> dict[str, Any]:
    """Zapier's `custom` auth: the connection's fields as the user enters them; the kernel turns
    them into every header (an API key header, HTTP Basic with the token as both parts, ...), so
    Zapier's `basic` type, which would add its own header from fixed username/password fields, is
    not used."""
    connection: Connection = connector.connection
    auth: dict[str, Any] = {"type": "custom", "fields": [auth_field(field) for field in connection.fields],
                            "test": adapter_call("test")}
    label = connection_label(connection)
    if label:
        auth["connectionLabel"] = label
    return auth


def display(label: str, description: str, *, hidden: bool = False) -> dict[str, Any]:
    shown: dict[str, Any] = {"label": label, "description": description}
    if hidden:
        shown["hidden"] = True
    return shown


def resource_of(connector: Connector, operation: Operation) -> Resource:
    """What the operation acts on (every operation Zapier offers names one; the loader holds it)."""
    return connector.resources[operation.resource or ""]


def records_key(connector: Connector, operation: Operation) -> str:
    """Where a list operation's one Zapier result holds its records: the resource's plural (`jobs`)."""
    return line_items_key(resource_of(connector, operation).plural)


def carries_records(operation: Operation) -> bool:
    """A list, or an action answering many records (a batch create): Zapier takes one object per
    result, so the records travel together as its line items."""
    return operation.kind == "list" or (operation.kind == "action" and operation.response.returns_list)


def operation_body(connector: Connector, operation: Operation) -> dict[str, Any]:
    """The fields, sample and adapter call. A list answers one result carrying its records as line
    items (Zapier would use only the first of many results), an action answering many records one
    object carrying them; its sample and fields say so."""
    sample = stamped(operation.output, operation.sample)
    outputs = output_fields(operation)
    call = adapter_call(PERFORMERS[operation.kind], operation.key)
    if carries_records(operation):
        key = records_key(connector, operation)
        sample, outputs = {key: [sample]}, [{"key": key, "label": resource_of(connector, operation).plural,
                                             "children": outputs}]
        call = adapter_call(PERFORMERS[operation.kind], operation.key, key)
    inputs = input_fields(operation, connector.option_sources)
    body: dict[str, Any] = {"perform": call, "inputFields": inputs}
    groups = input_field_groups(inputs)
    if groups:
        body["inputFieldGroups"] = groups
    return {**body, "outputFields": outputs, "sample": sample, "cleanInputData": False}


def operation_entry(connector: Connector, operation: Operation) -> dict[str, Any]:
    """A trigger, search or create, named for its resource (Zapier's noun)."""
    return {"key": zapier_key(operation.key, "operation"), "noun": resource_of(connector, operation).label,
            "display": display(operation.label, operation.description),
            "operation": operation_body(connector, operation)}


def options_trigger(name: str, source: OptionSource) -> dict[str, Any]:
    """A hidden trigger listing an option source's choices for dynamic dropdowns."""
    key = options_trigger_key(name)
    return {"key": key, "noun": source.label,
            "display": display(source.label, source.description, hidden=True),
            "operation": {"perform": adapter_call("options", name),
                          "outputFields": [{"key": "id", "label": "Value"}, {"key": "label", "label": "Label"}],
                          "sample": {"id": str(dig(source.sample, source.value)),
                                     "label": str(dig(source.sample, source.label_field))}}}


def search_or_create(connector: Connector, search: Operation, create: Operation) -> dict[str, Any]:
    """Zapier's "Find or Create Job" when both act on one resource, else both labels joined."""
    label = (f"Find or Create {resource_of(connector, search).label}" if search.resource == create.resource
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
            definition[SECTIONS[operation.kind]][operation.key] = operation_entry(connector, operation)
    for name, source in connector.option_sources.items():
        key = options_trigger_key(name)
        if key in definition["triggers"]:
            raise GenerationError(f"option source {name!r}: its trigger key {key!r} is an operation's key")
        definition["triggers"][key] = options_trigger(name, source)
    for operation in connector.operations.values():
        if operation.or_create:
            definition["searchOrCreates"][operation.key] = search_or_create(
                connector, operation, connector.operation(operation.or_create))
    return {section: value for section, value in definition.items() if value != {}}
