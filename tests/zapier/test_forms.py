"""Zapier forms for every input shape a spec may hold, and what reaches the API from them.

Rendered from any spec: a list of objects is a line-item group, a free key/value object a `dict`
field, a dropdown whose source reads other fields comes after them (each reloads it), dates and
date-times are `datetime` fields, an action answering many records answers one object carrying
them, and an account in the base URL labels the connection. Run in zapier-platform-core against a
loopback API (tests/zapier/crew.yaml, a made-up API with each shape), the request is the Python
runtime's for the same input, refused input names each field where the form shows it, and a
dropdown's hidden trigger reads the form's current values.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from connector_core import Client
from connector_core.document import runtime_document
from connector_core.runtime.errors import InputValidationError
from connector_core.runtime.polling.plans import WINDOW_BUDGET
from connector_core.spec import Connector, bundled_connectors, load_connector
from connector_core.spec.loader import load_spec
from tests.zapier.loopback import Seen, loopback_api
from zapier_schema import generate, preview
from zapier_schema.checklist import checklist_problems
from zapier_schema.definition import SECTIONS
from zapier_schema.execution import ZapierRun, auth_data, method_path, operation_run, options_method, run_in_zapier
from zapier_schema.fields import dropdown_inputs
from zapier_schema.keys import shown_field, zapier_key
from zapier_schema.project import trigger_notes
from zapier_schema.schemas import leaves, line_item_schema

CREW = Path(__file__).with_name("crew.yaml")
TOKEN = "crew-token-7d1e"
Definition = dict[str, Any]


@pytest.fixture(scope="module")
def crew() -> Connector:
    return load_spec(CREW)


@pytest.fixture(scope="module")
def crew_document(crew: Connector) -> dict[str, Any]:
    return runtime_document(crew)


@pytest.fixture(scope="module")
def crew_definition(crew_document: dict[str, Any]) -> Definition:
    return json.loads(generate(crew_document)["definition.json"])


def every_connector() -> list[Connector]:
    """The bundled connectors and the made-up one: each rendering rule holds for any spec."""
    return [*(load_connector(name) for name in bundled_connectors()), load_spec(CREW)]


def entries(connector: Connector) -> list[tuple[Any, Definition]]:
    """(operation, its Zapier entry) for every operation the app offers."""
    definition = json.loads(generate(runtime_document(connector))["definition.json"])
    return [(operation, definition[SECTIONS[operation.kind]][operation.key])
            for operation in connector.operations.values() if operation.kind in SECTIONS]


def by_key(fields: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {field["key"]: field for field in fields}


# ------------------------------------------------------------------------- rendering


def test_a_list_of_objects_is_a_line_item_group() -> None:
    """Zapier's line items (`children`): one field per item property, required ones first, typed;
    the group holds no type or help of its own (Zapier forbids them beside `children`)."""
    groups = 0
    for connector in every_connector():
        for operation, entry in entries(connector):
            fields = by_key(entry["operation"]["inputFields"])
            for path, schema, required in leaves(operation.input):
                items = line_item_schema(schema)
                if items is None:
                    continue
                groups += 1
                group = fields[zapier_key(path, operation.key)]
                assert group["required"] is required and set(group) == {"key", "label", "required", "children"}
                expected = sorted(((zapier_key(child, operation.key), child_required)
                                   for child, _, child_required in leaves(items)), key=lambda pair: not pair[1])
                assert [(child["key"], child["required"]) for child in group["children"]] == expected
                assert all(child["type"] in {"string", "integer", "number", "boolean", "datetime"}
                           for child in group["children"])
    assert groups


def test_a_free_object_is_a_key_value_field() -> None:
    dicts = 0
    for connector in every_connector():
        for operation, entry in entries(connector):
            fields = by_key(entry["operation"]["inputFields"])
            for path, schema, _ in leaves(operation.input):
                field = fields[zapier_key(path, operation.key)]
                is_free = schema.get("type") == "object" and not schema.get("properties")
                assert bool(field.get("dict")) is is_free, (operation.key, path)
                dicts += is_free
    assert dicts


def test_dates_and_date_times_are_datetime_fields() -> None:
    """Zapier's date picker; it sends an ISO date-time with the Zap's offset (a date keeps its day)."""
    dated = 0
    for connector in every_connector():
        for operation, entry in entries(connector):
            shown = {(None, field["key"]): field for field in entry["operation"]["inputFields"]}
            shown |= {(field["key"], child["key"]): child for field in entry["operation"]["inputFields"]
                      for child in field.get("children", [])}
            for path, schema, _ in leaves(operation.input):
                items = line_item_schema(schema)
                inner = [(zapier_key(path, "x"), zapier_key(child, "x"), sub) for child, sub, _ in leaves(items)] \
                    if items is not None else [(None, zapier_key(path, "x"), schema)]
                for group, key, sub in inner:
                    if sub.get("format") in ("date", "date-time"):
                        dated += 1
                        assert shown[(group, key)]["type"] == "datetime", (operation.key, key)
    assert dated


def test_a_dropdown_comes_after_the_fields_its_source_reads() -> None:
    """The field a dropdown's source reads (Customer ID for a customer's jobs) stands before it,
    even when optional, and reloads it when changed (altersDynamicFields); not `dependsOn`, which
    would lock the dropdown for a user who maps its value from an earlier step instead."""
    dependent = 0
    for connector in every_connector():
        for operation, entry in entries(connector):
            fields = entry["operation"]["inputFields"]
            keys = [field["key"] for field in fields]
            read = dropdown_inputs(operation, connector.option_sources)
            for field in fields:
                assert "dependsOn" not in field
                assert bool(field.get("altersDynamicFields")) is (field["key"] in read), (operation.key, field["key"])
            for key, dropdown in read.items():
                dependent += 1
                assert keys.index(key) < keys.index(dropdown), (operation.key, key)
                assert fields[keys.index(dropdown)].get("dynamic") or fields[keys.index(dropdown)].get("children")
    assert dependent


def test_an_action_answering_many_records_answers_one_object(crew_definition: Definition) -> None:
    body = crew_definition["creates"]["create_visits"]["operation"]
    assert body["perform"]["source"].endswith('.create(z, bundle, "create_visits", "visits");')
    assert body["sample"] == {"visits": [{"id": 1, "title": "Fix"}]}
    [records] = body["outputFields"]
    assert records["key"] == "visits" and [child["key"] for child in records["children"]] == ["id", "title"]


def test_the_account_in_the_base_url_labels_the_connection(crew: Connector, crew_definition: Definition,
                                                            hellotracks: Connector) -> None:
    """Zapier check D003 without a label in the spec: the account the user typed to connect."""
    auth = crew_definition["authentication"]
    assert auth["type"] == "custom" and crew.connection.label is None
    assert auth["connectionLabel"] == "{{bundle.authData.account}}"
    assert [field["key"] for field in auth["fields"]] == ["account", "api_token", "base_url"]
    assert by_key(auth["fields"])["base_url"]["required"] is False
    labelled = json.loads(generate(runtime_document(hellotracks))["definition.json"])["authentication"]
    assert labelled["connectionLabel"] == "{{bundle.inputData.company.name}}"


def test_the_made_up_api_meets_the_checklist(crew: Connector, crew_definition: Definition) -> None:
    assert checklist_problems(crew, crew_definition) == []


def test_a_trigger_without_a_cursor_says_what_a_poll_reads(crew: Connector, hellotracks: Connector) -> None:
    polling = crew.operation("new_visit").polling
    assert polling is not None and polling.cursor is None
    [note] = trigger_notes(crew)
    most = polling.max_pages * polling.pagination.page_size
    assert note.startswith("New Visit: ") and f"at most {polling.max_pages} pages ({most} records)" in note
    assert f"- {note}" in generate(runtime_document(crew))["README.md"]
    assert all("last two polling intervals" in note for note in trigger_notes(hellotracks))


@pytest.mark.parametrize("field, shown", [
    ("priority", "priority"), ("visits[2].hours", "visits[2].hours"),
    ("visits[0].contact.email", "visits[0].contact__email"), ("extra.color", "extra.color"),
    ("visits[1].unknown", "visits[1].unknown"), ("constructor", "constructor"),
])
def test_a_field_is_named_where_the_form_shows_it(crew: Connector, field: str, shown: str) -> None:
    assert shown_field(crew.operation("create_visits").input, field) == shown


# ------------------------------------------------------------------------- in zapier-platform-core


def visits_answer(request: Seen) -> tuple[int, Any, dict[str, str]]:
    """The API's answer: the visits it was sent, numbered."""
    if request.path.split("?")[0].endswith("/sites.json"):
        return 200, [{"id": 7, "name": "Main Street"}, {"id": 8, "name": "Harbour"}], {}
    if request.method == "POST":
        return 201, {"visits": [{"id": number, "title": visit["title"]}
                                for number, visit in enumerate(request.body["visits"], 1)]}, {}
    return 200, [], {}


