"""Fixtures for the n8n generator tests: the runtime documents, the generated files, the built
packages (cached by their sources in .cache/n8n), one run of every case, and the harness.

Nothing is installed here: the n8n toolchain comes from `make toolchains`, and a missing
toolchain fails the tests with that instruction (ToolchainMissing).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from connector_core.cassettes.cases import CassetteIndex, Outcome
from connector_core.cassettes.replay import CaseReport
from connector_core.document import runtime_document
from connector_core.spec import Connector
from n8n_bridge import generate
from n8n_bridge.platform import N8nPlatform
from n8n_bridge.toolchain import HARNESS, N8N, built_package
from tests.conftest import ROOT, run_platform

ACME = ROOT / "connector_core" / "conformance" / "connectors" / "acme.runtime.json"


def run_harness(package: Path, cases: list[dict[str, Any]]) -> dict[str, Any]:
    """Cases (node type, parameters, credentials) through n8n-core in one Node process; outcome by name."""
    result = N8N.run(["node", str(HARNESS / "run_cases.js")], package,
                     stdin=json.dumps({"packageDir": str(package), "cases": cases}))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def hellotracks_document(hellotracks: Connector) -> dict[str, Any]:
    return runtime_document(hellotracks)


@pytest.fixture(scope="session")
def acme_document() -> dict[str, Any]:
    """The conformance corpus's connector: triggers with input, header params, dropdowns."""
    return json.loads(ACME.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def n8n_files(hellotracks_document: dict[str, Any]) -> dict[str, str]:
    return generate(hellotracks_document)


@pytest.fixture(scope="session")
def n8n_package(hellotracks_document: dict[str, Any]) -> Path:
    """The generated package after `n8n-node build`, node_modules linked to the toolchain."""
    return built_package(hellotracks_document)


@pytest.fixture(scope="session")
def acme_package(acme_document: dict[str, Any]) -> Path:
    return built_package(acme_document)


@pytest.fixture(scope="session")
def loaded(n8n_package: Path) -> dict[str, Any]:
    """What n8n-core's PackageDirectoryLoader (the community-package loader) sees in the build."""
    result = N8N.run(["node", str(HARNESS / "describe.js"), str(n8n_package)], n8n_package)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def n8n_verify_run(hellotracks: Connector, cassette_index: CassetteIndex
                   ) -> tuple[N8nPlatform, dict[str, Outcome], dict[str, CaseReport]]:
    """Every recorded case through n8n-core once (one Node process), with the replay reports."""
    platform = N8nPlatform()
    return (platform, *run_platform(platform, hellotracks, cassette_index))
