"""The generated Make app of the Hellotracks spec and of the second (Kickserv) fixture spec."""

from __future__ import annotations

import json

import pytest

from connector_core.document import runtime_document
from connector_core.spec import Connector
from connector_core.spec.loader import load_spec
from make_blueprints import generate
from tests.conftest import FIXTURES


def app_of(connector: Connector) -> dict[str, str]:
    """The Make app generated from a connector's runtime document."""
    return generate(runtime_document(connector))


@pytest.fixture(scope="session")
def app_files(hellotracks: Connector) -> dict[str, str]:
    return app_of(hellotracks)


@pytest.fixture(scope="session")
def kickserv() -> Connector:
    return load_spec(FIXTURES / "kickserv_tasks.yaml")


@pytest.fixture
def files(app_files: dict[str, str]) -> dict[str, str]:
    """A copy a test may tamper with."""
    return dict(app_files)


def load(files: dict[str, str], path: str):
    return json.loads(files[path])


def put(files: dict[str, str], path: str, data) -> None:
    files[path] = json.dumps(data)
