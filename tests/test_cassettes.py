"""Cassettes: complete, free of secrets, replayable by any HTTP client, and able to fail."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import yaml

from connector_core.build import build
from connector_core.cassettes.cases import load_index
from connector_core.cassettes.recording import record
from connector_core.cassettes.replay import MISMATCH_STATUS, REPLAY_KEY, ReplayServer
from connector_core.cassettes.verify import verify
from connector_core.sandbox import DEFAULT_API_KEY
from connector_core.spec import Connector
from connector_core.wire import secret_header
from tests.conftest import CASSETTES, SANDBOX_KEY

KNOWN_SECRETS = [SANDBOX_KEY, DEFAULT_API_KEY, "wrong-key-for-recording"]


def interactions(name: str, directory: Path = CASSETTES) -> list[dict]:
    return yaml.safe_load((directory / f"{name}.yaml").read_text())["interactions"]


def test_every_operation_has_a_passing_case_and_the_error_statuses_are_covered(hellotracks):
    index = load_index(CASSETTES)
    for key in hellotracks.operations:
        assert any(case.outcome.status == "ok" for case in index.for_operation(key)), key
    statuses = {case.outcome.error["status"] for case in index.cases if case.outcome.status == "error"}
    assert {400, 401, 404, 429} <= statuses
    recorded = {response["response"]["status"]["code"] for case in index.cases for response in interactions(case.name)}
    assert {200, 400, 401, 404, 429, 500} <= recorded
    assert all((CASSETTES / case.cassette).is_file() for case in index.cases)


def test_a_refused_input_has_an_empty_cassette():
    case = next(case for case in load_index(CASSETTES).cases if case.name == "create_job_invalid_input")
    assert case.interactions == 0 and interactions(case.name) == []
    assert case.outcome.error["type"] == "InputValidationError"
    assert case.outcome.error["fields"] == ["date", "priority"]


def test_trigger_cassettes_show_the_baseline_the_probe_and_paging():
    """Baseline, then the new jobs newest first through the probe (`skip` = the jobs already
    known), then a quiet poll from a later cursor; a burst pages through `skip` until a short page."""
    queries = [parse_qs(urlsplit(i["request"]["uri"]).query) for i in interactions("new_job")]
    since = [int(query["createdSince"][0]) for query in queries]
    assert [query["skip"][0] for query in queries] == ["0", "1", "4"]
    assert since[0] == since[1] < since[2]
    cases = {case.name: case for case in load_index(CASSETTES).cases}
    baseline, new, quiet = cases["new_job"].outcome.output
    assert baseline == [] and quiet == []
    assert [job["title"] for job in new] == ["Fix gate", "Inspect boiler", "Replace filter"]
    skips = [parse_qs(urlsplit(i["request"]["uri"]).query)["skip"][0] for i in interactions("new_job_paged")]
    assert skips == ["0", "0", "100"]


def test_update_sends_the_id_in_the_body_and_archive_encodes_nothing_extra():
    request = interactions("update_job")[0]["request"]
    assert (request["method"], urlsplit(request["uri"]).path) == ("PATCH", "/v1/jobs")
    assert '"id":"000000000000000000000001"' in request["body"]
    traversal = interactions("get_job_path_traversal")[0]["request"]["uri"]
    assert urlsplit(traversal).path == "/v1/jobs/..%2Fmembers%3Fx%23y"


def _scan_for_secrets(root: Path, secrets: list[str]) -> list[str]:
    leaks = []
    for path in root.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            leaks += [f"{path}: {secret}" for secret in secrets if secret in text]
    return leaks


def _secret_headers(root: Path, connector: Connector) -> set[str]:
    """Every value recorded in the header the spec's connection auth names."""
    header = secret_header(connector).lower()
    values = set()
    for path in root.glob("*.yaml"):
        for interaction in yaml.safe_load(path.read_text())["interactions"]:
            for name, value in interaction["request"]["headers"].items():
                if name.lower() == header:
                    values.update(value)
    return values


def test_no_cassette_or_generated_file_holds_a_key(tmp_path, hellotracks):
    assert _scan_for_secrets(CASSETTES, KNOWN_SECRETS) == []
    assert _secret_headers(CASSETTES, hellotracks) == {"REDACTED"}
    build(tmp_path / "dist")
    assert _scan_for_secrets(tmp_path / "dist", KNOWN_SECRETS) == []


def test_recording_scrubs_the_key_it_was_given(tmp_path, hellotracks):
    key = "recording-key-7d1e9"
    index = record("hellotracks", tmp_path, api_key=key)
    assert len(index.cases) == len(load_index(CASSETTES).cases)
    assert _scan_for_secrets(tmp_path, [key, "wrong-key-for-recording"]) == []
    assert _secret_headers(tmp_path, hellotracks) == {"REDACTED"}


