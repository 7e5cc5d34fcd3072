"""The reliability figures of #13, measured and written to docs/reliability.md (its own section,
between markers; the trigger simulation's section is left as it is).

Per platform, from real runs: fault kinds tried and survived (the Python client, the Zapier app in
zapier-platform-core, the n8n node in n8n-core, against connector_core.faults), hostile inputs
tried with the unhandled exceptions and invalid inputs sent (the Python runtime and the JS kernel),
duplicate writes, ids reaching another endpoint, key leaks per surface, hangs; each count with the
number of cases tried beside it. Make has no runtime here, and the tables say so. Prints the
headline as JSON lines for bench/run.py. `--quick` is a small run for the test.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import reliability_escapes as escapes
import reliability_faults as faults
import reliability_inputs as inputs
import reliability_surfaces as surfaces
from common import ROOT, Figure, emit
from reliability_report import Findings, render, write_section

from connector_core.document import runtime_document
from connector_core.spec.loader import bundled_connectors, load_connector

COMMAND = "make bench-reliability"
INPUTS_PER_OPERATION = {True: 12, False: 1000}
HOSTS = ("python", "zapier", "n8n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a few cases of each kind (for the test)")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs", help="the folder of reliability.md")
    parser.add_argument("--cassettes", type=Path, default=ROOT / "tests" / "cassettes",
                        help="the committed cassettes to read for a key")
    parser.add_argument("--connector", action="append", default=[], help="only this bundled connector (repeatable)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    findings = Findings(quick=args.quick, command="python bench/reliability.py --quick" if args.quick else COMMAND)
    for name in args.connector or bundled_connectors():
        measure(findings, name, runtime_document(load_connector(name)), args.quick)
    findings.committed = surfaces.committed_cassettes(runtime_document(load_connector(findings.connectors[0])),
                                                      args.cassettes)
    findings.seconds = time.monotonic() - started
    write_section(args.docs / "reliability.md", render(findings))
    emit([headline(findings)])
    return 0


def measure(findings: Findings, name: str, document: dict[str, Any], quick: bool) -> None:
    """Every figure for one connector; the hosts run side by side (they mostly wait on sockets)."""
    findings.connectors.append(name)
    small = faults.small_limits(document)
    findings.shapes += [shape.label for shape in faults.shapes(small)]
    tasks: dict[str, Callable[[], Any]] = {
        **{f"faults {host}": _bound(getattr(faults, f"through_{host}"), small, quick) for host in HOSTS},
    }
    findings.add(name, _run_all(tasks))
    runs = list(inputs.inputs(document, INPUTS_PER_OPERATION[quick]))
    with tempfile.TemporaryDirectory(prefix="reliability-") as work:
        tasks = {
            **{f"escapes {host}": _bound(getattr(escapes, f"through_{host}"), document, quick) for host in HOSTS},
            "inputs python": lambda: inputs.tally(document, runs, inputs.through_python(document, runs)),
            "inputs kernel": lambda: inputs.tally(document, runs, inputs.through_kernel(document, runs)),
            "surface cli": lambda: surfaces.cli_output(document, name, quick),
            "surface recordings": lambda: surfaces.recorded_cassettes(document, name, quick, Path(work)),
            "surface build": lambda: surfaces.generated_files(Path(work), document),
        }
        findings.add(name, _run_all(tasks))


def _bound(function: Callable[[dict[str, Any], bool], Any], document: dict[str, Any], quick: bool) -> Callable[[], Any]:
    return lambda: function(document, quick)


def _run_all(tasks: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """Each task's figures, or the exception that stopped it (its row then says so)."""
    def attempt(item: tuple[str, Callable[[], Any]]) -> tuple[str, Any]:
        label, task = item
        begun = time.monotonic()
        try:
            result = task()
        except Exception as error:  # one host failing must not hide the others' figures
            result = error
        failed = f"failed: {result!r}"[:300] if isinstance(result, Exception) else ""
        print(f"{label:20} {time.monotonic() - begun:6.1f}s {failed}", file=sys.stderr, flush=True)
        return label, result

    with ThreadPoolExecutor(len(tasks)) as pool:
        return dict(pool.map(attempt, tasks.items()))


def headline(findings: Findings) -> Figure:
    failures, tried = findings.failures()
    return Figure("reliability failures (unhandled, invalid sent, duplicate writes, escapes, leaks, hangs, "
                  "faults not survived)", f"{failures:,} in {tried:,} cases", "-", None, "0",
                  failures == 0 and not findings.not_run(), COMMAND)


if __name__ == "__main__":
    sys.exit(main())
