"""Fixtures for the Zapier generator tests: the generated files and one run of every case.

Nothing is installed here: the Zapier toolchain comes from `make toolchains`, and a missing
toolchain fails the tests with that instruction (ToolchainMissing).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from connector_core.build import FileContent
from connector_core.cassettes.cases import CassetteIndex, Outcome
from connector_core.cassettes.replay import CaseReport
from connector_core.document import runtime_document
from connector_core.spec import Connector
from tests.conftest import run_platform
from tests.zapier.loopback import LoopbackApi, loopback_api
from zapier_schema import generate
from zapier_schema.platform import ZapierPlatform
from zapier_schema.project_dir import project_dir


@pytest.fixture(scope="session")
def hellotracks_document(hellotracks: Connector) -> dict[str, Any]:
    return runtime_document(hellotracks)


@pytest.fixture(scope="session")
def zapier_files(hellotracks_document: dict[str, Any]) -> dict[str, FileContent]:
    return generate(hellotracks_document)


@pytest.fixture(scope="session")
def definition(zapier_files: dict[str, FileContent]) -> dict[str, Any]:
    return json.loads(zapier_files["definition.json"])


@pytest.fixture(scope="module")
def zapier_app(hellotracks_document: dict[str, Any]) -> Iterator[Path]:
    """The generated project in a temporary folder, node_modules linked to the toolchain."""
    with project_dir(hellotracks_document) as folder:
        yield folder


@pytest.fixture
def capture() -> Iterator[LoopbackApi]:
    """A loopback API answering every request with Hellotracks' 404 envelope."""
    with loopback_api() as api:
        yield api


@pytest.fixture(scope="session")
def zapier_verify_run(hellotracks: Connector, cassette_index: CassetteIndex
                      ) -> tuple[ZapierPlatform, dict[str, Outcome], dict[str, CaseReport]]:
    """Every recorded case through the Zapier app once (one Node process), with the replay reports."""
    platform = ZapierPlatform()
    return (platform, *run_platform(platform, hellotracks, cassette_index))
