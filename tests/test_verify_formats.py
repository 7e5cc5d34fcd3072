"""verify's per-case results: the field diff, short problem text, `--format json` and `--format junit`."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from connector_core.cassettes.diff import ABSENT, Difference, diff, summary
from connector_core.cassettes.junit import render_junit
from connector_core.cassettes.verify import Cell, render_json, verify
from connector_core.cli import main

from tests.altered_cassettes import Alteration, alter_one_integer, alter_one_query_value


def test_diff_names_each_changed_leaf_by_its_path() -> None:
    expected = {"result": {"items": [{"id": "a", "priority": 3}, {"id": "b"}]}, "n": 1}
    actual = {"result": {"items": [{"id": "a", "priority": 4}]}, "n": True, "extra": None}
    assert diff(expected, actual) == [
        Difference("result.items[0].priority", 3, 4),
        Difference("result.items[1]", {"id": "b"}, ABSENT),
        Difference("n", 1, True),  # JSON's 1 and true differ
        Difference("extra", ABSENT, None),
    ]
    assert diff(expected, json.loads(json.dumps(expected))) == []
    assert [row.to_json() for row in diff({"a": 1}, {})] == [{"path": "a", "expected": 1}]


def test_summary_stays_one_short_line() -> None:
    differences = diff({"k": list(range(50))}, {"k": list(range(1, 51))})
    text = summary(differences)
    assert text.startswith("k[0]: expected 0, got 1; k[1]: expected 1, got 2")
    assert text.endswith("and 47 more difference(s)") and "\n" not in text and len(text) < 200


@pytest.fixture(scope="module")
def altered(tmp_path_factory: pytest.TempPathFactory) -> Alteration:
    return alter_one_integer(tmp_path_factory.mktemp("verify-formats") / "cassettes")


@pytest.fixture(scope="module")
def cells(altered: Alteration) -> list[Cell]:
    return verify(altered.directory, ["python"])


def test_one_changed_integer_is_one_short_problem_with_its_path(altered: Alteration, cells: list[Cell]) -> None:
    cell = next(cell for cell in cells if cell.operation == altered.operation)
    case = next(case for case in cell.cases if case.name == altered.case)
    assert case.status == "fail"
    assert Difference(f"output.{altered.field}", altered.recorded, altered.replayed) in case.diff
    assert f"output.{altered.field}: expected {altered.recorded}, got {altered.replayed}" in cell.detail
    assert len(case.problems[0]) < 300


def test_json_carries_each_case_with_expected_actual_and_diff(altered: Alteration, cells: list[Cell]) -> None:
    data = json.loads(render_json(cells))
    cell = next(cell for cell in data["cells"] if cell["operation"] == altered.operation)
    case = next(case for case in cell["cases"] if case["name"] == altered.case)
    assert case["expected"]["output"][altered.field] == altered.recorded
    assert case["actual"]["output"][altered.field] == altered.replayed
    assert {"path": f"output.{altered.field}", "expected": altered.recorded, "actual": altered.replayed} in case["diff"]
    passing = [case for cell in data["cells"] for case in cell["cases"] if case["status"] == "pass"]
    assert passing and all(case["diff"] == [] and case["problems"] == [] for case in passing)


def test_junit_has_a_suite_per_platform_and_a_testcase_per_case(altered: Alteration, cells: list[Cell]) -> None:
    root = ET.fromstring(render_junit(cells))
    cases = [case for cell in cells for case in cell.cases]
    failing = [case for case in cases if case.status == "fail"]
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == (str(len(cases)), str(len(failing)), "0")
    suites = root.findall("testsuite")
    assert [suite.get("name") for suite in suites] == ["python"]
    testcases = suites[0].findall("testcase")
    assert suites[0].get("tests") == str(len(testcases)) == str(len(cases))
    assert all(testcase.get("classname") == f"{cells[0].connector}.python" for testcase in testcases)
    names = [testcase.get("name") for testcase in testcases]
    assert names == [f"{cell.operation}.{case.name}" for cell in cells for case in cell.cases]
    failure = suites[0].find(f"testcase[@name='{altered.operation}.{altered.case}']/failure")
    assert failure is not None and failure.get("message", "").startswith(f"{altered.case}: ")
    assert f"output.{altered.field}: expected {altered.recorded}, got {altered.replayed}" in (failure.text or "")
    assert len(suites[0].findall("testcase/failure")) == len(failing)
    # the attributes JUnit's schema requires, and only its elements
    for suite in suites:
        assert all(suite.get(name) is not None for name in ("name", "tests", "failures", "errors", "skipped"))
        assert {child.tag for child in suite} == {"testcase"}
    assert {child.tag for testcase in testcases for child in testcase} <= {"failure"}
    assert all(failure.get("type") for failure in suites[0].iter("failure"))


def test_cli_writes_junit_and_exits_1_on_a_failure(altered: Alteration, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["verify", "--cassettes", str(altered.directory), "--platform", "python", "--format", "junit"])
    root = ET.fromstring(capsys.readouterr().out)
    assert code == 1 and int(root.get("failures", "0")) >= 1


def test_a_request_that_departs_from_the_recording_is_diffed_field_by_field(tmp_path: Path) -> None:
    """Recorded against sent, method, path, query and body; headers (where the key is) are never shown."""
    altered = alter_one_query_value(tmp_path / "cassettes")
    cell = next(cell for cell in verify(altered.directory, ["python"]) if cell.operation == altered.operation)
    case = next(case for case in cell.cases if case.name == altered.case)
    assert case.status == "fail"
    assert case.diff[0] == Difference(f"request.query.{altered.field}", altered.recorded, altered.replayed)
    assert not any(row.path.startswith("request.headers") for row in case.diff)


def test_junit_fails_a_cell_that_fails_with_no_failing_case(cells: list[Cell]) -> None:
    """A cell failed by its platform's checks (or with no recorded case) still fails in CI."""
    passing = next(cell for cell in cells if cell.status == "pass")
    failed = replace(passing, status="fail", detail="python check: the runtime document does not read back")
    root = ET.fromstring(render_junit([failed]))
    failures = root.findall("testsuite/testcase/failure")
    assert root.get("failures") == "1" and root.get("tests") == str(len(passing.cases) + 1)
    assert [failure.get("message") for failure in failures] == [failed.detail]
    assert root.find(f"testsuite/testcase[@name='{passing.operation}']/failure") is not None


