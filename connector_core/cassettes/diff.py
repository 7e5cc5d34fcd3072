"""A field-level diff of two JSON values: where they differ, not the whole of both.

One changed integer deep in a 21-field record is one `Difference` at its path
(`output.items[0].priority`), so a failing case says what changed in a line, and the report and
JUnit show the same rows. A side that lacks the path is absent from the row's dict (`to_json`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

ABSENT: Any = type("Absent", (), {"__repr__": lambda self: "(absent)"})()


@dataclass(frozen=True)
class Difference:
    path: str
    expected: Any
    actual: Any

    def to_json(self) -> dict[str, Any]:
        """The path, and each side that has a value there (an absent side is left out)."""
        row = {"path": self.path}
        row.update({side: value for side, value in (("expected", self.expected), ("actual", self.actual))
                    if value is not ABSENT})
        return row

    def __str__(self) -> str:
        return f"{self.path}: expected {show(self.expected)}, got {show(self.actual)}"


def diff(expected: Any, actual: Any, path: str = "") -> list[Difference]:
    """Every leaf path where `actual` departs from `expected`, in expected's order (then actual's extras).

    Objects are compared key by key and lists index by index; values of different types (or a
    record against null) differ as a whole at their path.
    """
    if isinstance(expected, dict) and isinstance(actual, dict):
        keys = list(expected) + [key for key in actual if key not in expected]
        return [difference for key in keys
                for difference in diff(expected.get(key, ABSENT), actual.get(key, ABSENT), _member(path, key))]
    if isinstance(expected, list) and isinstance(actual, list):
        return [difference for index in range(max(len(expected), len(actual)))
                for difference in diff(_at(expected, index), _at(actual, index), f"{path}[{index}]")]
    if type(expected) is type(actual) and expected == actual:  # 1 and True, 1 and 1.0 differ in JSON
        return []
    return [Difference(path or "(whole)", expected, actual)]


def summary(differences: list[Difference], limit: int = 3) -> str:
    """The first few differences on one line, and how many more there are."""
    shown = "; ".join(str(difference) for difference in differences[:limit])
    more = len(differences) - limit
    return shown + (f"; and {more} more difference(s)" if more > 0 else "")


def show(value: Any, width: int = 60) -> str:
    """A value as short JSON: long strings and records are cut, so a line stays a line."""
    if value is ABSENT:
        return "(absent)"
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return text if len(text) <= width else text[:width - 3] + "..."


def _member(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _at(values: list[Any], index: int) -> Any:
    return values[index] if index < len(values) else ABSENT
