"""The judge of one outcome catches each fault it exists for (so the property runs can fail)."""

from __future__ import annotations

from typing import Any

import pytest

from connector_core.conformance import load_connector
from connector_core.document import runtime_document
from tests.properties.outcomes import Observed, classify

BASE = "https://api.acme.test/v2"
OPERATIONS = runtime_document(load_connector("acme"))["operations"]


def sent(method: str, target: str, body: str | None = None) -> Observed:
    return Observed(None, True, [{"method": method, "url": BASE + target, "headers": {}, "body": body}])


@pytest.mark.parametrize(("operation", "observed", "kind"), [
    ("get_item", sent("GET", "/items/i1"), "sent"),
    ("get_item", Observed("InputValidationError", True, []), "refused"),
    ("get_item", Observed("ValueError: boom", False, []), "unhandled"),
    ("get_item", Observed("InputValidationError", True, sent("GET", "/items/i1").requests), "sent_after_refusal"),
    ("get_item", sent("GET", "/items/.."), "invalid_sent"),
    ("get_item", sent("GET", "/items/%2e%2E"), "invalid_sent"),
    ("get_item", sent("GET", "/items/a/b"), "invalid_sent"),
    ("get_item", sent("GET", "/items/a#b"), "invalid_sent"),
    ("get_item", sent("GET", "/items/\ud800"), "invalid_sent"),
    ("find_item", sent("GET", "/items?q=x&limit=10&admin=1"), "invalid_sent"),
    ("find_item", sent("GET", "/items?q=x&limit=11"), "invalid_sent"),
    ("list_items", sent("GET", "/items?minCount=7.0&includeArchived=true"), "invalid_sent"),
    ("list_items", sent("GET", "/items?minCount=7&includeArchived=true"), "sent"),
    ("create_item", sent("POST", "/items", '{"item":{"name":"n","count":7.0}}'), "invalid_sent"),
    ("create_item", sent("POST", "/items", '{"item":{"name":"n","code":"AB-1\\n"}}'), "invalid_sent"),
    ("create_item", sent("POST", "/items", '{"item":{"name":"n","code":"AB-1"}}'), "sent"),
    ("create_item", sent("POST", "/items", '{"item":{"name":"n","due":"2026-02-30"}}'), "invalid_sent"),
    ("create_item", sent("POST", "/items", '{"item":{"name":"n"},"admin":true}'), "invalid_sent"),
    ("create_item", sent("POST", "/other", '{"item":{"name":"n"}}'), "invalid_sent"),
])
def test_each_fault_is_caught(operation: str, observed: Observed, kind: str) -> None:
    verdict = classify(OPERATIONS[operation], BASE, observed)
    assert verdict.kind == kind, verdict.reasons


def test_another_origin_is_caught() -> None:
    observed: Any = Observed(None, True, [{"method": "GET", "url": "https://evil.test/v2/items/i1", "headers": {},
                                          "body": None}])
    assert classify(OPERATIONS["get_item"], BASE, observed).kind == "invalid_sent"
