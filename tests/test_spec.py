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
         "at id: format 'uuid' is not supported (supported: date, email)"),
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
    assert page_query(polling, 5, 0) == {"created_since": 5, "per_page": 2, "page": 1}
    assert page_query(polling, 5, 2)["page"] == 2  # skip 2 at 2 a page: the second page
    assert page_query(polling, 5, 3)["page"] == 2  # a skip inside a page asks for that page


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
