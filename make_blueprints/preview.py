"""Make's module form, read from the generated app: the module's static parameters, then its
mappable ones (Make's `expect`), in file order, a collection's fields after it (`contact.name`),
an array's item fields after it (`jobs[].destinationName`; a key/value editor's `key` and `value`);
for the connection's test operation, the connection's parameters.

For `connectors report`: labels, required marks, help, fixed options or the RPC a dynamic
select calls (`rpc://listMembers`); a destructive action's warning banner as a field of kind
`banner` without a key.
"""

from __future__ import annotations

import json
from typing import Any

from connector_core.document import connector_from_document
from connector_core.platforms import FormField
from make_blueprints.app import generate
from make_blueprints.names import connection_name, module_name

MANIFEST = "makecomapp.json"


def form(document: dict[str, Any], operation_key: str) -> list[FormField] | None:
    """The module's parameters; None when the app has no module for the operation."""
    connector = connector_from_document(document)
    if operation_key not in connector.operations:
        return None
    files = generate(document)
    components = json.loads(files[MANIFEST])["components"]
    if operation_key == connector.connection.test:
        code = components["connection"][connection_name(connector)]["codeFiles"]
        return [field for parameter in _read(files, code.get("params")) for field in _fields(parameter, "", "")]
    module = components["module"].get(module_name(connector.operation(operation_key)))
    if module is None:
        return None
    code = module["codeFiles"]
    parameters = [*_read(files, code.get("staticParams")), *_read(files, code.get("mappableParams"))]
    return [field for parameter in parameters for field in _fields(parameter, "", "")]


def _read(files: dict[str, str], path: str | None) -> list[dict[str, Any]]:
    return json.loads(files[path]) if path else []


def _fields(parameter: dict[str, Any], prefix: str, label_prefix: str) -> list[FormField]:
    if parameter["type"] == "hidden":  # not in the form
        return []
    if parameter["type"] == "banner":  # a notice, not a value: shown as its title and text
        return [FormField(key="", label=parameter.get("title", ""), required=False, help=parameter.get("text", ""),
                          kind="banner")]
    key, label = prefix + parameter["name"], label_prefix + parameter.get("label", parameter["name"])
    options = parameter.get("options")
    field = FormField(key=key, label=label, required=bool(parameter.get("required")), help=parameter.get("help", ""),
                      kind=parameter.get("type", ""), choices=_choices(options),
                      source=options if isinstance(options, str) else "")
    children = parameter.get("spec") if parameter.get("type") == "collection" else None
    if parameter.get("type") == "array" and isinstance(parameter.get("spec"), list):  # each item's fields
        return [field, *(child for sub in parameter["spec"] for child in _fields(sub, f"{key}[].", f"{label} › "))]
    return [field, *(child for sub in children or [] for child in _fields(sub, f"{key}.", f"{label} › "))]


def _choices(options: Any) -> tuple[str, ...]:
    """A fixed select's labels: a list of {label, value}, or Make's {store: [...]} form."""
    if isinstance(options, dict):
        options = options.get("store", [])
    if isinstance(options, list):
        return tuple(str(option.get("label", option.get("value"))) for option in options)
    return ()