VISITS = {
    "visits": [{"title": "Fix the gate", "day": "2026-05-10", "hours": "3", "contact": {"email": "a@example.com"}},
               {"title": "Paint", "starts_at": "2026-05-11T08:30:00-04:00"}],
    "customer_id": "12", "site_id": "7", "priority": "4", "extra": {"color": "red", "crew size": "2"},
    "hours_each": ["3", "5"],
}


def test_line_items_and_key_value_pairs_reach_the_api_as_python_sends_them(crew: Connector,
                                                                           crew_document: dict[str, Any]) -> None:
    """The line items as a plain list of objects, a list field's values as a list, the key/value
    pairs merged as a plain object, Basic auth with the token as both parts, the account in the
    path: the Python runtime's request."""
    with loopback_api(visits_answer) as api:
        base_url = api.base_url("/v1/acme")
        zapier_input = {**VISITS, "visits": [{**VISITS["visits"][0], "day": "2026-05-10T00:00:00+02:00"},
                                             VISITS["visits"][1]]}  # Zapier's date picker sends a date-time
        run = operation_run(crew, "create", crew.operation("create_visits"), zapier_input,
                            base_url=base_url, api_key=TOKEN, clock_ms=0)
        assert run.inputData["visits"][0]["contact__email"] == "a@example.com"
        result = run_in_zapier(crew_document, [run])["create"]
        with Client(crew, connection={"api_token": TOKEN}, base_url=base_url) as client:
            python = client.run("create_visits", VISITS)
        zapier_seen, python_seen = api.seen
    assert (zapier_seen.method, zapier_seen.path, zapier_seen.body) == (
        python_seen.method, python_seen.path, python_seen.body)
    assert zapier_seen.path == "/v1/acme/visits.json"
    assert isinstance(zapier_seen.body["visits"], list) and zapier_seen.body["visits"][0]["title"] == "Fix the gate"
    assert zapier_seen.body["options"] == {"priority": 4, "color": "red", "crew size": "2"}
    assert zapier_seen.body["hours_each"] == [3, 5]
    basic = "Basic " + base64.b64encode(f"{TOKEN}:{TOKEN}".encode()).decode()
    assert zapier_seen.headers["authorization"] == python_seen.headers["authorization"] == basic
    assert result == {"status": "ok", "output": {"visits": python}}


