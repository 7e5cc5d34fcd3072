"""The generated app run by zapier-platform-core: cassettes, the verify column, bad input, dropdowns."""

from __future__ import annotations

from typing import Any

import pytest

from connector_core import Client
from connector_core.cassettes.cases import CassetteIndex, Outcome
from connector_core.cassettes.replay import CaseReport
from connector_core.cassettes.verify import render_table, verify
from connector_core.platforms import platform as registered_platform
from connector_core.runtime.errors import InputValidationError, NotFoundError
from connector_core.runtime.timestamps import stamped
from connector_core.sandbox import Sandbox
from connector_core.spec import Connector, load_connector
from tests.conftest import CASSETTES, SANDBOX_KEY
from tests.zapier.loopback import LoopbackApi, Seen, loopback_api
from zapier_schema.execution import ZapierRun, auth_data, operation_run, options_method, run_in_zapier
from zapier_schema.definition import records_key
from zapier_schema.keys import zapier_key
from zapier_schema.platform import ZapierPlatform

Run = tuple[ZapierPlatform, dict[str, Outcome], dict[str, CaseReport]]


# ------------------------------------------------------------------------- recorded cases


def stateful_polls(index: CassetteIndex, connector: Connector) -> set[str]:
    """Trigger cases recorded with state kept between polls: no Zapier run (Zapier keeps none)."""
    return {case.name for case in index.cases
            if case.mode == "poll" and connector.operation(case.operation).kind == "trigger"}


def test_every_recorded_case_passes_the_strict_judge(zapier_verify_run: Run, cassette_index: CassetteIndex,
                                                     hellotracks: Connector) -> None:
    platform, outcomes, reports = zapier_verify_run
    stateful = stateful_polls(cassette_index, hellotracks)
    assert stateful >= {"new_job", "new_job_paged", "updated_job", "completed_job"}
    assert set(outcomes) == {case.name for case in cassette_index.cases} - stateful
    for case in cassette_index.cases:
        assert platform.judge(case, outcomes.get(case.name), reports[case.name]) == [], case.name


def test_outcomes_match_the_python_runtime(zapier_verify_run: Run, cassette_index: CassetteIndex) -> None:
    """Spot checks of what the judge compares, read straight from the recording."""
    _, outcomes, reports = zapier_verify_run
    cases = {case.name: case for case in cassette_index.cases}
    for name in ("new_job_window", "updated_job_window", "completed_job_window"):
        assert outcomes[name].output == cases[name].outcome.output[0] and outcomes[name].output, name
        assert reports[name].played == cases[name].poll_interactions[0], name
    assert [job["title"] for job in outcomes["new_job_window"].output] == ["Inspect boiler", "Replace filter"]
    assert [job["title"] for job in outcomes["new_job_latest"].output] == ["Newest job"]
    assert [job["progress"] for job in outcomes["completed_job_window"].output] == ["success"]
    assert reports["new_job"].played == reports["new_job_paged"].played == 0
    assert outcomes["get_job"].output == [cases["get_job"].outcome.output]
    assert outcomes["test_connection_bad_key"].error == {
        "type": "AuthError", "status": 401,
        "message": "test_connection: HTTP 401: Invalid Hellotracks API key."}
    assert outcomes["find_job_rate_limited"].error["type"] == "ThrottledError"
    assert outcomes["find_job_rate_limited"].error["retry_after"] == 1
    assert "Rate limit reached." in outcomes["find_job_rate_limited"].error["message"]
    assert outcomes["find_member_temporary_error"].error["status"] == 500
    assert reports["find_job_rate_limit_exhausted"].played == 1
    assert outcomes["create_job_invalid_input"].error["message"] == (
        'Invalid input, nothing was sent: Date (date) must be a date in YYYY-MM-DD format, got "2026/05/10"; '
        "Priority (priority) must be at most 10, got 11")
    assert reports["create_job_invalid_input"].played == 0


