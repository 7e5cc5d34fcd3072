"""Zapier's own validators accept the generated app, and catch what they should when it is broken."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from connector_core.build import write_folder
from connector_core.checks import check_document
from connector_core.document import runtime_document
from connector_core.spec import bundled_connectors, load_connector
from connector_core.spec.loader import load_spec
from connector_core.toolchains import Toolchain, ToolchainMissing
from tests.conftest import FIXTURES
from zapier_schema import generate
from zapier_schema.checks import cli_problems
from zapier_schema.execution import validate_definition
from zapier_schema.platform import ZapierPlatform
from zapier_schema.project_dir import project_dir
from zapier_schema.toolchain import ZAPIER, ZAPIER_CLI


def write_definition(tmp_path: Path, definition: dict[str, Any]) -> Path:
    path = tmp_path / "definition.json"
    path.write_text(json.dumps(definition), encoding="utf-8")
    return path


def test_schema_accepts_the_app_and_each_operation(definition: dict[str, Any], tmp_path: Path) -> None:
    report = validate_definition(write_definition(tmp_path, definition))
    expected_parts = {"app"} | {f"{section}.{key}" for section in ("triggers", "searches", "creates", "searchOrCreates")
                                for key in definition[section]}
    assert set(report) == expected_parts
    assert report == {part: [] for part in expected_parts}


def test_broken_definitions_are_caught(definition: dict[str, Any], tmp_path: Path) -> None:
    """A missing sample is caught only per operation, a duplicate input key only for the whole
    app, a too-long label by both: so both checks run, and each can fail."""
    broken = copy.deepcopy(definition)
    del broken["triggers"]["new_job"]["operation"]["sample"]
    fields = broken["creates"]["create_job"]["operation"]["inputFields"]
    fields.append(dict(fields[0]))
    broken["searches"]["get_job"]["display"]["label"] = "x" * 65
    report = validate_definition(write_definition(tmp_path, broken))
    assert any('requires "sample"' in problem for problem in report["triggers.new_job"]), report
    assert not any("sample" in problem for problem in report["app"]), report
    assert any("inputField keys must be unique" in problem for problem in report["app"]), report
    assert any("display.label" in problem for problem in report["searches.get_job"]), report
    assert any("get_job.display.label" in problem for problem in report["app"]), report
    assert report["searches.find_job"] == []


@pytest.mark.parametrize("name", bundled_connectors())
def test_zapier_schema_and_cli_accept_every_bundled_connector(name: str) -> None:
    """`connectors check`'s Zapier check: the schema, then `zapier-platform validate --without-style` offline."""
    assert check_document(ZapierPlatform(), runtime_document(load_connector(name))) == []


def test_the_second_api_app_is_valid_too(tmp_path: Path) -> None:
    """Zapier's schema and CLI accept it; the checklist names what a reviewer would still ask of this
    test fixture (it is no publishable connector): a help link, typed dates, ID fields. Its account
    slug labels the connection (D003)."""
    document = runtime_document(load_spec(FIXTURES / "kickserv_tasks.yaml"))
    write_folder(tmp_path / "app", generate(document))
    assert validate_definition(tmp_path / "app" / "definition.json") == {
        "app": [], "triggers.new_task": [], "creates.update_task": []}
    assert cli_problems(tmp_path / "app") == []
    codes = {problem.split()[0] for problem in check_document(ZapierPlatform(), document)}
    assert codes == {"D002", "triggers.new_task:", "creates.update_task:"}


def test_zapier_cli_rejects_a_broken_project(hellotracks_document: dict[str, Any]) -> None:
    files = generate(hellotracks_document)
    definition = json.loads(files["definition.json"])
    definition["triggers"]["new_job"]["display"]["label"] = "x" * 65
    with project_dir(hellotracks_document, {**files, "definition.json": json.dumps(definition)}) as app:
        done = ZAPIER.run([str(ZAPIER_CLI), "validate", "--without-style"], cwd=app)
    assert done.returncode == 1
    assert "triggers.new_job.display.label" in done.stdout


def test_the_plugin_check_reports_what_the_validators_find(hellotracks_document: dict[str, Any],
                                                           definition: dict[str, Any], tmp_path: Path) -> None:
    plugin = ZapierPlatform()
    assert plugin.directory(hellotracks_document) == "hellotracks"
    broken = copy.deepcopy(definition)
    del broken["triggers"]["new_job"]["operation"]["sample"]
    write_folder(tmp_path, {**generate(hellotracks_document), "definition.json": json.dumps(broken)})
    problems = plugin.check(hellotracks_document, tmp_path)
    assert problems and all(problem.startswith("triggers.new_job: ") for problem in problems), problems
    (tmp_path / "assets" / "logo.png").unlink()
    assert plugin.check(hellotracks_document, tmp_path)[-1] == "M004 assets/logo.png: no logo"


def test_the_plugin_check_loads_the_app_as_zapier_does(hellotracks_document: dict[str, Any], tmp_path: Path) -> None:
    """An app whose code throws when loaded passes the schema; `zapier-platform validate` loads it."""
    files = generate(hellotracks_document)
    write_folder(tmp_path / "app", {**files, "index.js": "throw new Error('thrown at load');\n" + files["index.js"]})
    problems = ZapierPlatform().check(hellotracks_document, tmp_path / "app")
    assert len(problems) == 1 and problems[0].startswith("zapier-platform validate --without-style failed:")
    assert "thrown at load" in problems[0]


def takes_one_path_value(operation: Any) -> bool:
    """What the app's own test sends odd path values to: one path value, the operation's only required input."""
    path = [param.source for param in operation.request.params_in("path") if not param.is_constant]
    return operation.kind != "test" and len(path) == 1 and operation.input.get("required") == path


@pytest.mark.parametrize("name", bundled_connectors())
def test_the_generated_projects_own_npm_test_passes(name: str) -> None:
    """Every bundled connector's app: its path test is skipped only when no operation takes one path value."""
    connector = load_connector(name)
    with project_dir(runtime_document(connector)) as app:
        done = ZAPIER.run(["npm", "test", "--silent"], cwd=app)
    assert done.returncode == 0, done.stdout + done.stderr
    skipped = 0 if any(takes_one_path_value(operation) for operation in connector.operations.values()) else 1
    assert f"# pass {3 - skipped}" in done.stdout and "# fail 0" in done.stdout, done.stdout
    assert f"# skipped {skipped}" in done.stdout, done.stdout


def test_a_missing_toolchain_says_how_to_install_it(tmp_path: Path) -> None:
    missing = Toolchain("zapier", root=tmp_path)
    with pytest.raises(ToolchainMissing, match="zapier toolchain is not installed .* run `make toolchains`"):
        missing.run(["node", "--version"], cwd=tmp_path)
