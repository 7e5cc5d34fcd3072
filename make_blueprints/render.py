"""Run a generated module the way Make would, one rendered request at a time, without Make.

Make's model, as far as the checks rely on it: a module's input is its parameters with empty
values left out (empty array items too), coerced to the parameter types and checked against
their `validate` rules and select options (a broken rule is a DataError and nothing is sent);
the base's URL, headers, `error` and `valid` apply to every module unless it has its own; the
URL is sent as rendered (`encodeUrl: false`) and `qs` serialised with RFC 3986 percent-encoding;
`undefined` values are left out of the query and the JSON body; a module sends one request
(plus pagination) and turns a 4xx or 5xx into the typed error of `response.error` unless its
`valid` accepts that status (a search's "nothing found"), any other status reaching `valid`
(Make would follow a GET's redirect unless `followRedirects` is false),
leaving retries to the scenario; a polling trigger sorts the items of a run by date and id and
outputs those after the last item processed, oldest first (make_blueprints.simulation says what
Make does around that). The caller supplies `send`, which answers a rendered request.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from make_blueprints import limits
from make_blueprints.evaluator import MakeDate, equal, plain, render, template, to_text, truthy

NO_BODY = object()
UNRESERVED = "-._~"


@dataclass(frozen=True)
class Request:
    method: str
    url: str
    qs: dict[str, str]
    headers: dict[str, str]
    body: Any = NO_BODY
    as_text: bool = False  # `type: text`: a text body is sent as it is, not as a JSON string

    def content(self) -> bytes:
        if self.body is NO_BODY:
            return b""
        if self.as_text and isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body, separators=(",", ":"), ensure_ascii=False).encode()

    def full_url(self) -> str:
        """The URL with its query as Make serialises `qs` (RFC 3986: unreserved characters stay,
        everything else is `%XX` of its UTF-8 bytes, a space too), in directive order."""
        query = "&".join(f"{quote(name, safe=UNRESERVED)}={quote(value, safe=UNRESERVED)}"
                         for name, value in self.qs.items())
        return f"{self.url}?{query}" if query else self.url

    def sent_headers(self) -> dict[str, str]:
        """Headers by lower-case name, with the Content-Type Make adds to a JSON body."""
        headers = {name.lower(): value for name, value in self.headers.items()}
        if self.body is not NO_BODY:
            headers.setdefault("content-type", "application/json")
        return headers


@dataclass(frozen=True)
class Reply:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)  # by lower-case name


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


#: Python's own limit on reading digits; a longer integer is far past any number a module takes.
MAX_INTEGER_DIGITS = 4300

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
        if spec["type"] == "banner":  # a notice in the form, no value
            continue
        if spec["type"] == "hidden":  # not in the form: its default is the value
            collected[spec["name"]] = spec.get("default")
            continue
        name, where = spec["name"], prefix + spec["name"]
        item = _checked_value(spec, raw.get(name), where, problems)
        if item is not None:
            collected[name] = item
    return collected


def _checked_value(spec: dict[str, Any], item: Any, where: str, problems: list[str]) -> Any:
    """One parameter's value as Make hands it over: None when empty (a problem if required) or broken."""
    if spec["type"] == "collection" and isinstance(item, dict):
        item = _collect(spec["spec"], item, f"{where}.", problems) or None
    if spec["type"] == "array" and isinstance(item, list):
        each = spec["spec"] if isinstance(spec["spec"], dict) else {"type": "collection", "spec": spec["spec"]}
        checked = [_checked_value(each, value, f"{where}[{index}]", problems)
                   for index, value in enumerate(item)]
        item = [element for element in checked if element is not None] or None
    if item is None or item == "":
        if spec.get("required"):
            problems.append(where)
        return None
    coerced = _coerce(spec, item)
    if coerced is None or not _passes(spec.get("validate", {}), coerced) or not _listed(spec, coerced):
        problems.append(where)
        return None
    return coerced


