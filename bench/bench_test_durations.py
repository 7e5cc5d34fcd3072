"""A pytest plugin for bench/test_suite.py: every test phase's duration, appended as it ends, so a
run stopped at the time budget still says where its time went (pytest's `--durations` prints only
at the end)."""

from __future__ import annotations

import json
import os
from typing import Any


def pytest_runtest_logreport(report: Any) -> None:
    path = os.environ.get("BENCH_TEST_DURATIONS")
    if path:
        with open(path, "a", encoding="utf-8") as log:
            log.write(json.dumps([report.nodeid, report.when, report.duration, report.outcome]) + "\n")
