"""What the Make app of the Hellotracks spec contains, derived from the spec."""

from __future__ import annotations

import json
import re

import pytest

from connector_core.build import write_folder
from connector_core.document import runtime_document
from connector_core.platforms import platform
from connector_core.spec.models import RequestMapping
from make_blueprints import communication
from make_blueprints.components import GeneratedApp
from make_blueprints.approximations import FINGERPRINT, REMEMBERED_IDS
from make_blueprints.names import module_name
from make_blueprints.offer import declined, declined_operations
from make_blueprints.parameters import NO_LONE_SURROGATE, date_pattern, input_parameters
from make_blueprints.render import MakeError, Reply, module_input, run_call
from make_blueprints.unsupported import Unsupported
from tests.make.conftest import load

MODULE_TYPES = {"trigger": "trigger", "action": "action", "search": "search", "list": "search"}
# Make's own examples of its labels, for operations of the Hellotracks spec.
LABELS = {"create_job": "Create a job", "new_job": "Watch new jobs", "find_job": "Search jobs",
          "get_job": "Find a job by ID", "list_jobs": "List jobs", "delete_job": "Delete a job"}


def _offered(connector):
    """The operations that are modules: not the connection test, nor what Make does not offer."""
    return [op for op in connector.operations.values() if op.kind != "test" and declined(op) is None]


def _module(files, name, code):
    return load(files, load(files, "makecomapp.json")["components"]["module"][name]["codeFiles"][code])


def test_the_plugin_generates_from_the_document_byte_identically_and_checks_what_it_wrote(hellotracks, tmp_path):
    make = platform("make")
    document = runtime_document(hellotracks)
    files = make.generate(document)
    assert files == make.generate(json.loads(json.dumps(document)))
    assert make.order == 30 and make.directory(document) == "hellotracks"
    folder = tmp_path / make.directory(document)
    write_folder(folder, files)
    assert make.check(document, folder) == []
    communication = folder / "modules/get-job/get-job.communication.iml.json"
    communication.write_text(communication.read_text().replace('"GET"', '"FETCH"'), encoding="utf-8")
    (folder / "modules/stray.iml.json").write_text("{}", encoding="utf-8")
    found = make.check(document, folder)
    assert any(problem.startswith("modules/get-job/get-job.communication.iml.json at ") for problem in found)
    assert "modules/get-job/get-job.communication.iml.json: differs from what the document generates (stale build?)" in found
    assert "modules/stray.iml.json: not generated from the document" in found
    assert make.check(document, tmp_path / "nothing") == [f"{tmp_path / 'nothing'}: no makecomapp.json (run `connectors build`)"]


def test_modules_follow_the_operation_kinds(app_files, hellotracks):
    manifest = load(app_files, "makecomapp.json")
    modules = manifest["components"]["module"]
    operations = _offered(hellotracks)
    assert set(modules) == {module_name(op) for op in operations} | {"makeApiCall"}
    # the two triggers Make's one stored item cannot keep are left out, and the README says why
    assert {key: declined(hellotracks.operation(key)) for key in declined_operations(hellotracks)} == {
        "updated_job": FINGERPRINT, "completed_job": REMEMBERED_IDS}
    for key, why in declined_operations(hellotracks).items():
        assert f"- **{hellotracks.operation(key).label}** ({key}): {why}" \
            in app_files["README.md"]
    for op in operations:
        module = modules[module_name(op)]
        assert module["moduleType"] == MODULE_TYPES[op.kind], op.key
        assert (module.get("actionCrud") is not None) == (op.kind == "action"), op.key
    assert {key: modules[module_name(hellotracks.operation(key))]["label"] for key in LABELS} == LABELS
    assert modules["makeApiCall"]["moduleType"] == "universal" and modules["makeApiCall"]["label"] == "Make an API call"
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


def test_an_integer_of_5000_digits_is_a_refused_parameter_not_a_crash(app_files):
    params = _module(app_files, "listJobs", "mappableParams")
    with pytest.raises(MakeError) as refused:
        module_input(params, {"limit": "9" * 5000})
    assert refused.value.fields == ["limit"]


@pytest.mark.parametrize("value", ["...", "a.b", "%2e%2e%2e", ".a", "%2f"])
def test_other_dotted_path_inputs_pass(app_files, value):
    assert module_input(_module(app_files, "getJob", "mappableParams"), {"id": value}) == {"id": value}


