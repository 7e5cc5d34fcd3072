"""`make bench`: run every benchmark script, then write docs/benchmarks.md from their figures.

Each script prints its figures as JSON lines (bench/common.py); this only collects them, adds
the machine, and lays out the table, so a script can also be run alone while profiling. The
trigger simulation's long run (bench/triggers.py) and the reliability figures
(bench/reliability.py) write their sections of docs/reliability.md themselves; their headline
figures are listed here too. A script that fails is a row saying so, so
the rest of the document is still written.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from common import ENVIRONMENT, ROOT, Figure, machine, seconds

SCRIPTS = ["runtime_cpu.py", "client_loopback.py", "cli_start.py", "build_cli.py", "verify_matrix.py",
           "sandbox_load.py", "test_suite.py", "triggers.py", "reliability.py"]
DOC = ROOT / "docs" / "benchmarks.md"
TIMEOUT_SECONDS = 420
PREAMBLE = """# Benchmarks

Written by `make bench` (bench/run.py); do not edit by hand. Every figure is measured in one run
with the compared commands interleaved (A, B, A, B, ...), medians taken; no test asserts a time.
The trigger simulation's own tables are in [reliability.md](reliability.md).
"""


def collect(script: str) -> list[Figure]:
    env = {**ENVIRONMENT, "PYTHONPATH": str(ROOT / "bench")}
    try:
        done = subprocess.run([sys.executable, str(ROOT / "bench" / script)], cwd=ROOT, capture_output=True,
                              text=True, env=env, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return [failed(script, f"stopped after {TIMEOUT_SECONDS} s")]
    figures = [Figure(**json.loads(line)) for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        figures.append(failed(script, f"exit {done.returncode}: {last}"))
    return figures


def failed(script: str, why: str) -> Figure:
    return Figure(f"`bench/{script}` did not finish", why, "-", None, "-", False, f"python bench/{script}")


def render(figures: list[Figure], host: dict[str, str], took: dict[str, float]) -> str:
    rows = ["| measure | value | baseline | ratio | goal | met | command |", "|---|---|---|---|---|---|---|"]
    for f in figures:
        ratio = "-" if f.ratio is None else f"{f.ratio:.2f}x"
        met = "-" if f.met is None else ("yes" if f.met else "no")
        rows.append(f"| {f.measure} | {f.value} | {f.baseline} | {ratio} | {f.goal} | {met} | `{f.command}` |")
    where = (f"Machine: {host['cores']} cores, {host['cpu']}; Python {host['python']}, Node {host['node']}; "
             f"{host['os']}. Load average when it ended (1, 5, 15 min): {host['load']}. "
             f"`make bench` took {seconds(sum(took.values()))} "
             f"({', '.join(f'{script} {seconds(spent)}' for script, spent in took.items())}).")
    details = [line for f in figures if f.details for line in [f"\n{f.measure}:\n", *(f"- {d}" for d in f.details)]]
    return "\n".join([PREAMBLE, where, "", *rows, *details, "", (ROOT / "bench" / "NOTES.md").read_text()])


if __name__ == "__main__":
    figures, took = [], {}
    for script in SCRIPTS:
        if (ROOT / "bench" / script).is_file():
            print(f"bench/{script} ...", flush=True)
            started = time.perf_counter()
            figures += collect(script)
            took[script] = time.perf_counter() - started
    DOC.write_text(render(figures, machine(), took), encoding="utf-8")
    print(f"wrote {DOC}")
