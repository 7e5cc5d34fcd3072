"""What every benchmark shares: interleaved timing, medians, the machine, and one result shape.

Every figure is a ratio (or a count) measured in one run with the compared commands alternating
A, B, A, B, ... so that a noisy neighbour on a shared machine slows both sides alike; medians keep
one slow outlier from deciding a figure. Nothing here asserts a time.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CONNECTORS = [PYTHON, "-m", "connector_core"]
# Commands run as on a user's machine, where Python caches compiled modules: a workplace that sets
# PYTHONDONTWRITEBYTECODE recompiles every project module on every start (see bench/NOTES.md).
ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


@dataclass
class Figure:
    """One row of docs/benchmarks.md."""

    measure: str
    value: str
    baseline: str
    ratio: float | None
    goal: str
    met: bool | None
    command: str
    details: list[str] = field(default_factory=list)  # lines listed under the table, e.g. slowest tests


def interleaved(subject: Callable[[], object], baseline: Callable[[], object], rounds: int,
                warmup: int = 2) -> tuple[float, float]:
    """Median seconds of `subject` and `baseline`, run alternately `rounds` times each."""
    for _ in range(warmup):
        subject(), baseline()
    subject_times, baseline_times = [], []
    for _ in range(rounds):
        subject_times.append(timed(subject))
        baseline_times.append(timed(baseline))
    return statistics.median(subject_times), statistics.median(baseline_times)


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def command(*argv: str, env: dict[str, str] | None = None, exits: tuple[int, ...] = (0,)) -> Callable[[], None]:
    """A callable that runs `argv` from the project root and fails loudly on an exit not in `exits`."""
    def run() -> None:
        done = subprocess.run(argv, cwd=ROOT, env=env or ENVIRONMENT, stdout=subprocess.DEVNULL)
        if done.returncode not in exits:
            raise subprocess.CalledProcessError(done.returncode, argv)
    return run


def seconds(value: float) -> str:
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 0.001:
        return f"{value * 1000:.1f} ms"
    return f"{value * 1e6:.0f} us"


def machine() -> dict[str, str]:
    """Cores, CPU model, the interpreters and the load average (other work sharing the cores), for
    the document's header."""
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "unknown")
    try:
        node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        node = "not found"
    return {"cores": str(os.cpu_count()), "cpu": model, "python": platform.python_version(), "node": node,
            "os": platform.platform(), "load": ", ".join(f"{value:.1f}" for value in os.getloadavg())}


def emit(figures: list[Figure]) -> None:
    """Print the figures as JSON lines, read by bench/run.py."""
    for figure in figures:
        print(json.dumps(asdict(figure)), flush=True)
