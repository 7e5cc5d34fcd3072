"""The action node: resources and operations from the spec's actions and searches.

A programmatic node (`execute`), not a declarative one: n8n's routing wraps any error a preSend
throws into a NodeApiError, so refused input could not surface as the NodeOperationError it is.
`execute` runs the kernel's plan per item; the description only offers the choices.
"""

from __future__ import annotations

from typing import Any

from connector_core.spec.models import Connector, Operation
from n8n_bridge.credentials import icon_paths
from n8n_bridge.names import (camel, credential_name, help_text, node_class, operation_label, resource_label,
                              sentence)
from n8n_bridge.load_options import IMPORT_ADAPTER, IMPORTS, load_options_block, option_sources
from n8n_bridge.properties import operation_parameters
from n8n_bridge.tsliteral import Code, literal

SUBTITLE = '={{$parameter["operation"] + ": " + $parameter["resource"]}}'


def node_operations(connector: Connector) -> list[Operation]:
    return [operation for operation in connector.operations.values() if operation.kind in ("action", "search")]


def resources(connector: Connector) -> dict[str, list[Operation]]:
    """Operations grouped by resource, resources and operations in spec order. n8n names resources
    in the singular, so `List Items` joins `Item` when another operation names `Item`."""
    labels = [resource_label(operation) for operation in node_operations(connector)]
    grouped: dict[str, list[Operation]] = {}
    for operation, label in zip(node_operations(connector), labels):
        singular = label[:-1] if label.endswith("s") and label[:-1] in labels else label
        grouped.setdefault(singular, []).append(operation)
    return grouped


def resource_of(connector: Connector, operation: Operation) -> str:
    return next(name for name, operations in resources(connector).items() if operation in operations)


def operation_value(operation: Operation, siblings: list[Operation]) -> str:
    """`create`, `find`…; the operation key when two operations of a resource share a verb."""
    value = camel(operation_label(operation))
    clash = [other for other in siblings if camel(operation_label(other)) == value]
    return value if len(clash) == 1 else camel(operation.key)


def _operation_option(operation: Operation, siblings: list[Operation]) -> dict[str, Any]:
    return {
        "name": operation_label(operation),
        "value": operation_value(operation, siblings),
        "description": help_text(operation.description),
        "action": sentence(operation.label),
    }


def operation_keys(connector: Connector) -> dict[str, dict[str, str]]:
    """Resource value -> operation value -> the spec's operation key (what `execute` runs)."""
    return {camel(name): {operation_value(operation, operations): operation.key for operation in operations}
            for name, operations in resources(connector).items()}


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


def action_node_file(connector: Connector) -> str:
    sources = option_sources(node_operations(connector))
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
        "properties": node_properties(connector),
    }
    imports = ["IExecuteFunctions", "INodeExecutionData", "INodeType", "INodeTypeDescription"]
    imports += IMPORTS if sources else []
    header = (f"import {{ NodeConnectionTypes }} from 'n8n-workflow';\n"
              f"import type {{ {', '.join(sorted(imports))} }} from 'n8n-workflow';\n"
              "import { executeItems } from './shared/execute';\n"
              + (IMPORT_ADAPTER if sources else ""))
    body = (f"\tdescription: INodeTypeDescription = {literal(description, 1)};\n" + load_options_block(sources)
            + "\n\tasync execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {\n"
            "\t\treturn await executeItems(this);\n\t}\n")
    return (f"{header}\n/** {connector.label}: generated from the connector spec. */\n"
            f"export class {node_class(connector)} implements INodeType {{\n{body}}}\n")
