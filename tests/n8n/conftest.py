"""Fixtures for the n8n generator tests: the generated files, the built package, one run of every case.

Nothing is installed here: the n8n toolchain comes from `make toolchains`, and a missing
toolchain fails the tests with that instruction (ToolchainMissing).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from connector_core.cassettes.cases import CassetteIndex, Outcome
from connector_core.cassettes.replay import CaseReport
from connector_core.spec import Connector
from n8n_bridge import generate
from n8n_bridge.platform import N8nPlatform
from n8n_bridge.toolchain import HARNESS, N8N, built_package
from tests.conftest import run_platform


@pytest.fixture(scope="session")
def n8n_files(hellotracks: Connector) -> dict[str, str]:
    return generate(hellotracks)


@pytest.fixture(scope="session")
def n8n_package(hellotracks: Connector) -> Iterator[Path]:
    """The generated package after `n8n-node build`, node_modules linked to the toolchain."""
    with built_package(hellotracks) as folder:
        yield folder


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
