"""What one input did, judged against the operation it was given to: a pure function.

`classify(operation, base_url, observed)` takes the operation's runtime document (JSON, as
`runtime_document` writes it), the connection's base URL and what a runtime did with one input
(`Observed`: the error it raised, if any, and every request it sent), and returns a `Verdict`:
`refused` (invalid input, nothing sent), `sent` (every request satisfies the operation), or a
fault: `unhandled` (an exception that is no ConnectorError), `sent_after_refusal` (invalid
input, yet something was sent) or `invalid_sent` (a request breaks the operation's input schema
or addresses another endpoint). It reads only JSON, so any host's requests can be judged.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, unquote_plus

from connector_core.runtime import ecma
from connector_core.runtime.inputs import is_date

FAULTS = ("unhandled", "sent_after_refusal", "invalid_sent")
CONTROL_OR_NOT_ASCII = re.compile("[^\x20-\x7e]")
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"  # ECMA-262, as the spec language reads patterns
DATE_TIME = (r"[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?"
             r"(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])")
PLACEHOLDER = re.compile(r"\{[^{}]+\}")
MAX_TARGET = 8000  # characters of path and query after the base URL (docs/conformance.md, URL length)


@dataclass(frozen=True)
class Observed:
    """`error`: the raised exception's class name or None; `connector_error`: whether it is a
    ConnectorError; `requests`: each sent request as {method, url, headers, body (text or None)}."""

    error: str | None
    connector_error: bool
    requests: list[dict[str, Any]]


@dataclass(frozen=True)
class Verdict:
    kind: str  # "refused" | "sent" | "failed" (a ConnectorError after sending) | one of FAULTS
    reasons: list[str] = field(default_factory=list)

    @property
    def fault(self) -> bool:
        return self.kind in FAULTS


def classify(operation: dict[str, Any], base_url: str, observed: Observed) -> Verdict:
    if observed.error is not None and not observed.connector_error:
        return Verdict("unhandled", [observed.error])
    if observed.error == "InputValidationError":
        return Verdict("sent_after_refusal", ["sent"]) if observed.requests else Verdict("refused")
    reasons = [reason for request in observed.requests for reason in request_faults(operation, base_url, request)]
    if reasons:
        return Verdict("invalid_sent", reasons)
    return Verdict("failed" if observed.error else "sent")


def request_faults(operation: dict[str, Any], base_url: str, request: dict[str, Any]) -> list[str]:
    """Every way `request` breaks the operation: endpoint, target length, path values, query, headers, body."""
    mapping = operation["request"]
    schema = operation["input"]
    url = request["url"]
    if request["method"] != mapping["method"]:
        return [f"method {request['method']}"]
    if not url.startswith(base_url + "/") or "#" in url:
        return [f"another origin or a fragment: {url[:80]}"]
    path, _, query = url[len(base_url):].partition("?")
    length = len(url) - len(base_url)
    too_long = [f"a target of {length:,} characters, past {MAX_TARGET:,}"] if length > MAX_TARGET else []
    return (too_long + _path_faults(mapping, schema, path) + _query_faults(operation, schema, query)
            + _header_faults(mapping, request["headers"]) + _body_faults(operation, schema, request["body"]))


def _params(mapping: dict[str, Any], location: str) -> list[dict[str, Any]]:
    return [param for param in mapping["params"] if param["in"] == location]


def _source(param: dict[str, Any]) -> str:
    return param["input"] or param["name"]


# What each transform sends, as a schema of the sent value (docs/spec-language.md, params).
TRANSFORMED = {"date_number": {"type": "integer", "minimum": 10101, "maximum": 99991231},
               "time_number": {"type": "integer", "minimum": 0, "maximum": 9959},
               "boolean_number": {"type": "integer", "enum": [0, 1]},
               "next_day": {"type": "string", "format": "date"}}


def _sent_schema(param: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """The schema a param's sent value must meet: its input's, or what its map or transform makes of it."""
    if param.get("map") is not None:
        return {"enum": list(param["map"].values())}
    if param.get("transform") is not None:
        return TRANSFORMED[param["transform"]]
    return _property(schema, _source(param))


def _paging_names(operation: dict[str, Any], location: str) -> set[str]:
    """The params a plan adds for paging and its cursor (at `location`), besides the operation's own."""
    polling = operation.get("polling") or {}
    placed = [operation["request"].get("pagination"), polling.get("pagination"), polling.get("cursor")]
    names = set()
    for spec in placed:
        if spec and spec.get("in", "query") == location:
            names |= {spec[key] for key in ("offset_param", "limit_param", "page_param", "size_param", "param")
                      if spec.get(key)}
    return names