def python_problems(crew: Connector, value: dict[str, Any]) -> list[tuple[str, str]]:
    with Client(crew, connection={"api_token": TOKEN}, base_url="http://127.0.0.1:9/v1/acme") as client:
        with pytest.raises(InputValidationError) as refused:
            client.run("create_visits", value)
    return [(problem.field, problem.message) for problem in refused.value.problems]


REFUSED = {
    "item hours": {"visits": [{"title": "A"}, {"title": "B", "hours": "many"}]},
    "item title missing": {"visits": [{"title": "A"}, {"hours": 2}]},
    "item contact email": {"visits": [{"title": "A", "contact": {"email": "nope"}}]},
    "item date-time without an offset": {"visits": [{"title": "A", "starts_at": "2026-05-11T08:30:00"}]},
    "covered key": {"visits": [{"title": "A"}], "extra": {"priority": 9}},
    "no visits": {"visits": []},
}


def test_refused_input_names_each_field_where_the_form_shows_it(crew: Connector,
                                                                crew_document: dict[str, Any]) -> None:
    """A line item's field by its index and key (`visits[1].hours`), a key/value entry after a dot
    (`extra.priority`); the rule texts are the runtimes'; nothing is sent."""
    schema = crew.operation("create_visits").input
    with loopback_api(visits_answer) as api:
        runs = [operation_run(crew, name, crew.operation("create_visits"), value, base_url=api.base_url("/v1/acme"),
                              api_key=TOKEN, clock_ms=0) for name, value in REFUSED.items()]
        results = run_in_zapier(crew_document, runs)
        assert api.seen == []
    for name, value in REFUSED.items():
        error = results[name]["error"]
        assert error["type"] == "InputValidationError", (name, error)
        for field, message in python_problems(crew, value):
            assert f"({shown_field(schema, field)}) {message}" in error["message"], (name, error)
    assert "Hours (visits[1].hours)" in results["item hours"]["error"]["message"]
    assert "Extra Fields (extra.priority) is set by its own field" in results["covered key"]["error"]["message"]


