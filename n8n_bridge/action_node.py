"""The declarative node: resources and operations from the spec's actions and searches."""

from __future__ import annotations

from typing import Any

from connector_core.spec.models import Connector, Operation, options_annotations
from n8n_bridge.credentials import expression, icon_paths
from n8n_bridge.names import (camel, credential_name, help_text, node_class, operation_label, resource_label,
                              sentence)
from n8n_bridge.properties import operation_parameters, option_loader
from n8n_bridge.tsliteral import Code, literal

SUBTITLE = '={{$parameter["operation"] + ": " + $parameter["resource"]}}'


def node_operations(connector: Connector) -> list[Operation]:
    return [operation for operation in connector.operations.values() if operation.kind in ("action", "search")]


def resources(connector: Connector) -> dict[str, list[Operation]]:
    """Operations grouped by resource, resources and operations in spec order."""
    grouped: dict[str, list[Operation]] = {}
    for operation in node_operations(connector):
        grouped.setdefault(resource_label(operation), []).append(operation)
    return grouped


def operation_value(operation: Operation, siblings: list[Operation]) -> str:
    """`create`, `find`…; the operation key when two operations of a resource share a verb."""
    value = camel(operation_label(operation))
    clash = [other for other in siblings if camel(operation_label(other)) == value]
    return value if len(clash) == 1 else camel(operation.key)


def _operation_option(operation: Operation, siblings: list[Operation]) -> dict[str, Any]:
    request: dict[str, Any] = {"method": operation.request.method, "url": operation.request.path}
    constants = {location: {param.name: param.value for param in operation.request.params_in(location)
                            if param.is_constant} for location in ("query", "body")}
    if constants["query"]:
        request["qs"] = constants["query"]
    if constants["body"]:
        request["body"] = constants["body"]
    return {
        "name": operation_label(operation),
        "value": operation_value(operation, siblings),
        "description": help_text(operation.description),
        "action": sentence(operation.label),
        "routing": {
            "request": request,
            "send": {"preSend": [Code(f"prepare({literal(operation.key)})")]},
            "output": {"postReceive": [Code(f"shape({literal(operation.key)})")]},
        },
    }


def node_properties(connector: Connector) -> list[dict[str, Any]]:
    grouped = resources(connector)
    values = {name: camel(name) for name in grouped}
    properties: list[dict[str, Any]] = [{
        "displayName": "Resource", "name": "resource", "type": "options", "noDataExpression": True,
        "options": [{"name": name, "value": values[name]} for name in sorted(grouped)],
        "default": values[next(iter(grouped))],
    }]
    for name, operations in grouped.items():
        options = sorted((_operation_option(op, operations) for op in operations), key=lambda option: option["name"])
        properties.append({
            "displayName": "Operation", "name": "operation", "type": "options", "noDataExpression": True,
            "displayOptions": {"show": {"resource": [values[name]]}},
            "options": options, "default": operation_value(operations[0], operations),
        })
        for operation in operations:
            show = {"resource": [values[name]], "operation": [operation_value(operation, operations)]}
            properties.extend(operation_parameters(operation, show))
    return properties


def _load_options_method(connector: Connector, source_key: str) -> str:
    source = connector.option_sources[source_key]
    query = {param.name: param.value for param in source.request.params_in("query")}
    options = {"method": source.request.method, "baseURL": Code(base_url_code(connector)), "url": source.request.path,
               "qs": query, "headers": Code("CONNECTOR.headers"), "json": True}
    return (
        f"\t\t\tasync {option_loader(source_key)}(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {{\n"
        f"\t\t\t\tconst credentials = await this.getCredentials({literal(credential_name(connector))});\n"
        f"\t\t\t\tconst body = await this.helpers.httpRequestWithAuthentication.call(\n"
        f"\t\t\t\t\tthis,\n\t\t\t\t\t{literal(credential_name(connector))},\n\t\t\t\t\t{literal(options, 5)},\n"
        "\t\t\t\t);\n"
        f"\t\t\t\treturn listAt(body, {literal(source.response.path)}, {literal(source_key)}).map((record) => ({{\n"
        f"\t\t\t\t\tname: String(dig(record, {literal(source.label_field)})),\n"
        f"\t\t\t\t\tvalue: String(dig(record, {literal(source.value)})),\n"
        "\t\t\t\t}));\n"
        "\t\t\t},\n"
    )


def base_url_code(connector: Connector) -> str:
    """The base URL as TypeScript over the decrypted `credentials` (same template as requestDefaults)."""
    text = expression(connector.connection.base_url)[1:]
    return "`" + text.replace("{{$credentials.", "${credentials.").replace("}}", "}") + "`"


def action_node_file(connector: Connector) -> str:
    sources = sorted({source for operation in node_operations(connector)
                      for source in _sources(operation)})
    description = {
        "displayName": connector.label,
        "name": camel(connector.name),
        "icon": icon_paths(connector, "../../icons"),
        "group": ["transform"],
        "version": 1,
        "subtitle": SUBTITLE,
        "description": connector.description.strip(),
        "defaults": {"name": connector.label},
        "usableAsTool": True,
        "inputs": [Code("NodeConnectionTypes.Main")],
        "outputs": [Code("NodeConnectionTypes.Main")],
        "credentials": [{"name": credential_name(connector), "required": True}],
        "requestDefaults": {"baseURL": expression(connector.connection.base_url),
                            "headers": dict(connector.connection.headers), "ignoreHttpStatusErrors": True},
        "properties": node_properties(connector),
    }
    methods = "".join(_load_options_method(connector, source) for source in sources)
    imports = ["INodeType", "INodeTypeDescription"] + (["ILoadOptionsFunctions", "INodePropertyOptions"] if sources else [])
    header = (f"import {{ NodeConnectionTypes }} from 'n8n-workflow';\n"
              f"import type {{ {', '.join(sorted(imports))} }} from 'n8n-workflow';\n"
              "import { prepare, shape } from './shared/routing';\n")
    if sources:
        header += ("import { CONNECTOR } from './shared/operations';\n"
                   "import { listAt } from './shared/records';\nimport { dig } from './shared/values';\n")
    body = f"\tdescription: INodeTypeDescription = {literal(description, 1)};\n"
    if sources:
        body += f"\n\tmethods = {{\n\t\tloadOptions: {{\n{methods}\t\t}},\n\t}};\n"
    return (f"{header}\n/** {connector.label}: generated from the connector spec. */\n"
            f"export class {node_class(connector)} implements INodeType {{\n{body}}}\n")


def _sources(operation: Operation) -> list[str]:
    return [source for _, source in options_annotations(operation.input)]
