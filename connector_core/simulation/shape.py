"""What the timeline server must know about one API, read from the connector's runtime document.

The document says where the triggers read (method, path, envelope, the body status a success
carries), how they ask (since params, paging params, each in the query or at a dotted body path),
how a request authenticates (the runtime's own connection rules build the headers) and which
fields are cursors of which kind. What it cannot say (what a record looks like, what a change does,
how a fixed param such as `progress=success` filters records) comes from the API's personality,
`connector_core/apis/<name>/timeline.py`, found by convention like the sandbox's. The engine never
names an API.
"""

from __future__ import annotations

import importlib
import string
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from connector_core import apis
from connector_core.document import connector_from_document, runtime_document
from connector_core.runtime.connection import ConnectionSettings
from connector_core.runtime.request import place, text
from connector_core.spec.loader import bundled_connectors, load_connector

SIMULATED = "sim"   # the value of a connection field the base URL template puts in the path (an account)


def personality_module(name: str) -> str:
    """The import path of an API's timeline personality: its folder's `timeline` module."""
    return f"{apis.__name__}.{name}.timeline"


def triggers(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The document's polling operations by key."""
    return {key: op for key, op in document["operations"].items() if op.get("kind") == "trigger"}


def simulated_connectors() -> list[str]:
    """Every bundled connector with a trigger, by name: each must have a timeline personality, so a new
    API cannot skip the simulation (ApiShape.of fails without one)."""
    return [name for name in bundled_connectors() if triggers(runtime_document(load_connector(name)))]


def has_cursor(polling: dict[str, Any]) -> bool:
    """Does the trigger ask for what changed since a time? Without it every poll walks the list."""
    return polling.get("cursor") is not None


def cursor_kind(polling: dict[str, Any]) -> str:
    """`created` (a record's position never changes) or `updated` (the default, docs/polling.md). A
    trigger without a cursor reports each record once, when its identity is first seen: `created`."""
    return "created" if not has_cursor(polling) else str(polling["cursor"].get("kind", "updated"))


def wire_value(where: str, value: Any) -> Any:
    """A param's value as the server receives it: the runtime's query text, or the body's JSON value."""
    return value if where == "body" else text(value)


def fixed_params(operation: dict[str, Any]) -> dict[str, Any]:
    """The params a trigger always sends (not from an input), as they arrive: they define its set."""
    return {param["name"]: wire_value(param["in"], param["value"]) for param in operation["request"]["params"]
            if param.get("in") in ("query", "body") and param.get("input") is None and param.get("value") is not None}


def identity(polling: dict[str, Any]) -> list[str]:
    """The fields naming one record: `polling.identity`, by default the first dedupe field."""
    return list(polling.get("identity") or polling["dedupe_key"][:1])


def base_path(document: dict[str, Any]) -> str:
    """The path the connection's base URL template adds after its leading field (the server's root):
    `{base_url}/{account}` serves under `/sim`. The simulation serves on loopback, so the template
    must start with a field."""
    template = document["connection"]["base_url"]
    parts = list(string.Formatter().parse(template))
    if not parts or parts[0][0] or not parts[0][1]:
        raise ValueError(f"the simulation needs a base URL template that starts with a field, not {template!r}")
    return "".join(literal + (SIMULATED if name and n else "") for n, (literal, name, _, _) in enumerate(parts))


@dataclass(frozen=True)
class ApiShape:
    paths: frozenset[str]                     # the triggers' paths under the server's root (base path included)
    base_path: str                            # what the connection's base URL adds to the server's root
    method: str
    envelope: str                             # the dotted path of the records in the body ("" for the body)
    success: dict[str, Any]                   # dotted path -> value a successful answer also carries (a body status)
    cursors: dict[str, tuple[str, str]]       # since param -> (record field, kind); empty without a cursor
    paging: dict[str, Any]                    # the pagination block (offset or page style)
    key_field: str                            # the identity field of a record
    personality: ModuleType
    document: dict[str, Any]                  # the runtime document, for what the runtime derives from it

    @classmethod
    def of(cls, document: dict[str, Any]) -> ApiShape:
        found = triggers(document)
        if not found:
            raise ValueError(f"{document['name']} has no trigger to simulate")
        pollings = [op["polling"] for op in found.values()]
        keys = {tuple(identity(polling)) for polling in pollings}
        pagings = {repr(sorted(polling["pagination"].items())) for polling in pollings}
        envelopes = {op["response"]["path"] for op in found.values()}
        methods = {op["request"]["method"] for op in found.values()}
        if len(keys) != 1 or len(pagings) != 1 or len(envelopes) != 1 or len(methods) != 1 or len(next(iter(keys))) != 1:
            raise ValueError("the simulation serves triggers that share one identity field, method, paging and envelope")
        envelope = str(envelopes.pop())
        status = (document.get("errors") or {}).get("body_status")
        success = {status["field"]: status["ok"][0]} if status else {}
        if success and not envelope:
            raise ValueError("a body status needs the records under a path of the body")
        return cls(
            paths=frozenset(base_path(document) + op["request"]["path"] for op in found.values()),
            base_path=base_path(document),
            method=methods.pop(),
            envelope=envelope,
            success=success,
            cursors={p["cursor"]["param"]: (p["cursor"]["field"], cursor_kind(p)) for p in pollings if has_cursor(p)},
            paging=dict(pollings[0]["pagination"]),
            key_field=next(iter(keys))[0],
            personality=importlib.import_module(personality_module(document["name"])),
            document=document,
        )

    def connection(self, credential: str) -> dict[str, str]:
        """The connection values a host is given: the credential in the connector's credential field (the
        base URL's other fields, such as an account, the hosts read back from the base URL)."""
        return {connector_from_document(self.document).connection.credential.key: credential}

    def auth_headers(self, connection: dict[str, str]) -> dict[str, str]:
        """The headers that carry the connection's credential, as the runtime builds them (a key header, Basic, ...)."""
        connector = connector_from_document(self.document)
        settings = ConnectionSettings(connector, connection, base_url="http://127.0.0.1", env={})
        static = connector.connection.headers
        return {name: value for name, value in settings.headers().items() if static.get(name) != value}

    def record_key(self, number: int) -> str:
        """The record's name in the timeline (its identity value as text)."""
        return str(self.personality.record_key(number))

    def new_record(self, number: int, at: int) -> dict[str, Any]:
        """Record number `number`, created at server time `at`."""
        return {**self.personality.new_record(number, at), self.key_field: self.personality.record_key(number)}

    def changed(self, content: dict[str, Any], change: str, number: int, at: int) -> dict[str, Any]:
        try:
            apply = self.personality.CHANGES[change]
        except KeyError:
            raise ValueError(f"the API's timeline personality has no change {change!r}") from None
        return apply(dict(content), number, at)

    def stamped(self, content: dict[str, Any], at: int, *, created: bool) -> dict[str, Any]:
        """Write `at` into every cursor field the write moves: all on creation, `updated` ones after."""
        for field, kind in self.cursors.values():
            if created or kind == "updated":
                content[field] = at
        return content

    def render(self, content: dict[str, Any]) -> dict[str, Any]:
        """The record as the API returns it (the personality hides internal markers)."""
        return dict(self.personality.render(content))

    def listed(self, content: dict[str, Any]) -> bool:
        """Does the API still list the record at all (a personality may drop deleted ones, whatever the params)?"""
        return bool(getattr(self.personality, "listed", lambda content: True)(content))

    def param_filter(self, name: str) -> Any:
        """How a fixed param (not a since or paging param) filters records, or None if unknown."""
        return self.personality.FILTERS.get(name)

    def wrap(self, items: list[dict[str, Any]]) -> Any:
        """A successful answer: the records at the envelope's path, beside the body status if any."""
        if not self.envelope:
            return items
        body: dict[str, Any] = {}
        place(body, self.envelope, items)
        for path, value in self.success.items():
            place(body, path, value)
        return body

    def paging_params(self) -> dict[str, str]:
        """The names of the paging params: {"offset"|"page": name, "limit": name}."""
        if self.paging["style"] == "offset":
            return {"offset": self.paging["offset_param"], "limit": self.paging["limit_param"]}
        return {"page": self.paging["page_param"], "limit": self.paging["size_param"]}
