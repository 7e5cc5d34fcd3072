"""What the Make app of the Hellotracks spec contains, derived from the spec."""

from __future__ import annotations

import json
import re

import pytest

from connector_core.document import runtime_document
from connector_core.platforms import platform
from connector_core.spec.models import RequestMapping
from make_blueprints import communication
from make_blueprints.parameters import NO_LONE_SURROGATE, date_pattern, input_parameters
from make_blueprints.render import MakeError, module_input
from make_blueprints.unsupported import Unsupported
from tests.make.conftest import load

MODULES = {  # name: (label, moduleType, actionCrud)
    "newJob": ("Watch New Jobs", "trigger", None),
    "updatedJob": ("Watch Updated Jobs", "trigger", None),
    "completedJob": ("Watch Completed Jobs", "trigger", None),
    "createJob": ("Create Job", "action", "create"),
    "updateJob": ("Update Job", "action", "update"),
    "archiveJob": ("Archive Job", "action", "update"),
    "deleteJob": ("Delete Job", "action", "delete"),
    "getJob": ("Get Job", "action", "read"),
    "findJob": ("Find Job", "search", None),
    "findMember": ("Find Member", "search", None),
}


def _module(files, name, code):
    return load(files, load(files, "makecomapp.json")["components"]["module"][name]["codeFiles"][code])


def test_the_plugin_generates_from_the_document_byte_identically_and_checks_what_it_wrote(hellotracks, tmp_path):
    make = platform("make")
    document = runtime_document(hellotracks)
    files = make.generate(document)
    assert files == make.generate(json.loads(json.dumps(document)))
    assert make.order == 30 and make.directory(document) == "hellotracks"
    folder = tmp_path / make.directory(document)
    for path, text in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text, encoding="utf-8")
    assert make.check(document, folder) == []
    communication = folder / "modules/get-job/get-job.communication.iml.json"
    communication.write_text(communication.read_text().replace('"GET"', '"FETCH"'), encoding="utf-8")
    (folder / "modules/stray.iml.json").write_text("{}", encoding="utf-8")
    found = make.check(document, folder)
    assert any(problem.startswith("modules/get-job/get-job.communication.iml.json at ") for problem in found)
    assert "modules/get-job/get-job.communication.iml.json: differs from what the document generates (stale build?)" in found
    assert "modules/stray.iml.json: not generated from the document" in found
    assert make.check(document, tmp_path / "nothing") == [f"{tmp_path / 'nothing'}: no makecomapp.json (run `connectors build`)"]


def test_modules_follow_the_operation_kinds(app_files):
    manifest = load(app_files, "makecomapp.json")
    modules = manifest["components"]["module"]
    assert {name: (m["label"], m["moduleType"], m.get("actionCrud")) for name, m in modules.items()} == MODULES
    assert all(m["connection"] == "hellotracks" for m in modules.values())
    assert manifest["components"]["connection"]["hellotracks"]["connectionType"] == "basic"
    triggers = [name for name, m in modules.items() if m["moduleType"] == "trigger"]
    assert all("epoch" in modules[name]["codeFiles"] for name in triggers)
    assert not any("epoch" in m["codeFiles"] for name, m in modules.items() if name not in triggers)


def test_update_sends_patch_with_the_id_in_the_body_never_in_the_url(app_files):
    communication = _module(app_files, "updateJob", "communication")
    assert (communication["method"], communication["url"]) == ("PATCH", "/jobs")
    assert communication["body"]["id"] == "{{parameters.id}}"
    assert "{{" not in communication["url"]


def test_path_values_are_encoded_as_one_segment_and_make_sends_the_url_as_rendered(app_files):
    for name in ("getJob", "archiveJob", "deleteJob"):
        communication = _module(app_files, name, "communication")
        assert communication["url"].startswith("/jobs/{{replace(") and "encodeURL(parameters.id)" in communication["url"]
        assert communication["encodeUrl"] is False


