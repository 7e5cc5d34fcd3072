"""The `connectors` command line, end to end against the sandbox, the cassettes and the build.

Most checks call `connector_core.cli.main([...])` in-process and read `capsys`; a few run
`python -m connector_core` in a subprocess to prove the module entry point and its exit codes.
Exit codes: 0 success, 2 invalid input or usage (nothing sent), 1 API/transport error or a
failed verification.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from connector_core.cassettes.cases import RecordedCase, load_index
from connector_core.cassettes.replay import REPLAY_KEY, ReplayServer
from connector_core.cli import main
from connector_core.document import document_schema, dump_document, runtime_document
from connector_core.platforms import declined_by, platform_names, platforms
from connector_core.sandbox import DEFAULT_API_KEY, Sandbox
from connector_core.spec import Connector, bundled_connectors, load_connector

from tests.conftest import CASSETTES, ROOT, SANDBOX_KEY

HELLOTRACKS = load_connector("hellotracks")  # the expectations follow the spec: an added operation is covered
SUBCOMMANDS = ["list", "run", "poll", "options", "sandbox", "record", "verify", "replay", "build", "check"]
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


# -------------------------------------------------------------------------------- fixtures


@pytest.fixture(autouse=True)
def _no_ambient_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own Hellotracks settings must not leak into (or rescue) a test."""
    monkeypatch.delenv("HELLOTRACKS_API_KEY", raising=False)
    monkeypatch.delenv("HELLOTRACKS_BASE_URL", raising=False)


_HTTP: list[httpx.Client] = []


@pytest.fixture(scope="module", autouse=True)
def _shared_http_client() -> Iterator[None]:
    """One plain HTTP client for the tests' own setup and checks (building one per call is slow)."""
    with httpx.Client(timeout=5) as client:
        _HTTP.append(client)
        yield
        _HTTP.clear()


@pytest.fixture(scope="module")
def untouched_sandbox() -> Iterator[Sandbox]:
    """A sandbox shared by the tests that must leave it without jobs (refused input, API errors)."""
    with Sandbox("hellotracks", api_key=SANDBOX_KEY) as running:
        yield running


# --------------------------------------------------------------------------------- helpers


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `connectors ARGS` in-process: (exit code, stdout, stderr)."""
    capsys.readouterr()  # drop anything printed before
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def target(sandbox: Sandbox, key: str = SANDBOX_KEY) -> list[str]:
    return ["--base-url", sandbox.base_url, "--api-key", key]


def call(sandbox: Sandbox, method: str, path: str, *, key: str = SANDBOX_KEY, **options: Any) -> httpx.Response:
    """A request straight to the sandbox's /v1 API, bypassing the CLI."""
    return _HTTP[0].request(method, sandbox.base_url + path, headers={"API-Key": key}, **options)


def create(sandbox: Sandbox, **fields: Any) -> dict[str, Any]:
    """Create a job directly over HTTP (setup that does not go through the CLI)."""
    response = call(sandbox, "POST", "/jobs", json={"title": "Setup job", **fields})
    assert response.status_code == 200, response.text
    return response.json()["data"]["items"][0]


def all_jobs(sandbox: Sandbox) -> list[dict[str, Any]]:
    """Every job the sandbox holds, archived and deleted ones included."""
    response = call(sandbox, "GET", "/jobs", params={"includeArchived": "true"})
    assert response.status_code == 200, response.text
    return response.json()["data"]["items"]


def mark_success(sandbox: Sandbox, job_id: str) -> dict[str, Any]:
    """Complete a job through the sandbox's control plane (the public API cannot)."""
    response = _HTTP[0].post(f"{sandbox.root_url}/_sandbox/jobs/{job_id}/progress", json={"progress": "success"})
    assert response.status_code == 200, response.text
    return response.json()["data"]["items"][0]


def dead_url() -> str:
    """A base URL on a loopback port where nothing listens (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def one_line_error(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, f"expected a one-line error, got {err!r}"
    assert lines[0].startswith("error: "), err
    return lines[0]


def run_module(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m connector_core ARGS` in a fresh process, with only the given HELLOTRACKS_* variables."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("HELLOTRACKS_")}
    environment.update(PYTHONPATH=str(ROOT), **env)
    return subprocess.run([sys.executable, "-m", "connector_core", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=30)


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root, by relative path, with its bytes."""
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


# ------------------------------------------------------------------------------ 1. list


def listed(connector: Connector) -> dict[str, tuple[str, str, str, str]]:
    """What `list` must show for each operation of the spec, in its order: kind, method, path, label."""
    return {key: (op.kind, op.request.method, op.request.path, op.label) for key, op in connector.operations.items()}


def test_list_json_names_every_operation_of_every_connector_with_its_method_and_path(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "list", "--format", "json")
    assert (code, err) == (0, "")
    rows = json.loads(out)
    assert rows == [{"connector": name, "key": key, "kind": kind, "label": label, "method": method, "path": path}
                    for name in bundled_connectors()
                    for key, (kind, method, path, label) in listed(load_connector(name)).items()]
    shown = {(row["connector"], row["key"]): (row["kind"], row["method"], row["path"], row["label"]) for row in rows}
    assert shown["hellotracks", "create_job"] == ("action", "POST", "/jobs", "Create Job")  # as a user reads it


def test_a_reader_that_leaves_early_ends_the_listing_without_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)   # the reader has left, as `| head` does once it has enough
    with open(write_end, "w", encoding="utf-8", buffering=1) as gone:
        monkeypatch.setattr(sys, "stdout", gone)
        assert main(["list", "--format", "json"]) == 141
        print("later output goes nowhere", flush=True)   # and cannot fail again at exit


