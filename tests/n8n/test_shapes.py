"""The input shapes and the connection n8n renders its own way, run through n8n-core with the built
package of a made-up API (shapes.yaml) against a loopback API that records what arrives:

- a list of objects is a fixed collection of entries, and the kernel receives the plain array;
- a free key/value object is a fixed collection of name/value entries, and the kernel a plain object;
- a date-time is n8n's dateTime field, sent unchanged with its offset, refused without one;
- a dropdown whose source reads another field reloads with it and sends its current value;
- Basic auth with the token as both parts, the account slug in the base URL, its pattern enforced;
- the credential test sends the test operation's query and body, and fails on a status code in the body;
- a status code in a 2xx body is an error of its kind (auth, rate limit) in n8n's words.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from connector_core.document import runtime_document
from connector_core.spec import Connector, load_spec
from n8n_bridge import generate
from n8n_bridge.credentials import credential_properties, credential_test
from n8n_bridge.execution import credential_values, node_parameters, node_type
from n8n_bridge.fields import input_fields
from n8n_bridge.names import credential_name
from n8n_bridge.properties import ENTRY_OPTION, operation_parameters
from n8n_bridge.toolchain import built_package
from tests.n8n.conftest import run_harness
from tests.n8n.recorder import Answer, Arrival, RecordingApi

SPEC = Path(__file__).with_name("shapes.yaml")
TOKEN = "tok-5Rz8"
ACCOUNT = "v1"  # the recorder serves each route at /<route>/v1: the base URL's last segment is the account
OK = Answer(200, {"status": 0, "id": 5, "count": 2})


@pytest.fixture(scope="module")
def shapes() -> Connector:
    return load_spec(SPEC)


def form(connector: Connector, key: str) -> dict[str, dict[str, Any]]:
    """The operation's parameters by name, those in Additional Fields included."""
    shown = operation_parameters(connector, connector.operation(key), {"operation": [key]})
    collection = [option for prop in shown if prop["name"] == "additionalFields" for option in prop["options"]]
    return {prop["name"]: prop for prop in shown + collection}


def test_a_list_input_is_a_fixed_collection_of_entries_with_the_items_fields(shapes: Connector) -> None:
    things = form(shapes, "create_things")["things"]
    assert things["type"] == "fixedCollection" and things["typeOptions"] == {"multipleValues": True}
    [entry] = things["options"]
    assert entry["name"] == ENTRY_OPTION
    values = {prop["name"]: prop for prop in entry["values"]}
    assert values["title"].get("required") is True  # the item's own required field
    optional = {option["name"] for option in values["additionalFields"]["options"]}
    assert optional == {"size"}  # a number n8n cannot leave blank waits in the entry's Additional Fields
    assert values["day"]["placeholder"] == "YYYY-MM-DD"


def test_a_key_value_input_is_a_fixed_collection_of_names_and_values(shapes: Connector) -> None:
    parameters = form(shapes, "create_thing")
    extra = parameters["extraUi"]
    assert extra["type"] == "fixedCollection" and extra["typeOptions"] == {"multipleValues": True}
    assert [prop["name"] for prop in extra["options"][0]["values"]] == ["name", "value"]
    assert "additionalFields" not in {field.parameter for field in input_fields(shapes.operation("create_thing"))}


def test_a_date_time_is_a_date_time_field_that_asks_for_an_offset(shapes: Connector) -> None:
    starts = form(shapes, "create_thing")["startsAt"]
    assert starts["type"] == "dateTime" and "UTC offset" in starts["description"]


def test_a_dropdown_reloads_when_the_field_its_source_reads_changes(shapes: Connector) -> None:
    parameters = form(shapes, "create_thing")
    group = parameters["groupId"]
    assert group["typeOptions"]["loadOptionsMethod"] == "getGroups"
    assert group["typeOptions"]["loadOptionsDependsOn"] == ["ownerId"]
    assert "displayOptions" in parameters["ownerId"]  # on the form (never sent, so n8n's default is harmless)


