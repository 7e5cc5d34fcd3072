"""The action node: resources and operations from the spec's actions, searches and lists.

A programmatic node (`execute`), not a declarative one: n8n's routing wraps any error a preSend
throws into a NodeApiError, so refused input could not surface as the NodeOperationError it is.
`execute` runs the kernel's plan per item; the description only offers the choices.
"""

from __future__ import annotations

from typing import Any

from connector_core.spec.models import Connector, Operation
from n8n_bridge.credentials import icon_path
from n8n_bridge.load_options import node_methods
from n8n_bridge.names import camel, credential_name, help_text, node_class
from n8n_bridge.operation_names import OperationName, resource_operation_names
from n8n_bridge.properties import operation_parameters
from n8n_bridge.tsliteral import Code, literal

SUBTITLE = '={{$parameter["operation"] + ": " + $parameter["resource"]}}'
NODE_KINDS = ("action", "search", "list")


def node_operations(connector: Connector) -> list[Operation]:
    return [operation for operation in connector.operations.values() if operation.kind in NODE_KINDS]


def resources(connector: Connector) -> dict[str, list[Operation]]:
    """Resource key -> its operations on the action node, both in spec order (`resources`, `operations`)."""
    operations = node_operations(connector)
    grouped = {key: [op for op in operations if op.resource == key] for key in connector.resources}
    return {key: ops for key, ops in grouped.items() if ops}


def operation_names(connector: Connector) -> dict[str, OperationName]:
    """Operation key -> its Operation choice under its resource."""
    return {key: name for resource, operations in resources(connector).items()
            for key, name in resource_operation_names(operations, connector.resources[resource]).items()}


def node_selection(connector: Connector, operation: Operation) -> dict[str, str]:
    """The Resource and Operation values that select the operation on the action node."""
    return {"resource": camel(operation.resource or ""), "operation": operation_names(connector)[operation.key].value}


def operation_keys(connector: Connector) -> dict[str, dict[str, str]]:
    """Resource value -> operation value -> the spec's operation key (what `execute` runs)."""
    names = operation_names(connector)
    return {camel(resource): {names[operation.key].value: operation.key for operation in operations}
            for resource, operations in resources(connector).items()}


def node_properties(connector: Connector) -> list[dict[str, Any]]:
    grouped = resources(connector)
    names = operation_names(connector)
    properties: list[dict[str, Any]] = [{
        "displayName": "Resource", "name": "resource", "type": "options", "noDataExpression": True,
        "options": sorted(({"name": connector.resources[key].label, "value": camel(key)} for key in grouped),
                          key=lambda option: option["name"]),
        "default": camel(next(iter(grouped))),
    }]
    for resource, operations in grouped.items():
        options = sorted(({"name": names[op.key].name, "value": names[op.key].value,
                           "description": help_text(op.description), "action": names[op.key].action}
                          for op in operations), key=lambda option: option["name"])
        properties.append({
            "displayName": "Operation", "name": "operation", "type": "options", "noDataExpression": True,
            "displayOptions": {"show": {"resource": [camel(resource)]}},
            "options": options, "default": names[operations[0].key].value,
        })
        for operation in operations:
            show = {"resource": [camel(resource)], "operation": [names[operation.key].value]}
            properties.extend(operation_parameters(connector, operation, show))
    return properties


def action_node_file(connector: Connector) -> str:
    methods = node_methods(node_operations(connector))
    description = {
        "displayName": connector.label,
        "name": camel(connector.name),
        "icon": icon_path(connector, "../.."),
        "group": ["transform"],
        "version": 1,
        "subtitle": SUBTITLE,
        "description": connector.description.strip(),
        "defaults": {"name": connector.label},
        "usableAsTool": True,
        "inputs": [Code("NodeConnectionTypes.Main")],
        "outputs": [Code("NodeConnectionTypes.Main")],
        "credentials": [{"name": credential_name(connector), "required": True}],
        "properties": node_properties(connector),
    }
    imports = ["IExecuteFunctions", "INodeExecutionData", "INodeType", "INodeTypeDescription", *methods.type_imports()]
    header = (f"import {{ NodeConnectionTypes }} from 'n8n-workflow';\n"
              f"import type {{ {', '.join(sorted(imports))} }} from 'n8n-workflow';\n"
              "import { executeItems } from './shared/execute';\n"
              + methods.adapter_import())
    body = (f"\tdescription: INodeTypeDescription = {literal(description, 1)};\n" + methods.block()
            + "\n\tasync execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {\n"
            "\t\treturn await executeItems(this);\n\t}\n")
    return (f"{header}\n/** {connector.label}: generated from the connector spec. */\n"
            f"export class {node_class(connector)} implements INodeType {{\n{body}}}\n")
