"""The verification matrix: every operation, on every platform, against its cassettes.

A platform runs each recorded case through its own artifact with the replay server as the API
and returns an Outcome per case. By default (`exact_problems`) a case passes when the outcome
equals the recorded one and the replay server saw exactly the recorded requests, all of them,
and nothing else; a platform whose runtime legitimately differs (one that leaves retries to its
host, say) judges its cases itself and says how in its `judge`. A cell (operation × platform)
passes when every case of that operation does. Platforms register in PLATFORMS by name.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal, Protocol

from connector_core.cassettes.cases import CassetteIndex, Outcome, RecordedCase, load_index
from connector_core.cassettes.execution import execute
from connector_core.cassettes.replay import CaseReport, ReplayServer
from connector_core.runtime import Client
from connector_core.spec import Connector, load_connector
from zapier_schema.platform import ZapierPlatform
from make_blueprints.platform import MakePlatform
from n8n_bridge.platform import N8nPlatform


@dataclass(frozen=True)
class Cell:
    connector: str
    operation: str
    platform: str
    status: Literal["pass", "fail"]
    detail: str


class Platform(Protocol):
    name: str
    note: str  # how this platform checks, appended to each cell's detail ("" when it executes)

    def run(self, connector: Connector, cases: list[RecordedCase], replay: ReplayServer) -> dict[str, Outcome]:
        """Run every case through this platform's artifact against `replay`; outcome by case name."""

    def judge(self, case: RecordedCase, outcome: Outcome | None, report: CaseReport) -> list[str]:
        """What is wrong with this case's run; an empty list when it passes."""


class PythonPlatform:
    """The connector_core runtime itself, over real HTTP to the replay server."""

    name = "python"
    note = ""

    def judge(self, case: RecordedCase, outcome: Outcome | None, report: CaseReport) -> list[str]:
        return exact_problems(case, outcome, report)

    def run(self, connector: Connector, cases: list[RecordedCase], replay: ReplayServer) -> dict[str, Outcome]:
        outcomes = {}
        for case in cases:
            with Client(connector, connection={connector.connection.credential.key: replay.api_key}, base_url=replay.base_url(case.name),
                        sleep=lambda seconds: None) as client:
                outcomes[case.name] = execute(
                    client, connector.operation(case.operation), case.input, polls=case.polls,
                    clock_ms=case.clock_ms, interval_ms=case.poll_interval_ms)
        return outcomes


PLATFORMS: dict[str, Callable[[], Platform]] = {"python": PythonPlatform, "zapier": ZapierPlatform,
                                                   "make": MakePlatform, "n8n": N8nPlatform}


def verify(cassette_dir: Path, platforms: list[str] | None = None) -> list[Cell]:
    """Every cell of the matrix for the connector recorded in `cassette_dir`."""
    index: CassetteIndex = load_index(cassette_dir)
    connector = load_connector(index.connector)
    cells: list[Cell] = []
    with ReplayServer(cassette_dir) as replay:
        for name in platforms or list(PLATFORMS):
            platform = PLATFORMS[name]()
            replay.rewind()
            outcomes = platform.run(connector, index.cases, replay)
            reports = replay.report()
            for key in connector.operations:
                problems = [problem for case in index.for_operation(key)
                            for problem in platform.judge(case, outcomes.get(case.name), reports[case.name])]
                cases = len(index.for_operation(key))
                if cases == 0:
                    problems.append("no recorded case")
                detail = "; ".join(problems) if problems else f"{cases} case(s) match their cassettes"
                detail += platform.note
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