def test_nothing_found_is_no_result_and_a_list_is_one(zapier_verify_run: Run, cassette_index: CassetteIndex,
                                                      hellotracks: Connector) -> None:
    """A recorded search that found nothing (null) is Zapier's empty list, never an error; a list's
    records are the line items of one result, none found no result."""
    _, outcomes, _ = zapier_verify_run
    seen = {"nothing": 0, "list": 0, "empty list": 0}
    for case in cassette_index.cases:
        operation = hellotracks.operation(case.operation)
        if case.outcome.status != "ok":
            continue
        if operation.kind == "search" and case.outcome.output is None:
            seen["nothing"] += 1
            assert outcomes[case.name] == Outcome(status="ok", output=[]), case.name
        if operation.kind == "list":
            records = case.outcome.output
            seen["list" if records else "empty list"] += 1
            expected = [{records_key(hellotracks, operation): records}] if records else []
            assert outcomes[case.name].output == expected, case.name
    assert all(seen.values()), seen


def _tampered(outcome: Outcome, **changes: Any) -> Outcome:
    return outcome.model_copy(update=changes)


def _error(outcome: Outcome, **changes: Any) -> Outcome:
    return outcome.model_copy(update={"error": {**(outcome.error or {}), **changes}})


def test_the_judge_fails_anything_else(zapier_verify_run: Run, cassette_index: CassetteIndex,
                                      hellotracks: Connector) -> None:
    platform, outcomes, reports = zapier_verify_run
    cases = {case.name: case for case in cassette_index.cases}

    def problems(name: str, outcome: Outcome | None, report: CaseReport | None = None) -> list[str]:
        return platform.judge(cases[name], outcome, report or reports[name])

    window = outcomes["new_job_window"]
    assert problems("new_job_window", _tampered(window, output=window.output[:-1]))
    assert problems("new_job_window", _tampered(window, output=list(reversed(window.output))))
    assert problems("new_job_window", window, CaseReport(played=2, recorded=2))
    assert problems("new_job_window", window, CaseReport(played=1, recorded=1, mismatches=["GET /v1/jobs: query"]))
    assert problems("new_job_window", None)
    assert problems("new_job_latest", _tampered(outcomes["new_job_latest"], output=window.output))
    sample = hellotracks.operation("new_job").sample  # what the runtimes' `latest` returns on an empty account
    none_found = cases["new_job_latest"].model_copy(update={"outcome": Outcome(status="ok", output=[[sample]])})
    assert platform.judge(none_found, Outcome(status="ok", output=[sample]), reports["new_job_latest"]) == []
    assert platform.judge(none_found, Outcome(status="ok", output=[]), reports["new_job_latest"])
    assert problems("new_job", window)  # a stateful poll must not run on Zapier
    assert problems("new_job", None, CaseReport(played=1, recorded=3))
    platform.windowed.discard("new_job")
    try:
        assert problems("new_job", None) == [
            "new_job: no window case of new_job is recorded, so its Zapier poll is unverified"]
    finally:
        platform.windowed.add("new_job")
    assert problems("get_job", _tampered(outcomes["get_job"], output=outcomes["get_job"].output[0]))
    bad_key = outcomes["test_connection_bad_key"]
    assert problems("test_connection_bad_key", _error(bad_key, status=403))
    assert problems("test_connection_bad_key", _error(bad_key, message="The key was refused."))
    assert problems("test_connection_bad_key", _error(bad_key, type="ApiError"))
    limited = outcomes["find_job_rate_limited"]
    assert problems("find_job_rate_limited", _error(limited, retry_after=5))
    assert problems("find_job_rate_limited", cases["find_job_rate_limited"].outcome)
    assert problems("find_job_rate_limited", limited, CaseReport(played=2, recorded=2))
    assert problems("find_member_temporary_error", _error(outcomes["find_member_temporary_error"], status=503))
    listed = next(case for case in cassette_index.cases
                  if hellotracks.operation(case.operation).kind == "list" and case.outcome.output)
    assert problems(listed.name, _tampered(outcomes[listed.name], output=listed.outcome.output))  # not as line items
    nothing = next(case for case in cassette_index.cases if hellotracks.operation(case.operation).kind == "search"
                   and case.outcome.status == "ok" and case.outcome.output is None)
    assert problems(nothing.name, _tampered(outcomes[nothing.name], output=[None]))
    assert problems(nothing.name, Outcome(status="error", error={"type": "NotFoundError", "status": 404, "message": "x"}))
    refused = outcomes["create_job_invalid_input"]
    assert problems("create_job_invalid_input", _error(refused, message="Invalid input: (date), (priority)"))
    assert problems("create_job_invalid_input", refused, CaseReport(played=1, recorded=0))


