"""A polling trigger on Zapier: its input reaches every poll's request and its filters pick the events,
exactly as the Python runtime's first poll does against the same loopback API.

The corpus connector (acme) has a trigger with an input and one with a filter. Its actions take a
list input, which a Zapier form cannot hold, so the app here carries the connection test and the
triggers only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

import connector_core
from connector_core import Client
from connector_core.document import connector_from_document, runtime_document
from connector_core.spec.loader import load_spec
from tests.zapier.loopback import Seen, loopback_api
from zapier_schema.execution import ZapierRun, run_in_zapier

ACME = Path(connector_core.__file__).resolve().parent / "conformance" / "connectors" / "acme.json"
CLOCK_MS = 1_777_543_600_000
NEW_ITEMS = [[{"id": "n1", "createdAt": CLOCK_MS - 5000, "kind": "bolt"},
              {"id": "n2", "createdAt": CLOCK_MS - 3000, "kind": "bolt"}],
             [{"id": "n3", "createdAt": CLOCK_MS - 4000, "kind": "bolt"}]]
DONE_ITEMS = [[{"id": "d1", "updatedAt": CLOCK_MS - 5000, "state": "done"},
               {"id": "d2", "updatedAt": CLOCK_MS - 1000, "state": "open"}],
              [{"id": "d3", "updatedAt": CLOCK_MS - 2000, "state": "done"}]]


@pytest.fixture(scope="module")
def acme_triggers() -> dict[str, Any]:
    document = runtime_document(load_spec(ACME))
    document["operations"] = {key: operation for key, operation in document["operations"].items()
                              if operation["kind"] in ("trigger", "test")}
    return document


def pages(request: Seen) -> tuple[int, Any, dict[str, str]]:
    """Items by page: offset paging for new items, page numbers for done ones (two per page)."""
    query = parse_qs(urlsplit(request.path).query)
    if "skip" in query:
        listed, page = NEW_ITEMS, int(query["skip"][0]) // 2
    else:
        listed, page = DONE_ITEMS, int(query["page"][0]) - 1
    return 200, {"data": {"items": listed[page] if page < len(listed) else []}}, {}


def first_polls(document: dict[str, Any], key: str, inputs: list[dict[str, Any]]) -> tuple[list, list, list, list]:
    """(Zapier outcomes, Zapier requests, Python events, Python requests) for the same first polls."""
    connector = connector_from_document(document)
    with loopback_api(pages) as api:
        runs = [ZapierRun(f"poll {index}", f"triggers.{key}.operation.perform",
                          {"api_key": "acme-key", "base_url": api.base_url()}, value, CLOCK_MS)
                for index, value in enumerate(inputs)]
        results = run_in_zapier(document, runs)
        zapier_seen = list(api.seen)
        api.seen.clear()
        with Client(connector, connection={"api_key": "acme-key"}, base_url=api.base_url()) as client:
            python_events = [client.poll(key, None, value, now_ms=CLOCK_MS).events for value in inputs]
        return [results[run.name] for run in runs], zapier_seen, python_events, list(api.seen)


def test_a_triggers_input_reaches_every_poll_request(acme_triggers: dict[str, Any]) -> None:
    outcomes, zapier_seen, python_events, python_seen = first_polls(acme_triggers, "new_item", [{"kind": "bolt"}])
    paths = [request.path for request in zapier_seen]
    assert len(paths) == 2 and all(parse_qs(urlsplit(path).query)["kind"] == ["bolt"] for path in paths), paths
    assert paths == [request.path for request in python_seen]
    assert all(request.headers["x-api-key"] == "acme-key" for request in zapier_seen)
    assert outcomes == [{"status": "ok", "output": python_events[0]}]
    assert [event["id"] for event in python_events[0]] == ["n2", "n3", "n1"]


def test_a_triggers_input_is_checked_before_any_poll(acme_triggers: dict[str, Any]) -> None:
    with loopback_api(pages) as api:
        run = ZapierRun("screw", "triggers.new_item.operation.perform",
                        {"api_key": "acme-key", "base_url": api.base_url()}, {"kind": "screw"}, CLOCK_MS)
        error = run_in_zapier(acme_triggers, [run])["screw"]["error"]
        assert api.seen == []
    assert error["type"] == "InputValidationError" and error["message"].startswith(
        "Invalid input, nothing was sent: Kind (kind) must be one of"), error


def test_a_triggers_filters_pick_the_events(acme_triggers: dict[str, Any]) -> None:
    outcomes, zapier_seen, python_events, python_seen = first_polls(acme_triggers, "done_item", [{}])
    assert [request.path for request in zapier_seen] == [request.path for request in python_seen]
    assert [parse_qs(urlsplit(request.path).query)["page"] for request in zapier_seen] == [["1"], ["2"]]
    assert outcomes == [{"status": "ok", "output": python_events[0]}]
    assert [(event["id"], event["state"]) for event in python_events[0]] == [("d3", "done"), ("d1", "done")]