def test_a_platform_whose_run_raises_fails_its_cells_and_the_matrix_goes_on(
        altered: Alteration, monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken host is a failing column with a one-line reason, never a traceback that ends verify."""
    from connector_core.cassettes import verify as verify_module

    real = verify_module.platform("python")

    class Broken:
        def __getattr__(self, name: str) -> object:
            return getattr(real, name)

        def run(self, *args: object) -> dict[str, object]:
            raise RuntimeError("host died\nwith two lines")

    monkeypatch.setattr(verify_module, "platform", lambda name: Broken())
    cells = verify(altered.directory, ["python"])
    assert cells and all(cell.status == "fail" for cell in cells)
    assert all(cell.detail.startswith("the python run failed: RuntimeError: host died with two lines")
               for cell in cells)


def test_a_cell_its_platform_does_not_offer_is_shown_with_the_reason_and_fails_nothing(
        altered: Alteration, monkeypatch: pytest.MonkeyPatch) -> None:
    """A platform that declines an operation (connector_core.platforms.Declining) runs none of its
    cases: the cell says so with the reason, in the table, JSON and JUnit (a skipped testcase), and
    does not make verify exit 1."""
    from connector_core.cassettes import verify as verify_module
    from connector_core.cassettes.verify import render_table

    real = verify_module.platform("python")

    class Declines:
        def __getattr__(self, name: str) -> object:
            return getattr(real, name)

        def declined(self, document: dict) -> dict[str, str]:
            return {altered.operation: "its host cannot keep it"}

    monkeypatch.setattr(verify_module, "platform", lambda name: Declines())
    cells = verify(altered.directory, ["python"])
    [absent] = [cell for cell in cells if cell.status == "not offered"]
    assert (absent.operation, absent.detail, absent.cases) == (altered.operation, "not offered: its host cannot keep it", ())
    assert all(cell.status == "pass" for cell in cells if cell is not absent)  # the altered case was not run
    table = render_table(cells)
    assert "0 failed, 1 not offered" in table and f"python {altered.operation}: not offered: its host" in table
    statuses = {cell["operation"]: cell["status"] for cell in json.loads(render_json(cells))["cells"]}
    assert statuses[altered.operation] == "not offered"
    root = ET.fromstring(render_junit(cells))
    skipped = root.findall("testsuite/testcase/skipped")
    assert root.find("testsuite").get("skipped") == "1" and [s.get("message") for s in skipped] == [absent.detail]
    assert main(["verify", "--cassettes", str(altered.directory), "--platform", "python"]) == 0
