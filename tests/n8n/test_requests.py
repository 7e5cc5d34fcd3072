"""What n8n actually sends, seen by a loopback API: exactly the kernel's request, hostile ids refused
before anything leaves, the API key never in an error, and a trigger's own input on every poll.

Every probe runs through n8n-core (WorkflowExecute for the node, PollContext for the trigger,
LoadOptionsContext for a dropdown) with the built package, as the verify harness does; all probes
of one package share one recording server and one Node process.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from connector_core.document import connector_from_document
from n8n_bridge.execution import node_parameters
from connector_core.kernel import KERNEL_SOURCES
from n8n_bridge.fields import input_fields
from n8n_bridge.names import camel, credential_name, node_class, package_directory, trigger_class
from n8n_bridge.properties import option_loader, summary
from tests.n8n.conftest import run_harness
from tests.n8n.recorder import Answer, Arrival, RecordingApi

KEY = "secret-key-7Qx9"
CLOCK_MS = 1777543600000
JOB = {"id": "j1", "title": "T", "progress": "scheduled", "createdAt": 1, "updatedAt": 2}
ONE_JOB = Answer(200, {"data": {"items": [JOB]}})
ECHOED_KEY = Answer(401, {"error": {"message": f"API key {KEY} is not valid"}})
HIDDEN_IDS = {"dot_dot": "..", "dot": ".", "encoded_dot_dot": "%2e%2E", "half_encoded_dot_dot": ".%2E"}
SAME_AS_KERNEL = ("create_job", "find_job", "update_job")
CLOSED_PORT = "http://127.0.0.1:9/v1"  # the discard port: nothing listens


@dataclass(frozen=True)
class Probe:
    operation: str
    value: dict[str, Any]
    answer: Answer
    case: dict[str, Any] = field(default_factory=dict)  # harness overrides (polls, a dropdown)
    parameters: dict[str, Any] = field(default_factory=dict)  # node parameters set beyond the input's


HELLOTRACKS = {
    **{f"get_job_{name}": Probe("get_job", {"id": hidden}, ONE_JOB) for name, hidden in HIDDEN_IDS.items()},
    "get_job_slash_query_fragment": Probe("get_job", {"id": "a/b?c#d"}, ONE_JOB),
    "create_job": Probe("create_job", {"title": "Fix gate", "priority": "7", "contact": {"email": "a@b.co"},
                                       "notes": ""}, ONE_JOB),
    "find_job": Probe("find_job", {"externalId": "SRP 1/2&x=y"}, ONE_JOB),
    "update_job": Probe("update_job", {"id": "j1", "date": "2026-05-10T09:30:00+02:00"}, ONE_JOB),
    "echo_action": Probe("get_job", {"id": "j1"}, ECHOED_KEY),
    "echo_trigger": Probe("new_job", {}, ECHOED_KEY),
    "echo_options": Probe("create_job", {"title": "T"}, ECHOED_KEY, {"kind": "options", "method": "getMembers"}),
    "unreachable": Probe("get_job", {"id": "j1"}, ONE_JOB, {"credentials": {"apiKey": KEY, "baseUrl": CLOSED_PORT}}),
    "redirect": Probe("get_job", {"id": "j1"}, Answer(302, {"error": {"message": "moved"}},
                                                      {"Location": "/redirect/v1/jobs/elsewhere"})),
    "simplified": Probe("find_job", {"externalId": "SRP 1/2&x=y"}, ONE_JOB, parameters={"simple": True}),
    "not_found_by_id": Probe("get_job", {"id": "j404"}, Answer(404, {"error": {"message": "Job not found: j404"}})),
    "found_nothing": Probe("find_job", {"externalId": "none"}, Answer(200, {"data": {"items": []}})),
}
ITEM = {"id": "i1", "createdAt": CLOCK_MS - 5, "kind": "bolt"}
ACME = {
    "new_item": Probe("new_item", {"kind": "bolt"}, Answer(200, {"data": {"items": [ITEM]}}), {"polls": 2}),
    "new_item_invalid": Probe("new_item", {"kind": "screw"}, Answer(200, {"data": {"items": []}})),
    "tag_item": Probe("tag_item", {"id": "i/1", "tag": "blue"}, Answer(200, {"data": {"id": "i/1"}})),
}

Sent = tuple[dict[str, Any], dict[str, list[Arrival]], dict[str, dict[str, Any]]]


def harness_case(document: dict[str, Any], name: str, probe: Probe, base_url: str) -> dict[str, Any]:
    """One probe as the harness runs it: the node a user would configure for its input, its credential."""
    connector = connector_from_document(document)
    operation = connector.operation(probe.operation)
    node = trigger_class(connector) if operation.kind == "trigger" else node_class(connector)
    dropdown = next((field for field in input_fields(operation)
                     if option_loader(field.schema.get("x-options", "")) == probe.case.get("method")), None)
    path = {} if dropdown is None else {
        "path": f"additionalFields.{dropdown.parameter}" if dropdown.additional else dropdown.parameter}
    return {"name": name, "kind": operation.kind, "nodeType": f"{package_directory(connector)}.{camel(node)}",
            **path, "parameters": {**node_parameters(connector, operation, probe.value), **probe.parameters},
            "credentialType": credential_name(connector), "credentials": {"apiKey": KEY, "baseUrl": base_url},
            "clockMs": CLOCK_MS, "intervalMs": 60000, "polls": 1, **probe.case}


KERNEL_SCRIPT = """
const kernel = require(process.argv[1]);
const { doc, key, requests } = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const built = {};
for (const { name, operation, value, baseUrl } of requests) {
  const connection = kernel.resolveConnection(doc, { api_key: key, base_url: baseUrl }, { env: {} }).connection;
  built[name] = kernel.buildRequest(doc, operation, kernel.prepareInput(doc, operation, value).value, connection);
}
process.stdout.write(JSON.stringify(built));
"""


def kernel_requests(document: dict[str, Any], requests: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The request the kernel itself builds for each input (run directly in Node, no n8n)."""
    result = subprocess.run(["node", "-e", KERNEL_SCRIPT, str(KERNEL_SOURCES / "index.js")], capture_output=True,
                            text=True, check=True, input=json.dumps({"doc": document, "key": KEY, "requests": requests}))
    return {name: built["request"] for name, built in json.loads(result.stdout).items()}


