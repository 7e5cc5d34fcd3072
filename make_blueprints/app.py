"""`generate(document)`: the whole Make custom app as files, plus README and blueprints.

The generator reads the connector's runtime document (`connector_core.document`) and nothing
else. Every file is JSON written with a fixed indentation and insertion order, so two builds of
one document are byte-identical; no file holds a credential (the connection reads the user's key).
A spec feature Make cannot express is refused here (`Unsupported`), never dropped. Modules are
grouped by resource, the universal "Make an API call" module last, in a group of its own.
"""

from __future__ import annotations

import json
from typing import Any

from connector_core.document import connector_from_document
from connector_core.icons import png
from connector_core.runtime.timestamps import iso_text
from connector_core.spec.models import Connector, Operation, timestamp_annotations
from make_blueprints import communication, parameters, universal
from make_blueprints.blueprints import blueprints
from make_blueprints.connection import connection_parameters
from make_blueprints.layout import BLUEPRINTS, GENERAL, ICON, ICON_SIZE, code_path
from make_blueprints.modules import Module, modules
from make_blueprints.names import app_id, connection_name, rpc_name
from make_blueprints.readme import readme
from make_blueprints.unsupported import Unsupported

FILE_VERSION = 1
ORIGIN = {"label": "Make", "baseUrl": "https://eu1.make.com/api", "appVersion": 1, "apikeyFile": ".secrets/apikey"}


def dump(data: Any) -> str:
    return json.dumps(data, indent=4, ensure_ascii=False) + "\n"


def generate(document: dict[str, Any]) -> dict[str, str | bytes]:
    """Relative path -> file text (the icon: PNG bytes), for `dist/make/<connector>/`."""
    return generate_app(connector_from_document(document))


def generate_app(connector: Connector) -> dict[str, str | bytes]:
    files: dict[str, Any] = {GENERAL["base"]: communication.base(connector), GENERAL["common"]: {}}
    connection = connection_name(connector)
    rpcs = {key: rpc_name(key) for key in connector.option_sources}
    components: dict[str, dict[str, Any]] = {"connection": {}, "endpoint": {}, "function": {}, "module": {},
                                             "rpc": {}, "webhook": {}}

    connection_codes = {"communication": communication.connection_communication(connector),
                        "params": connection_parameters(connector)}
    components["connection"][connection] = {"label": connector.label, "connectionType": "basic",
                                            "codeFiles": _place(files, "connection", connection, connection_codes)}
    for key, source in connector.option_sources.items():
        where = f"option source {key}"
        codes = {"communication": communication.rpc_communication(source, where),
                 "params": parameters.input_parameters(source.input, rpcs, where,
                                                       parameters.sending(source.request, source.input))}
        components["rpc"][rpcs[key]] = {"label": source.label, "connection": connection, "altConnection": None,
                                        "codeFiles": _place(files, "rpc", rpcs[key], codes)}
    app_modules = modules(connector)
    for module in app_modules:
        codes = module_codes(connector, module, rpcs)
        metadata: dict[str, Any] = {"label": module.label, "description": description(module.operation),
                                    "moduleType": module.module_type, "connection": connection, "altConnection": None}
        if module.crud:
            metadata["actionCrud"] = module.crud
        components["module"][module.name] = {**metadata, "codeFiles": _place(files, "module", module.name, codes)}
    for module in app_modules:
        if module.name == universal.NAME:
            raise Unsupported(f"operation {module.operation.key}", "key",
                              f"its module id {universal.NAME} is Make's universal module's")
    components["module"][universal.NAME] = {
        "label": universal.LABEL, "description": universal.DESCRIPTION, "moduleType": "universal",
        "connection": connection, "altConnection": None,
        "codeFiles": _place(files, "module", universal.NAME, universal.codes(connector))}

    files[GENERAL["groups"]] = groups(connector, app_modules)
    files["makecomapp.json"] = {"fileVersion": FILE_VERSION, "generalCodeFiles": GENERAL, "components": components,
                                "origins": [{**ORIGIN, "appId": app_id(connector)}]}
    texts: dict[str, str | bytes] = {path: dump(data) for path, data in files.items()}
    texts[GENERAL["readme"]] = readme(connector, app_modules, rpcs)
    for name, blueprint in blueprints(connector, app_id(connector)).items():
        texts[BLUEPRINTS + name] = dump(blueprint)
    texts[ICON] = png(connector.logo.svg, ICON_SIZE)
    return texts


def module_codes(connector: Connector, module: Module, rpcs: dict[str, str]) -> dict[str, Any]:
    operation = module.operation
    where = f"operation {operation.key}"
    sending = parameters.sending(operation.request, operation.input)
    inputs = parameters.operation_parameters(operation, connector.resources[operation.resource], rpcs, sending)
    trigger = module.module_type == "trigger"
    codes: dict[str, Any] = {
        "communication": communication.module_communication(connector, operation),
        "staticParams": inputs if trigger else [],
        "mappableParams": [] if trigger else inputs,
        "interface": parameters.interface(operation.output, where),
        "samples": sample(operation),
    }
    if operation.polling is not None and operation.polling.cursor is not None:
        codes["epoch"] = communication.epoch(operation, operation.polling)
    return codes


def description(operation: Operation) -> str:
    """The spec's description; a destructive action's warning follows it (the form opens with it too)."""
    return f"{operation.description} {operation.warning}" if operation.warning else operation.description


def sample(operation: Operation) -> dict[str, Any]:
    """The spec's sample as the module outputs it: with its top-level derived timestamps."""
    stamps = {name: iso_text(operation.sample.get(source))
              for parent, name, source in timestamp_annotations(operation.output) if parent == ()}
    return {**operation.sample, **{name: text for name, text in stamps.items() if text is not None}}


def groups(connector: Connector, app_modules: list[Module]) -> list[dict[str, Any]]:
    """One group per resource (its plural), in the spec's order; the universal module last."""
    by_resource = [{"label": resource.plural, "modules": [m.name for m in app_modules if m.operation.resource == key]}
                   for key, resource in connector.resources.items()]
    return [group for group in by_resource if group["modules"]] + [{"label": universal.GROUP, "modules": [universal.NAME]}]


def _place(files: dict[str, Any], component_type: str, component: str, codes: dict[str, Any]) -> dict[str, Any]:
    """Add a component's code files; return its manifest `codeFiles` (common and scope not used)."""
    code_files: dict[str, Any] = {}
    for code, data in codes.items():
        path = code_path(component_type, component, code)
        files[path] = data
        code_files[code] = path
    if component_type == "connection":
        code_files["common"] = None
    if component_type == "module":
        code_files["scope"] = None
    return code_files
