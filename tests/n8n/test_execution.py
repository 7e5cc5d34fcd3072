"""Every recorded case through n8n-core against the replay server, judged against the Python runtime."""

from __future__ import annotations

from pathlib import Path

import pytest

from connector_core import Client
from connector_core.sandbox import Sandbox
from connector_core.spec import Connector

from connector_core.cassettes.cases import CassetteIndex, Outcome, RecordedCase
from connector_core.cassettes.judging import python_retried
from connector_core.cassettes.replay import CaseReport
from connector_core.cassettes.verify import verify
from connector_core.platforms import platform, platform_names
from connector_core.spec.models import Operation
from n8n_bridge.action_node import node_operations, node_selection
from n8n_bridge.fields import Field, input_fields
from n8n_bridge.platform import N8nPlatform
from n8n_bridge.properties import list_searcher, option_loader
from tests.conftest import CASSETTES, SANDBOX_KEY
from tests.n8n.conftest import run_harness

Run = tuple[N8nPlatform, dict[str, Outcome], dict[str, CaseReport]]


def case(index: CassetteIndex, name: str) -> RecordedCase:
    return next(each for each in index.cases if each.name == name)


def test_every_case_passes_its_judgement(n8n_verify_run: Run, cassette_index: CassetteIndex) -> None:
    platform, outcomes, reports = n8n_verify_run
    problems = [problem for each in cassette_index.cases
                for problem in platform.judge(each, outcomes.get(each.name), reports[each.name])]
    assert problems == []


def test_verify_has_an_n8n_column_with_every_operation_green() -> None:
    assert "n8n" in platform_names() and platform("n8n").order == 40
    cells = [cell for cell in verify(CASSETTES, ["n8n"])]
    assert cells and all(cell.status == "pass" for cell in cells), [cell.detail for cell in cells]


def test_outputs_equal_the_python_runtime(n8n_verify_run: Run, cassette_index: CassetteIndex,
                                          hellotracks: Connector) -> None:
    """Every operation's successful case (nothing found included: no items, read back as Python's
    null or []) gives Python's output, after the recorded interactions."""
    platform, outcomes, reports = n8n_verify_run
    checked = 0
    for recorded in cassette_index.cases:
        operation = hellotracks.operation(recorded.operation)
        first = platform.first.get(recorded.name)
        retried = first is not None and python_retried(recorded, first, hellotracks)
        if operation.kind == "trigger" or recorded.outcome.status != "ok" or retried:
            continue
        assert outcomes[recorded.name] == recorded.outcome, recorded.name
        assert reports[recorded.name].ok and reports[recorded.name].played == recorded.interactions, recorded.name
        checked += 1
    assert checked >= len([op for op in hellotracks.operations.values() if op.kind != "trigger"])


def test_trigger_polls_start_from_a_baseline_and_equal_pythons(n8n_verify_run: Run,
                                                                cassette_index: CassetteIndex) -> None:
    _, outcomes, reports = n8n_verify_run
    for name in ("new_job", "new_job_paged", "updated_job", "completed_job"):
        recorded = case(cassette_index, name)
        assert recorded.mode == "poll" and recorded.outcome.output[0] == [], name  # the recording's baseline
        assert outcomes[name].output == [events or None for events in recorded.outcome.output], name
        assert outcomes[name].output[0] is None and any(outcomes[name].output[1:]), name
        assert reports[name].ok and reports[name].played == recorded.interactions, name  # every cursor matched


def test_paged_trigger_reads_every_page(n8n_verify_run: Run, cassette_index: CassetteIndex) -> None:
    _, outcomes, reports = n8n_verify_run
    assert len(outcomes["new_job_paged"].output[1]) == 103
    assert case(cassette_index, "new_job_paged").poll_interactions[1] == 2 and reports["new_job_paged"].ok


def test_fetch_test_event_is_the_newest_real_job(n8n_verify_run: Run, cassette_index: CassetteIndex) -> None:
    _, outcomes, reports = n8n_verify_run
    recorded = case(cassette_index, "new_job_latest")
    assert [event["title"] for event in outcomes["new_job_latest"].output[0]] == ["Newest job"]
    assert reports["new_job_latest"].ok and reports["new_job_latest"].played == recorded.interactions


def test_a_stateless_window_poll_is_no_n8n_run(n8n_verify_run: Run, cassette_index: CassetteIndex) -> None:
    _, outcomes, reports = n8n_verify_run
    windows = [each.name for each in cassette_index.cases if each.mode == "window"]
    assert windows and all(name not in outcomes and reports[name].played == 0 for name in windows)


def api_errors(index: CassetteIndex, platform: N8nPlatform, connector: Connector) -> list[RecordedCase]:
    """Cases the API refused (not the input, not a retried failure), as Python recorded them."""
    return [each for each in index.cases if each.outcome.status == "error" and (each.outcome.error or {}).get("status")
            and not (each.outcome.error or {}).get("fields") and connector.operation(each.operation).kind != "test"
            and not (platform.first.get(each.name) and python_retried(each, platform.first[each.name], connector))]