def test_the_credential_shows_the_pattern_and_tests_with_the_test_operations_request(shapes: Connector) -> None:
    account = next(prop for prop in credential_properties(shapes) if prop["name"] == "account")
    assert "^[a-z0-9-]+$" in account["description"]
    tested = credential_test(shapes)
    assert tested["request"]["url"] == "/whoami?verbose=1"
    assert tested["request"]["body"] == {"data": {"probe": True}}
    assert [rule["properties"]["value"] for rule in tested["rules"]] == [-3, -9]


def test_generation_is_deterministic(shapes: Connector) -> None:
    document = runtime_document(shapes)
    assert generate(document) == generate(json.loads(json.dumps(document)))


# --- run in n8n-core ------------------------------------------------------------------------------

RUNS: dict[str, tuple[str, dict[str, Any], Answer, dict[str, Any]]] = {
    # name: (operation, input, answer, harness overrides)
    "list": ("create_things", {"things": [{"title": "A", "size": 3, "day": "2026-04-30"}, {"title": "B"}]}, OK, {}),
    "pairs": ("create_thing", {"group_id": 4, "title": "T", "extra": {"color": "red", "weight": "2"}}, OK, {}),
    "covered_pair": ("create_thing", {"group_id": 4, "title": "T", "extra": {"title": "x"}}, OK, {}),
    "with_offset": ("create_thing", {"group_id": 4, "title": "T", "starts_at": "2026-05-10T09:30:00-05:00"}, OK, {}),
    "without_offset": ("create_thing", {"group_id": 4, "title": "T", "starts_at": "2026-05-10T09:30:00"}, OK, {}),
    "dropdown": ("create_thing", {"owner_id": 7, "title": "T"}, Answer(200, [{"id": 1, "name": "Red"}]),
                 {"kind": "options", "method": "getGroups", "path": "groupId"}),
    "dropdown_unset": ("create_thing", {"title": "T"}, Answer(200, []),
                       {"kind": "options", "method": "getGroups", "path": "groupId"}),
    "test_ok": ("whoami", {}, Answer(200, {"status": 0, "account": {"name": "Acme"}}), {}),
    "test_refused": ("whoami", {}, Answer(200, {"status": -3}), {}),
    "bad_account": ("create_thing", {"group_id": 4, "title": "T"}, OK, {"account": "Not A Slug"}),
    "auth_in_body": ("create_thing", {"group_id": 4, "title": "T"}, Answer(200, {"status": -3}), {}),
    "throttled_in_body": ("create_thing", {"group_id": 4, "title": "T"}, Answer(200, {"status": -9}), {}),
}
Runs = tuple[dict[str, Any], dict[str, list[Arrival]]]


@pytest.fixture(scope="module")
def runs(shapes: Connector) -> Runs:
    """Every run in one n8n-core process, as the node a user set up for its input."""
    document = runtime_document(shapes)
    with RecordingApi({name: answer for name, (_, _, answer, _) in RUNS.items()}) as api:
        cases = []
        for name, (key, value, _, overrides) in RUNS.items():
            operation = shapes.operation(key)
            extra = dict(overrides)
            credentials = {**credential_values(shapes, {"token": TOKEN}, api.base_url(name)),
                           **({"account": extra.pop("account")} if "account" in extra else {})}
            cases.append({"name": name, "kind": operation.kind, "nodeType": node_type(shapes, operation),
                          "parameters": node_parameters(shapes, operation, value),
                          "credentialType": credential_name(shapes), "credentials": credentials,
                          "clockMs": None, "intervalMs": 60000, "polls": 1, **extra})
        return run_harness(built_package(document), cases), dict(api.arrivals)


def body(arrivals: dict[str, list[Arrival]], name: str) -> Any:
    [arrival] = arrivals[name]
    return json.loads(arrival.body)


def test_the_node_holds_a_list_as_entries(shapes: Connector) -> None:
    parameters = node_parameters(shapes, shapes.operation("create_things"), RUNS["list"][1])
    assert parameters["things"] == {ENTRY_OPTION: [{"title": "A", "day": "2026-04-30", "additionalFields": {"size": 3}},
                                                   {"title": "B"}]}


