"""`connectors build` of each bundled connector (its four targets) against `import connector_core`.

The baseline is the package's own import, so the ratio is what building adds to starting up.
"""

from __future__ import annotations

import sys
import tempfile

from common import CONNECTORS, PYTHON, Figure, command, emit, interleaved, seconds
from connector_core.spec import bundled_connectors

GOAL_SECONDS = 0.25


def figure(name: str, rounds: int) -> Figure:
    with tempfile.TemporaryDirectory(prefix="bench-build-") as out:
        mine, theirs = interleaved(command(*CONNECTORS, "build", "--connector", name, "--out", out),
                                   command(PYTHON, "-c", "import connector_core"), rounds)
    return Figure(f"`connectors build --connector {name}` (every target)", seconds(mine),
                  f"`import connector_core`: {seconds(theirs)}", mine / theirs, f"under {GOAL_SECONDS} s",
                  mine < GOAL_SECONDS, f"python -m connector_core build --connector {name} --out DIR")


if __name__ == "__main__":
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    emit([figure(name, rounds) for name in bundled_connectors()])
