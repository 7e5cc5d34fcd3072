"""The bounded simulation's fixtures: the connector's runtime document and each host's scratch folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from connector_core.document import runtime_document
from connector_core.platforms import Polling, platforms
from connector_core.simulation.peers import PeersPoller
from connector_core.simulation.run import Outcome, PollerFactory, run, sized
from connector_core.simulation.scenarios import scenario
from connector_core.simulation.shape import triggers
from connector_core.spec.loader import load_connector

CONNECTOR = "hellotracks"


def hosting_platforms() -> list[str]:
    """Registered platforms that can host a trigger (the others are skipped, with a note, by the bench)."""
    return [name for name, platform in platforms().items() if isinstance(platform, Polling)]


def trigger_keys() -> list[str]:
    return sorted(triggers(runtime_document(load_connector(CONNECTOR))))


@pytest.fixture(scope="session")
def document() -> dict[str, Any]:
    return sized(runtime_document(load_connector(CONNECTOR)), long=False)


@pytest.fixture(scope="session")
def workdirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One scratch folder per host for the whole session, so a host builds its artifact once."""
    return {name: tmp_path_factory.mktemp(f"sim-{name}") for name in hosting_platforms()}


@pytest.fixture(scope="session")
def factories(workdirs: dict[str, Path]) -> dict[str, PollerFactory]:
    found: dict[str, PollerFactory] = {"peers": lambda doc, trigger, url, conn: PeersPoller(doc, trigger, url, conn)}
    for name, platform in platforms().items():
        if isinstance(platform, Polling):
            found[name] = (lambda doc, trigger, url, conn, platform=platform, work=workdirs[name]:
                           platform.poller(doc, trigger, url, conn, work))
    return found


@pytest.fixture(scope="session")
def simulate(document: dict[str, Any], factories: dict[str, PollerFactory]) -> Callable[[str, str, str], Outcome]:
    """Run a bounded scenario once per session: the quiet goals read the same runs the counts do."""
    done: dict[tuple[str, str, str], Outcome] = {}

    def simulated(name: str, trigger: str, platform: str) -> Outcome:
        if (name, trigger, platform) not in done:
            done[name, trigger, platform] = run(scenario(name), document, trigger, platform, factories[platform])
        return done[name, trigger, platform]

    return simulated