def test_list_connector_filter_and_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "list", "--connector", "hellotracks", "--format", "json")
    assert code == 0
    assert [row["key"] for row in json.loads(out)] == list(HELLOTRACKS.operations)

    code, out, err = cli(capsys, "list", "--connector", "hellotracks")  # table is the default
    assert (code, err) == (0, "")
    header, *lines = out.rstrip("\n").splitlines()
    assert header.split() == ["connector", "key", "kind", "label", "method", "path"]
    assert len(lines) == len(HELLOTRACKS.operations)
    for line, (key, (kind, method, path, label)) in zip(lines, listed(HELLOTRACKS).items()):
        assert line.split() == ["hellotracks", key, kind, *label.split(), method, path]
    # columns are aligned: every row puts the method at the header's `method` column
    column = header.index("method")
    assert all(line[column:].split()[0] in {"GET", "POST", "PATCH", "DELETE"} for line in lines)


def test_list_unknown_connector_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "list", "--connector", "nope")
    assert code == 2 and out == ""
    assert "nope" in one_line_error(err)


# ------------------------------------------------------------------------------- 2. run


def _setup_none(sandbox: Sandbox) -> dict[str, Any]:
    return {}


def _setup_job(sandbox: Sandbox) -> dict[str, Any]:
    return {"job": create(sandbox, title="Existing", externalId="EXT-CLI-1")}


def _setup_completed(sandbox: Sandbox) -> dict[str, Any]:
    done = create(sandbox, title="Done")
    create(sandbox, title="Still open")
    return {"job": mark_success(sandbox, done["id"])}


def _check_test_connection(result: Any, ctx: dict, sandbox: Sandbox) -> None:
    assert result["company"]["name"] == "Sandbox Field Services"


def _check_new_or_updated(result: Any, ctx: dict, sandbox: Sandbox) -> None:
    assert [job["id"] for job in result] == [ctx["job"]["id"]]


def _check_completed(result: Any, ctx: dict, sandbox: Sandbox) -> None:
    assert [(job["id"], job["progress"]) for job in result] == [(ctx["job"]["id"], "success")]


def _check_create(result: Any, ctx: dict, sandbox: Sandbox) -> None:
    assert result["title"] == "From the CLI" and result["priority"] == 3
    assert result["timeWindow"] == {"start": "09:00", "end": "17:00"}
    assert [job["id"] for job in all_jobs(sandbox)] == [result["id"]]


def _check_update(result: Any, ctx: dict, sandbox: Sandbox) -> None:
    assert result["id"] == ctx["job"]["id"] and result["title"] == "Renamed"
    assert all_jobs(sandbox)[0]["title"] == "Renamed"


def _check_archive(result: Any, ctx: dict, sandbox: Sandbox) -> None:
    assert result["id"] == ctx["job"]["id"] and result["progress"] == "archived"


def _check_delete(result: Any, ctx: dict, sandbox: Sandbox) -> None:
    assert result == {"id": ctx["job"]["id"]}
    # the sandbox soft-deletes: the job is gone from get_job and from the active list
    assert call(sandbox, "GET", f"/jobs/{result['id']}").status_code == 404
    assert call(sandbox, "GET", "/jobs").json()["data"]["items"] == []


def _check_find_job(result: Any, ctx: dict, sandbox: Sandbox) -> None:
    assert [job["id"] for job in result] == [ctx["job"]["id"]]


def _check_find_member(result: Any, ctx: dict, sandbox: Sandbox) -> None:
    assert result == [{"id": "ce2fg4", "username": "worker@example.com", "email": "worker@example.com",
                       "name": "Worker Name"}]


def _check_get(result: Any, ctx: dict, sandbox: Sandbox) -> None:
    assert result["id"] == ctx["job"]["id"] and result["title"] == "Existing"


RUN_CASES: dict[str, tuple[Callable[[Sandbox], dict], Callable[[dict], dict], Callable[[Any, dict, Sandbox], None]]] = {
    "test_connection": (_setup_none, lambda ctx: {}, _check_test_connection),
    "new_job": (_setup_job, lambda ctx: {}, _check_new_or_updated),
    "updated_job": (_setup_job, lambda ctx: {}, _check_new_or_updated),
    "completed_job": (_setup_completed, lambda ctx: {}, _check_completed),
    "create_job": (_setup_none, lambda ctx: {"title": "From the CLI", "priority": "3",
                                             "timeWindow": {"start": "09:00", "end": "17:00"}}, _check_create),
    "update_job": (_setup_job, lambda ctx: {"id": ctx["job"]["id"], "title": "Renamed"}, _check_update),
    "archive_job": (_setup_job, lambda ctx: {"id": ctx["job"]["id"]}, _check_archive),
    "delete_job": (_setup_job, lambda ctx: {"id": ctx["job"]["id"]}, _check_delete),
    "find_job": (_setup_job, lambda ctx: {"externalId": "EXT-CLI-1"}, _check_find_job),
    "find_member": (_setup_none, lambda ctx: {"query": "WORKER@example.com"}, _check_find_member),
    "get_job": (_setup_job, lambda ctx: {"id": ctx["job"]["id"]}, _check_get),
}


def test_run_cases_name_operations_of_the_spec() -> None:
    """The scenarios above are hand-written for the operations they name; every other operation is
    run through the CLI from its recorded case (`test_run_replays_the_recorded_case_of_every_operation`)."""
    assert set(RUN_CASES) <= set(HELLOTRACKS.operations)