@pytest.mark.parametrize("schema, key", [
    ({"properties": {"n": {"type": "integer", "multipleOf": 2}}}, "input n: multipleOf"),
    ({"properties": {"d": {"type": "string", "format": "uri"}}}, "input d: format"),
    ({"properties": {"x": {"type": ["string", "integer"]}}}, "input x"),
    ({"properties": {"o": {"type": "object", "additionalProperties": {"type": "string"}}}},
     "input o: additionalProperties"),
    ({"properties": {"u": {}}}, "input u"),
])
def test_an_input_keyword_make_cannot_check_refuses_the_build_naming_operation_and_key(schema, key):
    with pytest.raises(Unsupported) as refused:
        input_parameters({"type": "object", **schema}, {}, "operation create_item")
    assert str(refused.value).startswith(f"Make cannot express operation create_item: {key}")


def test_mappable_parameters_come_from_the_input_schema(app_files, hellotracks):
    params = {p["name"]: p for p in _module(app_files, "createJob", "mappableParams")}
    title = hellotracks.operation("create_job").input["properties"]["title"]
    assert params["title"] == {"name": "title", "label": "Title", "required": True, "help": title["description"],
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


def test_every_form_puts_required_inputs_first_and_the_additional_group_last_as_advanced(app_files, hellotracks):
    for op in _offered(hellotracks):
        code = "staticParams" if op.kind == "trigger" else "mappableParams"
        inputs = [p for p in _module(app_files, module_name(op), code) if p.get("name") in op.input.get("properties", {})]
        ranks = [0 if p["required"] else 2 if p.get("advanced") else 1 for p in inputs]
        assert ranks == sorted(ranks), op.key
        additional = {name for name, sub in op.input.get("properties", {}).items() if sub.get("x-group") == "additional"}
        assert {p["name"] for p in inputs if p.get("advanced")} == additional, op.key


def test_a_destructive_action_opens_with_its_warning_and_says_it_in_its_description(app_files, hellotracks):
    modules = load(app_files, "makecomapp.json")["components"]["module"]
    for op in _offered(hellotracks):
        form = _module(app_files, module_name(op), "staticParams" if op.kind == "trigger" else "mappableParams")
        banners = [p for p in form if p["type"] == "banner"]
        if op.destructive:
            assert form[0] == {"type": "banner", "title": "Warning", "text": op.warning}
            assert op.warning in modules[module_name(op)]["description"]
        else:
            assert banners == [], op.key


def test_modules_that_output_many_records_have_a_limit_the_response_reads(app_files, hellotracks):
    for op in _offered(hellotracks):
        form = _module(app_files, module_name(op), "staticParams" if op.kind == "trigger" else "mappableParams")
        response = _module(app_files, module_name(op), "communication")["response"]
        many = op.kind == "trigger" or (op.kind in ("search", "list") and op.response.returns_list)
        assert any(p.get("name") == "limit" for p in form) == many, op.key
        if many:
            assert response["limit"] == "{{ifempty(parameters.limit, 3200)}}", op.key
        if op.kind == "trigger":  # what a run cannot read is lost: the form says so where the limit is set
            [limit] = [p for p in form if p.get("name") == "limit"]
            assert "A run reads at most 3200 jobs: when more are new or changed between two runs" in limit["help"]
        assert "limit" not in op.input.get("properties", {}) or sum(p.get("name") == "limit" for p in form) == 1


def test_the_universal_module_sends_only_relative_paths(app_files):
    params = _module(app_files, "makeApiCall", "mappableParams")
    for url in ("https://evil.example/x", "//evil.example/x", "/\\evil.example", "jobs", "/jobs?x=1", "/a b"):
        with pytest.raises(MakeError) as refused:
            module_input(params, {"url": url, "method": "GET"})
        assert refused.value.fields == ["url"], url
    assert module_input(params, {"url": "/jobs/7", "method": "DELETE"}) == {"url": "/jobs/7", "method": "DELETE"}


def test_interface_and_samples_come_from_the_output_schema(app_files, hellotracks):
    interface = {p["name"]: p for p in _module(app_files, "getJob", "interface")}
    assert interface["createdAt"] == {"name": "createdAt", "label": "Created At (epoch ms)", "type": "integer"}
    assert interface["createdAtIso"] == {"name": "createdAtIso", "label": "Created At", "type": "date"}
    assert interface["assignee"]["type"] == "collection"
    assert _module(app_files, "findMember", "samples") == hellotracks.operation("find_member").sample
    sample = _module(app_files, "getJob", "samples")
    assert sample == {**hellotracks.operation("get_job").sample, "createdAtIso": "2026-04-30T09:06:40.000Z",
                      "updatedAtIso": "2026-04-30T09:07:40.000Z"}


def test_searches_iterate_the_list_and_find_member_keeps_the_exact_match(app_files):
    response = _module(app_files, "findJob", "communication")["response"]
    assert response["iterate"] == "{{if(statusCode = 404, emptyarray, body.data.items)}}"
    assert response["valid"]["condition"] == "{{statusCode < 300 or statusCode = 404}}"
    iterate = _module(app_files, "findMember", "communication")["response"]["iterate"]
    assert iterate["container"] == "{{if(statusCode = 404, emptyarray, body.data.items)}}"
    assert "lower(item.username) = lower(parameters.query)" in iterate["condition"]


def test_a_search_that_finds_nothing_outputs_no_bundle_and_an_action_on_nothing_fails(app_files):
    app = GeneratedApp(app_files)
    variables = {"parameters": {"id": "j1"}, "connection": {"apiKey": "k", "baseUrl": "https://x/v1"}}
    missing = Reply(404, {"error": {"message": "Job not found"}})
    assert run_call(app.module("getJob"), variables, lambda rendered: missing) == []
    assert run_call(app.module("getJob"), variables, lambda rendered: Reply(200, {"data": {"items": []}})) == []
    with pytest.raises(MakeError, match="RuntimeError: Job not found"):
        run_call(app.module("archiveJob"), variables, lambda rendered: missing)


def test_derived_timestamps_are_output_as_dates_beside_the_apis_own_value(app_files):
    app = GeneratedApp(app_files)
    variables = {"parameters": {"id": "j1"}, "connection": {"apiKey": "k", "baseUrl": "https://x/v1"}}
    record = {"id": "j1", "title": "t", "progress": "scheduled", "createdAt": 1777507200000, "updatedAt": "soon"}
    [bundle] = run_call(app.module("getJob"), variables, lambda rendered: Reply(200, {"data": {"items": [record]}}))
    assert bundle == {**record, "createdAtIso": "2026-04-30T00:00:00.000Z"}


def test_triggers_date_items_by_the_cursor_name_them_by_identity_and_ask_the_api_to_filter(app_files):
    new = _module(app_files, "newJob", "communication")
    assert new["response"]["trigger"] == {"id": "{{item.id}}", "type": "date",
                                          "date": "{{parseDate(item.createdAt, 'x')}}", "order": "unordered"}
    assert new["response"]["iterate"] == {  # a record waits until the API's clock is 5 minutes past it
        "container": "{{body.data.items}}",
        "condition": "{{item.createdAt <= parseNumber(formatDate(addSeconds(ifempty(parseDate(headers.date, "
                     "'ddd, DD MMM YYYY HH:mm:ss [GMT]', 'UTC'), now), -300), 'x'), '.')}}"}
    assert new["response"]["limit"] == "{{ifempty(parameters.limit, 3200)}}"
    assert new["pagination"]["condition"] == "{{length(body.data.items) >= 100 and pagination.page < 32}}"
    assert new["qs"]["createdSince"] == ("{{max(0, parseNumber(formatDate(addSeconds(ifempty(data.lastDate, "
                                         "addSeconds(now, -900)), -300), 'x'), '.'))}}")


def test_the_epoch_lists_the_widest_recent_window(app_files):
    epoch = _module(app_files, "newJob", "epoch")
    assert epoch["qs"] == {"createdSince": "{{formatDate(addSeconds(now, -604800), 'x')}}"}
    assert epoch["response"]["output"] == {"label": "{{item.title}}", "date": "{{parseDate(item.createdAt, 'x')}}"}


def test_the_connection_checks_the_key_and_is_labelled_with_the_company(app_files, hellotracks):
    params = load(app_files, "connections/hellotracks/hellotracks.params.iml.json")
    fields = {field.key: field for field in hellotracks.connection.fields}
    assert [(p["name"], p["type"], p["required"], p.get("default")) for p in params] == [
        ("apiKey", "password", True, None), ("baseUrl", "select", False, fields["base_url"].default)]
    assert params[1]["options"] == [{"label": c.label, "value": c.value} for c in fields["base_url"].choices]
    assert params[0]["help"].endswith(f"[Where to find it]({fields['api_key'].help_url})")
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
        if isinstance(text, bytes):  # the icon
            assert b"replay-key" not in text, path
            continue
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
        "Watch new jobs: Search members for its Assignee Username": [
            ("hellotracks:newJob", {}), ("hellotracks:findMember", {"query": "{{1.assigneeUsername}}"})],
        "Watch new jobs: Archive a job": [
            ("hellotracks:newJob", {}), ("hellotracks:archiveJob", {"id": "{{1.id}}"})],
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


def test_the_universal_module_sends_the_users_request_with_the_connections_key(app_files):
    app = GeneratedApp(app_files)
    component = app.module("makeApiCall")
    parameters = module_input(component.parameters, {
        "url": "/jobs", "method": "POST", "body": '{"title": "Fix gate"}',
        "headers": [{"key": "X-Trace", "value": "t1"}], "qs": [{"key": "dryRun", "value": "true"}]})
    variables = {"parameters": parameters, "connection": {"apiKey": "k", "baseUrl": "https://api.example/v1"}}
    sent = []

    def send(rendered):
        sent.append(rendered)
        return Reply(201, {"data": {"id": "j1"}}, {"x-request-id": "r1"})

    assert run_call(component, variables, send) == [
        {"body": {"data": {"id": "j1"}}, "headers": {"x-request-id": "r1"}, "statusCode": 201}]
    assert (sent[0].method, sent[0].full_url()) == ("POST", "https://api.example/v1/jobs?dryRun=true")
    assert sent[0].content() == b'{"title": "Fix gate"}'
    assert sent[0].headers["API-Key"] == "k" and sent[0].headers["X-Trace"] == "t1"


def test_an_operation_named_like_the_universal_module_refuses_the_build(hellotracks):
    operations = {**hellotracks.operations, "make_api_call": hellotracks.operation("find_job").model_copy(
        update={"key": "make_api_call", "or_create": None})}
    with pytest.raises(Unsupported, match="operation make_api_call: key: its module id makeApiCall"):
        platform("make").generate(runtime_document(hellotracks.model_copy(update={"operations": operations})))


@pytest.mark.parametrize("url, accepted", [
    ("https://api.example/v1", True), ("http://localhost:8787/v1", True), ("http://127.0.0.9/v1", True),
    ("http://[::1]:8/v1", True), ("http://localhost", True), ("http://api.example/v1", False),
    ("http://localhost.attacker.example/v1", False), ("http://127.0.0.1.attacker.example/", False),
    ("ftp://api.example", False), ("api.example/v1", False),
])
def test_a_typed_base_url_takes_https_or_http_to_a_loopback_host_only(url, accepted):
    from make_blueprints.connection import HTTPS_OR_LOOPBACK
    from make_blueprints.render import js_regex

    assert bool(js_regex(HTTPS_OR_LOOPBACK).search(url)) == accepted


def test_an_input_named_limit_that_is_no_integer_refuses_the_build(hellotracks):
    from make_blueprints.limits import parameter

    find_job = hellotracks.operation("find_job")
    text_limit = find_job.model_copy(update={"input": {**find_job.input, "properties": {
        **find_job.input["properties"], "limit": {"type": "string"}}}})
    with pytest.raises(Unsupported, match="operation find_job: input limit"):
        parameter(text_limit, hellotracks.resources["job"])
    assert parameter(hellotracks.operation("list_jobs"), hellotracks.resources["job"]) is None  # its own limit serves
    assert parameter(hellotracks.operation("get_job"), hellotracks.resources["job"]) is None  # one record


def test_a_url_that_escaped_validation_still_stays_under_the_base_url(app_files):
    from make_blueprints.render import request

    component = GeneratedApp(app_files).module("makeApiCall")
    variables = {"parameters": {"url": "https://attacker.invalid/steal", "method": "GET"},
                 "connection": {"apiKey": "k", "baseUrl": "https://api.example/v1"}}
    assert request(component, variables).full_url().startswith("https://api.example/v1/")
