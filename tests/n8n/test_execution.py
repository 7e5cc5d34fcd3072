"""Every recorded case through n8n-core against the replay server, judged against the Python runtime."""

from __future__ import annotations

from pathlib import Path

import pytest

from connector_core import Client
from connector_core.sandbox import Sandbox
from connector_core.spec import Connector

from connector_core.cassettes.cases import CassetteIndex, Outcome, RecordedCase
from connector_core.cassettes.replay import CaseReport
from connector_core.cassettes.verify import verify
from connector_core.platforms import platform, platform_names
from n8n_bridge.platform import N8nPlatform
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


def test_outputs_equal_the_python_runtime(n8n_verify_run: Run, cassette_index: CassetteIndex) -> None:
    _, outcomes, reports = n8n_verify_run
    for name in ("create_job", "update_job", "delete_job", "find_job", "find_member", "find_member_no_exact_match",
                 "get_job", "test_connection"):
        recorded = case(cassette_index, name)
        assert outcomes[name] == recorded.outcome, name
        assert reports[name].ok and reports[name].played == recorded.interactions, name


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


def test_api_errors_are_n8n_errors_with_the_api_message(n8n_verify_run: Run) -> None:
    _, outcomes, _ = n8n_verify_run
    error = outcomes["create_job_unknown_member"].error or {}
    assert error["type"] == "NodeApiError" and error["status"] == 400
    assert error["message"] == "Unknown member job.assigneeUsername: nobody@example.com"
    traversal = outcomes["get_job_path_traversal"].error or {}
    assert traversal["status"] == 404 and traversal["message"] == "Job not found: ../members?x#y"


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


TAMPERED_CASE = {"output": "create_job", "played": "create_job", "status": "get_job_not_found",
                 "message": "get_job_not_found", "api_type": "get_job_not_found",
                 "refusal_type": "create_job_invalid_input"}


@pytest.mark.parametrize("tamper", list(TAMPERED_CASE))
def test_judge_catches_a_wrong_run(n8n_verify_run: Run, cassette_index: CassetteIndex, tamper: str) -> None:
    platform, outcomes, reports = n8n_verify_run
    name = TAMPERED_CASE[tamper]
    outcome, report = outcomes[name], reports[name]
    assert platform.judge(case(cassette_index, name), outcome, report) == []
    if tamper == "output":
        outcome = Outcome(status="ok", output={**outcome.output, "title": "other"})
    elif tamper == "played":
        report = CaseReport(played=0, recorded=report.recorded, mismatches=[])
    else:
        error = dict(outcome.error or {})
        error.update({"status": {"status": 500}, "message": {"message": "something else"},
                      "api_type": {"type": "NodeOperationError"}, "refusal_type": {"type": "NodeApiError"}}[tamper])
        outcome = Outcome(status="error", error=error)
    assert platform.judge(case(cassette_index, name), outcome, report) != []


def test_assignee_dropdown_lists_the_members_like_the_python_runtime(hellotracks: Connector, n8n_package: Path,
                                                                    sandbox: Sandbox, client: Client) -> None:
    """The option source has no cassette, so the dropdown runs against the loopback sandbox API."""
    credentials = {"apiKey": SANDBOX_KEY, "baseUrl": sandbox.base_url}
    outcome = run_harness(n8n_package, [{
        "name": "members", "kind": "options", "method": "getMembers", "path": "additionalFields.assigneeUsername",
        "nodeType": "n8n-nodes-hellotracks.hellotracks", "credentialType": "hellotracksApi",
        "credentials": credentials, "parameters": {"resource": "job", "operation": "create", "title": "T"}}])["members"]
    expected = [{"name": choice["label"], "value": choice["value"]} for choice in client.options("members")]
    assert outcome == {"status": "ok", "output": expected} and expected