@pytest.mark.parametrize("operation", list(RUN_CASES))
def test_run_scenarios_against_the_sandbox(operation: str, sandbox: Sandbox,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    setup, make_input, check = RUN_CASES[operation]
    ctx = setup(sandbox)
    code, out, err = cli(capsys, "run", "hellotracks", operation, "--input", json.dumps(make_input(ctx)),
                         *target(sandbox))
    assert (code, err) == (0, ""), err
    result = json.loads(out)
    spec = HELLOTRACKS.operation(operation)
    assert isinstance(result, list) == (spec.kind == "trigger" or spec.response.returns_list)
    check(result, ctx, sandbox)
    assert SANDBOX_KEY not in out


def one_request_cases() -> list[RecordedCase]:
    """Per operation that `run` runs once (not a trigger), its first recorded success made of one request."""
    chosen: dict[str, RecordedCase] = {}
    for case in load_index(CASSETTES).cases:
        if (HELLOTRACKS.operation(case.operation).kind != "trigger" and case.outcome.status == "ok"
                and case.interactions == 1):
            chosen.setdefault(case.operation, case)
    return list(chosen.values())


def test_every_operation_but_the_triggers_has_a_case_run_can_replay() -> None:
    assert {case.operation for case in one_request_cases()} == {
        key for key, op in HELLOTRACKS.operations.items() if op.kind != "trigger"}


@pytest.mark.parametrize("case", one_request_cases(), ids=lambda case: case.name)
def test_run_replays_the_recorded_case_of_every_operation(case: RecordedCase, capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    """`run` sends exactly the recorded request and prints the recorded result, for any operation."""
    with ReplayServer(CASSETTES) as replay:
        code, out, err = cli(capsys, "run", "hellotracks", case.operation, "--input", json.dumps(case.input),
                             "--base-url", replay.base_url(case.name), "--api-key", REPLAY_KEY)
        report = replay.report(case.name)
    assert (code, err) == (0, ""), err
    assert json.loads(out) == case.outcome.output
    assert report.ok, report.mismatches


def test_run_takes_the_key_and_the_base_url_from_the_environment(
        untouched_sandbox: Sandbox, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HELLOTRACKS_API_KEY", SANDBOX_KEY)
    code, out, err = cli(capsys, "run", "hellotracks", "test_connection", "--base-url", untouched_sandbox.base_url)
    assert (code, err) == (0, "")
    assert json.loads(out)["user"]["username"] == "admin@example.com"

    monkeypatch.setenv("HELLOTRACKS_BASE_URL", untouched_sandbox.base_url)
    code, out, _ = cli(capsys, "run", "hellotracks", "test_connection")
    assert code == 0 and json.loads(out)["company"]["id"] == "5a9c0e7d"


def test_run_without_any_key_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    # nothing listens at the base URL: exit 2 (not the transport error's 1) shows nothing was tried
    code, out, err = cli(capsys, "run", "hellotracks", "create_job", "--input", '{"title":"x"}',
                         "--base-url", dead_url())
    assert code == 2 and out == ""
    assert "HELLOTRACKS_API_KEY" in one_line_error(err)


def test_run_reads_input_from_a_file(sandbox: Sandbox, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "job.json"
    source.write_text(json.dumps({"title": "From a file", "notes": "Ünïcode ✓", "date": "2026-05-10"}),
                      encoding="utf-8")
    code, out, err = cli(capsys, "run", "hellotracks", "create_job", "--input", f"@{source}", *target(sandbox))
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert (result["title"], result["notes"], result["date"]) == ("From a file", "Ünïcode ✓", "2026-05-10")
    assert "Ünïcode ✓" in out  # printed as UTF-8, not \u-escaped
    assert [job["title"] for job in all_jobs(sandbox)] == ["From a file"]


def test_run_with_a_missing_input_file_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "absent.json"
    code, out, err = cli(capsys, "run", "hellotracks", "create_job", "--input", f"@{missing}",
                         "--base-url", dead_url(), "--api-key", SANDBOX_KEY)
    assert code == 2 and out == ""
    assert str(missing) in one_line_error(err)


# ----------------------------------------------------------------------- 3. invalid input


INVALID = [
    pytest.param("create_job", '{"title":"x","priority":11}', ["priority", "at most 10", "11"], id="priority-11"),
    pytest.param("create_job", '{"title":"x","date":"2026/05/10"}', ["date", "YYYY-MM-DD", "2026/05/10"],
                 id="date-slashes"),
    pytest.param("create_job", '{"title":"x","date":"2026-02-30"}', ["date", "YYYY-MM-DD"], id="date-not-a-day"),
    pytest.param("create_job", '{"title":"x","timeWindow":{"start":"9am"}}', ["timeWindow.start", "pattern", "9am"],
                 id="time-9am"),
    pytest.param("create_job", '{"title":"x","contact":{"email":"nope"}}', ["contact.email", "email address", "nope"],
                 id="email-nope"),
    pytest.param("create_job", '{"notes":"no title"}', ["title", "is required"], id="missing-title"),
    pytest.param("create_job", '{"title":""}', ["title", "is required"], id="empty-title-is-unfilled"),
    pytest.param("update_job", '{"title":"x"}', ["id", "is required"], id="update-without-id"),
    pytest.param("create_job", '{"title":"x","colour":"red"}', ["colour", "not a known field"], id="unknown-field"),
    pytest.param("create_job", '{"title": "x",', ["--input", "not valid JSON"], id="malformed-json"),
    pytest.param("create_job", '["title"]', ["--input", "JSON object"], id="json-not-an-object"),
    pytest.param("archive_the_job", '{"id":"x"}', ["archive_the_job", "no operation"], id="unknown-operation"),
]


@pytest.mark.parametrize(("operation", "text", "expected"), INVALID)
def test_invalid_input_exits_2_names_the_field_and_sends_nothing(
        operation: str, text: str, expected: list[str], untouched_sandbox: Sandbox,
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "run", "hellotracks", operation, "--input", text, *target(untouched_sandbox))
    assert code == 2
    assert out == ""
    line = one_line_error(err)
    for fragment in expected:
        assert fragment in line, f"{fragment!r} missing from {line!r}"
    assert SANDBOX_KEY not in err
    assert all_jobs(untouched_sandbox) == []  # nothing reached the API


def test_invalid_input_is_refused_before_any_connection(capsys: pytest.CaptureFixture[str]) -> None:
    """Nothing listens on this port: a request attempt would be a transport error (exit 1)."""
    dead = dead_url()
    code, out, err = cli(capsys, "run", "hellotracks", "create_job", "--input", '{"title":"x","priority":11}',
                         "--base-url", dead, "--api-key", SANDBOX_KEY)
    assert (code, out) == (2, "")
    assert "priority" in one_line_error(err) and "cannot connect" not in err
    # the same port with a valid input is indeed unreachable, which is exit 1
    code, out, err = cli(capsys, "run", "hellotracks", "create_job", "--input", '{"title":"x"}',
                         "--base-url", dead, "--api-key", SANDBOX_KEY)
    assert (code, out) == (1, "")
    assert "cannot connect to http://127.0.0.1:" in one_line_error(err)


def test_unknown_connector_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "run", "nope", "create_job", "--api-key", SANDBOX_KEY)
    assert (code, out) == (2, "")
    assert "nope" in one_line_error(err)


# --------------------------------------------------------------------------- 4. API errors


def test_an_action_on_a_missing_record_exits_1_with_the_api_message(
        untouched_sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    api_message = call(untouched_sandbox, "POST", "/jobs/no-such-job/archive").json()["error"]["message"]
    code, out, err = cli(capsys, "run", "hellotracks", "archive_job", "--input", '{"id":"no-such-job"}',
                         *target(untouched_sandbox))
    assert (code, out) == (1, "")
    line = one_line_error(err)
    assert "404" in line and api_message in line
    assert SANDBOX_KEY not in err


@pytest.mark.parametrize(("operation", "value", "printed"), [
    ("get_job", {"id": "no-such-job"}, None),   # extract first: a 404 is nothing found
    ("find_job", {"externalId": "NO-SUCH"}, []),  # extract items: an empty list
])
def test_a_search_that_finds_nothing_prints_it_and_exits_0(
        operation: str, value: dict[str, str], printed: Any, untouched_sandbox: Sandbox,
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "run", "hellotracks", operation, "--input", json.dumps(value),
                         *target(untouched_sandbox))
    assert (code, err) == (0, "")
    assert json.loads(out) == printed


def test_wrong_key_exits_1_with_the_api_message_and_no_key(untouched_sandbox: Sandbox,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    wrong = "wrong-key-7d1e9a"
    api_message = call(untouched_sandbox, "GET", "/auth/whoami", key=wrong).json()["error"]["message"]
    code, out, err = cli(capsys, "run", "hellotracks", "test_connection", *target(untouched_sandbox, wrong))
    assert (code, out) == (1, "")
    line = one_line_error(err)
    assert "401" in line and api_message in line
    assert wrong not in out + err and SANDBOX_KEY not in out + err


def test_a_key_echoed_by_the_api_is_redacted(untouched_sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    """The sandbox echoes the unknown id in its 404 message; here that id is the key itself."""
    assert SANDBOX_KEY in call(untouched_sandbox, "POST", f"/jobs/{SANDBOX_KEY}/archive").json()["error"]["message"]
    code, out, err = cli(capsys, "run", "hellotracks", "archive_job", "--input", json.dumps({"id": SANDBOX_KEY}),
                         *target(untouched_sandbox))
    assert (code, out) == (1, "")
    assert "404" in one_line_error(err)
    assert SANDBOX_KEY not in err


def test_api_validation_error_exits_1(untouched_sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    """Input that passes the schema but that the API refuses (unknown member) is an API error."""
    code, out, err = cli(capsys, "run", "hellotracks", "create_job",
                         "--input", '{"title":"x","assigneeUsername":"ghost@example.com"}', *target(untouched_sandbox))
    assert (code, out) == (1, "")
    line = one_line_error(err)
    assert "400" in line and "ghost@example.com" in line
    assert all_jobs(untouched_sandbox) == []


def test_unreachable_base_url_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    dead = dead_url()
    code, out, err = cli(capsys, "run", "hellotracks", "test_connection", "--base-url", dead,
                         "--api-key", SANDBOX_KEY)
    assert (code, out) == (1, "")
    line = one_line_error(err)
    assert f"cannot connect to {dead.removesuffix('/v1')}: " in line and "/v1" not in line  # the origin, never the path
    assert SANDBOX_KEY not in err


# ------------------------------------------------------------------------------- 5. poll


def test_poll_emits_each_new_job_exactly_once_across_runs(sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
                                                           tmp_path: Path) -> None:
    state = tmp_path / "new_job.state.json"
    backlog = create(sandbox, title="Before activation")
    poll = ["poll", "hellotracks", "new_job", "--state", str(state), *target(sandbox)]

    code, out, err = cli(capsys, *poll)
    assert (code, out, err) == (0, "", "")  # the first run sets a baseline: the backlog is not replayed
    saved = json.loads(state.read_text(encoding="utf-8"))
    assert isinstance(saved["cursor"], int) and saved["walk"] is None and '["%s"]' % backlog["id"] in saved["seen"]

    first, second = create(sandbox, title="First"), create(sandbox, title="Second")
    code, out, err = cli(capsys, *poll)
    assert (code, err) == (0, "")
    events = [json.loads(line) for line in out.splitlines()]
    assert sorted(event["id"] for event in events) == sorted([first["id"], second["id"]])
    assert [event["createdAt"] for event in events] == sorted(event["createdAt"] for event in events)  # oldest first

    code, out, err = cli(capsys, *poll)
    assert (code, out, err) == (0, "", "")

    third = create(sandbox, title="Third")
    code, out, err = cli(capsys, *poll)
    assert (code, err) == (0, "")
    assert [json.loads(line)["id"] for line in out.splitlines()] == [third["id"]]

    code, out, _ = cli(capsys, *poll)
    assert (code, out) == (0, "")


def test_poll_latest_prints_the_newest_job_without_state(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    create(sandbox, title="Older")
    newest = create(sandbox, title="Newest")
    code, out, err = cli(capsys, "poll", "hellotracks", "new_job", "--latest", *target(sandbox))
    assert (code, err) == (0, "")
    assert [json.loads(line)["id"] for line in out.splitlines()] == [newest["id"]]


def test_poll_needs_a_state_file_or_latest(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli(capsys, "poll", "hellotracks", "new_job", "--base-url", dead_url(), "--api-key", SANDBOX_KEY)
    assert exit_info.value.code == 2


def test_poll_completed_job_emits_only_successful_jobs(sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
                                                       tmp_path: Path) -> None:
    state = tmp_path / "completed.json"
    open_job, done = create(sandbox, title="Open"), create(sandbox, title="Done")
    poll = ["poll", "hellotracks", "completed_job", "--state", str(state), *target(sandbox)]
    code, out, _ = cli(capsys, *poll)
    assert (code, out) == (0, "")
    mark_success(sandbox, done["id"])
    code, out, _ = cli(capsys, *poll)
    assert code == 0
    assert [json.loads(line)["id"] for line in out.splitlines()] == [done["id"]]
    assert open_job["id"] not in out


def test_poll_on_a_non_trigger_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    code, out, err = cli(capsys, "poll", "hellotracks", "create_job", "--state", str(state),
                         "--base-url", dead_url(), "--api-key", SANDBOX_KEY)
    assert (code, out) == (2, "")  # 2, not the unreachable API's 1: nothing was sent
    line = one_line_error(err)
    assert "create_job" in line and "not a trigger" in line
    assert not state.exists()


def test_poll_with_invalid_input_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    code, out, err = cli(capsys, "poll", "hellotracks", "new_job", "--input", '{"since":1}', "--state", str(state),
                         "--base-url", dead_url(), "--api-key", SANDBOX_KEY)
    assert (code, out) == (2, "")
    assert "since" in one_line_error(err)
    assert not state.exists()


@pytest.mark.parametrize("content", ["{not json", "[]"])
def test_poll_with_a_corrupt_state_file_is_a_one_line_error(capsys: pytest.CaptureFixture[str],
                                                            tmp_path: Path, content: str) -> None:
    state = tmp_path / "state.json"
    state.write_text(content, encoding="utf-8")
    code, out, err = cli(capsys, "poll", "hellotracks", "new_job", "--state", str(state),
                         "--base-url", dead_url(), "--api-key", SANDBOX_KEY)
    assert code == 2 and out == ""
    assert "state" in one_line_error(err)
    assert state.read_text(encoding="utf-8") == content


def test_poll_with_a_state_object_it_cannot_read_sets_a_baseline(sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
                                                                 tmp_path: Path) -> None:
    create(sandbox, title="Any")
    state = tmp_path / "state.json"
    state.write_text('{"cursor": "soon", "seen": {}}', encoding="utf-8")
    code, out, err = cli(capsys, "poll", "hellotracks", "new_job", "--state", str(state), *target(sandbox))
    assert (code, out, err) == (0, "", "")  # docs/polling.md: a state the runtime cannot read starts afresh
    assert isinstance(json.loads(state.read_text(encoding="utf-8"))["cursor"], int)


def test_poll_with_a_state_file_in_a_missing_directory_fails_cleanly(
        sandbox: Sandbox, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    create(sandbox, title="Any")
    state = tmp_path / "missing-dir" / "state.json"
    code, out, err = cli(capsys, "poll", "hellotracks", "new_job", "--state", str(state), *target(sandbox))
    assert (code, out) == (2, "")
    assert "missing" in one_line_error(err)


# ----------------------------------------------------------------------------- 6. verify


def test_verify_passes_every_cell_of_the_committed_cassettes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "verify", "--cassettes", str(CASSETTES), "--format", "json")
    assert (code, err) == (0, "")
    cells = json.loads(out)["cells"]
    assert len(cells) == len(HELLOTRACKS.operations) * len(platform_names())
    for platform in platform_names():
        assert [cell["operation"] for cell in cells if cell["platform"] == platform] == list(HELLOTRACKS.operations)
    declined = {name: declined_by(column, runtime_document(HELLOTRACKS)) for name, column in platforms().items()}
    for cell in cells:
        assert set(cell) == {"connector", "operation", "platform", "status", "detail", "cases"}
        why = declined[cell["platform"]].get(cell["operation"])
        if why is not None:  # the platform's artifact leaves it out (Make: a trigger its state cannot keep)
            assert (cell["status"], cell["detail"], cell["cases"]) == ("not offered", f"not offered: {why}", []), cell
            continue
        assert (cell["connector"], cell["status"]) == ("hellotracks", "pass"), cell
        assert "match their cassettes" in cell["detail"]
        assert all(case["status"] == "pass" and case["diff"] == [] for case in cell["cases"])


def test_verify_fails_exactly_the_tampered_operations(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    tampered = tmp_path / "hellotracks"
    shutil.copytree(CASSETTES, tampered)
    update = tampered / "update_job.yaml"
    text = update.read_text(encoding="utf-8")
    assert text.count('"title":"New title","contact"') == 1
    update.write_text(text.replace('"title":"New title","contact"', '"title":"Tampered title","contact"'),
                      encoding="utf-8")
    find = tampered / "find_job.yaml"
    text = find.read_text(encoding="utf-8")
    assert text.count("externalId=EXT-42&") == 1
    find.write_text(text.replace("externalId=EXT-42&", "externalId=EXT-99&"), encoding="utf-8")

    code, out, err = cli(capsys, "verify", "--cassettes", str(tampered), "--format", "json")
    assert code == 1
    cells = {cell["operation"]: cell for cell in json.loads(out)["cells"]}
    assert list(cells) == list(HELLOTRACKS.operations)
    assert {key for key, cell in cells.items() if cell["status"] == "fail"} == {"update_job", "find_job"}
    assert "Tampered title" in cells["update_job"]["detail"] and "New title" in cells["update_job"]["detail"]
    assert "EXT-99" in cells["find_job"]["detail"] and "EXT-42" in cells["find_job"]["detail"]
    assert "query" in cells["find_job"]["detail"]


def test_verify_usage_errors_and_default_directory(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = cli(capsys, "verify", "--cassettes", str(CASSETTES), "--platform", "nosuch")
    assert (code, out) == (2, "")
    assert "nosuch" in one_line_error(err)

    # the default cassette directory is tests/cassettes/<connector> under the current directory
    monkeypatch.chdir(tmp_path)
    code, out, err = cli(capsys, "verify", "--connector", "hellotracks")
    assert (code, out) == (2, "")
    assert str(Path("tests/cassettes/hellotracks")) in one_line_error(err)
    code, out, err = cli(capsys, "verify")  # no connector named, and none recorded here
    assert (code, out) == (2, "")
    assert one_line_error(err) == ("error: no recorded cassettes in tests/cassettes/ for any connector "
                                   "(run `connectors record --connector NAME`)")


def test_verify_without_a_connector_verifies_every_recorded_connector_in_one_table(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    committed = ROOT / "tests" / "cassettes"
    recorded = [name for name in bundled_connectors() if (committed / name / "index.json").is_file()]
    for name in recorded:
        shutil.copytree(committed / name, tmp_path / "tests" / "cassettes" / name)
    if len(recorded) > 1:  # a connector's folder without index.json is not a recording: skipped
        (tmp_path / "tests" / "cassettes" / recorded.pop(0) / "index.json").unlink()
    monkeypatch.chdir(tmp_path)

    code, out, err = cli(capsys, "verify", "--platform", "python", "--format", "json")
    cells = json.loads(out)["cells"]
    assert [(cell["connector"], cell["operation"]) for cell in cells] == [
        (name, key) for name in recorded for key in load_connector(name).operations]
    assert code == (0 if all(cell["status"] == "pass" for cell in cells) else 1)

    code, out, _ = cli(capsys, "verify", "--connector", recorded[-1], "--platform", "python")
    table = out.split("\n\n")[0].splitlines()[1:]  # the rows, before the totals
    named = recorded[-1]
    assert [row.split()[0] for row in table] == [f"{named}.{key}" for key in load_connector(named).operations]


# ------------------------------------------------------------------------------ 7. build


def _api_key_values(data: Any) -> list[Any]:
    """Every value stored under an API-Key-like key, at any depth."""
    found = []
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str) and key.lower().replace("_", "-") == "api-key":
                found.append(value)
            found.extend(_api_key_values(value))
    elif isinstance(data, list):
        for item in data:
            found.extend(_api_key_values(item))
    return found


def test_build_writes_spec_and_schemas_deterministically(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    connectors = [load_connector(name) for name in bundled_connectors()]
    secrets = {}
    for connector in connectors:  # every secret a developer may have set: none may reach an artifact
        for field in connector.connection.secret_fields:
            if field.env:
                secrets[field.env] = f"live-secret-{len(secrets)}-4e8b0c1d9a"
                monkeypatch.setenv(field.env, secrets[field.env])
    first, second = tmp_path / "one", tmp_path / "two"
    code, out, err = cli(capsys, "build", "--out", str(first))
    assert (code, err) == (0, "")
    assert cli(capsys, "build", "--out", str(second))[0] == 0

    everything_built = tree(first)
    assert out.strip() == f"wrote {len(everything_built)} file(s) to {first}"
    assert everything_built == tree(second)  # byte-identical trees, every platform included
    built = {path: data for path, data in everything_built.items() if path.startswith("spec/")}
    runtime_schema = json.loads(built["spec/runtime.schema.json"])
    assert runtime_schema == document_schema()
    expected = {"spec/runtime.schema.json"}
    generating: set[str] = set()
    for connector in connectors:
        name = connector.name
        document = runtime_document(connector)
        for platform_name, platform in platforms().items():
            if platform.generate(document):
                generating.add(platform_name)
                folder = f"{platform_name}/{platform.directory(document)}/"
                assert any(path.startswith(folder) for path in everything_built), folder
        expected |= {f"spec/{name}/spec.json", f"spec/{name}/runtime.json"} | {
            f"spec/{name}/schemas/{key}.{side}.json" for key in connector.operations for side in ("input", "output")}
        assert built[f"spec/{name}/runtime.json"].decode("utf-8") == dump_document(document)
        jsonschema.Draft202012Validator(runtime_schema).validate(json.loads(built[f"spec/{name}/runtime.json"]))

        spec = json.loads(built[f"spec/{name}/spec.json"])
        assert sorted(spec["operations"]) == sorted(connector.operations)
        for key, operation in connector.operations.items():
            for side, schema in (("input", operation.input), ("output", operation.output)):
                raw = built[f"spec/{name}/schemas/{key}.{side}.json"]
                assert raw.endswith(b"}\n")
                written = json.loads(raw)
                assert written["$schema"] == SCHEMA_DIALECT
                assert {k: v for k, v in written.items() if k != "$schema"} == schema
        templates = {k: v for k, v in spec["connection"]["auth"].items() if k not in ("type", "header")}
        assert all(re.fullmatch(r"\{[a-z_]+\}", value) for value in templates.values())  # templates, not values
    assert set(built) == expected
    assert {path.split("/")[0] for path in everything_built} == {"spec"} | generating

    everything = b"".join(everything_built.values())  # bytes: icons are PNG files
    for leaked in (*secrets.values(), SANDBOX_KEY, DEFAULT_API_KEY):
        assert leaked.encode("utf-8") not in everything
    assert not re.search(rb"\b[0-9a-f]{32}\b", everything)  # no recorder-style random key
    for document in map(json.loads, built.values()):
        assert all(value in ("REDACTED", ["REDACTED"]) for value in _api_key_values(document))


def test_build_replaces_a_stale_tree(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    stale = tmp_path / "spec" / "hellotracks" / "schemas" / "removed_op.input.json"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}", encoding="utf-8")
    assert cli(capsys, "build", "--out", str(tmp_path), "--connector", "hellotracks")[0] == 0
    assert not stale.exists()
    # the runtime document's schema, then per operation two schemas, the spec and the runtime document
    assert len([path for path in tree(tmp_path) if path.startswith("spec/")]) == 1 + 2 * len(HELLOTRACKS.operations) + 2


# ------------------------------------------------------------------------------- 8. help


def test_top_level_help_lists_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: connectors")
    for name in SUBCOMMANDS:
        assert re.search(rf"^\s+{name}\s", out, re.MULTILINE), f"{name} missing from --help"


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_every_subcommand_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    captured = capsys.readouterr()
    assert captured.out.startswith(f"usage: connectors {command}")
    assert captured.err == ""


def test_missing_or_unknown_subcommand_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in ([], ["launch"]):
        with pytest.raises(SystemExit) as exited:
            main(argv)
        assert exited.value.code == 2
        assert "usage: connectors" in capsys.readouterr().err


# ------------------------------------------------------------------------------ 9. record


RECORDED = [name for name in bundled_connectors() if (ROOT / "tests" / "cassettes" / name / "index.json").is_file()]


@pytest.mark.parametrize("name", RECORDED)
def test_record_against_the_deterministic_sandbox_reproduces_the_cassettes(
        name: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from connector_core.wire import secret_header

    connector = load_connector(name)
    out_dir = tmp_path / "recorded"
    code, out, err = cli(capsys, "record", "--connector", name, "--out", str(out_dir))
    assert (code, err) == (0, "")
    committed = tree(ROOT / "tests" / "cassettes" / name)
    assert len(committed) > len(connector.operations)  # a case per operation at least, and the index
    recorded = tree(out_dir)
    assert sorted(recorded) == sorted(committed)
    differing = [file for file in committed if recorded[file] != committed[file]]
    assert differing == []
    assert out == f"{len(committed) - 1} case(s) recorded against the sandbox into {out_dir}\n"  # no progress in a pipe
    everything = b"".join(recorded.values())
    assert f"{secret_header(connector)}:\n      - REDACTED".encode() in recorded[f"{connector.connection.test}.yaml"]
    assert not re.search(rb"\b[0-9a-f]{32}\b", everything)  # the recorder's random sandbox key


# ---------------------------------------------------------------- module entry point (subprocess)


def test_module_entry_point_exit_codes_end_to_end(sandbox: Sandbox, tmp_path: Path) -> None:
    env = {"HELLOTRACKS_API_KEY": SANDBOX_KEY, "HELLOTRACKS_BASE_URL": sandbox.base_url}

    refused = run_module("run", "hellotracks", "create_job", "--input", '{"title":"x","priority":11}',
                         cwd=tmp_path, **env)
    assert refused.returncode == 2 and refused.stdout == ""
    assert "priority" in one_line_error(refused.stderr)
    assert all_jobs(sandbox) == []

    created = run_module("run", "hellotracks", "create_job", "--input", '{"title":"Via subprocess"}',
                         cwd=tmp_path, **env)
    assert created.returncode == 0, created.stderr
    job = json.loads(created.stdout)
    assert [item["id"] for item in all_jobs(sandbox)] == [job["id"]]

    missing = run_module("run", "hellotracks", "archive_job", "--input", '{"id":"no-such-job"}', cwd=tmp_path, **env)
    assert missing.returncode == 1 and missing.stdout == ""
    assert "404" in one_line_error(missing.stderr)
    assert SANDBOX_KEY not in missing.stderr


# ------------------------------------------------------------------------------ 10. sandbox


def test_sandbox_command_names_its_connector_serves_it_and_logs_each_request(tmp_path: Path,
                                                                             hellotracks: Connector) -> None:
    port = free_port()
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([sys.executable, "-m", "connector_core", "sandbox", "--connector", "hellotracks",
                               "--port", str(port)], cwd=tmp_path,
                              env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        banner = server.stdout.readline()   # printed once the socket listens
        assert banner == (f"{hellotracks.label} sandbox at http://127.0.0.1:{port}/v1 "
                          f"(send API-Key: {DEFAULT_API_KEY}); Ctrl-C stops it\n")
        url = f"http://127.0.0.1:{port}/v1/auth/whoami"
        whoami = _HTTP[0].get(url, headers={"API-Key": DEFAULT_API_KEY})
        assert whoami.status_code == 200 and whoami.json()["data"]["company"]["name"] == "Sandbox Field Services"
        assert _HTTP[0].get(url, headers={"API-Key": "wrong"}).status_code == 401
        assert _HTTP[0].get(url + "?probe=secret-in-query", headers={"API-Key": DEFAULT_API_KEY}).status_code == 400
        for status in (200, 401, 400):   # one line per request: no header, no query
            assert re.fullmatch(rf"GET /v1/auth/whoami {status} \d+\.\d ms\n", server.stderr.readline())
    finally:
        server.terminate()
        out, err = server.communicate(timeout=5)
    assert DEFAULT_API_KEY not in err and "secret-in-query" not in err


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("command", ["sandbox", "replay"])
def test_a_busy_port_is_one_line_and_exit_2_without_a_banner(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = cli(capsys, command, "--connector", "hellotracks", "--port", str(port))
    assert (code, out) == (2, "")
    assert one_line_error(err) == f"error: cannot listen on 127.0.0.1:{port}: Address already in use; choose another with --port"


def test_version_is_the_installed_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib import metadata

    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"connectors {metadata.version('connector-core')}\n"


def test_sandbox_for_an_unknown_connector_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "sandbox", "--connector", "nope")
    assert (code, out) == (2, "")
    assert "nope" in one_line_error(err)


def test_timeout_bounds_a_silent_server_and_says_it_was_a_read_timeout(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:   # accepts, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/v1"
        started = time.monotonic()
        code, out, err = cli(capsys, "run", "hellotracks", "get_job", "--input", '{"id": "j1"}', "--base-url", url,
                             "--api-key", "key-for-a-silent-server", "--timeout", "0.3")
    assert (code, out) == (1, "")
    assert one_line_error(err) == (f"error: get_job: no answer from http://127.0.0.1:{url.split(':')[2].split('/')[0]} "
                                   "within 0.3 s (read timeout)")
    assert time.monotonic() - started < 10   # four attempts of 0.3 s and their back-off, never 30 s each


@pytest.mark.parametrize("url", ["htp://127.0.0.1:9/v1", "127.0.0.1:9/v1", "http://127.0.0.1:9/v1?x=1"])
def test_a_malformed_base_url_exits_2_with_nothing_sent(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "run", "hellotracks", "get_job", "--input", '{"id": "j1"}', "--base-url", url,
                         "--api-key", "k")
    assert (code, out) == (2, "")
    assert "must be an absolute http:// or https:// URL" in one_line_error(err)


@pytest.mark.parametrize("url", ["http://api.hellotracks.com/v1", "http://10.0.0.8/v1"])
def test_a_plain_http_base_url_off_loopback_exits_2_saying_https(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The key must not cross a network in clear text; only a loopback sandbox or replay may use http."""
    code, out, err = cli(capsys, "run", "hellotracks", "get_job", "--input", '{"id": "j1"}', "--base-url", url,
                         "--api-key", "key-never-sent")
    assert (code, out) == (2, "")
    line = one_line_error(err)
    assert "https" in line and "key-never-sent" not in line


@pytest.mark.parametrize("value", ["0", "-1", "soon", "inf"])
def test_timeout_must_be_a_positive_number(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["run", "hellotracks", "get_job", "--timeout", value])
    assert exited.value.code == 2
    assert "must be a positive number of seconds" in capsys.readouterr().err


def test_an_integer_of_5000_digits_is_invalid_input_not_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "run", "hellotracks", "create_job", "--input",
                         '{"title": "x", "priority": ' + "9" * 5000 + "}", "--base-url", "http://127.0.0.1:9/v1",
                         "--api-key", "key-never-sent")
    assert (code, out) == (2, "")
    assert "priority: must be a finite number" in one_line_error(err)


def test_options_prints_each_choice_of_a_dropdown_as_the_api_lists_it(
        sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    """`connectors options` reads the option source's request: the members' usernames and names, and
    a job made just now among the jobs (the Job ID dropdown)."""
    members = call(sandbox, "GET", "/members", params={"max": 50}).json()["data"]["items"]
    code, out, _ = cli(capsys, "options", "hellotracks", "members", *target(sandbox))
    assert code == 0
    assert json.loads(out) == [{"value": member["username"], "label": member["name"]} for member in members]
    job = create(sandbox, title="Pick me from the list")
    code, out, _ = cli(capsys, "options", "hellotracks", "jobs", *target(sandbox))
    assert code == 0 and {"value": job["id"], "label": "Pick me from the list"} in json.loads(out)


def test_options_of_an_unknown_source_is_a_usage_error_naming_the_known_ones(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "options", "hellotracks", "nope", "--base-url", "http://127.0.0.1:9/v1",
                         "--api-key", "k")
    assert code == 2 and out == ""
    assert "no option source 'nope'" in err and "members" in err and "\n" == err[-1] and err.count("\n") == 1


def _source_value(schema: dict[str, Any]) -> Any:
    """A valid value of one input property of an option source (what a user filled in the form)."""
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind in ("integer", "number"):
        return max(7, schema.get("minimum", 7))
    if kind == "boolean":
        return True
    return "2026-01-02" if schema.get("format") == "date" else "abc"


def _answer_with(connector: Connector, path: str, records: list[Any]) -> Any:
    """An answer holding `records` at the source's `path`, with a body status of success when the API sends one."""
    answer: Any = records
    for part in reversed(path.split(".") if path else []):
        answer = {part: answer}
    status = connector.errors.body_status
    if status is not None and isinstance(answer, dict):
        answer[status.field] = status.ok[0]
    return answer


ALL_SOURCES = [(name, source) for name in bundled_connectors() for source in load_connector(name).option_sources]


@pytest.mark.parametrize(("name", "source"), ALL_SOURCES)
def test_options_sends_the_input_a_dropdown_reads_and_prints_its_choices(
        name: str, source: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Every option source of every connector, against a stub API: the values given with --input reach
    the request, and the choices are the records' value and label."""
    import http.server
    import threading

    connector = load_connector(name)
    spec = connector.option_source(source)
    given = {key: _source_value(schema) for key, schema in spec.input.get("properties", {}).items()}
    seen: list[bytes] = []
    answer = json.dumps(_answer_with(connector, spec.response.path, [spec.sample])).encode()

    class Stub(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            seen.append(self.path.encode() + b" " + body)
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

        def log_message(self, *args: Any) -> None:
            pass

    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), Stub) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            code, out, err = cli(capsys, "options", name, source, "--input", json.dumps(given), "--base-url",
                                 f"http://127.0.0.1:{server.server_address[1]}/api", "--api-key", "stub-key")
        finally:
            server.shutdown()
    assert (code, err) == (0, "")
    assert len(seen) == 1
    for value in given.values():
        assert json.dumps(value).strip('"').encode() in seen[0]
    def dig(record: Any, dotted: str) -> Any:
        for part in dotted.split("."):
            record = record[part]
        return record
    expected = {"value": dig(spec.sample, spec.value), "label": dig(spec.sample, spec.label_field)}
    assert json.loads(out) == ([expected] if not spec.response.filters else json.loads(out)[:1])


REQUIRED_INPUTS = [(name, source, required) for name in bundled_connectors()
                   for source, spec in load_connector(name).option_sources.items()
                   for required in spec.input.get("required", [])[:1]]


@pytest.mark.parametrize(("name", "source", "required"), REQUIRED_INPUTS)
def test_options_without_the_input_a_dropdown_needs_exits_2_naming_it_and_sends_nothing(
        name: str, source: str, required: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "options", name, source, "--input", "{}", "--base-url", "http://127.0.0.1:9/api",
                         "--api-key", "key-never-sent")
    assert (code, out) == (2, "")  # port 9 refuses: a request sent would be exit 1
    assert required in one_line_error(err)


def test_options_input_must_be_a_json_object(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "options", "hellotracks", "members", "--input", "[1]", "--base-url",
                         "http://127.0.0.1:9/v1", "--api-key", "key-never-sent")
    assert (code, out) == (2, "")
    assert one_line_error(err) == "error: --input must be a JSON object"


@pytest.mark.parametrize("command", ["record", "sandbox", "report", "replay"])
def test_a_command_of_one_connector_asks_which_when_several_are_bundled(
        command: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if len(bundled_connectors()) == 1:
        pytest.skip("one bundled connector is every command's default")
    monkeypatch.chdir(tmp_path)
    if command in ("record", "sandbox"):
        with pytest.raises(SystemExit) as exited:
            main([command])
        assert exited.value.code == 2
        assert "--connector" in capsys.readouterr().err
    else:
        code, out, err = cli(capsys, command)
        assert (code, out) == (2, "")
        assert one_line_error(err).startswith("error: name the recording: --connector (")