def _property(schema: dict[str, Any], dotted: str) -> dict[str, Any]:
    for part in dotted.split("."):
        schema = schema.get("properties", {}).get(part, {}) if isinstance(schema, dict) else {}
    return schema


def _path_faults(mapping: dict[str, Any], schema: dict[str, Any], path: str) -> list[str]:
    template, sent = mapping["path"].split("/"), path.split("/")
    if len(template) != len(sent):
        return [f"path {path[:80]} has {len(sent)} segments, the endpoint {len(template)}"]
    by_name = {"{" + param["name"] + "}": param for param in _params(mapping, "path")}
    faults = []
    for expected, segment in zip(template, sent):
        placeholder = PLACEHOLDER.search(expected)
        param = by_name.get(placeholder.group(0)) if placeholder else None
        if param is None:
            if expected != segment:
                faults.append(f"segment {segment[:40]} instead of {expected}")
            continue
        before, after = expected[:placeholder.start()], expected[placeholder.end():]  # `{id}.json`
        if not (segment.startswith(before) and segment.endswith(after) and len(segment) > len(before + after)):
            faults.append(f"segment {segment[:40]} instead of {expected}")
            continue
        text = unquote(segment[len(before):len(segment) - len(after)], errors="strict")
        if _decoded_fully(text) in (".", ".."):
            faults.append(f"{_source(param)}: a dot segment {segment!r}")
        faults += _text_faults(_source(param), _property(schema, _source(param)), text)
    return faults


def _decoded_fully(text: str) -> str:
    decoded = unquote(text)
    while decoded != text:
        text, decoded = decoded, unquote(decoded)
    return text


def _query_faults(operation: dict[str, Any], schema: dict[str, Any], query: str) -> list[str]:
    pairs = [tuple(unquote_plus(part, errors="strict") for part in item.split("=", 1)) for item in query.split("&")
             if query]
    params = {param["name"]: param for param in _params(operation["request"], "query")}
    faults = []
    for pair in pairs:
        if len(pair) != 2:
            faults.append(f"query item without a value: {pair[0][:40]}")
            continue
        name, text = pair
        param = params.get(name)
        if param is None:
            if name not in _paging_names(operation, "query"):
                faults.append(f"unknown query param {name[:40]}")
        elif param["value"] is not None:
            if text != _scalar_text(param["value"]):
                faults.append(f"constant query param {name} is {text[:40]}")
        elif param.get("default") is None or text != _scalar_text(param["default"]):
            faults += _text_faults(_source(param), _sent_schema(param, schema), text)
    return faults


def _header_faults(mapping: dict[str, Any], headers: dict[str, str]) -> list[str]:
    lowered = {name.lower(): value for name, value in headers.items()}
    faults = []
    for param in _params(mapping, "header"):
        value = lowered.get(param["name"].lower())
        if value is not None and CONTROL_OR_NOT_ASCII.search(value):
            faults.append(f"header {param['name']} carries {value[:40]!r}")
    return faults


def _body_faults(operation: dict[str, Any], schema: dict[str, Any], body: str | None) -> list[str]:
    params = _params(operation["request"], "body")
    if not params:
        return [] if body is None else ["a body where the operation sends none"]
    try:
        sent = json.loads(body) if body is not None else None
    except ValueError:
        return ["a body that is not JSON"]
    if not isinstance(sent, dict):
        return ["a body that is not a JSON object"]
    return _object_faults(params, schema, sent, _paging_names(operation, "body"))


def _object_faults(params: list[dict[str, Any]], schema: dict[str, Any], sent: dict[str, Any],
                   added: set[str] = frozenset()) -> list[str]:
    """A body (or one item of a list param) built by `params` from an input of `schema`."""
    faults = []
    for param in params:
        value = _dig(sent, param["name"])
        if value is _ABSENT:
            continue
        if param["value"] is not None:
            faults += [] if value == param["value"] else [f"constant body field {param['name']} is {str(value)[:40]}"]
        elif param.get("items") is not None:
            faults += _list_faults(param, schema, value)
        elif param.get("default") is None or value != param["default"]:
            faults += _value_faults(_source(param), _sent_schema(param, schema), value)
    known = {param["name"] for param in params} | added
    merged = tuple(param["name"] + "." for param in params if param.get("merge"))
    faults += [f"unknown body field {name[:40]}" for name in _leaves(sent, known)
               if name not in known and not name.startswith(merged)]
    return faults


