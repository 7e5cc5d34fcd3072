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
from connector_core.runtime.transforms import Untransformable, transformed
from connector_core.spec.models import Param, RequestMapping

_MISSING = object()
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f]")
NOT_ASCII = re.compile("[^\x00-\x7f]")
PATH_SEGMENT_MESSAGE = 'must not be a dot segment ("." or ".."), which would address another endpoint'
HEADER_MESSAGE = "must not contain control characters (CR, LF, ...)"
HEADER_ASCII_MESSAGE = "must contain only ASCII characters (a header cannot carry other text)"
INDEX = re.compile("[0-9]+")
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
    """Input values the request cannot carry: one a transform cannot read (reported alone: every
    other check reads the transformed values), a key of a merged object that a param of its own
    sets, a dot segment, a header value with a control character (header injection) or other than
    ASCII text (hosts throw or send Latin-1 bytes)."""
    problems = untransformable(mapping.params, value)
    if problems:
        return problems
    problems = covered(mapping, value)
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


def untransformable(params: list[Param], value: dict[str, Any], prefix: str = "") -> list[FieldProblem]:
    """A problem for every given value its param's transform refuses; an item of a list input is
    named `jobs[2].windowStart`."""
    problems = []
    for param in params:
        if param.items is not None:
            listed = _read(value, param.input) if param.input else [value]
            for index, item in enumerate(listed if isinstance(listed, list) else []):
                inner = f"{prefix}{param.input}[{index}]." if param.input else prefix
                problems += untransformable(param.items, item, inner)
            continue
        item = _read(value, param.source) if param.transform and not param.is_constant else _MISSING
        if item is _MISSING:
            continue
        try:
            transformed(param.transform, item)
        except Untransformable as error:
            problems.append(FieldProblem(prefix + param.source, "format", str(error)))
    return problems


def covered(mapping: RequestMapping, value: dict[str, Any]) -> list[FieldProblem]:
    """A key of a merged free key/value object that another param places (at `<name>.<key>` or
    inside it): the user must give it in its own field, where its rules hold."""
    problems = []
    params = mapping.params_in("body")
    for param in params:
        given = _read(value, param.source) if param.merge else _MISSING
        for key in given if isinstance(given, dict) else ():
            where = f"{param.name}.{key}"
            other = next((other for other in params if other is not param
                          and (other.name == where or other.name.startswith(where + "."))), None)
            if other is not None:
                problems.append(FieldProblem(f"{param.source}.{key}", "covered",
                                             f"is set by its own field '{other.source}'; use that field instead"))
    return problems


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
    """Place each param at its dotted name (a merged object's keys inside it); None when the
    operation sends no body."""
    if not params:
        return None
    body: dict[str, Any] = {}
    for param in params:
        item = _param_value(param, value)
        if item is not _MISSING:
            place(body, param.name, item, merge=param.merge)
    return body


def place(body: dict[str, Any], dotted: str, item: Any, *, merge: bool = False) -> None:
    """Put `item` at a dotted path, creating what is on the way: a list where the next segment
    is a number (`jobs.0.title`: the first item of `jobs`), else an object. With `merge`, the
    keys of `item` go into the object at the path."""
    parts = dotted.split(".")
    node: Any = body
    for part, after in zip(parts, parts[1:]):
        node = _child(node, part, list if INDEX.fullmatch(after) else dict)
    if merge:
        _child(node, parts[-1], dict).update(item)
    elif isinstance(node, list):
        _slot(node, int(parts[-1]))
        node[int(parts[-1])] = item
    else:
        node[parts[-1]] = item


def _child(node: Any, part: str, kind: type) -> Any:
    """The container of `kind` at `part` of `node`, made there (in place of anything else) if need be."""
    key: Any = part
    if isinstance(node, list):
        key = int(part)
        _slot(node, key)
    if not isinstance(node[key] if isinstance(node, list) else node.get(key), kind):
        node[key] = kind()
    return node[key]


def _slot(items: list[Any], index: int) -> None:
    """Make `items[index]` exist (a gap is null, as JavaScript writes an array's holes)."""
    items.extend([None] * (index + 1 - len(items)))


def encode_path_segment(item: Any) -> str:
    """Percent-encode a value as one path segment: only unreserved characters stay."""
    encoded = quote(text(item), safe="", errors="surrogatepass")
    return encoded.replace(".", "%2E") if encoded in (".", "..") else encoded


def text(item: Any) -> str:
    """A value as URL or header text: strings as they are, anything else as JSON writes it."""
    return item if isinstance(item, str) else json_text(item)


def _param_value(param: Param, value: dict[str, Any]) -> Any:
    """What `param` sends for `value`, or _MISSING: a constant (when its `when` input is given), a
    list built item by item, or the input value mapped, transformed, else its default."""
    if param.items is not None:
        listed = _read(value, param.input) if param.input else [value]
        return [build_body(param.items, item) for item in listed] if isinstance(listed, list) else _MISSING
    if param.is_constant:
        return param.value if param.when is None or _read(value, param.when) is not _MISSING else _MISSING
    item = _read(value, param.source)
    if item is _MISSING:
        return _MISSING if param.default is None else param.default
    if param.map is not None:
        return param.map.get(item if isinstance(item, str) else json_text(item), _MISSING)
    return transformed(param.transform, item)


def _read(value: Any, dotted: str) -> Any:
    """The input value at a dotted path, or _MISSING."""
    item = value
    for part in dotted.split("."):
        if not isinstance(item, dict) or part not in item:
            return _MISSING
        item = item[part]
    return item