def test_a_list_reaches_the_kernel_as_a_plain_array(runs: Runs) -> None:
    outcomes, arrivals = runs
    assert outcomes["list"]["status"] == "ok", outcomes["list"]
    assert body(arrivals, "list") == {"data": {"things": [{"name": "A", "size": 3, "day": 20260430}, {"name": "B"}]}}


def test_key_value_entries_reach_the_kernel_as_one_object(runs: Runs) -> None:
    outcomes, arrivals = runs
    assert outcomes["pairs"]["status"] == "ok", outcomes["pairs"]
    assert body(arrivals, "pairs") == {"thing": {"group": 4, "title": "T", "color": "red", "weight": "2"}}


def test_a_key_its_own_field_covers_is_refused_and_nothing_is_sent(runs: Runs) -> None:
    outcomes, arrivals = runs
    error = outcomes["covered_pair"]["error"]
    assert error["type"] == "NodeOperationError" and "extra.title: " in error["message"], error
    assert arrivals.get("covered_pair", []) == []


def test_a_date_time_is_sent_with_its_offset_and_refused_without(runs: Runs) -> None:
    outcomes, arrivals = runs
    assert body(arrivals, "with_offset")["thing"]["starts_at"] == "2026-05-10T09:30:00-05:00"
    error = outcomes["without_offset"]["error"]
    assert error["type"] == "NodeOperationError" and "starts_at: " in error["message"], error
    assert arrivals.get("without_offset", []) == []


def test_a_dependent_dropdown_sends_the_other_fields_current_value(runs: Runs) -> None:
    outcomes, arrivals = runs
    assert outcomes["dropdown"] == {"status": "ok", "output": [{"name": "Red", "value": 1}]}
    [arrival] = arrivals["dropdown"]
    assert urlsplit(arrival.path).path == "/groups" and dict(parse_qsl(urlsplit(arrival.path).query)) == {"owner_id": "7"}
    error = outcomes["dropdown_unset"]["error"]
    assert error["type"] == "NodeOperationError" and "owner_id: " in error["message"], error
    assert arrivals.get("dropdown_unset", []) == []


def test_basic_auth_sends_the_token_as_both_parts_to_the_accounts_url(runs: Runs) -> None:
    _, arrivals = runs
    [arrival] = arrivals["pairs"]
    assert arrival.headers["authorization"] == "Basic " + base64.b64encode(f"{TOKEN}:{TOKEN}".encode()).decode()
    assert arrival.path == "/thing"  # below /<route>/<account>


def test_an_account_that_breaks_its_pattern_is_refused_and_nothing_is_sent(runs: Runs) -> None:
    outcomes, arrivals = runs
    error = outcomes["bad_account"]["error"]
    assert error["type"] == "NodeOperationError" and "account: must match" in error["message"], error
    assert arrivals.get("bad_account", []) == []


def test_the_credential_test_sends_the_test_request_and_reads_the_status_in_the_body(runs: Runs) -> None:
    outcomes, arrivals = runs
    assert outcomes["test_ok"]["status"] == "ok", outcomes["test_ok"]
    [arrival] = arrivals["test_ok"]
    assert (arrival.method, arrival.path) == ("POST", "/whoami?verbose=1")
    assert json.loads(arrival.body) == {"data": {"probe": True}}
    assert outcomes["test_refused"]["error"] == {"type": "CredentialTestError", "status": None,
                                                 "message": "authentication failed"}


@pytest.mark.parametrize(("name", "advice"), [("auth_in_body", "please check your credentials"),
                                              ("throttled_in_body", "retry automatically")])
def test_an_error_code_in_the_body_is_an_error_of_its_kind_in_n8ns_words(runs: Runs, name: str, advice: str) -> None:
    """A status code in a 2xx body is an auth or rate-limit error whatever HTTP status carried it:
    its NodeApiError says so (the description n8n shows), with the code's meaning as the message."""
    outcomes, arrivals = runs
    error = outcomes[name]["error"]
    assert error["type"] == "NodeApiError" and error["message"].startswith(("authentication failed", "throttling"))
    assert advice in error["description"], error
    assert len(arrivals[name]) == 1  # retries are n8n's "Retry On Fail"
