"""The n8n editor's form of an operation, from the node descriptions the package's
`*.node.ts` files are written from (`literal(description)` writes them verbatim): the action
node's properties shown for the operation's resource and operation, or the trigger node's for
its event (`displayOptions.show`), in order, an "Additional Fields" collection's options after it, a
fixed collection's entry fields after it;
for the connection's test operation, the credential's properties.

For `connectors report`: labels, required marks, help, fixed options or the `loadOptionsMethod`
a dynamic one calls.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from connector_core.document import connector_from_document
from connector_core.platforms import FormField
from n8n_bridge.action_node import node_properties, operation_keys
from n8n_bridge.credentials import credential_properties
from n8n_bridge.trigger_node import trigger_operations, trigger_properties


def form(document: dict[str, Any], operation_key: str) -> list[FormField] | None:
    """The parameters shown for the operation; None when neither node offers it."""
    connector = connector_from_document(document)
    if operation_key == connector.connection.test:
        return [field for prop in credential_properties(connector) for field in _fields(prop, "", "")]
    triggers = trigger_operations(connector)
    if any(operation.key == operation_key for operation in triggers):
        return _shown(trigger_properties(connector, triggers), {"event": [operation_key]})
    for resource, operations in operation_keys(connector).items():
        for operation, key in operations.items():
            if key == operation_key:
                return _shown(node_properties(connector), {"resource": [resource], "operation": [operation]})
    return None


def _shown(properties: list[dict[str, Any]], selection: dict[str, list[str]]) -> list[FormField]:
    shown = [prop for prop in properties if prop.get("displayOptions", {}).get("show") == selection]
    return [field for prop in shown for field in _fields(prop, "", "")]


def _fields(prop: dict[str, Any], prefix: str, label_prefix: str) -> list[FormField]:
    key, label = prefix + prop["name"], label_prefix + prop["displayName"]
    options = prop.get("options", []) if prop["type"] in ("options", "multiOptions") else []
    field = FormField(key=key, label=label, required=bool(prop.get("required")), help=_text(prop.get("description", "")),
                      kind=prop["type"] + (" (password)" if prop.get("typeOptions", {}).get("password") else ""),
                      choices=tuple(str(option["name"]) for option in options), source=_source(prop))
    children = prop.get("options", []) if prop["type"] == "collection" else []
    if prop["type"] == "fixedCollection":  # one entry's fields (a list's item, a name and a value)
        children = [value for option in prop.get("options", []) for value in option["values"]]
    return [field, *(child for sub in children for child in _fields(sub, f"{key}.", f"{label} › "))]


def _source(prop: dict[str, Any]) -> str:
    """Where a dynamic field's values come from: a `loadOptionsMethod`, or a resource locator's modes."""
    loader = prop.get("typeOptions", {}).get("loadOptionsMethod")
    if loader:
        return f"loadOptions: {loader}"
    modes = [mode["displayName"] + (f" ({mode['typeOptions']['searchListMethod']})"
                             if mode.get("typeOptions", {}).get("searchListMethod") else "")
             for mode in prop.get("modes", [])]
    return f"resource locator: {', '.join(modes)}" if modes else ""


def _text(description: str) -> str:
    """n8n renders a description as HTML (a link to the expressions docs, say); the form shows its text."""
    return unescape(re.sub(r"<[^>]+>", "", description))