def test_the_dropdown_reads_the_forms_current_values(crew: Connector, crew_document: dict[str, Any]) -> None:
    """Zapier runs the hidden trigger with the form's values in inputData: the source takes those
    its input declares (customer_id, as the text Zapier sends), and refuses without them, sending nothing."""
    form = {"customer_id": "12", "site_id": "", "visits": [{"title": "A"}], "priority": "1"}
    with loopback_api(visits_answer) as api:
        auth = auth_data(crew, api.base_url("/v1/acme"), TOKEN)
        results = run_in_zapier(crew_document, [ZapierRun("with", options_method("sites"), auth, form, 0),
                                                ZapierRun("without", options_method("sites"), auth, {"site_id": ""}, 0)])
        assert api.paths() == ["/v1/acme/sites.json?customer_id=12"]
    assert results["with"] == {"status": "ok", "output": [{"id": 7, "label": "Main Street"},
                                                          {"id": 8, "label": "Harbour"}]}
    error = results["without"]["error"]
    assert error["type"] == "InputValidationError" and "Customer ID (customer_id) is required" in error["message"]


def test_the_account_comes_from_the_base_url_and_its_pattern_is_enforced(crew: Connector,
                                                                          crew_document: dict[str, Any]) -> None:
    """The harness splits a URL into the template's fields; an account the pattern refuses is a
    connection error on Zapier too, with nothing sent."""
    with loopback_api(visits_answer) as api:
        auth = auth_data(crew, api.base_url("/v1/acme"), TOKEN)
        assert auth == {"api_token": TOKEN, "base_url": api.base_url("/v1"), "account": "acme"}
        method = method_path(crew.operation("test_connection"))
        results = run_in_zapier(crew_document, [ZapierRun("good", method, auth, {}, 0),
                                                ZapierRun("bad", method, {**auth, "account": "Acme Inc"}, {}, 0)])
        assert api.paths() == ["/v1/acme/visits.json"]
    assert results["good"]["status"] == "ok"
    assert results["bad"]["status"] == "error" and "account" in results["bad"]["error"]["message"]


