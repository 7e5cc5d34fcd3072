"""The README's example workflow: the connector's first trigger feeding one action node operation
on the record it delivers, as n8n workflow JSON a user can paste into the editor.

The operation is chosen from the spec: the first whose required inputs the trigger's record holds
under the same names, preferring one that only needs the record's ID in a resource locator (acting
on the record just delivered) and is not destructive. Each of those inputs is an expression over
the trigger's item (`={{ $json.id }}`).
"""

from __future__ import annotations

from typing import Any

from connector_core.spec.models import Connector, Operation
from n8n_bridge.action_node import node_operations, node_selection
from n8n_bridge.fields import Field, input_fields
from n8n_bridge.names import camel, credential_name, node_class, package_directory, trigger_class
from n8n_bridge.trigger_node import trigger_operations

POLL_TIMES = {"item": [{"mode": "everyMinute"}]}  # n8n's default schedule for a polling node


def _required(operation: Operation) -> list[Field]:
    return [field for field in input_fields(operation) if field.required]


def _fits(operation: Operation, trigger: Operation) -> bool:
    """Whether every required input is a top-level field of the trigger's record."""
    record = trigger.output.get("properties", {})
    return all(field.path in record for field in _required(operation))


def chained_operation(connector: Connector, trigger: Operation) -> Operation | None:
    """The operation the example runs on each record the trigger delivers, if any fits."""
    fitting = [operation for operation in node_operations(connector) if _fits(operation, trigger)]
    by_id = [operation for operation in fitting if not operation.destructive and _required(operation)
             and all(field.locator for field in _required(operation))]
    return next(iter(by_id + fitting), None)


def _value(field: Field) -> Any:
    expression = f"={{{{ $json.{field.path} }}}}"
    return {"__rl": True, "mode": "id", "value": expression} if field.locator else expression


def _node(connector: Connector, name: str, node_type: str, parameters: dict[str, Any],
          position: list[int]) -> dict[str, Any]:
    return {"parameters": parameters, "name": name, "type": f"{package_directory(connector)}.{camel(node_type)}",
            "typeVersion": 1, "position": position,
            "credentials": {credential_name(connector): {"id": "1", "name": f"{connector.label} account"}}}


def example_workflow(connector: Connector) -> dict[str, Any] | None:
    """The workflow JSON, or None when the connector has no trigger."""
    triggers = trigger_operations(connector)
    if not triggers:
        return None
    trigger = triggers[0]
    trigger_name = f"{connector.label} Trigger"
    nodes = [_node(connector, trigger_name, trigger_class(connector), {"event": trigger.key, "pollTimes": POLL_TIMES},
                   [0, 0])]
    connections: dict[str, Any] = {}
    operation = chained_operation(connector, trigger)
    if operation is not None:
        parameters = {**node_selection(connector, operation),
                      **{field.parameter: _value(field) for field in _required(operation)}}
        nodes.append(_node(connector, connector.label, node_class(connector), parameters, [240, 0]))
        connections[trigger_name] = {"main": [[{"node": connector.label, "type": "main", "index": 0}]]}
    return {"name": f"{trigger.label} in {connector.label}", "nodes": nodes, "connections": connections}
