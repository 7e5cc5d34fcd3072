"""The fault runs' fixtures: Hellotracks with small limits, the operation shapes that matter, a
virtual clock for back-off sleeps, and one function that runs an operation against a fault server.

Sleeps are virtual (they advance the clock the plan reads, so the deadline still counts them)
while stalls are real: a run's cost is `real + slept` seconds, and both are bounded by a watchdog
so a client that hangs fails its test instead of the suite.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from connector_core.document import connector_from_document, runtime_document
from connector_core.faults import FaultServer, Received, success_body
from connector_core.runtime.client import AsyncClient, Client
from connector_core.runtime.errors import ConnectorError
from connector_core.spec.loader import load_connector
from connector_core.spec.models import Connector
from tests.faults.shapes import API_KEY, Shape, leaks, small_limits
from tests.faults.shapes import SHAPES as ALL_SHAPES

CONNECTOR = "hellotracks"
RETRY = {"max_attempts": 4, "base_delay": 0.05, "max_delay": 2.5, "jitter": 0.0}
# Kinds that wait out timeouts run with short ones, and two attempts (which prove a retry as well as
# four, at half the cost); every other kind gets a timeout no loaded machine reaches on loopback.
STALLING: dict[str, tuple[int, float]] = {"stall": (2, 0.2), "stall_mid_body": (2, 0.2),
                                          "drip_past_deadline": (2, 0.2), "stall_then_200": (2, 0.6)}
WATCHDOG_SLACK = 1.0   # seconds past the deadline before a run counts as hung
# The shapes the Python client runs: `client.run` calls actions and searches, not a trigger's poll.
SHAPES = {shape.name: shape for shape in ALL_SHAPES if shape.name != "poll"}


@pytest.fixture(scope="session")
def document() -> dict[str, Any]:
    return small_limits(runtime_document(load_connector(CONNECTOR)), retry=RETRY)


@pytest.fixture(scope="session")
def connector(document: dict[str, Any]) -> Connector:
    return connector_from_document(document)


@pytest.fixture(scope="session")
def connector_for(document: dict[str, Any], connector: Connector) -> Callable[[str], Connector]:
    """The connector a fault kind runs with: short timeouts and fewer attempts for the stalling kinds."""
    stalling = {(attempts, timeout): connector_from_document(
        small_limits(document, timeout, retry={**RETRY, "max_attempts": attempts}))
        for attempts, timeout in set(STALLING.values())}
    return lambda kind: stalling[STALLING[kind]] if kind in STALLING else connector


def carries_credential(request: Received, secret: str = API_KEY) -> bool:
    text = json.dumps(request.headers) + request.target + request.body.decode("utf-8", "replace")
    return bool(leaks(text, secret)) or any(name in ("authorization", "api-key", "cookie") for name in request.headers)


@dataclass
class VirtualTime:
    """A clock that back-off sleeps advance without waiting (ms, as plans read it)."""

    slept: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def clock(self) -> int:
        return int(time.time() * 1000 + self.slept * 1000)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.slept += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


@dataclass
class Run:
    result: Any = None
    error: BaseException | None = None
    hung: bool = False
    real: float = 0.0
    time: VirtualTime = field(default_factory=VirtualTime)
    received: list[Received] = field(default_factory=list)
    other_received: list[Received] = field(default_factory=list)

    @property
    def spent(self) -> float:
        """Seconds the operation cost on its own clock: real time plus back-off sleeps."""
        return self.real + self.time.slept


def run_operation(connector: Connector, document: dict[str, Any], kind: str, shape: Shape, mode: str) -> Run:
    """Run one operation shape through the Python client (`sync` or `async`) against a fault
    server playing `kind`; never raises what the client raised, never waits past the watchdog."""
    run = Run()
    success = success_body(document, shape.operation)
    cap = connector.limits.deadline + WATCHDOG_SLACK
    with FaultServer(kind, success=success, secrets=[API_KEY]) as server:
        options = {"connection": {"api_key": API_KEY}, "base_url": server.base_url, "clock": run.time.clock}
        started = time.monotonic()
        if mode == "sync":
            _watched(run, cap, lambda: _run_sync(connector, shape, options, run), server)
        else:
            _watched(run, cap, lambda: asyncio.run(_run_async(connector, shape, options, run, cap)), server)
        run.real = time.monotonic() - started
    run.received, run.other_received = list(server.received), list(server.other_received)
    return run


def _watched(run: Run, cap: float, work: Callable[[], None], server: FaultServer) -> None:
    """Run `work` in a thread; past `cap` seconds the run is hung and the server stops playing."""
    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(cap)
    if worker.is_alive():
        run.hung = True
        server.stopping.set()
        worker.join(10)


def _run_sync(connector: Connector, shape: Shape, options: dict[str, Any], run: Run) -> None:
    try:
        with Client(connector, sleep=run.time.sleep, **options) as client:
            run.result = client.run(shape.operation, shape.input)
    except Exception as error:  # noqa: BLE001 (the test judges whatever the client raised)
        run.error = error


async def _run_async(connector: Connector, shape: Shape, options: dict[str, Any], run: Run, cap: float) -> None:
    try:
        async with AsyncClient(connector, sleep=run.time.async_sleep, **options) as client:
            run.result = await asyncio.wait_for(client.run(shape.operation, shape.input), cap)
    except asyncio.TimeoutError:
        run.hung = True
    except Exception as error:  # noqa: BLE001
        run.error = error


def error_texts(error: BaseException) -> list[str]:
    """Every text of an error a user or a log could see."""
    texts = [str(error), repr(error)]
    if isinstance(error, ConnectorError):
        texts.append(error.message)
        texts += [str(problem) for problem in getattr(error, "problems", [])]
    return texts