@pytest.mark.parametrize("value", [".", "..", "%2e", "%2E%2e", ".%2E", "%252e", "%25252E%2e"])
def test_a_path_input_that_is_a_dot_segment_is_refused_by_makes_own_validation(app_files, value):
    params = _module(app_files, "getJob", "mappableParams")
    with pytest.raises(MakeError) as refused:
        module_input(params, {"id": value})
    assert refused.value.fields == ["id"]


@pytest.mark.parametrize("value", ["...", "a.b", "%2e%2e%2e", ".a", "%2f"])
def test_other_dotted_path_inputs_pass(app_files, value):
    assert module_input(_module(app_files, "getJob", "mappableParams"), {"id": value}) == {"id": value}


@pytest.mark.parametrize("schema, key", [
    ({"properties": {"n": {"type": "integer", "multipleOf": 2}}}, "input n: multipleOf"),
    ({"properties": {"d": {"type": "string", "format": "uri"}}}, "input d: format"),
    ({"properties": {"x": {"type": ["string", "integer"]}}}, "input x"),
    ({"properties": {"o": {"type": "object", "additionalProperties": True}}}, "input o: additionalProperties"),
    ({"properties": {"u": {}}}, "input u"),
])
def test_an_input_keyword_make_cannot_check_refuses_the_build_naming_operation_and_key(schema, key):
    with pytest.raises(Unsupported) as refused:
        input_parameters({"type": "object", **schema}, {}, "operation create_item")
    assert str(refused.value).startswith(f"Make cannot express operation create_item: {key}")


def test_mappable_parameters_come_from_the_input_schema(app_files):
    params = {p["name"]: p for p in _module(app_files, "createJob", "mappableParams")}
    assert params["title"] == {"name": "title", "label": "Title", "required": True, "help": "Job title.",
                               "type": "text", "validate": {"pattern": "^" + NO_LONE_SURROGATE, "min": 1}}
    assert params["priority"]["type"] == "integer" and params["priority"]["validate"] == {"min": 0, "max": 10}
    assert params["date"]["validate"]["pattern"] == rf"^{NO_LONE_SURROGATE}[\s\S]*?(?:{date_pattern(True)})"
    assert params["date"]["type"] == "text"
    assert params["assigneeUsername"]["type"] == "select"
    assert params["assigneeUsername"]["options"] == "rpc://listMembers"
    contact = params["contact"]
    assert contact["type"] == "collection" and [p["name"] for p in contact["spec"]] == ["name", "phone", "email"]
    assert contact["spec"][2]["type"] == "email" and not params["notes"]["required"]
    body = _module(app_files, "createJob", "communication")["body"]
    assert body["contact"] == "{{parameters.contact}}" and body["title"] == "{{parameters.title}}"


def test_interface_and_samples_come_from_the_output_schema(app_files, hellotracks):
    interface = {p["name"]: p for p in _module(app_files, "getJob", "interface")}
    assert interface["createdAt"] == {"name": "createdAt", "label": "Created At (epoch ms)", "type": "integer"}
    assert interface["assignee"]["type"] == "collection"
    assert _module(app_files, "findMember", "samples") == hellotracks.operation("find_member").sample


def test_searches_iterate_the_list_and_find_member_keeps_the_exact_match(app_files):
    assert _module(app_files, "findJob", "communication")["response"]["iterate"] == "{{body.data.items}}"
    iterate = _module(app_files, "findMember", "communication")["response"]["iterate"]
    assert iterate["container"] == "{{body.data.items}}"
    assert "lower(item.username) = lower(parameters.query)" in iterate["condition"]


def test_triggers_date_items_by_the_cursor_name_them_by_identity_and_ask_the_api_to_filter(app_files):
    completed = _module(app_files, "completedJob", "communication")
    assert completed["response"]["trigger"] == {"id": "{{item.id}}", "type": "date",
                                                "date": "{{parseDate(item.updatedAt, 'x')}}", "order": "unordered"}
    assert completed["qs"]["progress"] == "success"
    assert completed["response"]["iterate"] == "{{body.data.items}}"
    assert completed["response"]["limit"] == 3200
    assert completed["pagination"]["condition"] == "{{length(body.data.items) >= 100 and pagination.page < 32}}"
    assert completed["qs"]["updatedSince"] == ("{{max(0, parseNumber(formatDate(addSeconds(ifempty(data.lastDate, "
                                               "addSeconds(now, -900)), -300), 'x'), '.'))}}")