RECORDED = sorted(path.parent.name for path in CASSETTES.parent.glob("*/index.json"))


@pytest.mark.parametrize("name", RECORDED)
def test_connectors_verify_has_a_green_zapier_column(name: str) -> None:
    """Every recorded connector: status codes in a body, Basic auth, list inputs, paged searches,
    triggers with the cursor in the body or none at all; a body's rate-limit code surfaces as
    Zapier's throttled error, its temporary code as a temporary error."""
    assert isinstance(registered_platform("zapier"), ZapierPlatform) and ZapierPlatform.order == 20
    cells = verify(CASSETTES.parent / name, ["zapier"])
    assert {cell.operation for cell in cells} == set(load_connector(name).operations)
    assert [cell for cell in cells if cell.status != "pass"] == []
    assert render_table(cells).splitlines()[0].split() == ["operation", "zapier"]


# ------------------------------------------------------------------------- bad input


def python_refusal(connector: Connector, key: str, value: dict[str, Any]) -> str:
    """The message Zapier must show for input the Python runtime refuses: each problem by label and Zapier key."""
    schema = connector.operation(key).input
    with Client(connector, connection={"api_key": "k"}, base_url="http://127.0.0.1:9/v1") as client:
        with pytest.raises(InputValidationError) as refused:
            client.run(key, value)
    named = []
    for problem in refused.value.problems:
        title = schema
        for part in problem.field.split("."):
            title = title["properties"][part]
        named.append(f"{title['title']} ({zapier_key(problem.field, key)}) {problem.message}")
    return "Invalid input, nothing was sent: " + "; ".join(named)


REFUSED = {
    "priority_11": {"title": "T", "priority": 11},
    "slash_date": {"title": "T", "date": "2026/05/10"},
    "no_such_day": {"title": "T", "date": "2026-02-30"},
    "bad_email": {"title": "T", "contact": {"email": "nope"}},
    "bad_time": {"title": "T", "timeWindow": {"start": "9am"}},
    "no_title": {"notes": "x"},
}
DOT_IDS = ["..", ".", "%2e%2E", ".%2E", "%252e%252e"]
TRICKY_IDS = ["a/b?c#d", "../members?x#y", "x!'()*~", "é ü+&=", "...", ".hidden", "%2e%2e%2f"]
FINDERS = ("search", "list")


def id_operations(connector: Connector) -> list[str]:
    """The operations whose one required input `id` is sent in the path, a search first (if any), then an action."""
    keys = [operation.key for operation in connector.operations.values()
            if operation.input.get("required") == ["id"] and [param.source for param in operation.request.params_in("path")] == ["id"]]
    searches = [key for key in keys if connector.operation(key).kind in FINDERS]
    actions = [key for key in keys if connector.operation(key).kind == "action"]
    assert searches and actions
    return [searches[0], actions[0]]


def zapier_runs(connector: Connector, api: LoopbackApi, key: str, values: dict[str, dict[str, Any]]) -> list[ZapierRun]:
    return [operation_run(connector, name, connector.operation(key), value, base_url=api.base_url(),
                          api_key="capture-key", clock_ms=0) for name, value in values.items()]


def test_refused_input_names_each_field_as_zapier_shows_it(hellotracks: Connector, capture: LoopbackApi,
                                                           hellotracks_document: dict[str, Any]) -> None:
    results = run_in_zapier(hellotracks_document, zapier_runs(hellotracks, capture, "create_job", REFUSED))
    for name, value in REFUSED.items():
        error = results[name]["error"]
        assert error == {"type": "InputValidationError", "status": None,
                         "message": python_refusal(hellotracks, "create_job", value)}, name
    assert capture.seen == []


