"""The bounded simulation's fixtures: every connector with a trigger (from the specs), its runtime
document, and each host's scratch folder."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from connector_core.document import runtime_document
from connector_core.platforms import NotOffered, Polling, platforms
from connector_core.simulation.peers import PeersPoller
from connector_core.simulation.run import Outcome, PollerFactory, run, sized
from connector_core.simulation.scenarios import scenario
from connector_core.simulation.shape import has_cursor as shape_has_cursor
from connector_core.simulation.shape import simulated_connectors, triggers
from connector_core.spec.loader import load_connector

# The engine's own tests (server, counting) run on the connector whose triggers cover every kind
# (created, updated with a fingerprint, entry into a set); the bounded cells run on every connector.
REFERENCE = "hellotracks"


def hosting_platforms() -> list[str]:
    """Registered platforms that can host a trigger (the others are skipped, with a note, by the bench)."""
    return [name for name, platform in platforms().items() if isinstance(platform, Polling)]


@functools.cache
def bounded(connector: str) -> dict[str, Any]:
    """The connector's runtime document as the bounded run uses it."""
    return sized(runtime_document(load_connector(connector)), long=False)


def connector_triggers() -> list[tuple[str, str]]:
    """(connector, trigger) for every trigger of every connector that has one."""
    return [(connector, trigger) for connector in simulated_connectors() for trigger in sorted(triggers(bounded(connector)))]


def has_cursor(connector: str, trigger: str) -> bool:
    return shape_has_cursor(bounded(connector)["operations"][trigger]["polling"])


@pytest.fixture(scope="session")
def document() -> dict[str, Any]:
    return bounded(REFERENCE)


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


Simulate = Callable[[str, str, str, str], Outcome]


@pytest.fixture(scope="session")
def simulate(factories: dict[str, PollerFactory]) -> Simulate:
    """Run a bounded scenario once per session: the quiet goals read the same runs the counts do."""
    done: dict[tuple[str, str, str, str], Outcome] = {}

    def simulated(connector: str, name: str, trigger: str, platform: str) -> Outcome:
        key = (connector, name, trigger, platform)
        if key not in done:
            try:
                done[key] = run(scenario(name), bounded(connector), trigger, platform, factories[platform])
            except NotOffered as why:  # the platform's artifact leaves the trigger out, and says why
                pytest.skip(str(why))
        return done[key]

    return simulated