# --- the replay server ----------------------------------------------------------------------------


@pytest.fixture
def replay():
    with ReplayServer(CASSETTES) as server:
        yield server


def test_replay_answers_any_http_client_from_the_cassette(replay):
    response = httpx.get(replay.base_url("get_job") + "/jobs/000000000000000000000001",
                         headers={"API-Key": REPLAY_KEY, "Accept": "application/json"})
    assert response.status_code == 200
    assert response.json()["data"]["items"][0]["title"] == "Get me"
    assert replay.report("get_job").ok


def test_replay_reports_a_request_that_differs_from_the_recording(replay):
    url = replay.base_url("update_job") + "/jobs"
    body = {"id": "000000000000000000000001", "title": "Another title", "contact": {"email": "site@example.com"}}
    response = httpx.patch(url, json=body, headers={"API-Key": REPLAY_KEY})
    assert response.status_code == MISMATCH_STATUS
    assert "cassette replay" in response.json()["error"]["message"]
    report = replay.report("update_job")
    assert not report.ok and report.played == 0
    assert "json_body" in report.mismatches[0] and "Another title" in report.mismatches[0]
    assert httpx.get(replay.root_url + "/_replay/report").json()["update_job"]["ok"] is False


@pytest.mark.parametrize(
    ("headers", "query", "reason"),
    [({}, "", "API-Key missing"), ({"API-Key": "other"}, "", "does not carry the replay key"),
     ({"API-Key": REPLAY_KEY}, f"&key={REPLAY_KEY}", "query"),
     ({"API-Key": REPLAY_KEY, "x-forwarded-key": REPLAY_KEY}, "", "header(s) x-forwarded-key")],
)
def test_replay_insists_on_the_key_in_its_header_only(replay, headers, query, reason):
    url = replay.base_url("find_job") + "/jobs?externalId=EXT-42&includeArchived=true&limit=1" + query
    assert httpx.get(url, headers=headers).status_code == MISMATCH_STATUS
    assert reason.split()[-1] in replay.report("find_job").mismatches[0]


def test_replay_plays_each_interaction_once_and_rewinds(replay):
    url = replay.base_url("test_connection") + "/auth/whoami"
    assert httpx.get(url, headers={"API-Key": REPLAY_KEY}).status_code == 200
    assert httpx.get(url, headers={"API-Key": REPLAY_KEY}).status_code == MISMATCH_STATUS
    assert "already played" in replay.report("test_connection").mismatches[0]
    replay.rewind()
    assert replay.report("test_connection").played == 0 and replay.report("test_connection").mismatches == []
    assert httpx.get(replay.base_url("create_job_invalid_input") + "/jobs").status_code == MISMATCH_STATUS
    assert "records no request" in replay.report("create_job_invalid_input").mismatches[0]


def test_an_unplayed_interaction_is_not_ok(replay):
    assert not replay.report("new_job").ok  # nothing replayed yet: 0 of 2 played


# --- verification ---------------------------------------------------------------------------------


def test_the_python_column_is_green(hellotracks):
    cells = verify(CASSETTES, ["python"])
    assert [cell.operation for cell in cells] == list(hellotracks.operations)  # a cell per operation of the spec
    assert [cell.operation for cell in cells if cell.status != "pass"] == []


def tampered_copy(tmp_path: Path, cassette: str, old: str, new: str) -> Path:
    """A copy of the committed cassettes with one text replaced in one cassette."""
    copy = tmp_path / "cassettes"
    shutil.copytree(CASSETTES, copy)
    path = copy / f"{cassette}.yaml"
    text = path.read_text()
    assert old in text, f"{old!r} is not in {cassette}: the tampering would change nothing"
    path.write_text(text.replace(old, new))
    return copy


def test_verify_fails_when_the_api_answered_differently_than_the_runtime_expects(tmp_path):
    copy = tampered_copy(tmp_path, "find_member", '"id":"ce2fg4"', '"id":"zz9999"')
    cells = {cell.operation: cell for cell in verify(copy, ["python"])}
    assert cells["find_member"].status == "fail"
    assert "outcome differs" in cells["find_member"].detail
    assert all(cell.status == "pass" for key, cell in cells.items() if key != "find_member")


def test_verify_fails_when_the_runtime_would_send_a_different_request(tmp_path):
    copy = tampered_copy(tmp_path, "new_job", "includeArchived=true", "includeArchived=false")
    cells = {cell.operation: cell for cell in verify(copy, ["python"])}
    assert cells["new_job"].status == "fail" and "query" in cells["new_job"].detail
