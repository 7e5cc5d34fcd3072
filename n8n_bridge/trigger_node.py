"""The polling trigger node: one node, one event per trigger operation, each with its own input.

`poll()` hands the work to the adapter (`ts/polling.ts`): a scheduled poll runs the kernel's
`pollPlan` from the state in the node's static data (a first activation is a baseline), and the
editor's "Fetch test event" runs `latestPlan` (the newest real record, else the spec's sample).
What activation and re-activation do in n8n is in the package README (`package_files.polling_notes`).
"""

from __future__ import annotations

from typing import Any

from connector_core.spec.models import Connector, Operation
from n8n_bridge.credentials import icon_path
from n8n_bridge.load_options import node_methods
from n8n_bridge.names import camel, credential_name, help_text, trigger_class
from n8n_bridge.properties import operation_parameters
from n8n_bridge.tsliteral import Code, literal


def trigger_operations(connector: Connector) -> list[Operation]:
    return [operation for operation in connector.operations.values() if operation.kind == "trigger"]


def trigger_properties(connector: Connector, triggers: list[Operation]) -> list[dict[str, Any]]:
    """The event choice, then each event's input parameters (shown for that event only)."""
    properties: list[dict[str, Any]] = [{
        "displayName": "Event", "name": "event", "type": "options", "required": True,
        "options": sorted(({"name": op.label, "value": op.key, "description": help_text(op.description)} for op in triggers),
                          key=lambda option: option["name"]),
        "default": triggers[0].key,
    }]
    for operation in triggers:
        properties.extend(operation_parameters(connector, operation, {"event": [operation.key]}))
    return properties


def trigger_node_file(connector: Connector) -> str:
    triggers = trigger_operations(connector)
    methods = node_methods(triggers)
    description = {
        "displayName": f"{connector.label} Trigger",
        "name": camel(f"{connector.name}_trigger"),
        "icon": icon_path(connector, "../.."),
        "group": ["trigger"],
        "version": 1,
        "subtitle": '={{$parameter["event"]}}',
        "description": f"Starts the workflow when something happens in {connector.label}",
        "defaults": {"name": f"{connector.label} Trigger"},
        "polling": True,
        "inputs": [],
        "outputs": [Code("NodeConnectionTypes.Main")],
        "credentials": [{"name": credential_name(connector), "required": True}],
        "properties": trigger_properties(connector, triggers),
    }
    imports = ["INodeExecutionData", "INodeType", "INodeTypeDescription", "IPollFunctions", *methods.type_imports()]
    return (
        "import { NodeConnectionTypes } from 'n8n-workflow';\n"
        f"import type {{ {', '.join(sorted(imports))} }} from 'n8n-workflow';\n"
        + methods.adapter_import()
        + "import { pollEvents } from './shared/polling';\n\n"
        f"/** {connector.label} events, polled: generated from the connector spec. */\n"
        f"export class {trigger_class(connector)} implements INodeType {{\n"
        f"\tdescription: INodeTypeDescription = {literal(description, 1)};\n"
        + methods.block()
        + "\n\tasync poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {\n"
        "\t\tconst events = await pollEvents(this, this.getNodeParameter('event') as string);\n"
        "\t\treturn events.length ? [this.helpers.returnJsonArray(events)] : null;\n"
        "\t}\n"
        "}\n"
    )