def send_probes(document: dict[str, Any], package: Path, probes: dict[str, Probe]) -> Sent:
    with RecordingApi({name: probe.answer for name, probe in probes.items()}) as api:
        outcomes = run_harness(package, [harness_case(document, name, probe, api.base_url(name))
                                         for name, probe in probes.items()])
        expected = kernel_requests(document, [{"name": name, "operation": probes[name].operation,
                                               "value": probes[name].value, "baseUrl": api.base_url(name)}
                                              for name in SAME_AS_KERNEL if name in probes])
        return outcomes, dict(api.arrivals), expected


@pytest.fixture(scope="module")
def hellotracks_sent(hellotracks_document: dict[str, Any], n8n_package: Path) -> Sent:
    return send_probes(hellotracks_document, n8n_package, HELLOTRACKS)


@pytest.fixture(scope="module")
def acme_sent(acme_document: dict[str, Any], acme_package: Path) -> Sent:
    return send_probes(acme_document, acme_package, ACME)


@pytest.mark.parametrize("name", [f"get_job_{name}" for name in HIDDEN_IDS])
def test_a_dot_segment_id_is_refused_and_nothing_is_sent(hellotracks_sent: Sent, name: str) -> None:
    outcomes, arrivals, _ = hellotracks_sent
    assert arrivals.get(name, []) == []
    error = outcomes[name]["error"]
    assert error["type"] == "NodeOperationError" and "id: " in error["message"], outcomes[name]


def test_a_slash_query_and_fragment_stay_in_one_segment(hellotracks_sent: Sent) -> None:
    outcomes, arrivals, _ = hellotracks_sent
    name = "get_job_slash_query_fragment"
    assert [arrival.path for arrival in arrivals[name]] == ["/jobs/a%2Fb%3Fc%23d"]
    [record] = outcomes[name]["output"]
    assert outcomes[name]["status"] == "ok" and record.items() >= JOB.items()  # plus derived timestamps


