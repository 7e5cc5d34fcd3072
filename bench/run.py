"""`make bench`: run every benchmark script, then write docs/benchmarks.md from their figures.

Each script prints its figures as JSON lines (bench/common.py); this only collects them, adds
the machine, and lays out the table, so a script can also be run alone while profiling.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from common import ROOT, Figure, machine

SCRIPTS = ["runtime_cpu.py", "client_loopback.py", "cli_start.py"]
DOC = ROOT / "docs" / "benchmarks.md"
PREAMBLE = """# Benchmarks

Written by `make bench` (bench/run.py); do not edit by hand. Every figure is measured in one run
with the compared commands interleaved (A, B, A, B, ...), medians taken; no test asserts a time.
"""


def collect() -> list[Figure]:
    figures = []
    for script in SCRIPTS:
        env = {**os.environ, "PYTHONPATH": str(ROOT / "bench")}
        out = subprocess.run([sys.executable, str(ROOT / "bench" / script)], cwd=ROOT, check=True,
                             capture_output=True, text=True, env=env).stdout
        figures += [Figure(**json.loads(line)) for line in out.splitlines() if line.startswith("{")]
    return figures


def render(figures: list[Figure], host: dict[str, str]) -> str:
    rows = ["| measure | value | baseline | ratio | goal | met | command |", "|---|---|---|---|---|---|---|"]
    for f in figures:
        ratio = "-" if f.ratio is None else f"{f.ratio:.2f}x"
        met = "-" if f.met is None else ("yes" if f.met else "no")
        rows.append(f"| {f.measure} | {f.value} | {f.baseline} | {ratio} | {f.goal} | {met} | `{f.command}` |")
    where = (f"Machine: {host['cores']} cores, {host['cpu']}; Python {host['python']}, Node {host['node']}; "
             f"{host['os']}.")
    return "\n".join([PREAMBLE, where, "", *rows, "", (ROOT / "bench" / "NOTES.md").read_text()])


if __name__ == "__main__":
    DOC.write_text(render(collect(), machine()), encoding="utf-8")
    print(f"wrote {DOC}")
