"""The verification matrix: every operation, on every platform, against its cassettes.

A platform runs each recorded case through its own artifact with the replay server as the API
and returns an Outcome per case. By default (`exact_problems`) a case passes when the outcome
equals the recorded one and the replay server saw exactly the recorded requests, all of them,
and nothing else; a platform whose runtime legitimately differs (one that leaves retries to its
host, say) judges its cases itself and says how in its `judge`. A cell (operation × platform)
passes when every case of that operation does, and keeps its cases: each one's expected and
actual outcome, its problems and, when it fails, a field diff of the two (`diff.py`), which
`--format json`, `--format junit` (`junit.py`) and `connectors report` show. The columns are the
registered platforms (`connector_core.platforms`), Python first.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import httpx

from connector_core.cassettes.cases import CassetteIndex, Outcome, RecordedCase, load_index
from connector_core.cassettes.diff import Difference, diff, summary
from connector_core.cassettes.execution import execute
from connector_core.cassettes.replay import CaseReport, ReplayServer
from connector_core.document import connector_from_document, runtime_document
from connector_core.platforms import Expecting, Platform, declined_by, platform, platform_names
from connector_core.runtime import Client
from connector_core.runtime.client import tls_for
from connector_core.spec import Connector, load_connector


@dataclass(frozen=True)
class CaseResult:
    """One recorded case on one platform: what it had to produce, what it did, and what is wrong."""

    name: str
    status: Literal["pass", "fail"]
    expected: Any  # the outcome as JSON; None when the platform does not run this case
    actual: Any    # likewise; None when it did not run
    problems: tuple[str, ...]
    diff: tuple[Difference, ...]  # expected against actual, for a failing case that ran

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "expected": self.expected, "actual": self.actual,
                "problems": list(self.problems), "diff": [difference.to_json() for difference in self.diff]}


@dataclass(frozen=True)
class Cell:
    connector: str
    operation: str
    platform: str
    status: Literal["pass", "fail", "not offered"]  # not offered: the platform declines it (`Declining`)
    detail: str
    cases: tuple[CaseResult, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"connector": self.connector, "operation": self.operation, "platform": self.platform,
                "status": self.status, "detail": self.detail, "cases": [case.to_json() for case in self.cases]}


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


def verify(cassette_dir: Path, platforms: list[str] | None = None,
           progress: Callable[[str], None] = lambda line: None) -> list[Cell]:
    """Every cell of the matrix for the connector recorded in `cassette_dir`.

    The columns run at the same time, each against its own replay server: most of a column's time
    is its host starting (Node loading n8n-core or zapier-platform-core), which overlaps well.
    `progress` gets a line as each column starts and as it ends, for someone watching.
    """
    index: CassetteIndex = load_index(cassette_dir)
    connector = load_connector(index.connector)
    names = platforms or platform_names()

    def timed_column(name: str) -> list[Cell]:
        started = time.monotonic()
        progress(f"verifying {connector.name} on {name}: {len(index.cases)} case(s)")
        cells = _column(name, cassette_dir, index, connector)
        passed = sum(cell.status == "pass" for cell in cells)
        offered = sum(cell.status != "not offered" for cell in cells)
        progress(f"verified {connector.name} on {name}: {passed}/{offered} operation(s) pass "
                 f"({time.monotonic() - started:.1f} s)")
        return cells

    with ThreadPoolExecutor(max_workers=len(names)) as columns:
        return [cell for column in columns.map(timed_column, names) for cell in column]


def _column(name: str, cassette_dir: Path, index: CassetteIndex, connector: Connector) -> list[Cell]:
    """One platform's cells: its run of every case, judged case by case, one cell per operation."""
    column = platform(name)
    crashed: list[str] = []
    with ReplayServer(cassette_dir) as replay:
        try:
            outcomes = column.run(connector, index.cases, replay)
        except Exception as error:  # a broken host fails its column's cells; it does not end the matrix
            outcomes, crashed = {}, [f"the {name} run failed: {type(error).__name__}: {one_line(str(error))}"]
        reports = replay.report()
    cells = []
    declined = declined_by(column, runtime_document(connector))
    for key in connector.operations:
        if key in declined:
            cells.append(Cell(connector.name, key, name, "not offered", f"not offered: {declined[key]}"))
            continue
        cases = tuple(judged(column, case, outcomes.get(case.name), reports[case.name])
                      for case in index.for_operation(key))
        problems = crashed + [problem for case in cases for problem in case.problems] \
            or (["no recorded case"] if not cases else [])
        detail = "; ".join(problems) if problems else f"{len(cases)} case(s) match their cassettes"
        detail += column.note
        cells.append(Cell(connector.name, key, name, "fail" if problems else "pass", detail, cases))
    return cells


