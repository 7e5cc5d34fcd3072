"""`make test`'s wall time, and its slowest tests: where the next cut must come from.

The suite takes minutes, so it runs once, within a budget, and is reported, not interleaved with a
baseline: the figure is a count of seconds on this machine. Each test's duration is logged as it
ends (bench/bench_test_durations.py), so a run stopped at the budget still names its slowest tests.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from common import ENVIRONMENT, ROOT, Figure, emit, seconds

GOAL_SECONDS = 90
BUDGET_SECONDS = 150
ARGS = ["-q", "-p", "no:cacheprovider"]
SLOWEST = 12


def figure() -> Figure:
    with tempfile.TemporaryDirectory(prefix="bench-tests-") as folder:
        log = Path(folder) / "durations.jsonl"
        paths = [str(ROOT / "bench"), *filter(None, [ENVIRONMENT.get("PYTHONPATH")])]
        env = {**ENVIRONMENT, "BENCH_TEST_DURATIONS": str(log), "PYTHONPATH": os.pathsep.join(paths)}
        started = time.perf_counter()
        suite = subprocess.Popen([sys.executable, "-m", "pytest", *ARGS, "-p", "bench_test_durations"], cwd=ROOT,
                                 env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            suite.wait(timeout=BUDGET_SECONDS)
            finished = True
        except subprocess.TimeoutExpired:
            os.killpg(suite.pid, signal.SIGTERM)  # the suite and every server or Node process it started
            suite.wait()
            finished = False
        wall = time.perf_counter() - started
        phases = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []
    outcomes = Counter(outcome for _, when, _, outcome in phases if when == "call")
    outcomes["error"] = sum(1 for _, when, _, outcome in phases if when != "call" and outcome == "failed")
    counts = ", ".join(f"{number} {outcome}" for outcome, number in sorted(outcomes.items()) if number)
    slowest = sorted(phases, key=lambda phase: -phase[2])[:SLOWEST]
    return Figure("`make test` (`pytest -q -p no:cacheprovider`), wall time",
                  seconds(wall) if finished else f"over {seconds(wall)} (stopped at the bench's budget)",
                  counts or "no test ran", None, f"under {GOAL_SECONDS} s on two cores, every check kept",
                  finished and wall < GOAL_SECONDS, "pytest " + " ".join(ARGS),
                  details=[f"{duration:.1f} s {when} `{test}`" for test, when, duration, _ in slowest])


if __name__ == "__main__":
    emit([figure()])
