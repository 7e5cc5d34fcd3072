"""Run a generated module the way Make would, one rendered request at a time, without Make.

Make's model, as far as the checks rely on it: a module's input is its mappable parameters with
empty values left out, coerced to the parameter types and checked against their `validate`
rules (a broken rule is a DataError and nothing is sent); the base's URL, headers and error
handling apply to every module; `undefined` values are left out of the query and the JSON body;
a module sends one request (plus pagination) and turns an error status into the typed error of
`response.error`, leaving retries to the scenario; a polling trigger sorts its items by date and
id, oldest first. The caller supplies `send`, which answers a rendered request.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from make_blueprints.evaluator import render, template, to_text, truthy

NO_BODY = object()


@dataclass(frozen=True)
class Request:
    method: str
    url: str
    qs: dict[str, str]
    headers: dict[str, str]
    body: Any = NO_BODY

    def content(self) -> bytes:
        return b"" if self.body is NO_BODY else json.dumps(self.body, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass(frozen=True)
class Reply:
    status: int
    body: Any


Send = Callable[[Request], Reply]


class MakeError(Exception):
    """What the module reports instead of output: Make's error type, the message, the status."""

    def __init__(self, kind: str, message: str, status: int | None = None, fields: list[str] | None = None) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind, self.message, self.status, self.fields = kind, message, status, fields

    def describe(self) -> dict[str, Any]:
        if self.fields is not None:
            return {"type": self.kind, "fields": self.fields}
        return {"type": self.kind, "status": self.status, "message": self.message}


@dataclass
class Component:
    """One module, RPC or connection call: its communication plus the base it runs with."""

    communication: dict[str, Any]
    base: dict[str, Any] = field(default_factory=dict)
    parameters: list[dict[str, Any]] = field(default_factory=list)


# --- Input -------------------------------------------------------------------------------------


def module_input(specs: list[dict[str, Any]], raw: dict[str, Any]) -> dict[str, Any]:
    """`parameters` as Make hands them to the module, or a DataError naming every broken field."""
    problems: list[str] = []
    value = _collect(specs, raw, "", problems)
    if problems:
        raise MakeError("DataError", f"Validation failed for {len(problems)} parameter(s).", fields=sorted(problems))
    return value


def _collect(specs: list[dict[str, Any]], raw: dict[str, Any], prefix: str, problems: list[str]) -> dict[str, Any]:
    collected: dict[str, Any] = {}
    for spec in specs:
        name, where = spec["name"], prefix + spec["name"]
        item = raw.get(name)
        if spec["type"] == "collection" and isinstance(item, dict):
            item = _collect(spec["spec"], item, f"{where}.", problems) or None
        if item is None or item == "":
            if spec.get("required"):
                problems.append(where)
            continue
        coerced = _coerce(spec, item)
        if coerced is None or not _passes(spec.get("validate", {}), coerced):
            problems.append(where)
            continue
        collected[name] = coerced
    return collected


def _coerce(spec: dict[str, Any], item: Any) -> Any:
    kind = spec["type"]
    text = item.strip() if isinstance(item, str) else item
    if kind == "integer":
        if isinstance(text, str) and re.fullmatch(r"[+-]?\d+", text):
            return int(text)
        return text if isinstance(text, int) and not isinstance(text, bool) else None
    if kind == "number":
        if isinstance(text, str) and re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", text):
            return float(text) if "." in text else int(text)
        return text if isinstance(text, (int, float)) and not isinstance(text, bool) else None
    if kind == "boolean":
        if isinstance(text, str) and text.lower() in ("true", "false"):
            return text.lower() == "true"
        return text if isinstance(text, bool) else None
    if kind == "collection":
        return item if isinstance(item, dict) else None
    return item if isinstance(item, str) else to_text(item)


def _passes(rules: dict[str, Any], value: Any) -> bool:
    """Make's `validate`: a pattern for text; min/max of a text's length or of a number."""
    if "pattern" in rules and not (isinstance(value, str) and re.search(rules["pattern"], value)):
        return False
    measured = len(value) if isinstance(value, str) else value
    return not ("min" in rules and measured < rules["min"]) and not ("max" in rules and measured > rules["max"])


# --- Requests and responses --------------------------------------------------------------------