@pytest.mark.parametrize("name", SAME_AS_KERNEL)
def test_n8n_sends_exactly_the_kernels_request(hellotracks_sent: Sent, name: str) -> None:
    outcomes, arrivals, expected = hellotracks_sent
    assert outcomes[name]["status"] == "ok", outcomes[name]
    [arrival] = arrivals[name]
    request = expected[name]
    url = urlsplit(request["url"])
    assert arrival.method == request["method"]
    assert arrival.path == url.path.removeprefix(f"/{name}/v1") + (f"?{url.query}" if url.query else "")
    assert arrival.body == (request["body"] or "")
    for header, text in request["headers"].items():
        assert arrival.headers.get(header.lower()) == text, header


@pytest.mark.parametrize("name", ["echo_action", "echo_trigger", "echo_options"])
def test_the_api_key_never_reaches_an_error_when_the_api_echoes_it(hellotracks_sent: Sent, name: str) -> None:
    outcomes, arrivals, _ = hellotracks_sent
    assert [arrival.headers["api-key"] for arrival in arrivals[name]] == [KEY]  # the key was sent, once
    error = outcomes[name]["error"]
    assert error["type"] == "NodeApiError" and error["status"] == 401, outcomes[name]
    assert error["message"] == "API key *** is not valid"
    assert KEY not in json.dumps(outcomes[name])


def test_a_redirect_is_an_api_error_not_followed(hellotracks_sent: Sent) -> None:
    outcomes, arrivals, _ = hellotracks_sent
    assert [arrival.path for arrival in arrivals["redirect"]] == ["/jobs/j1"]  # the Location was not followed
    error = outcomes["redirect"]["error"]
    assert error["type"] == "NodeApiError" and error["status"] == 302, outcomes["redirect"]


def test_a_trigger_polls_with_its_own_input(acme_sent: Sent) -> None:
    outcomes, arrivals, _ = acme_sent
    assert outcomes["new_item"]["status"] == "ok" and outcomes["new_item"]["output"][0] is None  # the baseline
    queries = [dict(parse_qsl(urlsplit(arrival.path).query)) for arrival in arrivals["new_item"]]
    assert [query["kind"] for query in queries] == ["bolt", "bolt"]
    assert int(queries[1]["createdSince"]) > int(queries[0]["createdSince"])  # the kept state moved the cursor


def test_a_trigger_with_invalid_input_sends_nothing(acme_sent: Sent) -> None:
    outcomes, arrivals, _ = acme_sent
    assert arrivals.get("new_item_invalid", []) == []
    error = outcomes["new_item_invalid"]["error"]
    assert error["type"] == "NodeOperationError" and "kind: " in error["message"], error


def test_a_header_param_travels_as_the_kernel_sets_it(acme_sent: Sent) -> None:
    outcomes, arrivals, _ = acme_sent
    assert outcomes["tag_item"] == {"status": "ok", "output": [{"id": "i/1"}]}
    [arrival] = arrivals["tag_item"]
    assert (arrival.method, arrival.path, arrival.headers["x-tag"]) == ("PUT", "/items/i%2F1/tag", "blue")


def test_an_unreachable_api_is_an_n8n_api_error(hellotracks_sent: Sent) -> None:
    """n8n's own transport failure (no kernel decision) still surfaces as the node's NodeApiError."""
    outcomes, _, _ = hellotracks_sent
    assert outcomes["unreachable"]["status"] == "error"
    assert outcomes["unreachable"]["error"]["type"] == "NodeApiError", outcomes["unreachable"]
    assert KEY not in json.dumps(outcomes["unreachable"])


def test_simplify_keeps_only_the_summary_fields(hellotracks_document: dict[str, Any], hellotracks_sent: Sent) -> None:
    """On by default for a read with a summary: the record as the summary's fields (those it has)."""
    outcomes, _, _ = hellotracks_sent
    whole = outcomes["find_job"]["output"]
    fields = summary(connector_from_document(hellotracks_document).operation("find_job"))
    assert fields and outcomes["simplified"] == {
        "status": "ok", "output": [{name: record[name] for name in fields if name in record} for record in whole]}
    assert set(whole[0]) - set(fields)  # something was left out


@pytest.mark.parametrize("name", ["not_found_by_id", "found_nothing"])
def test_a_search_that_finds_nothing_returns_no_items(hellotracks_sent: Sent, name: str) -> None:
    """Nothing found (a 404 for a search, or an empty list) is no items, not an error: the workflow
    stops there unless the user switches on "Always Output Data"."""
    outcomes, arrivals, _ = hellotracks_sent
    assert outcomes[name] == {"status": "ok", "output": []} and len(arrivals[name]) == 1
