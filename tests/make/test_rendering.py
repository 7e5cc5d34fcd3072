"""Each module's communication, rendered with a case's input, sends the cassette's requests and
turns the recorded responses into the runtime's outputs and errors; tampering is caught."""

from __future__ import annotations

import json

import pytest

import make_blueprints.platform as platform_module
from connector_core.cassettes.cases import load_index
from connector_core.cassettes.replay import ReplayServer
from connector_core.cassettes.verify import verify
from make_blueprints.app import generate
from make_blueprints.components import GeneratedApp
from make_blueprints.offer import declined_operations
from make_blueprints.platform import MakePlatform
from make_blueprints.render import (Component, MakeError, Position, Reply, module_input, now, request, run_call,
                                   run_trigger, stored, unprocessed)
from tests.conftest import CASSETTES
from tests.make.conftest import app_of, load, put


@pytest.fixture(scope="module")
def replay():
    with ReplayServer(CASSETTES) as running:
        yield running


def _problems(hellotracks, replay, monkeypatch, tamper, operation) -> list[str]:
    """The Make judgement of one operation's cases, with the generated app tampered first."""
    def tampered(document):
        files = generate(document)
        tamper(files)
        return files

    monkeypatch.setattr(platform_module, "generate", tampered)
    replay.rewind()
    index = load_index(CASSETTES)
    platform = MakePlatform()
    outcomes = platform.run(hellotracks, index.cases, replay)
    reports = replay.report()
    return [problem for case in index.for_operation(operation)
            for problem in platform.judge(case, outcomes.get(case.name), reports[case.name])]


def test_every_operation_is_green_in_the_make_column_and_says_it_was_rendered(hellotracks):
    cells = {cell.operation: cell for cell in verify(CASSETTES, ["make"])}
    assert set(cells) == set(hellotracks.operations)
    left_out = declined_operations(hellotracks)
    assert {key: cell.detail for key, cell in cells.items() if cell.status == "not offered"} == \
        {key: f"not offered: {why}" for key, why in left_out.items()}
    offered = [cell for key, cell in cells.items() if key not in left_out]
    assert all(cell.status == "pass" for cell in offered), [c.detail for c in offered]
    assert all(cell.detail.endswith("(rendered, not executed)") for cell in offered)


def _edit(path, change):
    def tamper(files):
        data = load(files, path)
        change(data)
        put(files, path, data)
    return tamper


@pytest.mark.parametrize("path, change, operation, symptom", [
    ("modules/update-job/update-job.communication.iml.json",
     lambda c: c.update(url="/jobs/{{parameters.id}}"), "update_job", "differs from the next recorded request"),
    ("modules/get-job/get-job.communication.iml.json",
     lambda c: c.update(url="/jobs/{{parameters.id}}"), "get_job", "get_job_path_traversal"),
    ("modules/new-job/new-job.communication.iml.json",
     lambda c: c["qs"].update(createdSince="{{formatDate(addSeconds(now, -60), 'x')}}"), "new_job", "differs"),
    ("modules/create-job/create-job.mappable-params.iml.json",
     lambda p: next(x for x in p if x["name"] == "date").pop("validate"), "create_job", "create_job_invalid_input"),
    ("modules/create-job/create-job.communication.iml.json",
     lambda c: c["body"].update(contact={"name": "{{parameters.contact.name}}"}), "create_job", "body"),
    ("modules/find-member/find-member.communication.iml.json",
     lambda c: c["response"].update(iterate="{{body.data.items}}"), "find_member", "find_member_no_exact_match"),
    ("general/base.iml.json",
     lambda b: b["response"]["error"]["429"].update(type="RuntimeError"), "find_job", "RateLimitError"),
    ("general/base.iml.json",
     lambda b: b["headers"].update({"API-Key": "{{connection.baseUrl}}"}), "find_job", "replay key"),
    ("connections/hellotracks/hellotracks.communication.iml.json",
     lambda c: c["response"]["metadata"].update(value="{{body.data.user.name}}"), "test_connection", "label"),
])
def test_a_change_to_the_generated_app_turns_its_cell_red(hellotracks, replay, monkeypatch, path, change,
                                                          operation, symptom):
    problems = _problems(hellotracks, replay, monkeypatch, _edit(path, change), operation)
    assert any(symptom in problem for problem in problems), problems


def _trigger_run(app_files, last, pages):
    """One run of New Job from the stored item `last`: the requests it sends and its bundles."""
    component = GeneratedApp(app_files).module("newJob")
    variables = {"parameters": {}, "now": now(1777543600000), "data": stored(last),
                 "connection": {"apiKey": "k", "baseUrl": "https://api.example/v1"}}
    sent = []

    def send(rendered):
        sent.append(rendered)
        return Reply(200, {"data": {"items": pages[len(sent) - 1]}})

    return sent, run_trigger(component, variables, send, last)


