"""Shared fixtures: the Hellotracks spec, a running sandbox, and the committed cassettes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from connector_core import Client, load_connector
from connector_core.cassettes.cases import CassetteIndex, Outcome, load_index
from connector_core.cassettes.replay import CaseReport, ReplayServer
from connector_core.platforms import Platform
from connector_core.sandbox import Sandbox
from connector_core.spec import Connector

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "tests" / "cassettes" / "hellotracks"
FIXTURES = ROOT / "tests" / "fixtures"
SANDBOX_KEY = "test-sandbox-key-5f2c"


@pytest.fixture(scope="session")
def hellotracks() -> Connector:
    return load_connector("hellotracks")


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox("hellotracks", api_key=SANDBOX_KEY) as running:
        yield running


@pytest.fixture
def client(sandbox: Sandbox, hellotracks: Connector) -> Iterator[Client]:
    with Client(hellotracks, connection={"api_key": SANDBOX_KEY}, base_url=sandbox.base_url,
                sleep=lambda seconds: None) as running:
        yield running


@pytest.fixture(scope="session")
def cassette_index() -> CassetteIndex:
    return load_index(CASSETTES)


def run_platform(platform: Platform, connector: Connector, index: CassetteIndex
                 ) -> tuple[dict[str, Outcome], dict[str, CaseReport]]:
    """Every recorded case through one platform against the replay server, with the replay reports."""
    with ReplayServer(CASSETTES) as replay:
        outcomes = platform.run(connector, index.cases, replay)
        return outcomes, replay.report()