def test_inherited_names_stay_plain_input_keys(hellotracks: Connector, capture: LoopbackApi,
                                               hellotracks_document: dict[str, Any]) -> None:
    """Zapier input keys are untrusted: `__proto__` or `constructor` are unknown fields, never object internals."""
    odd = {"title": "T", "constructor": "x", "contact__constructor": "y", "__proto__": "z"}
    run = ZapierRun("odd", "creates.create_job.operation.perform",
                    auth_data(hellotracks, capture.base_url(), "capture-key"), odd, 0)
    error = run_in_zapier(hellotracks_document, [run])["odd"]["error"]
    assert error["type"] == "InputValidationError", error
    assert "(constructor) is not a known field" in error["message"], error
    assert "(contact__constructor) is not a known field" in error["message"], error
    assert capture.seen == []


def test_dot_segment_ids_are_refused_before_anything_is_sent(hellotracks: Connector, capture: LoopbackApi,
                                                             hellotracks_document: dict[str, Any]) -> None:
    """However `.` or `..` is percent-encoded, URL parsers would collapse it into another endpoint."""
    runs = [run for key in id_operations(hellotracks)
            for run in zapier_runs(hellotracks, capture, key, {f"{key} {dots}": {"id": dots} for dots in DOT_IDS})]
    results = run_in_zapier(hellotracks_document, runs)
    assert set(results) == {run.name for run in runs}
    for name, result in results.items():
        assert result["status"] == "error" and result["error"]["type"] == "InputValidationError", name
        assert result["error"]["message"].startswith("Invalid input, nothing was sent: Job ID (id) "), name
    assert capture.seen == []


def test_an_id_reaches_the_api_as_exactly_one_encoded_segment(hellotracks: Connector, capture: LoopbackApi,
                                                              hellotracks_document: dict[str, Any]) -> None:
    """Against an API answering 404: a search finds nothing (no result, never an error), an action
    fails with the API's message; either way the ID went out as one encoded segment, as Python sends it."""
    search, action = id_operations(hellotracks)
    runs = [run for key in (search, action)
            for run in zapier_runs(hellotracks, capture, key, {f"{key} {tricky}": {"id": tricky}
                                                               for tricky in TRICKY_IDS})]
    results = run_in_zapier(hellotracks_document, runs)
    zapier_paths = capture.paths()
    assert zapier_paths[0] == "/v1/jobs/a%2Fb%3Fc%23d" and zapier_paths[len(TRICKY_IDS)].startswith("/v1/jobs/a%2Fb%3Fc%23d")
    assert "/v1/jobs/x%21%27%28%29%2A~" in zapier_paths
    for name, result in results.items():
        if name.startswith(f"{search} "):
            assert result == {"status": "ok", "output": []}, name
        else:
            assert result["error"] == {"type": "NotFoundError", "status": 404,
                                       "message": f"{action}: HTTP 404: Job not found"}, name
    capture.seen.clear()
    with Client(hellotracks, connection={"api_key": "k"}, base_url=capture.base_url()) as client:
        for tricky in TRICKY_IDS:
            assert client.run(search, {"id": tricky}) is None
        for tricky in TRICKY_IDS:
            with pytest.raises(NotFoundError):
                client.run(action, {"id": tricky})
    assert capture.paths() == zapier_paths


