"""The polling trigger node: one node, one event per trigger operation, `poll()` from the spec."""

from __future__ import annotations

from connector_core.spec.models import Connector, Operation
from n8n_bridge.action_node import base_url_code, icon_paths
from n8n_bridge.names import camel, credential_name, help_text, trigger_class
from n8n_bridge.tsliteral import Code, literal


def trigger_operations(connector: Connector) -> list[Operation]:
    return [operation for operation in connector.operations.values() if operation.kind == "trigger"]


def trigger_node_file(connector: Connector) -> str:
    triggers = trigger_operations(connector)
    description = {
        "displayName": f"{connector.label} Trigger",
        "name": camel(f"{connector.name}_trigger"),
        "icon": icon_paths(connector, "../../icons"),
        "group": ["trigger"],
        "version": 1,
        "subtitle": '={{$parameter["event"]}}',
        "description": f"Starts the workflow when something happens in {connector.label}",
        "defaults": {"name": f"{connector.label} Trigger"},
        "polling": True,
        "inputs": [],
        "outputs": [Code("NodeConnectionTypes.Main")],
        "credentials": [{"name": credential_name(connector), "required": True}],
        "properties": [{
            "displayName": "Event", "name": "event", "type": "options", "required": True,
            "options": sorted(({"name": op.label, "value": op.key, "description": help_text(op.description)} for op in triggers),
                              key=lambda option: option["name"]),
            "default": triggers[0].key,
        }],
    }
    return (
        "import { NodeConnectionTypes } from 'n8n-workflow';\n"
        "import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';\n"
        "import { CONNECTOR } from './shared/operations';\n"
        "import { pollOperation } from './shared/polling';\n\n"
        f"/** {connector.label} events, polled: generated from the connector spec. */\n"
        f"export class {trigger_class(connector)} implements INodeType {{\n"
        f"\tdescription: INodeTypeDescription = {literal(description, 1)};\n\n"
        "\tasync poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {\n"
        "\t\tconst event = this.getNodeParameter('event') as string;\n"
        "\t\tif (this.getMode() === 'manual') {\n"
        "\t\t\treturn [this.helpers.returnJsonArray([CONNECTOR.operations[event].sample])];\n"
        "\t\t}\n"
        f"\t\tconst credentials = await this.getCredentials({literal(credential_name(connector))});\n"
        f"\t\tconst events = await pollOperation(this, event, {base_url_code(connector)});\n"
        "\t\treturn events.length ? [this.helpers.returnJsonArray(events)] : null;\n"
        "\t}\n"
        "}\n"
    )
