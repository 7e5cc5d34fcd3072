"""`connectors check`: every platform's own validators on every bundled connector, as one command.

Green on the bundled connectors; a planted problem (a document whose Zapier definition breaks
Zapier's schema, an n8n package the community scanner rejects, a Make schema the app breaks) is
reported with exit 1; a missing toolchain is one line saying how to install it, with exit 2.
"""

from __future__ import annotations

import io
import os
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from connector_core import toolchains
from connector_core.cli import main
from connector_core.document import runtime_document
from connector_core.platforms import platform_names
from connector_core.spec import bundled_connectors, load_connector
from make_blueprints.schemas import ENV_VAR as MAKE_SCHEMAS, schemas_dir
from n8n_bridge.checks import scanner_problems
from n8n_bridge.toolchain import built_package
from zapier_schema import generate
from zapier_schema.platform import ZapierPlatform


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("name", bundled_connectors())
def test_every_platform_accepts_every_bundled_connector(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--connector", name]) == 0
    out, err = capsys.readouterr()
    header, row = out.splitlines()[:2]
    assert header.split() == ["connector", *platform_names()]
    assert row.split() == [name, *["ok"] * len(platform_names())]
    assert f"{len(platform_names())} passed, 0 failed" in out
    assert err == ""  # stderr is no terminal here: no progress lines


def test_the_json_report_has_one_result_per_connector_and_platform(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--format", "json"]) == 0
    results = json.loads(capsys.readouterr().out)["results"]
    assert [(r["connector"], r["platform"]) for r in results] == [
        (name, platform_name) for name in bundled_connectors() for platform_name in platform_names()]
    assert all(r["ok"] and r["problems"] == [] for r in results)


def test_progress_is_a_line_per_connector_and_platform_on_a_terminal(monkeypatch: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main(["check", "--platform", "python", "--platform", "make"]) == 0
    assert terminal.getvalue().splitlines() == [f"checking {name} on {platform_name}" for name in bundled_connectors()
                                                for platform_name in ("python", "make")]


def test_a_broken_zapier_definition_fails_the_command(monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """The spec holds Zapier's limits, so no document breaks Zapier's schema: a generator that drops
    each trigger's sample (Zapier requires one) stands for a broken generator."""
    def without_samples(self: ZapierPlatform, document: dict[str, Any]) -> dict[str, str]:
        files = generate(document)
        definition = json.loads(files["definition.json"])
        for trigger in definition["triggers"].values():
            del trigger["operation"]["sample"]
        return {**files, "definition.json": json.dumps(definition)}

    monkeypatch.setattr(ZapierPlatform, "generate", without_samples)
    assert main(["check", "--platform", "zapier", "--format", "json"]) == 1
    results = json.loads(capsys.readouterr().out)["results"]
    assert [result["connector"] for result in results] == bundled_connectors()
    for result in results:
        assert not result["ok"] and all(problem.startswith("triggers.") and 'requires "sample"' in problem
                                        for problem in result["problems"]), result


@pytest.fixture
def planted_make_schemas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make's schemas with one tightened: modules/groups.json may hold no group."""
    folder = tmp_path / "make-schemas"
    shutil.copytree(schemas_dir(), folder)
    groups = json.loads((folder / "groups.json").read_text(encoding="utf-8"))
    (folder / "groups.json").write_text(json.dumps({**groups, "maxItems": 0}), encoding="utf-8")
    monkeypatch.setenv(MAKE_SCHEMAS, str(folder))
    return folder


def test_a_problem_fails_the_command_with_its_detail(planted_make_schemas: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--platform", "make"]) == 1
    out = capsys.readouterr().out
    for name in bundled_connectors():
        assert re.search(rf"^{name} +1 problem", out, re.M)
        assert f"{name} on make:\n  - modules/groups.json at (root): " in out
    assert f"0 passed, {len(bundled_connectors())} failed" in out


def test_verify_fails_every_cell_of_a_platform_whose_check_fails(planted_make_schemas: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    name = bundled_connectors()[0]
    assert main(["verify", "--connector", name, "--platform", "make", "--format", "json"]) == 1
    cells = json.loads(capsys.readouterr().out)["cells"]
    assert cells and all(cell["status"] == "fail" for cell in cells)
    assert all(cell["detail"].startswith("make check: modules/groups.json at (root): ") for cell in cells)


def test_the_community_scanner_lints_sources_and_dist(tmp_path: Path) -> None:
    document = runtime_document(load_connector(bundled_connectors()[0]))
    package = tmp_path / "package"
    shutil.copytree(built_package(document), package, symlinks=True)
    assert scanner_problems(package) == []
    node = next((package / "nodes").rglob("*.node.ts"))
    text = node.read_text(encoding="utf-8")
    described = text.index("description: '", text.index("properties: [")) + len("description: '")
    end = text.index("'", described)
    node.write_text(text[:end] + "." + text[end:], encoding="utf-8")  # a parameter's: n8n says no final period
    compiled = next((package / "dist" / "nodes").rglob("*.node.js"))
    compiled.write_text(compiled.read_text(encoding="utf-8") + "\nconsole.log('shipped');\n", encoding="utf-8")
    problems = scanner_problems(package)
    sources = next(problem for problem in problems if problem.startswith("the n8n community package scanner (sources)"))
    assert "node-param-description-excess-final-period" in sources and str(package) not in sources
    dist = next(problem for problem in problems if problem.startswith("the n8n community package scanner (dist)"))
    assert "no-console" in dist


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith("error: "), err
    return err


@pytest.mark.parametrize("command", [["check"], ["verify"]])
def test_missing_toolchains_are_one_line_and_exit_2(command: list[str], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(toolchains.ENV_VAR, str(tmp_path / "nowhere"))
    assert main(command) == 2
    err = one_line_error(capsys)
    assert f"toolchain is not installed in {tmp_path / 'nowhere'}" in err and "run `make toolchains`" in err


def test_an_installed_copy_looks_for_toolchains_in_the_project_it_runs_in(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """A copy in site-packages has no toolchains beside it: the working directory's project is asked."""
    monkeypatch.delenv(toolchains.ENV_VAR, raising=False)
    monkeypatch.setattr(toolchains, "SOURCE_TREE", tmp_path / "site-packages" / "toolchains")
    monkeypatch.chdir(tmp_path)
    assert toolchains.toolchains_dir() == tmp_path / "toolchains"
    assert main(["check", "--platform", "zapier"]) == 2
    assert f"the zapier toolchain is not installed in {tmp_path / 'toolchains' / 'zapier'}" in one_line_error(capsys)


def test_missing_make_schemas_are_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(MAKE_SCHEMAS, str(tmp_path / "nowhere"))
    assert main(["check", "--platform", "make"]) == 2
    assert "Make's schemas are not in" in one_line_error(capsys)


def test_missing_node_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert main(["check", "--platform", "n8n"]) == 2
    assert "Node is not on PATH" in one_line_error(capsys)


@pytest.mark.parametrize("arguments", [["check", "--platform", "nope"], ["check", "--connector", "nope"]])
def test_unknown_names_are_usage_errors(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(arguments) == 2
    assert "nope" in one_line_error(capsys)


def test_a_toolchain_older_than_its_lock_file_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """A lock file changed since `make toolchains` (a new pinned package) means reinstalling first."""
    stale = tmp_path / "toolchains" / "zapier"
    (stale / "node_modules").mkdir(parents=True)
    (stale / "node_modules" / ".installed").touch()
    (stale / "package-lock.json").write_text("{}", encoding="utf-8")
    os.utime(stale / "node_modules" / ".installed", (0, 0))
    monkeypatch.setenv(toolchains.ENV_VAR, str(tmp_path / "toolchains"))
    assert main(["check", "--platform", "zapier"]) == 2
    err = one_line_error(capsys)
    assert "the zapier toolchain" in err and "is older than its lock file" in err and "run `make toolchains`" in err
