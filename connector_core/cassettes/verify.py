"""The verification matrix: every operation, on every platform, against its cassettes.

A platform runs each recorded case through its own artifact with the replay server as the API
and returns an Outcome per case. By default (`exact_problems`) a case passes when the outcome
equals the recorded one and the replay server saw exactly the recorded requests, all of them,
and nothing else; a platform whose runtime legitimately differs (one that leaves retries to its
host, say) judges its cases itself and says how in its `judge`. A cell (operation × platform)
passes when every case of that operation does. The columns are the registered platforms
(`connector_core.platforms`), Python first.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

import httpx

from connector_core.cassettes.cases import CassetteIndex, Outcome, RecordedCase, load_index
from connector_core.cassettes.execution import execute
from connector_core.cassettes.replay import CaseReport, ReplayServer
from connector_core.document import connector_from_document, runtime_document
from connector_core.platforms import platform, platform_names
from connector_core.runtime import Client
from connector_core.runtime.client import tls_for
from connector_core.spec import Connector, load_connector


@dataclass(frozen=True)
class Cell:
    connector: str
    operation: str
    platform: str
    status: Literal["pass", "fail"]
    detail: str


class PythonPlatform:
    """The connector_core runtime itself, over real HTTP to the replay server.

    It reads the connector straight from its spec, so it generates no artifact; what it checks
    is that the runtime document reads back into the very connector it was written from.
    """

    name = "python"
    order = 10
    note = ""

    def generate(self, document: dict[str, Any]) -> dict[str, str]:
        return {}

    def directory(self, document: dict[str, Any]) -> str:
        return str(document["name"])

    def check(self, document: dict[str, Any], folder: Path) -> list[str]:
        try:
            read_back = runtime_document(connector_from_document(document))
        except ValueError as error:  # pydantic's ValidationError is one
            return [f"the runtime document does not read back: {error}"]
        return [] if read_back == document else ["the runtime document changes when read back"]

    def judge(self, case: RecordedCase, outcome: Outcome | None, report: CaseReport) -> list[str]:
        return exact_problems(case, outcome, report)

    def poller(self, document: dict[str, Any], trigger: str, base_url: str, connection: dict[str, str],
               workdir: Path) -> Any:
        """The trigger hosted by the runtime itself, with a state file (connector_core/simulation)."""
        from connector_core.simulation.python_poller import PythonPoller  # the simulation is not needed to verify

        return PythonPoller(document, trigger, base_url, connection, workdir)

    def run(self, connector: Connector, cases: list[RecordedCase], replay: ReplayServer) -> dict[str, Outcome]:
        """Each case through its own Client (its own base URL), all over one connection pool."""
        outcomes = {}
        connection = {connector.connection.credential.key: replay.api_key}
        with httpx.HTTPTransport(verify=tls_for(replay.root_url)) as pool:
            shared = SharedTransport(pool)
            for case in cases:
                with Client(connector, connection=connection, base_url=replay.base_url(case.name), transport=shared,
                            sleep=lambda seconds: None) as client:
                    outcomes[case.name] = execute(
                        client, connector.operation(case.operation), case.input, polls=case.polls,
                        clock_ms=case.clock_ms, interval_ms=case.poll_interval_ms, mode=case.mode)
        return outcomes


class SharedTransport(httpx.BaseTransport):
    """A transport lent to many clients: closing a client leaves the pool open for the next."""

    def __init__(self, pool: httpx.BaseTransport) -> None:
        self._pool = pool

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._pool.handle_request(request)

    def close(self) -> None:
        """The owner closes the pool; a borrowing client does not."""


def verify(cassette_dir: Path, platforms: list[str] | None = None) -> list[Cell]:
    """Every cell of the matrix for the connector recorded in `cassette_dir`.

    The columns run at the same time, each against its own replay server: most of a column's time
    is its host starting (Node loading n8n-core or zapier-platform-core), which overlaps well.
    """
    index: CassetteIndex = load_index(cassette_dir)
    connector = load_connector(index.connector)
    names = platforms or platform_names()
    with ThreadPoolExecutor(max_workers=len(names)) as columns:
        return [cell for column in columns.map(lambda name: _column(name, cassette_dir, index, connector), names)
                for cell in column]


def _column(name: str, cassette_dir: Path, index: CassetteIndex, connector: Connector) -> list[Cell]:
    """One platform's cells: its run of every case, judged case by case, one cell per operation."""
    column = platform(name)
    with ReplayServer(cassette_dir) as replay:
        outcomes = column.run(connector, index.cases, replay)
        reports = replay.report()
    cells = []
    for key in connector.operations:
        problems = [problem for case in index.for_operation(key)
                    for problem in column.judge(case, outcomes.get(case.name), reports[case.name])]
        cases = len(index.for_operation(key))
        if cases == 0:
            problems.append("no recorded case")
        detail = "; ".join(problems) if problems else f"{cases} case(s) match their cassettes"
        detail += column.note
        cells.append(Cell(connector.name, key, name, "fail" if problems else "pass", detail))
    return cells


def exact_problems(case: RecordedCase, outcome: Outcome | None, report: CaseReport) -> list[str]:
    """The default judgement: the recorded outcome, from exactly the recorded traffic."""
    problems = []
    if outcome is None:
        problems.append(f"{case.name}: not run")
    elif outcome != case.outcome:
        problems.append(f"{case.name}: outcome differs: expected {_short(case.outcome)}, got {_short(outcome)}")
    problems.extend(f"{case.name}: {mismatch}" for mismatch in report.mismatches)
    if report.played != report.recorded:
        problems.append(f"{case.name}: played {report.played} of {report.recorded} recorded interaction(s)")
    return problems


def _short(outcome: Outcome) -> str:
    text = json.dumps(outcome.model_dump(mode="json"), sort_keys=True)
    return text if len(text) <= 300 else text[:297] + "..."


def render_table(cells: list[Cell]) -> str:
    """Operations down, platforms across; failing cells are explained below the table."""
    platforms = list(dict.fromkeys(cell.platform for cell in cells))
    rows = list(dict.fromkeys((cell.connector, cell.operation) for cell in cells))
    by_key = {(cell.connector, cell.operation, cell.platform): cell for cell in cells}
    width = max([len(f"{c}.{o}") for c, o in rows] + [9])
    lines = ["operation".ljust(width) + "  " + "  ".join(name.ljust(6) for name in platforms)]
    for connector, operation in rows:
        marks = ["pass".ljust(6) if by_key[(connector, operation, p)].status == "pass" else "FAIL".ljust(6)
                 for p in platforms]
        lines.append(f"{connector}.{operation}".ljust(width) + "  " + "  ".join(marks))
    failures = [cell for cell in cells if cell.status == "fail"]
    lines.append("")
    lines.append(f"{len(cells) - len(failures)} passed, {len(failures)} failed")
    lines.extend(f"  {cell.platform} {cell.operation}: {cell.detail}" for cell in failures)
    return "\n".join(lines)


def render_json(cells: list[Cell]) -> str:
    return json.dumps({"cells": [asdict(cell) for cell in cells]}, indent=2)
