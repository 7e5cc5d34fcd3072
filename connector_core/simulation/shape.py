"""What the timeline server must know about one API, read from the connector's runtime document.

The document says where the triggers read (path, envelope), how they ask (since params, paging
params, auth header) and which fields are cursors of which kind. What it cannot say (what a record
looks like, what a change does, how a fixed query param such as `progress=success` filters records)
comes from the API's personality, `connector_core/apis/<name>/timeline.py`, found by convention like
the sandbox's. The engine never names an API.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from connector_core import apis

def personality_module(name: str) -> str:
    """The import path of an API's timeline personality: its folder's `timeline` module."""
    return f"{apis.__name__}.{name}.timeline"


def triggers(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The document's polling operations by key."""
    return {key: op for key, op in document["operations"].items() if op.get("kind") == "trigger"}


def cursor_kind(polling: dict[str, Any]) -> str:
    """`created` (a record's position never changes) or `updated` (the default, docs/polling.md)."""
    return str(polling["cursor"].get("kind", "updated"))


def fixed_params(operation: dict[str, Any]) -> dict[str, str]:
    """The query params a trigger always sends (not from an input), as wire text: they define its set."""
    return {param["name"]: json.dumps(param["value"]) if isinstance(param["value"], bool) else str(param["value"])
            for param in operation["request"]["params"]
            if param.get("in") == "query" and param.get("input") is None and param.get("value") is not None}


def identity(polling: dict[str, Any]) -> list[str]:
    """The fields naming one record: `polling.identity`, by default the first dedupe field."""
    return list(polling.get("identity") or polling["dedupe_key"][:1])


@dataclass(frozen=True)
class ApiShape:
    paths: frozenset[str]
    envelope: tuple[str, ...]                 # where the records sit in the body, e.g. ("data", "items")
    cursors: dict[str, tuple[str, str]]       # since param -> (record field, kind)
    paging: dict[str, Any]                    # the pagination block (offset or page style)
    auth_header: str
    key_field: str                            # the identity field of a record
    personality: ModuleType

    @classmethod
    def of(cls, document: dict[str, Any]) -> ApiShape:
        found = triggers(document)
        if not found:
            raise ValueError(f"{document['name']} has no trigger to simulate")
        pollings = [op["polling"] for op in found.values()]
        keys = {tuple(identity(polling)) for polling in pollings}
        pagings = {repr(sorted(polling["pagination"].items())) for polling in pollings}
        envelopes = {op["response"]["path"] for op in found.values()}
        if len(keys) != 1 or len(pagings) != 1 or len(envelopes) != 1 or len(next(iter(keys))) != 1:
            raise ValueError("the simulation serves triggers that share one identity field, paging and envelope")
        auth = document["connection"]["auth"]
        return cls(
            paths=frozenset(op["request"]["path"] for op in found.values()),
            envelope=tuple(str(envelopes.pop()).split(".")),
            cursors={p["cursor"]["param"]: (p["cursor"]["field"], cursor_kind(p)) for p in pollings},
            paging=dict(pollings[0]["pagination"]),
            auth_header=str(auth.get("header", "Authorization")),
            key_field=next(iter(keys))[0],
            personality=importlib.import_module(personality_module(document["name"])),
        )

    def record_key(self, number: int) -> str:
        return str(self.personality.record_key(number))

    def new_record(self, key: str, number: int) -> dict[str, Any]:
        return {**self.personality.new_record(number), self.key_field: key}

    def changed(self, content: dict[str, Any], change: str, number: int) -> dict[str, Any]:
        try:
            apply = self.personality.CHANGES[change]
        except KeyError:
            raise ValueError(f"the API's timeline personality has no change {change!r}") from None
        return apply(dict(content), number)

    def stamped(self, content: dict[str, Any], at: int, *, created: bool) -> dict[str, Any]:
        """Write `at` into every cursor field the write moves: all on creation, `updated` ones after."""
        for field, kind in self.cursors.values():
            if created or kind == "updated":
                content[field] = at
        return content

    def render(self, content: dict[str, Any]) -> dict[str, Any]:
        """The record as the API returns it (the personality hides internal markers)."""
        return dict(self.personality.render(content))

    def param_filter(self, name: str) -> Any:
        """How a fixed query param (not a since or paging param) filters records, or None if unknown."""
        return self.personality.FILTERS.get(name)

    def wrap(self, items: list[dict[str, Any]]) -> dict[str, Any]:
        body: Any = items
        for part in reversed(self.envelope):
            body = {part: body}
        return body

    def paging_params(self) -> dict[str, str]:
        """The names of the paging params: {"offset"|"page": name, "limit": name}."""
        if self.paging["style"] == "offset":
            return {"offset": self.paging["offset_param"], "limit": self.paging["limit_param"]}
        return {"page": self.paging["page_param"], "limit": self.paging["size_param"]}
