"""How a replayed request is compared with a recorded one: vcrpy matchers plus two of ours.

Host and port are left out (servers run on free ports); method, path and query come from vcrpy;
bodies compare as parsed JSON (so key order and spacing do not matter, but every value does);
and the API key must arrive in its header, never in the URL or body.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from vcr import matchers
from vcr.request import Request

REDACTED = "REDACTED"
SECRET_HEADERS = ("API-Key", "Authorization")

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


def secret_header(expected: str) -> Matcher:
    """The incoming request carries `expected` in each secret header the recording had, and only there."""

    def secret_header(incoming: Request, recorded: Request) -> None:
        for name in SECRET_HEADERS:
            if name in recorded.headers:
                sent = incoming.headers.get(name)
                if sent is None:
                    raise AssertionError(f"header {name} missing")
                if name == "API-Key" and sent != expected:
                    raise AssertionError(f"header {name} does not carry the replay key")
            elif name in incoming.headers:
                raise AssertionError(f"header {name} sent but not recorded")
        body = incoming.body.decode("utf-8", "replace") if isinstance(incoming.body, bytes) else (incoming.body or "")
        if expected and (expected in incoming.uri or expected in body):
            raise AssertionError("the API key appears in the URL or body")

    return secret_header


def replay_matchers(replay_key: str) -> list[Matcher]:
    return [matchers.method, matchers.path, matchers.query, json_body, secret_header(replay_key)]
