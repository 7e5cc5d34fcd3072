"""Build the HTTP request of an operation from its declarative mapping and a validated input.

The URL is written here byte for byte (path segments and the query percent-encoded as the
corpus states), so httpx sends exactly what the JS kernel would.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, quote_plus, unquote

import httpx

from connector_core.runtime.connection import ConnectionSettings
from connector_core.runtime.errors import FieldProblem
from connector_core.runtime.jsontext import json_text
from connector_core.spec.models import Param, RequestMapping

_MISSING = object()
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f]")
NOT_ASCII = re.compile("[^\x00-\x7f]")
PATH_SEGMENT_MESSAGE = 'must not be a dot segment ("." or ".."), which would address another endpoint'
HEADER_MESSAGE = "must not contain control characters (CR, LF, ...)"
HEADER_ASCII_MESSAGE = "must contain only ASCII characters (a header cannot carry other text)"
MAX_TARGET = 8000
URL_LENGTH_MESSAGE = f"makes the request URL too long (over {MAX_TARGET} characters of path and query)"


def build_request(
    mapping: RequestMapping,
    value: dict[str, Any],
    settings: ConnectionSettings,
    *,
    extra_query: dict[str, Any] | None = None,
) -> httpx.Request:
    """The request a mapping sends for `value` (already prepared by `validated_input`)."""
    headers = settings.headers()
    headers.update({param.name: text(_param_value(param, value)) for param in mapping.params_in("header")
                    if _param_value(param, value) is not _MISSING})
    body = build_body(mapping.params_in("body"), value)
    content = None
    if body is not None:
        content = json_text(body).encode()
        headers["Content-Type"] = "application/json"
    return httpx.Request(mapping.method, settings.base_url + target(mapping, value, extra_query), headers=headers,
                         content=content)


def target(mapping: RequestMapping, value: dict[str, Any], extra_query: dict[str, Any] | None = None) -> str:
    """What follows the base URL: the path with its values encoded, and the query."""
    path = mapping.path
    for param in mapping.params_in("path"):
        item = _param_value(param, value)
        path = path.replace("{" + param.name + "}", "" if item is _MISSING else encode_path_segment(item))
    query = [(param.name, _param_value(param, value)) for param in mapping.params_in("query")]
    query += list((extra_query or {}).items())
    pairs = [f"{_form(name)}={_form(text(item))}" for name, item in query if item is not _MISSING]
    return path + ("?" + "&".join(pairs) if pairs else "")


def _form(item: str) -> str:
    return quote_plus(item, safe="", errors="surrogatepass")


def unsendable(mapping: RequestMapping, value: dict[str, Any]) -> list[FieldProblem]:
    """Input values the request cannot carry safely: a dot segment, a header value with a control
    character (header injection) or other than ASCII text (hosts throw or send Latin-1 bytes)."""
    problems = []
    for param in mapping.params:
        item = _param_value(param, value)
        if param.is_constant or not isinstance(item, str):
            continue
        if param.location == "path" and is_dot_segment(item):
            problems.append(FieldProblem(param.source, "path_segment", PATH_SEGMENT_MESSAGE))
        if param.location == "header" and CONTROL_CHARACTERS.search(item):
            problems.append(FieldProblem(param.source, "header", HEADER_MESSAGE))
        elif param.location == "header" and NOT_ASCII.search(item):
            problems.append(FieldProblem(param.source, "header", HEADER_ASCII_MESSAGE))
    return problems + too_long(mapping, value)


def too_long(mapping: RequestMapping, value: dict[str, Any]) -> list[FieldProblem]:
    """A request target past MAX_TARGET characters, blamed on the path or query value that is
    longest once encoded (servers and proxies refuse long URLs; httpx raises past 65,536)."""
    if len(target(mapping, value)) <= MAX_TARGET:
        return []
    sizes = [(len(encode_path_segment(item) if param.location == "path" else _form(text(item))), param.source)
             for param in mapping.params if param.location in ("path", "query") and not param.is_constant
             for item in [_param_value(param, value)] if item is not _MISSING]
    longest = max(sizes, key=lambda size: size[0], default=(0, "(input)"))
    return [FieldProblem(longest[1], "url_length", URL_LENGTH_MESSAGE)]


def is_dot_segment(item: str) -> bool:
    """`.` or `..` once percent-decoded as often as it changes (`%252e` -> `%2e` -> `.`)."""
    decoded = unquote(item)
    while decoded != item:
        item, decoded = decoded, unquote(decoded)
    return item in (".", "..")


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
    """Percent-encode a value as one path segment: only unreserved characters stay."""
    encoded = quote(text(item), safe="", errors="surrogatepass")
    return encoded.replace(".", "%2E") if encoded in (".", "..") else encoded


def text(item: Any) -> str:
    """A value as URL or header text: strings as they are, anything else as JSON writes it."""
    return item if isinstance(item, str) else json_text(item)


def _param_value(param: Param, value: dict[str, Any]) -> Any:
    if param.is_constant:
        return param.value
    item: Any = value
    for part in param.source.split("."):
        if not isinstance(item, dict) or part not in item:
            return _MISSING
        item = item[part]
    return item