def _list_faults(param: dict[str, Any], schema: dict[str, Any], value: Any) -> list[str]:
    """A list param: one object per item of its input (or one object from the whole input)."""
    if not isinstance(value, list):
        return [f"{param['name']}: not a list"]
    item_schema = _property(schema, param["input"]).get("items", {}) if param["input"] else schema
    faults = [f"{param['name']}: an item that is not an object" for item in value if not isinstance(item, dict)]
    return faults + [fault for item in value if isinstance(item, dict)
                     for fault in _object_faults(param["items"], item_schema, item)]


_ABSENT = object()


def _dig(value: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            return _ABSENT
    return value


def _leaves(value: dict[str, Any] | list[Any], whole: set[str], prefix: str = "") -> list[str]:
    """The dotted names of the leaves (a list's items by index), a name in `whole` taken as one leaf."""
    names = []
    for key, item in value.items() if isinstance(value, dict) else enumerate(value):
        name = f"{prefix}{key}"
        nested = isinstance(item, (dict, list)) and item and name not in whole
        names += _leaves(item, whole, name + ".") if nested else [name]
    return names


def _scalar_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _text_faults(name: str, schema: dict[str, Any], text: str) -> list[str]:
    """A value that travelled as text (path, query) read back as the schema's type."""
    kind = schema.get("type")
    if kind == "integer":
        if not re.fullmatch(r"-?[0-9]+", text):
            return [f"{name}: {text[:40]!r} is not an integer"]
        return _value_faults(name, schema, int(text)) if len(text) < 30 else [f"{name}: {text[:40]} is not exact"]
    if kind == "number":
        try:
            return _value_faults(name, schema, float(text))
        except ValueError:
            return [f"{name}: {text[:40]!r} is not a number"]
    if kind == "boolean":
        return [] if text in ("true", "false") else [f"{name}: {text[:40]!r} is not a boolean"]
    return _value_faults(name, schema, text)


def _value_faults(name: str, schema: dict[str, Any], value: Any) -> list[str]:
    """The schema's rules, checked here on their own (not by the runtime's checker)."""
    kind = schema.get("type")
    faults = []
    if kind == "integer" and (type(value) is not int or abs(value) > 2**53 - 1):
        faults.append(f"{name}: {str(value)[:40]} is not an exact JSON integer")
    elif kind == "number" and (type(value) not in (int, float) or value != value or abs(value) == float("inf")):
        faults.append(f"{name}: {str(value)[:40]} is not a finite number")
    elif kind == "string" and not isinstance(value, str):
        faults.append(f"{name}: not text")
    elif kind == "boolean" and type(value) is not bool:
        faults.append(f"{name}: not a boolean")
    elif kind == "object" and not isinstance(value, dict):
        faults.append(f"{name}: not an object")
    if faults:
        return faults
    if "enum" in schema and value not in schema["enum"]:
        faults.append(f"{name}: not one of the choices")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            faults.append(f"{name}: below its minimum")
        if "maximum" in schema and value > schema["maximum"]:
            faults.append(f"{name}: above its maximum")
    if isinstance(value, str):
        faults += _string_faults(name, schema, value)
    if isinstance(value, dict):
        for key, item in value.items():
            faults += _value_faults(f"{name}.{key}", schema.get("properties", {}).get(key, {}), item)
    return faults


def _string_faults(name: str, schema: dict[str, Any], value: str) -> list[str]:
    faults = []
    if re.search("[\ud800-\udfff]", value):
        faults.append(f"{name}: a lone surrogate")
    if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", len(value)):
        faults.append(f"{name}: a length of {len(value)}")
    if "pattern" in schema and not ecma.search(schema["pattern"], value):
        faults.append(f"{name}: {value[:40]!r} does not match {schema['pattern']}")
    if schema.get("format") == "date" and not is_date(value):
        faults.append(f"{name}: {value[:40]!r} is not a date")
    if schema.get("format") == "date-time" and not re.fullmatch(DATE_TIME, value):
        faults.append(f"{name}: {value[:40]!r} is not a date-time with an offset")
    if schema.get("format") == "email" and not ecma.search(EMAIL, value):
        faults.append(f"{name}: {value[:40]!r} is not an email address")
    return faults
