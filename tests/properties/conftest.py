"""The property runs' settings, the one node process that answers for the JS kernel, and the tally.

Bounded by default (a few hundred inputs, derandomized so CI sees the same ones every run);
`HYPOTHESIS_PROFILE=long` tries thousands.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

DRIVER = Path(__file__).with_name("kernel_driver.js")
NUMBER_KEY = "\u0000number"  # how a number JSON text cannot carry travels to the driver

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile("bounded", max_examples=15, deadline=None, derandomize=True, database=None,
                          suppress_health_check=_QUIET)
settings.register_profile("long", max_examples=1500, deadline=None, derandomize=True, database=None,
                          suppress_health_check=_QUIET)

TALLY: Counter[str] = Counter()


def for_node(value: Any) -> Any:
    """`value` with NaN and the infinities spelled out, as JSON text cannot write them."""
    if isinstance(value, float) and not math.isfinite(value):
        return {NUMBER_KEY: "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")}
    if isinstance(value, dict):
        return {key: for_node(item) for key, item in value.items()}
    if isinstance(value, list):
        return [for_node(item) for item in value]
    return value


def json_line(value: Any) -> str:
    """One line of JSON, whatever the integers' size (the driver's JSON.parse reads them as JS does)."""
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        return json.dumps(for_node(value), ensure_ascii=True) + "\n"
    finally:
        sys.set_int_max_str_digits(limit)


class Kernel:
    """The JS kernel in one node process, asked one JSON line at a time."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(["node", str(DRIVER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         text=True, encoding="utf-8")
        self._document: str | None = None

    def ask(self, message: dict[str, Any]) -> dict[str, Any]:
        return self.ask_text(json_line(message))

    def ask_text(self, line: str) -> dict[str, Any]:
        """Ask with a line of JSON written by the caller (for values too deep to dump)."""
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(line)
        self._process.stdin.flush()
        answer = self._process.stdout.readline()
        assert answer, "the kernel driver ended"
        return json.loads(answer)

    def decide(self, name: str, document: dict[str, Any], connection: dict[str, str], base_url: str,
               operation: str, raw: Any, *, raw_text: str | None = None) -> dict[str, Any]:
        """The kernel's decision on `raw` (or on the input written as `raw_text`) for one operation."""
        if self._document != name:
            assert self.ask({"document": document, "connection": connection, "baseUrl": base_url}) == {"ok": True}
            self._document = name
        if raw_text is None:
            return self.ask({"operation": operation, "input": raw})
        return self.ask_text(f'{{"operation": {json.dumps(operation)}, "input": {raw_text}}}\n')

    def close(self) -> None:
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait(timeout=10)


@pytest.fixture(scope="session")
def kernel() -> Iterator[Kernel]:
    running = Kernel()
    yield running
    running.close()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if TALLY:
        figures = ", ".join(f"{name} {count}" for name, count in sorted(TALLY.items()))
        terminalreporter.write_line(f"property inputs: {figures}")
