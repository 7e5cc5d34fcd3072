"""How a replayed request is compared with a recorded one: vcrpy matchers plus two of ours.

Host and port are left out (servers run on free ports); method, path and query come from vcrpy;
bodies compare as parsed JSON (so key order and spacing do not matter, but every value does);
and the API key must arrive in the header the connector's spec names, never anywhere else.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from vcr import matchers
from vcr.request import Request

from connector_core.cassettes.diff import Difference, diff
from connector_core.wire import secret_header, secret_header_value
from connector_core.spec.models import Connector

REDACTED = "REDACTED"

Matcher = Callable[[Request, Request], None]


def parsed_body(request: Request) -> Any:
    raw = request.body
    if raw in (None, b"", ""):
        return None
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def json_body(r1: Request, r2: Request) -> None:
    left, right = parsed_body(r1), parsed_body(r2)
    if left != right:
        raise AssertionError(f"body {json.dumps(left, sort_keys=True)} != recorded {json.dumps(right, sort_keys=True)}")


def carries_key(connector: Connector, key: str) -> Matcher:
    """The request carries `key` in the spec's secret header when the recording had that header,
    and nowhere else: not in another header, the URL or the body."""
    name, expected = secret_header(connector), secret_header_value(connector, key)

    def key_in_its_header_only(incoming: Request, recorded: Request) -> None:
        sent = incoming.headers.get(name)
        if name in recorded.headers:
            if sent is None:
                raise AssertionError(f"header {name} missing")
            if sent != expected:
                raise AssertionError(f"header {name} does not carry the replay key")
        elif sent is not None:
            raise AssertionError(f"header {name} sent but not recorded")
        others = [header for header, value in incoming.headers.items() if header.lower() != name.lower() and key in value]
        if others:
            raise AssertionError(f"the API key appears in header(s) {', '.join(sorted(others))}")
        body = incoming.body.decode("utf-8", "replace") if isinstance(incoming.body, bytes) else (incoming.body or "")
        if key in incoming.uri or key in body:
            raise AssertionError("the API key appears in the URL or body")

    return key_in_its_header_only


def request_differences(recorded: Request, sent: Request) -> list[Difference]:
    """Where a sent request departs from a recorded one, field by field (`request.query.externalId`).

    Method, path, query and JSON body only: headers are left out, so no credential is ever shown.
    """
    return diff(_comparable(recorded), _comparable(sent), "request")


def _comparable(request: Request) -> dict[str, Any]:
    query: dict[str, Any] = {}
    for name, value in request.query:
        query[name] = [*query[name], value] if isinstance(query.get(name), list) else (
            [query[name], value] if name in query else value)
    return {"method": request.method, "path": request.path, "query": query, "body": parsed_body(request)}


def replay_matchers(connector: Connector, replay_key: str) -> list[Matcher]:
    return [matchers.method, matchers.path, matchers.query, json_body, carries_key(connector, replay_key)]
