"""`generate(document)`: the whole Make custom app as files, plus README and blueprints.

The generator reads the connector's runtime document (`connector_core.document`) and nothing
else. Every file is JSON written with a fixed indentation and insertion order, so two builds of
one document are byte-identical; no file holds a credential (the connection reads the user's key).
A spec feature Make cannot express is refused here (`Unsupported`), never dropped.
"""

from __future__ import annotations

import json
from typing import Any

from connector_core.document import connector_from_document
from connector_core.spec.models import ApiKeyHeaderAuth, Connector, template_fields
from make_blueprints import communication, parameters
from make_blueprints.blueprints import blueprints
from make_blueprints.layout import BLUEPRINTS, GENERAL, code_path
from make_blueprints.modules import Module, modules
from make_blueprints.names import app_id, camel, connection_name, rpc_name
from make_blueprints.readme import readme

FILE_VERSION = 1
ORIGIN = {"label": "Make", "baseUrl": "https://eu1.make.com/api", "appVersion": 1, "apikeyFile": ".secrets/apikey"}


def dump(data: Any) -> str:
    return json.dumps(data, indent=4, ensure_ascii=False) + "\n"


def generate(document: dict[str, Any]) -> dict[str, str]:
    """Relative path -> file text, for `dist/make/<connector>/`."""
    return generate_app(connector_from_document(document))


def generate_app(connector: Connector) -> dict[str, str]:
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
        codes = {"communication": communication.rpc_communication(source), "params": []}
        components["rpc"][rpcs[key]] = {"label": source.label, "connection": connection, "altConnection": None,
                                        "codeFiles": _place(files, "rpc", rpcs[key], codes)}
    app_modules = modules(connector)
    for module in app_modules:
        codes = module_codes(connector, module, rpcs)
        metadata: dict[str, Any] = {"label": module.label, "description": module.operation.description,
                                    "moduleType": module.module_type, "connection": connection, "altConnection": None}
        if module.crud:
            metadata["actionCrud"] = module.crud
        components["module"][module.name] = {**metadata, "codeFiles": _place(files, "module", module.name, codes)}

    files[GENERAL["groups"]] = groups(app_modules)
    files["makecomapp.json"] = {"fileVersion": FILE_VERSION, "generalCodeFiles": GENERAL, "components": components,
                                "origins": [{**ORIGIN, "appId": app_id(connector)}]}
    texts = {path: dump(data) for path, data in files.items()}
    texts[GENERAL["readme"]] = readme(connector, app_modules, rpcs)
    for name, blueprint in blueprints(connector, app_id(connector)).items():
        texts[BLUEPRINTS + name] = dump(blueprint)
    return texts


def module_codes(connector: Connector, module: Module, rpcs: dict[str, str]) -> dict[str, Any]:
    operation = module.operation
    where = f"operation {operation.key}"
    sending = parameters.Sending(parameters.guards_for(operation.request.params),
                                 communication.dates_sent_alone(operation.request, operation.input))
    inputs = parameters.input_parameters(operation.input, rpcs, where, sending)
    trigger = module.module_type == "trigger"
    codes: dict[str, Any] = {
        "communication": communication.module_communication(connector, operation),
        "staticParams": inputs if trigger else [],
        "mappableParams": [] if trigger else inputs,
        "interface": parameters.interface(operation.output, where),
        "samples": operation.sample,
    }
    if operation.polling is not None:
        codes["epoch"] = communication.epoch(operation, operation.polling)
    return codes


def connection_parameters(connector: Connector) -> list[dict[str, Any]]:
    """Secret fields are passwords; a field with a default is optional and advanced; a field the
    auth header is made of takes only printable ASCII (a pasted line break would inject a header)."""
    auth = connector.connection.auth
    in_header = set(template_fields(auth.value)) if isinstance(auth, ApiKeyHeaderAuth) else set()
    fields = []
    for field in connector.connection.fields:
        parameter: dict[str, Any] = {"name": camel(field.key), "label": field.label,
                                     "type": "password" if field.secret else "text",
                                     "required": field.required and field.default is None}
        if field.description:
            parameter["help"] = field.description
        if field.default is not None:
            parameter.update(default=field.default, advanced=True)
        if field.key in in_header:
            parameter["validate"] = {"pattern": "^" + parameters.ONLY_PRINTABLE_ASCII}
        fields.append(parameter)
    return fields


def groups(app_modules: list[Module]) -> list[dict[str, Any]]:
    titles = {"trigger": "Triggers", "action": "Actions", "search": "Searches"}
    return [{"label": title, "modules": [m.name for m in app_modules if m.module_type == kind]}
            for kind, title in titles.items() if any(m.module_type == kind for m in app_modules)]


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