def judged(column: Platform, case: RecordedCase, outcome: Outcome | None, report: CaseReport) -> CaseResult:
    """The platform's judgement of one case, with both outcomes and, when it fails, where they differ:
    the requests it sent against the recorded ones (`request.…`), then the outcomes (`output.…`)."""
    problems = tuple(column.judge(case, outcome, report))
    expected = column.expected(case) if isinstance(column, Expecting) else case.outcome
    expected_json = None if expected is None else expected.model_dump(mode="json")
    actual_json = None if outcome is None else outcome.model_dump(mode="json")
    differences: tuple[Difference, ...] = ()
    if problems:
        ran = expected_json is not None and actual_json is not None
        differences = (*report.request_diffs, *(diff(expected_json, actual_json) if ran else []))
    return CaseResult(case.name, "fail" if problems else "pass", expected_json, actual_json, problems, differences)


def exact_problems(case: RecordedCase, outcome: Outcome | None, report: CaseReport) -> list[str]:
    """The default judgement: the recorded outcome, from exactly the recorded traffic."""
    problems = []
    if outcome is None:
        problems.append(f"{case.name}: not run")
    elif outcome != case.outcome:
        differences = diff(case.outcome.model_dump(mode="json"), outcome.model_dump(mode="json"))
        problems.append(f"{case.name}: outcome differs: {summary(differences)}")
    problems.extend(f"{case.name}: {mismatch}" for mismatch in report.mismatches)
    if report.played != report.recorded:
        problems.append(f"{case.name}: played {report.played} of {report.recorded} recorded interaction(s)")
    return problems


MARKS = {"pass": "pass", "fail": "FAIL", "not offered": "-"}


def render_table(cells: list[Cell]) -> str:
    """Operations down, platforms across; failing cells are explained below the table."""
    platforms = list(dict.fromkeys(cell.platform for cell in cells))
    rows = list(dict.fromkeys((cell.connector, cell.operation) for cell in cells))
    by_key = {(cell.connector, cell.operation, cell.platform): cell for cell in cells}
    width = max([len(f"{c}.{o}") for c, o in rows] + [9])
    lines = ["operation".ljust(width) + "  " + "  ".join(name.ljust(6) for name in platforms)]
    for connector, operation in rows:
        marks = [MARKS[by_key[(connector, operation, p)].status].ljust(6) for p in platforms]
        lines.append(f"{connector}.{operation}".ljust(width) + "  " + "  ".join(marks))
    failures = [cell for cell in cells if cell.status == "fail"]
    absent = [cell for cell in cells if cell.status == "not offered"]
    lines.append("")
    lines.append(f"{len(cells) - len(failures) - len(absent)} passed, {len(failures)} failed"
                 + (f", {len(absent)} not offered" if absent else ""))
    lines.extend(f"  {cell.platform} {cell.operation}: {cell.detail}" for cell in failures + absent)
    return "\n".join(lines)


def render_json(cells: list[Cell]) -> str:
    """Per cell, per case: expected and actual outcome, problems and the field diff."""
    return json.dumps({"cells": [cell.to_json() for cell in cells]}, indent=2, ensure_ascii=False)


def one_line(text: str, limit: int = 300) -> str:
    """An error's text on one line, cut to `limit` characters, for a cell's detail."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
