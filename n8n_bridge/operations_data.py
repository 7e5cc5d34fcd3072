"""`operations.ts`: the spec's operations as data the generated node code reads at run time."""

from __future__ import annotations

from typing import Any

from connector_core.spec.models import Connector, OffsetPagination, Operation, Polling, ResponseMapping
from n8n_bridge.fields import input_fields
from n8n_bridge.names import credential_name
from n8n_bridge.tsliteral import literal


def operations_module(connector: Connector) -> str:
    data = {
        "credentialType": credential_name(connector),
        "errorMessagePath": connector.errors.message,
        "headers": dict(connector.connection.headers),
        "operations": {key: _operation(operation) for key, operation in connector.operations.items()
                       if operation.kind != "test"},
    }
    return ("import type { ConnectorSpec } from './types';\n\n"
            "/** Generated from the connector spec: what each operation sends and returns. */\n"
            f"export const CONNECTOR: ConnectorSpec = {literal(data)};\n")


def _operation(operation: Operation) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key": operation.key,
        "label": operation.label,
        "input": _input_schema(operation.input),
        "fields": [{"path": field.path, "parameter": field.parameter, "additional": not field.required}
                   for field in input_fields(operation)],
        "method": operation.request.method,
        "path": operation.request.path,
        "params": [_param(param) for param in operation.request.params],
        "stripEmpty": operation.request.strip_empty,
        "response": _response(operation.response),
        "sample": operation.sample,
    }
    if operation.polling is not None:
        data["polling"] = _polling(operation.polling)
    return data


def _input_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The input schema without the JSON Schema keywords the node's validator does not read."""
    kept = {"type", "title", "description", "properties", "required", "additionalProperties", "minLength",
            "maxLength", "minimum", "maximum", "pattern", "format", "enum", "examples", "x-options"}
    cleaned = {key: value for key, value in schema.items() if key in kept}
    if "properties" in cleaned:
        cleaned["properties"] = {name: _input_schema(sub) for name, sub in cleaned["properties"].items()}
    return cleaned


def _param(param: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"location": param.location, "target": param.name}
    if param.is_constant:
        data["value"] = param.value
    else:
        data["source"] = param.source
    return data


def _response(mapping: ResponseMapping) -> dict[str, Any]:
    data: dict[str, Any] = {
        "extract": mapping.extract, "path": mapping.path, "empty": mapping.empty,
        "filters": [{"field": rule.field, "op": rule.op, "value": rule.value} for rule in mapping.filters],
    }
    if mapping.match is not None:
        data["match"] = {"input": mapping.match.input, "fields": list(mapping.match.fields),
                         "caseInsensitive": mapping.match.case_insensitive}
    return data


def _polling(polling: Polling) -> dict[str, Any]:
    paging = polling.pagination
    pagination: dict[str, Any] = (
        {"style": "offset", "offsetParam": paging.offset_param, "limitParam": paging.limit_param,
         "pageSize": paging.page_size}
        if isinstance(paging, OffsetPagination) else
        {"style": "page", "pageParam": paging.page_param, "sizeParam": paging.size_param,
         "pageSize": paging.page_size, "firstPage": paging.first_page})
    return {"cursorParam": polling.cursor.param, "cursorField": polling.cursor.field,
            "lookbackMs": polling.lookback_ms, "initialWindowMs": polling.initial_window_ms,
            "pagination": pagination, "maxPages": polling.max_pages, "dedupeKey": list(polling.dedupe_key)}
