"""A polling trigger on Zapier, run by zapier-platform-core against a loopback API whose `Date`
header is a scripted server clock, and compared with the Python runtime against the same API.

Zapier keeps no state, so a scheduled poll is the kernel's window (docs/polling.md rule 8): two
polling intervals plus the lookback, measured on the server's clock, every page, newest first.
Loading a sample in the Zap editor (`bundle.meta.isLoadingSample`) returns the newest real record
(rule 7), or the spec's sample when the account has none.

The corpus connector (acme) has triggers with offset and page-number paging and a trigger input;
its whole app is generated (its actions' list inputs are Zapier list fields and line items).
"""

from __future__ import annotations

from collections.abc import Callable
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
SERVER_MS = 1_777_543_600_000  # the server's clock: a whole second, as a Date header names it
MINUTE = 60_000
CURSORS = {"createdSince": "createdAt", "updatedSince": "updatedAt"}


@pytest.fixture(scope="module")
def acme_triggers() -> dict[str, Any]:
    return runtime_document(load_spec(ACME))


def listing(records: list[dict[str, Any]]) -> Callable[[Seen], tuple[int, Any, dict[str, str]]]:
    """The API: records at or after the since param, filtered by the other params, in id order
    (no order by time is promised), paged by skip/limit or page/perPage."""
    def answer(request: Seen) -> tuple[int, Any, dict[str, str]]:
        query = {name: values[0] for name, values in parse_qs(urlsplit(request.path).query).items()}
        size = int(query.pop("limit", query.pop("perPage", "100")))
        skip = int(query.pop("skip", "0")) if "page" not in query else (int(query.pop("page")) - 1) * size
        matching = [record for record in sorted(records, key=lambda record: record["id"])
                    if all(record[CURSORS[name]] >= int(value) if name in CURSORS else record.get(name) == value
                           for name, value in query.items())]
        return 200, {"data": {"items": matching[skip:skip + size]}}, {}
    return answer


def query_of(request: Seen) -> dict[str, list[str]]:
    return parse_qs(urlsplit(request.path).query)


def run_both(document: dict[str, Any], key: str, records: list[dict[str, Any]], *, client_ms: int = SERVER_MS,
             inputs: dict[str, Any] | None = None, sample: bool = False) -> tuple[dict, list[Seen], list, list[Seen]]:
    """(Zapier outcome, Zapier requests, Python events, Python requests): one Zapier poll (or sample
    load) and the Python runtime's window (or latest) against the same API, at the same clocks."""
    value = inputs or {}
    with loopback_api(listing(records), clock=lambda: SERVER_MS) as api:
        run = ZapierRun("poll", f"triggers.{key}.operation.perform", {"api_key": "acme-key", "base_url": api.base_url()},
                        value, client_ms, {"isLoadingSample": True} if sample else {})
        outcome = run_in_zapier(document, [run])["poll"]
        zapier_seen = list(api.seen)
        api.seen.clear()
        with Client(connector_from_document(document), connection={"api_key": "acme-key"},
                    base_url=api.base_url()) as client:
            result = (client.latest(key, value, now_ms=client_ms) if sample
                      else client.poll_window(key, value, now_ms=client_ms))
        return outcome, zapier_seen, result.events, list(api.seen)


def window_start(document: dict[str, Any], key: str) -> int:
    """docs/polling.md rule 8: two polling intervals and the lookback before the server's clock."""
    polling = document["operations"][key]["polling"]
    return SERVER_MS - 2 * polling["window_ms"] - polling["lookback_ms"]


def test_a_poll_reads_the_polling_interval_on_the_server_clock_every_page_newest_first(
        acme_triggers: dict[str, Any]) -> None:
    since = window_start(acme_triggers, "new_item")
    records = [{"id": "a", "createdAt": since + 10, "kind": "bolt"},
               {"id": "b", "createdAt": SERVER_MS - 1000, "kind": "bolt"},
               {"id": "c", "createdAt": since - 1, "kind": "bolt"},          # before the window
               {"id": "d", "createdAt": SERVER_MS - 9000, "kind": "nut"},    # another kind
               {"id": "e", "createdAt": SERVER_MS - 5000, "kind": "bolt"},
               {"id": "f", "createdAt": since, "kind": "bolt"}]
    outcome, zapier_seen, python_events, python_seen = run_both(acme_triggers, "new_item", records,
                                                                inputs={"kind": "bolt"})
    assert [query_of(request)["createdSince"] for request in zapier_seen] == [[str(since)]] * 3
    assert [query_of(request)["skip"] for request in zapier_seen] == [["0"], ["2"], ["4"]]
    assert all(query_of(request)["kind"] == ["bolt"] and request.headers["x-api-key"] == "acme-key"
               for request in zapier_seen)
    assert outcome == {"status": "ok", "output": python_events}
    assert [event["id"] for event in python_events] == ["b", "e", "a", "f"]
    assert [request.path for request in zapier_seen] == [request.path for request in python_seen]


