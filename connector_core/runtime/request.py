"""Build the HTTP request of an operation from its declarative mapping and a validated input."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import httpx

from connector_core.runtime.connection import ConnectionSettings
from connector_core.spec.models import Param, RequestMapping

_MISSING = object()


def build_request(
    mapping: RequestMapping,
    value: dict[str, Any],
    settings: ConnectionSettings,
    *,
    extra_query: dict[str, Any] | None = None,
) -> httpx.Request:
    """The request a mapping sends for `value` (already validated against the input schema)."""
    path = mapping.path
    for param in mapping.params_in("path"):
        path = path.replace("{" + param.name + "}", encode_path_segment(_param_value(param, value)))
    query = {
        param.name: query_text(_param_value(param, value))
        for param in mapping.params_in("query")
        if _param_value(param, value) is not _MISSING
    }
    query.update({name: query_text(item) for name, item in (extra_query or {}).items()})
    headers = settings.headers()
    headers.update({
        param.name: query_text(_param_value(param, value))
        for param in mapping.params_in("header")
        if _param_value(param, value) is not _MISSING
    })
    body = build_body(mapping.params_in("body"), value)
    content = None
    if body is not None:
        content = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
        headers["Content-Type"] = "application/json"
    return httpx.Request(mapping.method, settings.base_url + path, params=query, headers=headers,
                         content=content)


def build_body(params: list[Param], value: dict[str, Any]) -> dict[str, Any] | None:
    """Nest each body param at its dotted name; None when the operation sends no body."""
    if not params:
        return None
    body: dict[str, Any] = {}
    for param in params:
        item = _param_value(param, value)
        if item is _MISSING:
            continue
        *parents, leaf = param.name.split(".")
        target = body
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = item
    return body


def encode_path_segment(item: Any) -> str:
    """Percent-encode a value so it stays one path segment: `../x` or `a/b?c#d` can't escape."""
    text = quote(str(item), safe="")
    if text in (".", ".."):
        text = text.replace(".", "%2E")
    return text


def query_text(item: Any) -> str:
    """Query values as the API expects them: lowercase booleans, plain numbers."""
    if isinstance(item, bool):
        return "true" if item else "false"
    return str(item)


def _param_value(param: Param, value: dict[str, Any]) -> Any:
    if param.is_constant:
        return param.value
    item: Any = value
    for part in param.source.split("."):
        if not isinstance(item, dict) or part not in item:
            return _MISSING
        item = item[part]
    return item