def test_a_trigger_without_a_cursor_reads_the_whole_list_in_its_order(crew: Connector,
                                                                       crew_document: dict[str, Any]) -> None:
    """No since filter: a stateless poll cannot resume, so every poll reads the whole list, past
    max_pages, until a short page, in the order the API lists it; only WINDOW_BUDGET x max_pages
    requests stop an API that never sends a short page."""
    polling = crew.operation("new_visit").polling
    assert polling is not None
    size = polling.pagination.page_size

    def pages(total: int):
        def answer(request: Seen) -> tuple[int, Any, dict[str, str]]:
            page = int(parse_qs(urlsplit(request.path).query)["page"][0])
            first = (page - 1) * size + 1
            return 200, [{"id": number} for number in range(first, min(first + size, total + 1))], {}
        return answer

    method = method_path(crew.operation("new_visit"))
    with loopback_api(pages(size + 1)) as api:
        short = run_in_zapier(crew_document, [ZapierRun("poll", method, auth_data(crew, api.base_url("/v1/acme"), TOKEN),
                                                        {}, None)])["poll"]
        assert len(api.seen) == 2
    assert short == {"status": "ok", "output": [{"id": number} for number in range(1, size + 2)]}
    whole = (polling.max_pages + 1) * size + 1  # past max_pages
    with loopback_api(pages(whole)) as api:
        listed = run_in_zapier(crew_document, [ZapierRun("poll", method, auth_data(crew, api.base_url("/v1/acme"), TOKEN),
                                                         {}, None)])["poll"]
        assert len(api.seen) == polling.max_pages + 2
    assert listed == {"status": "ok", "output": [{"id": number} for number in range(1, whole + 1)]}
    budget = WINDOW_BUDGET * polling.max_pages
    with loopback_api(pages(2 * budget * size)) as api:
        capped = run_in_zapier(crew_document, [ZapierRun("poll", method, auth_data(crew, api.base_url("/v1/acme"), TOKEN),
                                                         {}, None)])["poll"]
        assert len(api.seen) == budget
    assert capped == {"status": "ok", "output": [{"id": number} for number in range(1, budget * size + 1)]}


def test_the_report_shows_each_shape_as_the_zap_editor_does(crew_document: dict[str, Any]) -> None:
    """`connectors report` reads the form from the app: line items with their fields, key/value
    pairs, a list of values, and the field that reloads a dropdown."""
    fields = {field.key: field for field in preview.form(crew_document, "create_visits") or []}
    assert fields["visits"].kind == "line items of Title (required), Day, Starts At, Hours, Contact Email"
    assert fields["extra"].kind == "key/value pairs" and fields["hours_each"].kind == "integer list"
    assert fields["customer_id"].source == "reloads the dropdowns that read it"
    assert fields["site_id"].source == "dynamic: list_sites.id.label"


def _create_fields(definition: Definition) -> list[dict[str, Any]]:
    return definition["creates"]["create_visits"]["operation"]["inputFields"]


def _no_reload(definition: Definition) -> None:
    del by_key(_create_fields(definition))["customer_id"]["altersDynamicFields"]


def _read_after_dropdown(definition: Definition) -> None:
    fields = _create_fields(definition)
    fields.append(fields.pop([field["key"] for field in fields].index("customer_id")))


def _child_repeats_label(definition: Definition) -> None:
    by_key(by_key(_create_fields(definition))["visits"]["children"])["hours"]["helpText"] = "The hours."


def _required_child_last(definition: Definition) -> None:
    children = by_key(_create_fields(definition))["visits"]["children"]
    children.append(children.pop(0))


BREAKS = {
    "no reload": (_no_reload, "creates.create_visits: field 'customer_id': the dropdown 'site_id' reads it, but"),
    "read after": (_read_after_dropdown, "creates.create_visits: field 'customer_id' comes after the dropdown 'site_id'"),
    "child D011": (_child_repeats_label, "creates.create_visits: D011 field 'hours': the help text 'The hours.'"),
    "child order": (_required_child_last, "creates.create_visits: required field 'title' comes after an optional one"),
}


@pytest.mark.parametrize("name", BREAKS)
def test_the_checklist_fails_a_broken_dropdown_or_line_item(name: str, crew: Connector,
                                                            crew_definition: Definition) -> None:
    breaking, expected = BREAKS[name]
    broken = json.loads(json.dumps(crew_definition))
    breaking(broken)
    problems = checklist_problems(crew, broken)
    assert any(problem.startswith(expected) for problem in problems), problems