def test_a_trigger_asks_from_the_stored_date_minus_the_lookback(hellotracks, app_files):
    polling = hellotracks.operation("new_job").polling
    sent, _ = _trigger_run(app_files, Position(1777500000000, "j1"), [[]])
    assert sent[0].qs == {"includeArchived": "true", "createdSince": str(1777500000000 - polling.lookback_ms),
                          "limit": "100", "skip": "0"}
    assert sent[0].url == "https://api.example/v1/jobs" and sent[0].headers["API-Key"] == "k"


def test_without_a_stored_date_a_trigger_asks_for_one_polling_interval_and_the_lookback(hellotracks, app_files):
    polling = hellotracks.operation("new_job").polling
    sent, _ = _trigger_run(app_files, None, [[]])
    assert sent[0].qs["createdSince"] == str(1777543600000 - polling.window_ms - polling.lookback_ms)


def test_a_trigger_outputs_what_follows_the_stored_item_by_date_then_id_each_once(app_files):
    page = [{"id": "c", "createdAt": 1777500000000}, {"id": "a", "createdAt": 1777500000000},
            {"id": "z", "createdAt": 1777499999999}, {"id": "b", "createdAt": 1777500000001}]
    full = [{"id": f"p{n:03}", "createdAt": 1777500000002 + n} for n in range(100)]
    sent, bundles = _trigger_run(app_files, Position(1777500000000, "b"), [full, page + [page[0]]])
    assert [bundle["id"] for bundle in bundles] == ["c", "b"] + [item["id"] for item in full]
    assert [rendered.qs["skip"] for rendered in sent] == ["0", "100"]


def test_a_trigger_outputs_at_most_its_limit_and_the_rest_next_run(app_files):
    component = GeneratedApp(app_files).module("newJob")
    items = [(Position(n, str(n)), {"id": n}) for n in (3, 1, 2)]
    component.communication["response"]["limit"] = 2
    first = unprocessed(component, items, None, {})
    assert [bundle["id"] for _, bundle in first] == [1, 2]
    assert [bundle["id"] for _, bundle in unprocessed(component, items, first[-1][0], {})] == [3]


def test_a_second_api_renders_its_own_request(kickserv):
    """Basic auth with the token as both parts, the account in the base URL, a {task: ...} envelope."""
    app = GeneratedApp(app_of(kickserv))
    component = app.module("updateTask")
    connection = {"apiToken": "tok", "accountSlug": "acme"}
    variables = {"parameters": module_input(component.parameters, {"id": 7, "description": "Fix"}),
                 "connection": connection}
    rendered = request(component, variables)
    assert (rendered.method, rendered.full_url()) == ("PUT", "https://app.kickserv.com/acme/tasks/7.json")
    assert json.loads(rendered.content()) == {"task": {"description": "Fix"}}
    assert rendered.sent_headers() == {"accept": "application/json", "authorization": "Basic dG9rOnRvaw==",
                                       "content-type": "application/json"}


def test_the_dropdown_rpc_gives_the_runtimes_choices(hellotracks, app_files):
    source = hellotracks.option_source("members")
    manifest = load(app_files, "makecomapp.json")
    rpc = manifest["components"]["rpc"]["listMembers"]["codeFiles"]["communication"]
    component = Component(load(app_files, rpc), load(app_files, "general/base.iml.json"))
    records = [source.sample, {**source.sample, "username": "lee.tech", "name": "Lee"}]
    choices = run_call(component, {"connection": {"apiKey": "k", "baseUrl": "https://x/v1"}},
                       lambda rendered: Reply(200, {"data": {"items": records}}))
    assert choices == [{"label": "Worker Name", "value": "worker@example.com"}, {"label": "Lee", "value": "lee.tech"}]


def test_an_action_without_an_item_is_a_data_error_and_delete_returns_its_input(app_files):
    app = GeneratedApp(app_files)
    variables = {"parameters": {"id": "j1"}, "connection": {"apiKey": "k", "baseUrl": "https://x/v1"}}
    empty = lambda rendered: Reply(200, {"data": {"items": []}})  # noqa: E731
    with pytest.raises(MakeError, match="RuntimeError: the API returned no item at data.items"):
        run_call(app.module("archiveJob"), variables, empty)
    assert run_call(app.module("deleteJob"), variables, empty) == [{"id": "j1"}]


def test_make_leaves_empty_values_out_and_checks_required_fields(app_files):
    params = GeneratedApp(app_files).module("updateJob").parameters
    assert module_input(params, {"id": "1", "notes": "", "contact": {"name": None}, "priority": "3"}) == {
        "id": "1", "priority": 3}
    with pytest.raises(MakeError) as refused:
        module_input(params, {"title": "x", "contact": {"email": "not-an-email"}})
    assert refused.value.fields == ["contact.email", "id"]