def test_api_errors_are_n8n_errors_with_the_api_message(n8n_verify_run: Run, cassette_index: CassetteIndex,
                                                        hellotracks: Connector) -> None:
    platform, outcomes, _ = n8n_verify_run
    cases = api_errors(cassette_index, platform, hellotracks)
    assert cases
    for recorded in cases:
        error, wanted = outcomes[recorded.name].error or {}, recorded.outcome.error or {}
        assert error["type"] == "NodeApiError" and error["status"] == wanted["status"], recorded.name
        assert error["message"] == wanted["message"], recorded.name


def test_invalid_input_is_refused_before_sending(n8n_verify_run: Run) -> None:
    _, outcomes, reports = n8n_verify_run
    error = outcomes["create_job_invalid_input"].error or {}
    assert "date: must be a date in YYYY-MM-DD format" in error["message"]
    assert "priority: must be at most 10, got 11" in error["message"]
    assert reports["create_job_invalid_input"].played == 0


def test_rate_limit_surfaces_the_first_429_without_retrying(n8n_verify_run: Run) -> None:
    _, outcomes, reports = n8n_verify_run
    for name, status in (("find_job_rate_limited", 429), ("find_member_temporary_error", 500)):
        assert (outcomes[name].error or {})["status"] == status and reports[name].played == 1


def tampered_case(tamper: str, index: CassetteIndex, platform: N8nPlatform, connector: Connector) -> str:
    """A case whose run the tamper makes wrong: a successful action, an API error, a refused input."""
    if tamper in ("output", "played"):
        return next(each.name for each in index.cases if each.outcome.status == "ok"
                    and connector.operation(each.operation).kind == "action")
    if tamper == "refusal_type":
        return next(each.name for each in index.cases if (each.outcome.error or {}).get("fields"))
    return api_errors(index, platform, connector)[0].name


@pytest.mark.parametrize("tamper", ["output", "played", "status", "message", "api_type", "refusal_type"])
def test_judge_catches_a_wrong_run(n8n_verify_run: Run, cassette_index: CassetteIndex, hellotracks: Connector,
                                   tamper: str) -> None:
    platform, outcomes, reports = n8n_verify_run
    name = tampered_case(tamper, cassette_index, platform, hellotracks)
    outcome, report = outcomes[name], reports[name]
    assert platform.judge(case(cassette_index, name), outcome, report) == []
    if tamper == "output":
        outcome = Outcome(status="ok", output={**outcome.output, "id": "other"})
    elif tamper == "played":
        report = CaseReport(played=0, recorded=report.recorded, mismatches=[])
    else:
        error = dict(outcome.error or {})
        error.update({"status": {"status": 500}, "message": {"message": "something else"},
                      "api_type": {"type": "NodeOperationError"}, "refusal_type": {"type": "NodeApiError"}}[tamper])
        outcome = Outcome(status="error", error=error)
    assert platform.judge(case(cassette_index, name), outcome, report) != []


def option_inputs(connector: Connector) -> dict[str, tuple[Operation, Field]]:
    """Each option source the action node lists, with the first operation and input that use it."""
    found: dict[str, tuple[Operation, Field]] = {}
    for operation in node_operations(connector):
        for field in input_fields(operation):
            if "x-options" in field.schema:
                found.setdefault(field.schema["x-options"], (operation, field))
    return found


def test_dropdowns_and_locators_list_the_source_like_the_python_runtime(
        hellotracks: Connector, n8n_package: Path, sandbox: Sandbox, client: Client) -> None:
    """Option sources have no cassette, so each dropdown (loadOptions) and resource locator list
    (listSearch, with and without text in its search box) runs against the loopback sandbox API."""
    credentials = {"apiKey": SANDBOX_KEY, "baseUrl": sandbox.base_url}
    for title in ("Gate repair", "Roof check"):  # the sandbox starts with no jobs to list
        client.run("create_job", {"title": title})
    sources = option_inputs(hellotracks)
    assert sources
    cases, expected = [], {}
    for source, (operation, field) in sources.items():
        choices = [{"name": choice["label"], "value": choice["value"]} for choice in client.options(source)]
        assert choices, source
        base = {"nodeType": "n8n-nodes-hellotracks.hellotracks", "credentialType": "hellotracksApi",
                "credentials": credentials, "path": f"additionalFields.{field.parameter}" if field.additional
                else field.parameter, "parameters": node_selection(hellotracks, operation)}
        if not field.locator:
            cases.append({**base, "name": source, "kind": "options", "method": option_loader(source)})
            expected[source] = choices
            continue
        wanted = str(choices[-1]["name"])[1:4].upper()
        cases += [{**base, "name": source, "kind": "listSearch", "method": list_searcher(source)},
                  {**base, "name": f"{source}_filtered", "kind": "listSearch", "method": list_searcher(source),
                   "filter": wanted}]
        expected[source] = {"results": choices}
        expected[f"{source}_filtered"] = {"results": [choice for choice in choices if wanted.lower() in
                                                      f"{choice['name']}\n{choice['value']}".lower()]}
        assert expected[f"{source}_filtered"]["results"], wanted
    outcomes = run_harness(n8n_package, cases)
    assert outcomes == {name: {"status": "ok", "output": output} for name, output in expected.items()}