def request(component: Component, variables: dict[str, Any], overrides: dict[str, Any] | None = None) -> Request:
    """The HTTP request a communication renders to; `overrides` are pagination directives."""
    base, communication = component.base, component.communication
    variables = {**variables, "temp": {**render(base.get("temp", {}), variables),
                                       **render(communication.get("temp", {}), variables)}}
    url = template(communication["url"], variables)
    if url.startswith("/"):
        url = template(base["baseUrl"], variables).rstrip("/") + url
    qs = {**render(communication.get("qs", {}), variables), **render((overrides or {}).get("qs", {}), variables)}
    headers = {**render(base.get("headers", {}), variables), **render(communication.get("headers", {}), variables)}
    body = NO_BODY
    if communication.get("body") is not None:
        body = _defined(render(communication["body"], variables))
    return Request(communication["method"], url, {k: to_text(v) for k, v in qs.items() if v is not None},
                   {k: to_text(v) for k, v in headers.items() if v is not None}, body)


def _defined(value: Any) -> Any:
    """JSON serialisation leaves undefined properties out."""
    if isinstance(value, dict):
        return {key: _defined(item) for key, item in value.items() if item is not None}
    return value


def interpret(component: Component, reply: Reply, variables: dict[str, Any]) -> list[Any]:
    """The output bundles of one 2xx response, or the typed error of an error response."""
    response = component.communication.get("response", {})
    scope = _checked(component, reply, variables)
    iterate = response.get("iterate")
    if iterate is None:
        return [render(response["output"], scope)]
    container, condition = (iterate, None) if isinstance(iterate, str) else (iterate["container"],
                                                                          iterate.get("condition"))
    items = template(container, scope) or []
    return [render(response["output"], {**scope, "item": item}) for item in items
            if condition is None or truthy(template(condition, {**scope, "item": item}))]


def _checked(component: Component, reply: Reply, variables: dict[str, Any]) -> dict[str, Any]:
    """The response's scope once it passed `response.error` and `response.valid`."""
    response = component.communication.get("response", {})
    scope = {**variables, "body": reply.body, "statusCode": reply.status}
    if not 200 <= reply.status < 300:
        raise _error(response.get("error") or component.base.get("response", {}).get("error"), reply, scope)
    valid = response.get("valid")
    if valid is not None and not truthy(template(valid["condition"], scope)):
        raise MakeError(valid.get("type", "RuntimeError"), template(valid["message"], scope), reply.status)
    return scope


def _error(directive: dict[str, Any] | None, reply: Reply, scope: dict[str, Any]) -> MakeError:
    if directive is None:
        return MakeError("RuntimeError", f"HTTP {reply.status}", reply.status)
    chosen = directive.get(str(reply.status), directive)
    return MakeError(template(chosen.get("type", "RuntimeError"), scope), template(chosen["message"], scope),
                     reply.status)


# --- Modules ---------------------------------------------------------------------------------


def run_call(component: Component, variables: dict[str, Any], send: Send) -> list[Any]:
    """An action, search, RPC or connection call: one request, its bundles."""
    return interpret(component, send(request(component, variables)), variables)


def run_connection(component: Component, variables: dict[str, Any], send: Send) -> dict[str, Any]:
    """A connection's test call: validates the credentials and returns the connection's label."""
    scope = _checked(component, send(request(component, variables)), variables)
    return {"label": template(component.communication["response"]["metadata"]["value"], scope)}


def run_trigger(component: Component, variables: dict[str, Any], send: Send) -> list[Any]:
    """A polling trigger's run: pages while `pagination.condition` holds, items oldest first."""
    communication = component.communication
    pagination = communication.get("pagination", {})
    items: list[tuple[Any, Any]] = []
    page = 1
    while True:
        paged = {**variables, "pagination": {"page": page}}
        reply = send(request(component, paged, pagination if page > 1 else None))
        for bundle in interpret(component, reply, paged):
            trigger = communication["response"]["trigger"]
            scope = {**paged, "item": bundle}
            items.append(((template(trigger["date"], scope), str(template(trigger["id"], scope))), bundle))
        condition = pagination.get("condition")
        if condition is None or not truthy(template(condition, {**paged, "body": reply.body})):
            break
        page += 1
    return [bundle for _, bundle in sorted(items, key=lambda pair: pair[0])]


def now(clock_ms: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(clock_ms / 1000, tz=dt.timezone.utc)