def test_the_epoch_lists_the_widest_recent_window(app_files):
    epoch = _module(app_files, "newJob", "epoch")
    assert epoch["qs"] == {"createdSince": "{{formatDate(addSeconds(now, -604800), 'x')}}"}
    assert epoch["response"]["output"] == {"label": "{{item.title}}", "date": "{{parseDate(item.createdAt, 'x')}}"}


def test_the_connection_checks_the_key_and_is_labelled_with_the_company(app_files):
    params = load(app_files, "connections/hellotracks/hellotracks.params.iml.json")
    assert [(p["name"], p["type"], p["required"], p.get("default")) for p in params] == [
        ("apiKey", "password", True, None), ("baseUrl", "text", False, "https://api.hellotracks.com/v1")]
    communication = load(app_files, "connections/hellotracks/hellotracks.communication.iml.json")
    assert communication["url"].endswith("/auth/whoami")
    assert communication["headers"]["API-Key"] == "{{parameters.apiKey}}"
    assert communication["response"]["metadata"] == {"type": "text", "value": "{{body.data.company.name}}"}


def test_the_base_sends_the_key_types_errors_and_sanitises_logs(app_files):
    base = load(app_files, "general/base.iml.json")
    assert base["headers"]["API-Key"] == "{{connection.apiKey}}"
    assert base["baseUrl"] == "{{ifempty(connection.baseUrl, 'https://api.hellotracks.com/v1')}}"
    error = base["response"]["error"]
    assert "body.error.message" in error["message"]
    assert {status: error[status]["type"] for status in ("401", "403", "429", "500", "503")} == {
        "401": "InvalidAccessTokenError", "403": "InvalidAccessTokenError", "429": "RateLimitError",
        "500": "ConnectionError", "503": "ConnectionError"}
    assert "request.headers.API-Key" in base["log"]["sanitize"]


def test_no_file_holds_a_credential(app_files):
    """The key only ever appears as a reference to the user's connection."""
    for path, text in app_files.items():
        assert not re.search(r"API-Key\"\s*:\s*\"(?!\{\{(connection|parameters)\.apiKey\}\})", text), path
        assert "replay-key" not in text and "HELLOTRACKS_API_KEY" not in text


def test_the_rpc_lists_members_for_the_dropdown(app_files):
    communication = load(app_files, "rpcs/list-members/list-members.communication.iml.json")
    assert (communication["url"], communication["qs"]) == ("/members", {"max": 50})
    assert communication["response"]["output"] == {"label": "{{item.name}}", "value": "{{item.username}}"}


def test_blueprints_chain_the_apps_modules(app_files):
    blueprints = {path: json.loads(text) for path, text in app_files.items() if path.startswith("blueprints/")}
    flows = {bp["name"]: [(step["module"], step["mapper"]) for step in bp["flow"]] for bp in blueprints.values()}
    assert flows == {
        "Completed Job: Find Member for its Assignee Username": [
            ("hellotracks:completedJob", {}), ("hellotracks:findMember", {"query": "{{1.assigneeUsername}}"})],
        "Completed Job: Archive Job": [("hellotracks:completedJob", {}), ("hellotracks:archiveJob", {"id": "{{1.id}}"})],
    }
    assert all(step["parameters"] == {"__IMTCONN__": None} for bp in blueprints.values() for step in bp["flow"])


def test_the_readme_explains_deployment(app_files):
    readme = app_files["README.md"]
    assert "Deploy to Make" in readme and ".secrets/apikey" in readme and "Import Blueprint" in readme


def test_an_array_sent_in_the_query_refuses_the_build_naming_operation_and_param():
    mapping = RequestMapping.model_validate({"method": "GET", "path": "/x", "params": [{"in": "query", "name": "tags"}]})
    schema = {"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}}}}
    with pytest.raises(Unsupported, match="operation list_tags: request.params query:tags: an array input"):
        communication.request(mapping, schema, where="operation list_tags")
