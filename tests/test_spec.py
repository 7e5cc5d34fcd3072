"""The spec language: the Hellotracks spec loads as the contract says, wrong specs fail clearly."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import httpx
import pytest
import yaml

from connector_core.runtime import ConnectionSettings
from connector_core.runtime.polling import page_query
from connector_core.runtime.request import build_request
from connector_core.spec import SpecError, load_spec
from connector_core.spec.loader import spec_path
from tests.conftest import FIXTURES

# The behaviour table of the API documentation: each row is declared as the API defines it. The spec
# may declare more operations (another view of the same endpoints, such as a list), never fewer.
CONTRACT = {
    "test_connection": ("test", "GET", "/auth/whoami"),
    "new_job": ("trigger", "GET", "/jobs"),
    "updated_job": ("trigger", "GET", "/jobs"),
    "completed_job": ("trigger", "GET", "/jobs"),
    "create_job": ("action", "POST", "/jobs"),
    "update_job": ("action", "PATCH", "/jobs"),
    "archive_job": ("action", "POST", "/jobs/{id}/archive"),
    "delete_job": ("action", "DELETE", "/jobs/{id}"),
    "find_job": ("search", "GET", "/jobs"),
    "find_member": ("search", "GET", "/members"),
    "get_job": ("search", "GET", "/jobs/{id}"),
}


def test_hellotracks_declares_every_row_of_the_behaviour_table(hellotracks):
    declared = {key: (op.kind, op.request.method, op.request.path) for key, op in hellotracks.operations.items()}
    assert {key: declared.get(key) for key in CONTRACT} == CONTRACT


def test_polling_semantics_follow_the_contract(hellotracks):
    new, updated, completed = (hellotracks.operation(k) for k in ("new_job", "updated_job", "completed_job"))
    assert (new.polling.cursor.param, new.polling.cursor.field) == ("createdSince", "createdAt")
    assert (updated.polling.cursor.param, updated.polling.cursor.field) == ("updatedSince", "updatedAt")
    assert (new.polling.cursor.kind, updated.polling.cursor.kind, completed.polling.cursor.kind) == (
        "created", "updated", "updated")
    assert new.polling.dedupe_key == completed.polling.dedupe_key == ["id"]
    assert updated.polling.dedupe_key == ["id", "updatedAt"] and updated.polling.fingerprint
    assert updated.polling.record_identity == ["id"]
    assert completed.polling.remember_ms == 30 * 24 * 3600 * 1000
    assert completed.response.filters == [] and {(p.name, p.value) for p in completed.request.params} == {
        ("includeArchived", True), ("progress", "success")}
    for trigger in (new, updated):
        assert {(p.name, p.value) for p in trigger.request.params} == {("includeArchived", True)}
    for trigger in (new, updated, completed):
        assert trigger.polling.pagination.page_size == 100
        assert trigger.polling.pagination.offset_param == "skip"


def test_update_sends_id_in_the_body_never_in_the_path(hellotracks):
    update = hellotracks.operation("update_job")
    assert update.request.path == "/jobs"
    assert ("body", "id") in {(p.location, p.name) for p in update.request.params}
    assert update.input["required"] == ["id"]


def test_validation_rules_are_in_the_input_schemas(hellotracks):
    create = hellotracks.operation("create_job").input
    assert create["required"] == ["title"]
    assert create["properties"]["priority"].items() >= {"type": "integer", "minimum": 0, "maximum": 10}.items()
    assert create["properties"]["date"]["format"] == "date"
    assert create["properties"]["contact"]["properties"]["email"]["format"] == "email"
    assert create["properties"]["timeWindow"]["properties"]["start"]["pattern"].startswith("^([01]")
    for key in ("update_job", "archive_job", "delete_job", "get_job"):
        assert "id" in hellotracks.operation(key).input["required"]


def _broken(tmp_path: Path, mutate) -> str:
    data = yaml.safe_load(spec_path("hellotracks").read_text())
    data = copy.deepcopy(data)
    mutate(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data))
    shutil.copy(spec_path("hellotracks").parent / data["logo"]["file"], tmp_path)
    with pytest.raises(SpecError) as raised:
        load_spec(path)
    return str(raised.value)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["operations"]["create_job"]["request"].update(verb="POST"),
         "operation 'create_job': request.verb: unknown key"),
        (lambda d: d["operations"]["archive_job"]["request"].update(path="/jobs/{jobId}/archive"),
         "has no 'path' param for ['jobId']"),
        (lambda d: d["operations"]["get_job"]["request"]["params"][0].update({"in": "cookie"}),
         "operation 'get_job': request.params.0.in"),
        (lambda d: d["operations"]["find_job"].pop("label"), "operation 'find_job': label: Field required"),
        (lambda d: d["operations"]["new_job"].pop("polling"),
         "'polling' is required for triggers and allowed only for them"),
        (lambda d: d["operations"]["new_job"]["polling"].update(fingerprint=True),
         "operation 'new_job': polling: polling.fingerprint must be false when polling.cursor.kind is"),
        (lambda d: d["operations"]["new_job"]["polling"].update(dedupe_key=["id", "createdAt"]),
         "polling.dedupe_key must equal polling.identity when polling.cursor.kind is 'created'"),
        (lambda d: d["operations"]["new_job"]["polling"]["cursor"].update(kind="deleted"),
         "operation 'new_job': polling.cursor.kind"),
        (lambda d: d["operations"]["completed_job"]["response"].update(
            filters=[{"field": "progress", "op": "eq", "value": "success"}]),
         "response.filters and response.match are not allowed on a trigger"),
        (lambda d: d["operations"]["create_job"]["request"]["params"].pop(),
         "input(s) ['placeId'] are declared but never sent or used"),
        (lambda d: d["operations"]["get_job"]["sample"].update(priority="high"),
         "sample does not match output schema at priority"),
        (lambda d: d["operations"]["get_job"]["input"].update(type="array"),
         "operation 'get_job': input: must be a JSON Schema with type 'object'"),
        (lambda d: d["connection"].update(test="nope"), "connection.test names unknown operation 'nope'"),
        (lambda d: d["operations"]["find_member"]["response"].update(extract="everything"),
         "operation 'find_member': response.extract"),
        (lambda d: d["operations"]["get_job"]["input"]["properties"]["id"].update(oneOf=[{"type": "string"}]),
         "operation 'get_job': input: at id: JSON Schema keyword 'oneOf' is not supported"),
        (lambda d: d["operations"]["get_job"]["output"]["properties"]["id"].update(const="j1"),
         "operation 'get_job': output: at id: JSON Schema keyword 'const' is not supported"),
        (lambda d: d["operations"]["get_job"]["input"]["properties"]["id"].update(format="uuid"),
         "at id: format 'uuid' is not supported (supported: date, email, date-time)"),
        (lambda d: d["operations"]["get_job"]["input"].update(additionalProperties={"type": "string"}),
         "at (root): 'additionalProperties' must be true or false"),
        (lambda d: d["operations"]["create_job"]["request"].update(idempotent_with=["externalID"]),
         "request.idempotent_with names input(s) ['externalID'] that the input schema does not declare"),
        (lambda d: d["retry"].update(jitter=1.5), "retry.jitter: Input should be less than or equal to 1"),
        (lambda d: d.update(limits={"deadline": 0}), "limits.deadline: Input should be greater than 0"),
        (lambda d: d.update(limits={"max_response_bytes": 0}),
         "limits.max_response_bytes: Input should be greater than or equal to 1"),
    ],
)
def test_a_wrong_spec_names_the_file_the_operation_and_the_key(tmp_path, mutate, expected):
    message = _broken(tmp_path, mutate)
    assert "broken.yaml" in message
    assert expected in message


def test_a_spec_that_is_not_yaml_names_the_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: [unclosed")
    with pytest.raises(SpecError, match="bad.yaml: not valid YAML"):
        load_spec(path)


def test_a_second_api_with_basic_auth_slug_envelope_and_page_numbers_fits_the_language():
    kickserv = load_spec(FIXTURES / "kickserv_tasks.yaml")
    settings = ConnectionSettings(kickserv, {"api_token": "tok", "account_slug": "acme"}, env={})
    request = build_request(kickserv.operation("update_task").request, {"id": 7, "description": "Fix"}, settings)
    assert str(request.url) == "https://app.kickserv.com/acme/tasks/7.json"
    assert request.method == "PUT"
    assert request.content == b'{"task":{"description":"Fix"}}'
    assert request.headers["Authorization"] == "Basic " + "dG9rOnRvaw=="  # tok:tok
    polling = kickserv.operation("new_task").polling
    assert page_query(polling, 5, 0) == [("query", "created_since", 5), ("query", "per_page", 2), ("query", "page", 1)]
    assert page_query(polling, 5, 2)[-1] == ("query", "page", 2)  # skip 2 at 2 a page: the second page
    assert page_query(polling, 5, 3)[-1] == ("query", "page", 2)  # a skip inside a page asks for that page


def test_connection_values_come_from_arguments_then_environment_then_defaults(hellotracks):
    settings = ConnectionSettings(hellotracks, env={"HELLOTRACKS_API_KEY": "from-env"})
    assert settings.headers()["API-Key"] == "from-env"
    assert settings.base_url == "https://api.hellotracks.com/v1"
    assert ConnectionSettings(hellotracks, {"api_key": "arg"}, env={"HELLOTRACKS_API_KEY": "env"}).secrets == ["arg"]
    with pytest.raises(Exception, match='"api_key" is required .or set HELLOTRACKS_API_KEY'):
        ConnectionSettings(hellotracks, env={})
    qa = ConnectionSettings(hellotracks, {"api_key": "k", "base_url": "https://qa.hellotracks.com/v1/"}, env={})
    assert qa.base_url == "https://qa.hellotracks.com/v1"
    assert isinstance(build_request(hellotracks.operation("test_connection").request, {}, qa), httpx.Request)


def test_a_connection_needs_a_secret_field(tmp_path):
    def no_secret(data):
        for field in data["connection"]["fields"]:
            field["secret"] = False

    assert "at least one field must be secret" in _broken(tmp_path, no_secret)


def test_the_assignee_dropdown_is_declared_once_for_every_platform(hellotracks):
    from connector_core.spec.models import options_annotations

    for key in ("create_job", "update_job"):
        annotated = dict(options_annotations(hellotracks.operation(key).input))
        assert annotated["assigneeUsername"] == "members"
        assert set(annotated) <= {"assigneeUsername", "id"}  # an update's job ID has its own source (jobs)
    members = hellotracks.option_source("members")
    assert (members.request.method, members.request.path, members.value, members.label_field) == (
        "GET", "/members", "username", "name")


def test_an_input_naming_an_unknown_option_source_is_refused(tmp_path):
    def unknown_source(data):
        data["definitions"]["job_fields"]["assigneeUsername"]["x-options"] = "people"

    assert "x-options 'people', which is not in option_sources" in _broken(tmp_path, unknown_source)


def test_find_job_pairs_with_create_job_for_search_or_create(hellotracks, tmp_path):
    assert hellotracks.operation("find_job").or_create == "create_job"
    message = _broken(tmp_path, lambda d: d["operations"]["find_member"].update(or_create="create_job"))
    assert "operation 'find_member': or_create action 'create_job' lacks input(s) ['query']" in message


# --- Issue #10 keys: each check broken once --------------------------------------------------------


def _params(data, key):
    return data["operations"][key]["request"]["params"]


def _add_param(key, param):
    def mutate(data):
        request = data["operations"][key]["request"]
        request["params"] = [*copy.deepcopy(request["params"]), param]  # the list is shared with another operation
    return mutate


def _add_input(key, name, schema):
    def mutate(data):
        operation = data["operations"][key]
        operation["input"] = copy.deepcopy(operation["input"])
        operation["input"]["properties"][name] = schema
    return mutate


def _both(*mutations):
    def mutate(data):
        for mutation in mutations:
            mutation(data)
    return mutate


_JOBS_INPUT = {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["title"], "properties": {
    "title": {"type": "string"}, "date": {"type": "string", "format": "date"}}}}
_FREE = {"type": "object", "additionalProperties": True}
_PAGES = {"style": "page", "page_param": "page", "size_param": "per_page", "page_size": 100}
_STATUS = {"field": "status", "codes": [{"code": -1, "message": "format error"}]}


def _polling(**changes):
    def mutate(data):
        polling = data["operations"]["new_job"]["polling"] = copy.deepcopy(data["operations"]["new_job"]["polling"])
        for key, value in changes.items():
            if value is None:
                polling.pop(key, None)
            else:
                polling[key] = value
    return mutate


def _jobs_source_input(data):
    data["option_sources"]["jobs"]["input"] = {
        "type": "object", "required": ["customer"], "properties": {"customer": {"type": "string"}}}
    data["option_sources"]["jobs"]["request"]["params"] = [{"in": "query", "name": "customer"}]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (_add_param("create_job", {"in": "body", "name": "day", "input": "title", "transform": "date_number"}),
         "operation 'create_job': (operation): param 'day': transform 'date_number' reads an "
         "input of type 'string' with format 'date'; input 'title' is not"),
        (_add_param("create_job", {"in": "body", "name": "from", "input": "date", "transform": "next_week"}),
         "transform: Input should be 'date_number', 'time_number', 'boolean_number' or 'next_day'"),
        (_add_param("create_job", {"in": "body", "name": "level", "input": "priority", "transform": "time_number"}),
         "transform 'time_number' reads an input of type 'string'; input 'priority' is not"),
        (_add_param("create_job", {"in": "body", "name": "flag", "input": "title", "transform": "boolean_number"}),
         "transform 'boolean_number' reads an input of type 'boolean'; input 'title' is not"),
        (_add_param("create_job", {"in": "body", "name": "mode", "value": 1, "default": 2}),
         "param 'mode': 'default' shapes an input value; a constant 'value' has none"),
        (_add_param("create_job", {"in": "query", "name": "data", "value": {}}),
         "param 'data': the only object constant is {}, in the body"),
        (_add_param("create_job", {"in": "body", "name": "data", "value": {"a": 1}}),
         "param 'data': the only object constant is {}, in the body"),
        (_add_param("create_job", {"in": "body", "name": "mode", "input": "title", "when": "notes"}),
         "param 'mode': 'when' goes with a constant 'value'"),
        (_add_param("create_job", {"in": "query", "name": "mapping", "value": True, "when": "employee"}),
         "operation 'create_job': (operation): request reads input(s) ['employee'] that the input schema does not "
         "declare"),
        (_add_param("create_job", {"in": "body", "name": "day", "input": "date", "transform": "date_number",
                                   "map": {"x": 1}}),
         "param 'day': 'map' and 'transform' cannot be combined"),
        (_add_param("create_job", {"in": "body", "name": "rank", "input": "title", "map": {}}),
         "param 'rank': 'map' needs at least one key, and no empty key"),
        (_add_param("create_job", {"in": "body", "name": "0.title", "input": "title"}),
         "body param name '0.title' must be a dotted path"),
        (_add_param("create_job", {"in": "query", "name": "jobs", "items": [{"name": "title"}]}),
         "param 'jobs': 'items' and 'merge' are for body params"),
        (_add_param("create_job", {"in": "body", "name": "jobs", "input": "title", "items": [{"name": "title"}]}),
         "param 'jobs': 'items' reads an input of type 'array' whose items are objects; input 'title' is not"),
        (_both(_add_input("create_job", "jobs", _JOBS_INPUT),
               _add_param("create_job", {"in": "body", "name": "jobs", "input": "jobs", "items": [
                   {"name": "title"}, {"name": "day", "input": "date"}, {"name": "when", "input": "time"}]})),
         "item params read input(s) ['jobs[].time'] that the item schema does not declare"),
        (_both(_add_input("create_job", "jobs", _JOBS_INPUT),
               _add_param("create_job", {"in": "body", "name": "jobs", "input": "jobs", "items": [{"name": "title"}]})),
         "param 'jobs': items of 'jobs': input(s) ['date'] are declared but never sent or used"),
        (_both(_add_input("create_job", "jobs", _JOBS_INPUT),
               _add_param("create_job", {"in": "body", "name": "jobs", "input": "jobs", "items": [
                   {"name": "title"}, {"name": "date", "transform": "boolean_number"}]})),
         "transform 'boolean_number' reads an input of type 'boolean'; input 'jobs[].date' is not"),
        (_both(_add_input("create_job", "jobs", _JOBS_INPUT),
               _add_param("create_job", {"in": "body", "name": "jobs", "items": [
                   {"name": "title", "in": "query"}, {"name": "date"}]})),
         "param 'jobs': item param 'title' is placed in the item (no 'in', 'items', 'merge' or 'when')"),
        (_add_param("create_job", {"in": "body", "name": "jobs", "items": [{"name": "title"}, {"name": "nope"}]}),
         "request reads input(s) ['nope'] that the input schema does not declare"),
        (_add_param("create_job", {"in": "body", "name": "extra", "input": "title", "merge": True}),
         "param 'extra': 'merge' reads an input of type 'object' with additionalProperties true; input 'title' is not"),
        (_both(_add_input("create_job", "extra", _FREE),
               _add_param("create_job", {"in": "query", "name": "extra", "merge": True})),
         "param 'extra': 'items' and 'merge' are for body params"),
        (_add_input("create_job", "startsAt", {"type": "integer", "format": "date-time"}),
         "operation 'create_job': input: at startsAt: format 'date-time' on an input needs type 'string'"),
        (lambda d: d["operations"]["get_job"]["output"]["properties"]["id"].update(format="date-time"),
         "operation 'get_job': output: at id: format 'date-time' is only for a property derived with 'x-timestamp'"),
        (lambda d: d["connection"]["fields"][0].update(pattern="^[a-"),
         "connection.fields.0.pattern: pattern '^[a-' is not a valid regular expression"),
        (lambda d: d["errors"].update(message=["errors", "error message"]),
         "errors.message: errors.message: 'error message' must be a dotted path"),
        (lambda d: d["errors"].update(body_status=_STATUS),
         "errors.body_status and errors.body_error cannot both be set"),
        (lambda d: d["errors"].update(body_error=None, body_status={**_STATUS, "ok": [0, -1]}),
         "body_status.codes: [-1] are in body_status.ok (success, not an error)"),
        (lambda d: d["errors"].update(body_error=None, body_status={
            "field": "status", "codes": [{"code": -3, "message": "login", "kind": "fatal"}]}),
         "errors.body_status.codes.0.kind"),
        (lambda d: d["errors"].update(advice=[{"status": 504, "message": "ask for less"}, {"status": 504,
                                                                                            "message": "wait"}]),
         "errors.advice: a status is listed twice: [504, 504]"),
        (lambda d: d["operations"]["create_job"]["request"].update(pagination=_PAGES),
         "operation 'create_job': (operation): request.pagination is only for a search or list that extracts 'items'"),
        (lambda d: d["operations"]["new_job"]["request"].update(pagination=_PAGES),
         "operation 'new_job': (operation): request.pagination is only for a search or list"),
        (lambda d: d["operations"]["find_job"]["request"].update(pagination={**_PAGES, "page_param": "limit"}),
         "request.pagination sends ['limit'] in the query, which a request param also sends"),
        (lambda d: d["operations"]["find_job"]["request"].update(pagination={**_PAGES, "in": "body",
                                                                             "page_param": "page number"}),
         "'page number' must be a dotted body path, since 'in' is 'body'"),
        (lambda d: d["operations"]["find_job"]["request"].update(pagination={**_PAGES, "max_pages": 0}),
         "operation 'find_job': request.pagination.page.max_pages"),
        (lambda d: d["option_sources"]["jobs"]["request"].update(pagination=_PAGES),
         "option_sources.jobs: an option source reads one page"),
        (_polling(cursor={"param": "data from", "field": "createdAt", "kind": "created", "in": "body"}),
         "'data from' must be a dotted body path, since 'in' is 'body'"),
        (_polling(cursor={"param": "skip", "field": "createdAt", "kind": "created"}),
         "polling.cursor.param 'skip' is also a paging param"),
        (_polling(pagination={"style": "offset", "offset_param": "includeArchived", "limit_param": "limit",
                              "page_size": 100}),
         "polling.pagination sends ['includeArchived'] in the query, which a request param also sends"),
        (_polling(cursor=None), "polling.lookback_ms needs a cursor: without one, every poll walks the list"),
        (_polling(cursor=None, lookback_ms=None, initial_window_ms=None, dedupe_key=["id", "updatedAt"]),
         "polling.dedupe_key must equal polling.identity when polling has no cursor"),
        (_polling(initial_window_ms=None),
         "polling.lookback_ms and polling.initial_window_ms are required with a cursor"),
        (lambda d: d["option_sources"]["jobs"]["request"]["params"].append({"in": "query", "name": "customer"}),
         "option_sources.jobs: request reads input(s) ['customer'] that the input schema does not declare"),
        (lambda d: d["option_sources"]["jobs"].update(input={"type": "object", "properties": {
            "customer": {"type": "string"}}}),
         "option_sources.jobs: input(s) ['customer'] are declared but never sent or used"),
        (_jobs_source_input,
         "input id has x-options 'jobs', which reads input(s) ['customer']: declare them "
         "at the top level of the operation's input"),
    ],
)
def test_each_issue_10_rule_broken_names_the_operation_and_the_key(tmp_path, mutate, expected):
    assert expected in _broken(tmp_path, mutate)


def _loaded(tmp_path: Path, mutate):
    data = copy.deepcopy(yaml.safe_load(spec_path("hellotracks").read_text()))
    mutate(data)
    path = tmp_path / "ok.yaml"
    path.write_text(yaml.safe_dump(data))
    shutil.copy(spec_path("hellotracks").parent / data["logo"]["file"], tmp_path)
    return load_spec(path)


def test_the_issue_10_keys_load_and_read_back_from_the_runtime_document(tmp_path):
    from connector_core.document import connector_from_document, runtime_document

    def rich(data):
        _add_input("create_job", "jobs", _JOBS_INPUT)(data)
        _add_input("create_job", "extra", _FREE)(data)
        _add_input("create_job", "startsAt", {"type": "string", "format": "date-time"})(data)
        _add_input("create_job", "urgent", {"type": "boolean"})(data)
        for param in ({"in": "body", "name": "jobs", "input": "jobs", "items": [
                          {"name": "title"}, {"name": "day", "input": "date", "transform": "date_number"}]},
                      {"in": "body", "name": "own", "items": [{"name": "title"}, {"name": "kind", "value": 1}]},
                      {"in": "body", "name": "single.0.title", "input": "title"},
                      {"in": "body", "name": "meta", "value": {}},
                      {"in": "body", "name": "fields", "input": "extra", "merge": True},
                      {"in": "body", "name": "startsAt"},
                      {"in": "body", "name": "urgent", "transform": "boolean_number", "default": 0},
                      {"in": "query", "name": "mapping", "value": True, "when": "startsAt"},
                      {"in": "body", "name": "rank", "input": "priority", "map": {"10": "top"}},
                      {"in": "body", "name": "until", "input": "date", "transform": "next_day"},
                      {"in": "body", "name": "window", "input": "timeWindow.start", "transform": "time_number"}):
            _add_param("create_job", param)(data)
        data["connection"]["fields"][0]["pattern"] = "^[A-Za-z0-9_-]+$"
        data["errors"].update(message=["error.message", "errors"], body_error=None,
                              advice=[{"status": 504, "message": "ask for less"}],
                              body_status={**_STATUS, "codes": [{"code": -7, "message": "not ready",
                                                                 "kind": "temporary"}]})
        data["operations"]["find_job"]["request"]["pagination"] = {**_PAGES, "max_pages": 3}
        _jobs_source_input(data)
        for key in ("update_job", "archive_job", "delete_job", "get_job"):
            _add_input(key, "customer", {"type": "string"})(data)  # read only by the jobs dropdown: counts as used
        _polling(cursor=None, lookback_ms=None, initial_window_ms=None, pagination={**_PAGES, "in": "body"})(data)

    connector = _loaded(tmp_path, rich)
    create = connector.operation("create_job").request
    jobs, own = (next(param for param in create.params if param.name == name) for name in ("jobs", "own"))
    assert not jobs.lists_own_input and [(item.location, item.name, item.transform) for item in jobs.items] == [
        ("body", "title", None), ("body", "day", "date_number")]
    assert own.lists_own_input and own.input is None
    assert connector.errors.message_paths == ["error.message", "errors"]
    assert connector.errors.body_status.ok == [0] and connector.errors.body_status.codes[0].kind == "temporary"
    assert connector.operation("find_job").request.pagination.max_pages == 3
    polling = connector.operation("new_job").polling
    assert polling.cursor is None and polling.pagination.location == "body"
    assert connector.option_source("jobs").input["required"] == ["customer"]
    document = runtime_document(connector)
    assert document["operations"]["create_job"]["request"]["params"][-1]["transform"] == "time_number"
    assert connector_from_document(document) == connector


def test_the_new_keys_default_to_todays_behaviour(hellotracks):
    create = hellotracks.operation("create_job")
    assert all(param.transform is None and param.default is None and param.map is None and param.when is None
               and param.items is None and not param.merge for param in create.request.params)
    assert hellotracks.errors.message_paths == ["error.message"] and hellotracks.errors.advice == []
    assert hellotracks.errors.body_status is None and hellotracks.connection.fields[0].pattern is None
    assert all(op.request.pagination is None for op in hellotracks.operations.values())
    polling = hellotracks.operation("new_job").polling
    assert (polling.cursor.location, polling.pagination.location) == ("query", "query")
    assert hellotracks.option_source("members").input == {"type": "object", "properties": {}}