def _coerce(spec: dict[str, Any], item: Any) -> Any:
    kind = spec["type"]
    text = item.strip() if isinstance(item, str) else item
    if kind == "integer":
        if isinstance(text, str) and re.fullmatch(r"[+-]?[0-9]+", text):
            return int(text) if len(text) <= MAX_INTEGER_DIGITS else None
        if isinstance(text, float) and text.is_integer():
            return int(text)
        return text if isinstance(text, int) and not isinstance(text, bool) else None
    if kind == "uinteger":
        whole = _coerce({**spec, "type": "integer"}, item)
        return whole if whole is None or whole >= 0 else None
    if kind == "number":
        if isinstance(text, str) and re.fullmatch(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?", text):
            number = float(text)
            return int(number) if number.is_integer() else number
        return text if isinstance(text, (int, float)) and not isinstance(text, bool) else None
    if kind == "boolean":
        if isinstance(text, str) and text.lower() in ("true", "false"):
            return text.lower() == "true"
        return text if isinstance(text, bool) else None
    if kind == "collection":
        return item if isinstance(item, dict) else None
    if kind == "array":
        return item if isinstance(item, list) else None
    if kind in ("select", "any"):
        return item
    return item if isinstance(item, str) else to_text(item) if isinstance(item, (int, float)) else None


def _listed(spec: dict[str, Any], value: Any) -> bool:
    """A select with fixed options takes only one of them (an RPC's options are not known here)."""
    options = spec.get("options")
    return not isinstance(options, list) or any(equal(option["value"], value) for option in options)


def _passes(rules: dict[str, Any], value: Any) -> bool:
    """Make's `validate`: a pattern for text (a JavaScript RegExp, searched); min/max of a text's
    length or of a number; minItems/maxItems of an array."""
    if "pattern" in rules and not (isinstance(value, str) and js_regex(rules["pattern"]).search(value)):
        return False
    if isinstance(value, list):
        return not (len(value) < rules.get("minItems", 0) or len(value) > rules.get("maxItems", len(value)))
    measured = len(value) if isinstance(value, str) else value
    return not ("min" in rules and measured < rules["min"]) and not ("max" in rules and measured > rules["max"])


def js_regex(pattern: str) -> re.Pattern[str]:
    """A JavaScript RegExp (no flags) in Python: `$` matches only at the very end, `\\d` is ASCII."""
    translated, escaped, in_class = [], False, False
    for char in pattern:
        if escaped:
            translated.append("[0-9]" if char == "d" and not in_class else "\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "$" and not in_class:
            translated.append(r"\Z")
        else:
            in_class = (in_class and char != "]") or char == "["
            translated.append(char)
    return re.compile("".join(translated))


# --- Requests and responses --------------------------------------------------------------------


def request(component: Component, variables: dict[str, Any], overrides: dict[str, Any] | None = None) -> Request:
    """The HTTP request a communication renders to; `overrides` are pagination directives."""
    base, communication = component.base, component.communication
    variables = {**variables, "temp": {**render(base.get("temp", {}), variables),
                                       **render(communication.get("temp", {}), variables)}}
    if communication.get("encodeUrl", True) is not False:
        raise ValueError("Make would encode this URL again; the generator encodes every value and sets encodeUrl false")
    url = template(communication["url"], variables)
    if url.startswith("/"):
        url = template(base["baseUrl"], variables).rstrip("/") + url
    qs = {**render(communication.get("qs", {}), variables), **render((overrides or {}).get("qs", {}), variables)}
    headers = {**render(base.get("headers", {}), variables), **render(communication.get("headers", {}), variables)}
    body = NO_BODY
    if communication.get("body") is not None:
        body = _defined(render(communication["body"], variables))
        if isinstance(body, dict) and (overrides or {}).get("body"):
            body = {**body, **_defined(render(overrides["body"], variables))}  # Make merges a pagination body
    method = template(communication["method"], variables)
    return Request(method, url, {k: to_text(v) for k, v in qs.items() if v is not None},
                   {k: to_text(v) for k, v in headers.items() if v is not None},
                   NO_BODY if body is None or method == "GET" else body, communication.get("type") == "text")


def _defined(value: Any) -> Any:
    """JSON serialisation leaves undefined properties out (an undefined array item is null); an
    object whose properties are all left out stays, empty."""
    if isinstance(value, dict):
        return {key: _defined(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_defined(item) for item in value]
    return value


def interpret(component: Component, reply: Reply, variables: dict[str, Any], limited: bool = True) -> list[Any]:
    """The output bundles of one 2xx response, or the typed error of an error response; a
    trigger's `limit` applies to its whole run, not to one page (`limited=False`)."""
    response = component.communication.get("response", {})
    scope = _checked(component, reply, variables)
    scope["temp"] = {**scope.get("temp", {}), **render(response.get("temp", {}), scope)}
    iterate = response.get("iterate")
    if iterate is None:
        return [plain(render(response["output"], scope))]
    container, condition = (iterate, None) if isinstance(iterate, str) else (iterate["container"],
                                                                          iterate.get("condition"))
    items = template(container, scope) or []
    bundles = [plain(render(response["output"], {**scope, "item": item})) for item in items
               if condition is None or truthy(template(condition, {**scope, "item": item}))]
    return bundles[:limit(component, scope)] if limited and "limit" in response else bundles


def limit(component: Component, variables: dict[str, Any]) -> int:
    """The response's `limit` (a number, or a template such as the module's Limit parameter)."""
    return int(template(str(component.communication["response"]["limit"]), variables))


def _checked(component: Component, reply: Reply, variables: dict[str, Any]) -> dict[str, Any]:
    """The response's scope once it passed `response.valid` (the module's, else the base's) and
    `response.error`: a 4xx or 5xx is an error unless `valid` accepts it (Make: "if not present,
    the response is considered always valid when the status code is between 200 and 399"; a falsy
    `valid` gives control to `error`); Make follows a GET's redirect unless `followRedirects` is false."""
    response = component.communication.get("response", {})
    base = component.base.get("response", {})
    scope = {"pagination": {"page": 1}, **variables, "body": reply.body, "statusCode": reply.status,
             "headers": reply.headers}
    valid = response.get("valid") or base.get("valid")
    if reply.status >= 400:
        if valid is None or not truthy(template(valid["condition"], scope)):
            raise _error(response.get("error") or base.get("error"), reply, scope)
        return scope
    follows = component.communication.get("followRedirects", component.base.get("followRedirects", True))
    if 300 <= reply.status < 400 and follows is not False and template(component.communication["method"], scope) == "GET":
        raise ValueError(f"Make would follow this HTTP {reply.status} redirect; the model renders no redirects")
    if valid is not None and not truthy(template(valid["condition"], scope)):
        raise MakeError(template(valid.get("type", "RuntimeError"), scope), template(valid["message"], scope),
                        reply.status)
    return scope


def _error(directive: dict[str, Any] | None, reply: Reply, scope: dict[str, Any]) -> MakeError:
    if directive is None:
        return MakeError("RuntimeError", f"HTTP {reply.status}", reply.status)
    chosen = directive.get(str(reply.status), directive)
    return MakeError(template(chosen.get("type", "RuntimeError"), scope), template(chosen["message"], scope),
                     reply.status)


# --- Modules ---------------------------------------------------------------------------------


def run_call(component: Component, variables: dict[str, Any], send: Send) -> list[Any]:
    """An action, search, RPC or connection call: one request (a search: page after page while
    its pagination asks), its bundles up to the response's `limit`."""
    if "pagination" not in component.communication:
        return interpret(component, send(request(component, variables)), variables)
    bundles = [bundle for _, bundle in pages_read(component, variables, send)]
    response = component.communication["response"]
    return bundles[:limit(component, variables)] if "limit" in response else bundles


def run_connection(component: Component, variables: dict[str, Any], send: Send) -> dict[str, Any]:
    """A connection's test call: validates the credentials and returns the connection's label."""
    scope = _checked(component, send(request(component, variables)), variables)
    metadata = component.communication["response"].get("metadata")
    return {"label": template(metadata["value"], scope)} if metadata else {}


@dataclass(frozen=True)
class Position:
    """Where an item stands in a trigger's order: its date (epoch ms; 0 for every item of an `id`
    trigger), then its id (a whole number compared as one). A stored date without an id (`id`
    None, "From now on") counts every item of that date as processed."""

    date_ms: int
    id: str | None

    def key(self) -> tuple[int, tuple[int, int | str]]:
        return self.date_ms, _id_order(self.id or "")

    def after(self, last: Position | None) -> bool:
        """Whether an item here is unprocessed once `last` (None: nothing yet) was processed."""
        if last is None or self.date_ms != last.date_ms:
            return last is None or self.date_ms > last.date_ms
        return last.id is not None and self.id is not None and _id_order(self.id) > _id_order(last.id)


def _id_order(text: str) -> tuple[int, int | str]:
    """Ids that are whole numbers in numeric order, before any other text."""
    return (0, int(text)) if re.fullmatch(r"-?[0-9]+", text) else (1, text)


def pages_read(component: Component, variables: dict[str, Any], send: Send,
               cap: int | None = None) -> list[tuple[dict[str, Any], Any]]:
    """One run's pages, in the order read, each with its scope: pages while
    `pagination.condition` holds (read with the page's `body`) and, when `cap` is given, until
    that many bundles were read (Make's own bound on one run)."""
    pagination = component.communication.get("pagination", {})
    read: list[tuple[dict[str, Any], Any]] = []
    page, count = 1, 0
    while True:
        paged = {**variables, "pagination": {"page": page}}
        reply = send(request(component, paged, pagination if page > 1 else None))
        bundles = interpret(component, reply, paged, limited=False)
        read += [(paged, bundle) for bundle in bundles]
        count += len(bundles)
        condition = pagination.get("condition")
        if (cap is not None and count >= cap) or condition is None \
                or not truthy(template(condition, {**paged, "body": reply.body})):
            return read[:cap] if cap is not None else read
        page += 1


def trigger_items(component: Component, variables: dict[str, Any], send: Send,
                  cap: int | None = None) -> list[tuple[Position, Any]]:
    """One run's reads as positions: an `id` trigger's items all have date 0."""
    trigger = component.communication["response"]["trigger"]
    items = []
    for scope, bundle in pages_read(component, variables, send, cap):
        scope = {**scope, "item": bundle}
        date = template(trigger["date"], scope) if trigger["type"] == "date" else None
        items.append((Position(0 if date is None else round(date.timestamp() * 1000),
                               to_text(template(trigger["id"], scope))), bundle))
    return items


def unprocessed(component: Component, items: list[tuple[Position, Any]], last: Position | None,
                variables: dict[str, Any]) -> list[tuple[Position, Any]]:
    """What a run outputs: the items sorted by date and id, those after the last one processed
    (`last`; each position once), at most the response's `limit` (a trigger's default: 1)."""
    most = limit(component, variables) if "limit" in component.communication["response"] else 1
    chosen: list[tuple[Position, Any]] = []
    for position, bundle in sorted(items, key=lambda pair: pair[0].key()):
        if position.after(last) and (not chosen or position.after(chosen[-1][0])):
            chosen.append((position, bundle))
    return chosen[:most]


def run_trigger(component: Component, variables: dict[str, Any], send: Send,
                last: Position | None = None) -> list[Any]:
    """A polling trigger's run from the last item processed (none: every item), oldest first."""
    items = unprocessed(component, trigger_items(component, variables, send), last, variables)
    return [bundle for _, bundle in items]


def dated(component: Component) -> bool:
    """A trigger of Make's `date` type (its items dated by a cursor field), not of the `id` type."""
    return component.communication["response"]["trigger"]["type"] == "date"


def switch_on(component: Component, variables: dict[str, Any], send: Send, clock_ms: int) -> Position | None:
    """The epoch panel's "From now on": a dated trigger stores now and sends nothing; an `id`
    trigger has no date, so Make reads one run and stores the last of its items, outputting none."""
    if dated(component):
        return from_now_on(clock_ms)
    items = sorted((position for position, _ in trigger_items(component, variables, send, limits.RUN_RECORDS)),
                   key=Position.key)
    return items[-1] if items else None


def from_now_on(clock_ms: int) -> Position:
    """The epoch panel's "From now on": the stored date is now and no id is stored, so only items
    dated after now are new (Make's date comparison is strict unless `trigger.matchEqual`)."""
    return Position(clock_ms, None)


def stored(last: Position | None) -> dict[str, Any]:
    """A trigger module's `data`: the last processed item's date and id (empty before any)."""
    if last is None:
        return {}
    return {"lastDate": now(last.date_ms), **({} if last.id is None else {"lastId": last.id})}


def now(clock_ms: int) -> MakeDate:
    return MakeDate(clock_ms)
