"""Recorded cases as n8n runs: node parameters from a case's input, outcomes from the harness."""

from __future__ import annotations

import json
from pathlib import Path
from collections.abc import Iterable
from typing import Any

from connector_core.cassettes.cases import RecordedCase
from connector_core.cassettes.replay import ReplayServer
from connector_core.runtime.connection import values_for_base_url
from connector_core.runtime.response import dig
from connector_core.spec.models import Connector, Operation
from n8n_bridge.action_node import node_selection
from n8n_bridge.fields import Field, input_fields
from n8n_bridge.names import camel, credential_name, node_class, package_directory, trigger_class
from n8n_bridge.properties import ENTRY_OPTION, summary
from n8n_bridge.toolchain import HARNESS, N8N


def node_parameters(connector: Connector, operation: Operation, value: dict[str, Any]) -> dict[str, Any]:
    """What a user would enter in the node for `value`: the operation (or trigger event), its fields on
    the form, the rest in Additional Fields, an ID typed into its resource locator ("By ID"), and
    Simplify off, so that the node returns the whole record as the other runtimes do."""
    if operation.kind == "test":
        return {}
    parameters: dict[str, Any] = ({"event": operation.key} if operation.kind == "trigger"
                                  else node_selection(connector, operation))
    parameters.update(entered(input_fields(operation), value))
    if summary(operation):
        parameters["simple"] = False
    return parameters


def entered(fields: Iterable[Field], value: dict[str, Any]) -> dict[str, Any]:
    """The parameters holding `value`'s fields: on the form, or in Additional Fields; a list as one
    entry per item (its own parameters), a key/value object as one name/value entry per key."""
    parameters: dict[str, Any] = {}
    additional: dict[str, Any] = {}
    for field in fields:
        item = dig(value, field.path)
        if item is None:
            continue
        if field.locator:
            item = {"__rl": True, "mode": "id", "value": item}
        elif field.shape == "list" and isinstance(item, list):
            item = {ENTRY_OPTION: [entered(field.items, entry) if isinstance(entry, dict) else entry for entry in item]}
        elif field.shape == "pairs" and isinstance(item, dict):
            item = {ENTRY_OPTION: [{"name": name, "value": text} for name, text in item.items()]}
        (additional if field.additional else parameters)[field.parameter] = item
    if additional:
        parameters["additionalFields"] = additional
    return parameters


def credential_values(connector: Connector, values: dict[str, str], base_url: str) -> dict[str, str]:
    """The connection fields as n8n's credential stores them: each field's default, then `values` (by
    the spec's field keys), and the fields of the base URL template read back from `base_url`."""
    merged = {field.key: field.default or "" for field in connector.connection.fields}
    merged.update(values_for_base_url(connector, base_url, values))
    return {camel(key): text for key, text in merged.items()}


def credentials_for(connector: Connector, replay: ReplayServer, case: RecordedCase) -> dict[str, str]:
    """The connection fields as the credential stores them: the replay key and the case's base URL."""
    return credential_values(connector, {connector.connection.credential.key: replay.api_key},
                             replay.base_url(case.name))


def node_type(connector: Connector, operation: Operation) -> str:
    """The n8n type of the node that runs `operation`: the trigger node or the action node."""
    node = trigger_class(connector) if operation.kind == "trigger" else node_class(connector)
    return f"{package_directory(connector)}.{camel(node)}"


def harness_case(connector: Connector, case: RecordedCase, replay: ReplayServer) -> dict[str, Any]:
    operation = connector.operation(case.operation)
    return {
        "name": case.name, "kind": operation.kind,
        "nodeType": node_type(connector, operation),
        "parameters": node_parameters(connector, operation, case.input),
        "credentialType": credential_name(connector),
        "credentials": credentials_for(connector, replay, case),
        "clockMs": case.clock_ms, "intervalMs": case.poll_interval_ms, "polls": case.polls,
        "manual": case.mode == "latest",  # the editor's "Fetch test event"
    }


def run_in_n8n(package: Path, connector: Connector, cases: list[RecordedCase],
               replay: ReplayServer) -> dict[str, dict[str, Any]]:
    """All cases in one Node process through n8n-core; the raw outcome of each by case name."""
    payload = {"packageDir": str(package), "cases": [harness_case(connector, case, replay) for case in cases]}
    result = N8N.run(["node", str(HARNESS / "run_cases.js")], package, stdin=json.dumps(payload))
    if result.returncode != 0:
        raise RuntimeError(f"the n8n harness failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])