def test_a_list_answers_one_result_with_its_records_or_none(hellotracks: Connector,
                                                           hellotracks_document: dict[str, Any]) -> None:
    """Zapier uses only a search's first result: a list's records travel as that result's line items."""
    lists = [operation for operation in hellotracks.operations.values() if operation.kind == "list"]
    assert lists
    records = [stamped(lists[0].output, lists[0].sample)]

    def answer(request: Seen) -> tuple[int, Any, dict[str, str]]:
        return 200, {"data": {"items": [lists[0].sample]}}, {}

    for operation in lists:
        key = records_key(hellotracks, operation)
        given = {name: operation.sample[name] for name in operation.input.get("required", [])}  # a valid input
        with loopback_api(answer) as api:
            found = run_in_zapier(hellotracks_document, [operation_run(
                hellotracks, "found", operation, given, base_url=api.base_url(), api_key="k", clock_ms=0)])["found"]
        with loopback_api() as api:  # 404: nothing found
            none = run_in_zapier(hellotracks_document, [operation_run(
                hellotracks, "none", operation, given, base_url=api.base_url(), api_key="k", clock_ms=0)])["none"]
        assert found == {"status": "ok", "output": [{key: records}]}, operation.key
        assert none == {"status": "ok", "output": []}, operation.key


def test_zapier_text_and_datetimes_become_the_api_values(hellotracks: Connector, capture: LoopbackApi,
                                                         hellotracks_document: dict[str, Any]) -> None:
    """Zapier sends typed fields as text, dates as ISO date-times and nested fields as flat keys;
    the request is the Python runtime's for the same input. Text that looks like a Zapier curly is
    sent as written: Zapier's request templating stays off."""
    curly = "{{bundle.authData.api_key}}"
    zapier_input = {"title": "T", "priority": "7", "date": "2026-05-10T00:00:00+02:00",
                    "contact__email": "a@example.com", "notes": curly, "address": None}
    run = ZapierRun("typed", "creates.create_job.operation.perform",
                    auth_data(hellotracks, capture.base_url(), "capture-key"), zapier_input, 0)
    run_in_zapier(hellotracks_document, [run])
    with Client(hellotracks, connection={"api_key": "capture-key"}, base_url=capture.base_url()) as client:
        with pytest.raises(NotFoundError):
            client.run("create_job", {"title": "T", "priority": "7", "date": "2026-05-10",
                                      "contact": {"email": "a@example.com"}, "notes": curly})
    zapier, python = capture.seen
    assert (zapier.method, zapier.path, zapier.body) == (python.method, python.path, python.body) == (
        "POST", "/v1/jobs", {"title": "T", "priority": 7, "date": "2026-05-10", "contact": {"email": "a@example.com"},
                             "notes": curly})
    assert zapier.headers["api-key"] == python.headers["api-key"] == "capture-key"
    assert zapier.headers["content-type"].startswith("application/json")


def test_a_redirect_is_an_answer_not_a_detour(hellotracks: Connector, hellotracks_document: dict[str, Any]) -> None:
    """Only 2xx is success: Zapier must not follow a 3xx to wherever it points."""
    def moved(request: Seen) -> tuple[int, Any, dict[str, str]]:
        return 302, {"error": {"message": "Moved"}}, {"Location": "/v1/members"}

    with loopback_api(moved) as api:
        run = operation_run(hellotracks, "moved", hellotracks.operation(id_operations(hellotracks)[0]), {"id": "j1"},
                            base_url=api.base_url(), api_key="capture-key", clock_ms=0)
        result = run_in_zapier(hellotracks_document, [run])["moved"]
        assert api.paths() == ["/v1/jobs/j1"]
    assert result["error"] == {"type": "ApiError", "status": 302,
                               "message": f"{id_operations(hellotracks)[0]}: HTTP 302: Moved"}


# ------------------------------------------------------------------------- dropdowns


def test_the_hidden_trigger_lists_the_same_choices_as_the_runtime(hellotracks: Connector,
                                                                 hellotracks_document: dict[str, Any]) -> None:
    with Sandbox(hellotracks.name, api_key=SANDBOX_KEY) as sandbox:
        with Client(hellotracks, connection={"api_key": SANDBOX_KEY}, base_url=sandbox.base_url) as client:
            choices = client.options("members")
        run = ZapierRun("members", options_method("members"), auth_data(hellotracks, sandbox.base_url, SANDBOX_KEY),
                        {}, 0)
        result = run_in_zapier(hellotracks_document, [run])["members"]
    assert len(choices) >= 2
    assert result == {"status": "ok", "output": [{"id": choice["value"], "label": choice["label"]} for choice in choices]}