def test_a_client_clock_ahead_of_the_server_still_reads_the_servers_window(acme_triggers: dict[str, Any]) -> None:
    """Asked from a clock ten minutes fast, the first walk starts too late; the window is read
    again from the server's clock, so the record just inside it is not lost."""
    since = window_start(acme_triggers, "new_item")
    records = [{"id": "edge", "createdAt": since + 1, "kind": "bolt"}]
    outcome, zapier_seen, python_events, python_seen = run_both(acme_triggers, "new_item", records,
                                                                client_ms=SERVER_MS + 10 * MINUTE)
    assert [query_of(request)["createdSince"] for request in zapier_seen] == [[str(since + 10 * MINUTE)], [str(since)]]
    assert outcome == {"status": "ok", "output": python_events} and python_events == records
    assert [request.path for request in zapier_seen] == [request.path for request in python_seen]


def test_page_numbers_and_the_requests_own_params_reach_every_poll(acme_triggers: dict[str, Any]) -> None:
    since = window_start(acme_triggers, "done_item")
    records = [{"id": f"d{number}", "updatedAt": since + number, "state": "done"} for number in range(3)]
    records.append({"id": "open", "updatedAt": SERVER_MS, "state": "open"})
    outcome, zapier_seen, python_events, _ = run_both(acme_triggers, "done_item", records)
    assert [(query_of(request)["page"], query_of(request)["state"]) for request in zapier_seen] == [
        (["1"], ["done"]), (["2"], ["done"])]
    assert outcome == {"status": "ok", "output": python_events}
    assert [event["id"] for event in python_events] == ["d2", "d1", "d0"]


def test_loading_a_sample_returns_the_newest_real_record(acme_triggers: dict[str, Any]) -> None:
    """Nothing in the last hour; the day's window holds two records (a full page, so a second page
    is read): the newer one is the sample."""
    records = [{"id": "older", "createdAt": SERVER_MS - 5 * 3_600_000, "kind": "bolt"},
               {"id": "newer", "createdAt": SERVER_MS - 2 * 3_600_000, "kind": "nut"}]
    outcome, zapier_seen, python_events, python_seen = run_both(acme_triggers, "new_item", records, sample=True)
    assert [int(query_of(request)["createdSince"][0]) for request in zapier_seen] == [
        SERVER_MS - 3_600_000, SERVER_MS - 86_400_000, SERVER_MS - 86_400_000]
    assert outcome == {"status": "ok", "output": [records[1]]} and python_events == [records[1]]
    assert [request.path for request in zapier_seen] == [request.path for request in python_seen]


def test_loading_a_sample_gives_the_specs_sample_when_the_account_has_none(
        acme_triggers: dict[str, Any]) -> None:
    records = [{"id": "ancient", "createdAt": SERVER_MS - 3 * 86_400_000, "kind": "bolt"}]
    outcome, zapier_seen, python_events, _ = run_both(acme_triggers, "new_item", records, sample=True)
    sample = acme_triggers["operations"]["new_item"]["sample"]
    assert python_events == [sample] and len(zapier_seen) == 2  # the runtimes' `latest` decides it, once
    assert outcome == {"status": "ok", "output": [sample]}


def test_a_triggers_input_is_checked_before_any_poll(acme_triggers: dict[str, Any]) -> None:
    with loopback_api(listing([])) as api:
        run = ZapierRun("screw", "triggers.new_item.operation.perform",
                        {"api_key": "acme-key", "base_url": api.base_url()}, {"kind": "screw"}, SERVER_MS)
        error = run_in_zapier(acme_triggers, [run])["screw"]["error"]
        assert api.seen == []
    assert error["type"] == "InputValidationError" and error["message"].startswith(
        "Invalid input, nothing was sent: Kind (kind) must be one of"), error
