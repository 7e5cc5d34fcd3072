"""`parameters.ts`: n8n's own mapping, the one thing generated beside the runtime document.

Which node parameter holds each input path (on the form, or in Additional Fields), which
credential property holds each connection field, which operation each Resource/Operation choice
of the action node runs, and which fields "Simplify" keeps. What the values mean, and
how they are checked and sent, is the kernel's: it reads them from `connector.json`.
"""

from __future__ import annotations

from typing import Any

from connector_core.spec.models import Connector
from n8n_bridge.action_node import operation_keys
from n8n_bridge.properties import ENTRY_OPTION, summary
from n8n_bridge.fields import Field, input_fields
from n8n_bridge.names import camel, credential_name
from n8n_bridge.tsliteral import literal


def input_parameter(field: Field) -> dict[str, Any]:
    """Where n8n keeps one input value, and its shape (a list's entries hold the item's own parameters)."""
    held: dict[str, Any] = {"path": field.path, "parameter": field.parameter, "additional": field.additional,
                            "shape": field.shape}
    if field.items:
        held["items"] = [input_parameter(item) for item in field.items]
    return held


def parameters_module(connector: Connector) -> str:
    fields = {field.key: camel(field.key) for field in connector.connection.fields}
    simplify = {key: summary(operation) for key, operation in connector.operations.items() if summary(operation)}
    sources = {name: list(source.input.get("properties", {})) for name, source in connector.option_sources.items()}
    inputs = {key: [input_parameter(field) for field in input_fields(operation)]
              for key, operation in connector.operations.items() if operation.kind != "test"}
    return (
        "import type { InputParameter } from './types';\n\n"
        "/** Generated from the connector spec: where n8n keeps the connection and each operation's input. */\n"
        f"export const CREDENTIAL_TYPE = {literal(credential_name(connector))};\n\n"
        "/** Connection field key -> credential property. */\n"
        f"export const CONNECTION_FIELDS: {{ [field: string]: string }} = {literal(fields)};\n\n"
        "/** The option of a fixed collection (a list or key/value input) that holds its entries. */\n"
        f"export const ENTRY_OPTION = {literal(ENTRY_OPTION)};\n\n"
        "/** Operation key -> the node parameters that hold its input. */\n"
        f"export const INPUT_PARAMETERS: {{ [operation: string]: InputParameter[] }} = {literal(inputs)};\n\n"
        "/** Option source -> the top-level input fields it reads from the form (its own input's properties). */\n"
        f"export const SOURCE_INPUTS: {{ [source: string]: string[] }} = {literal(sources)};\n\n"
        "/** The action node's Resource -> Operation -> the operation key. */\n"
        f"export const OPERATION_KEYS: {{ [resource: string]: {{ [operation: string]: string }} }} = "
        f"{literal(operation_keys(connector))};\n\n"
        "/** Operation key -> the output fields its \"Simplify\" keeps (an operation without one is absent). */\n"
        f"export const SIMPLIFY: {{ [operation: string]: string[] }} = {literal(simplify)};\n"
    )
