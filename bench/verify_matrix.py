"""`connectors verify` with the toolchains installed and nothing changed.

- the whole matrix (every platform) against the Python column alone, per bundled connector;
- how many Node processes one verify starts, per platform (goal: one per Node platform), counted
  from /proc while it runs;
- growth: one connector against all bundled connectors, run one after the other.

One unmeasured verify runs first, so built artifacts are cached as they would be after any run;
it also counts the cells that pass. A verify with failing cells (exit 1) is timed all the same: it
ran every case; the figure says how many cells were green.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from common import CONNECTORS, ENVIRONMENT, ROOT, Figure, command, emit, interleaved, seconds, timed
from connector_core.platforms import platform_names
from connector_core.spec import bundled_connectors

GOAL_SECONDS = 5.0
WHERE = "python -m connector_core verify --connector NAME"


def verify(name: str, *platforms: str) -> list[str]:
    return [*CONNECTORS, "verify", "--connector", name, *(arg for p in platforms for arg in ("--platform", p))]


def timed_verify(name: str, *platforms: str) -> Callable[[], None]:
    return command(*verify(name, *platforms), exits=(0, 1))  # 1: some cell failed, every case ran


def green_cells(name: str) -> str:
    """Run verify once (filling the build caches) and say how many of its cells pass."""
    done = subprocess.run([*verify(name), "--format", "json"], cwd=ROOT, env=ENVIRONMENT, capture_output=True,
                          text=True)
    try:
        cells = json.loads(done.stdout)["cells"]
    except (ValueError, KeyError):
        raise RuntimeError(f"verify did not finish: {done.stderr.strip()[-300:]}") from None
    return f"{sum(cell['status'] == 'pass' for cell in cells)} of {len(cells)} cells green"


def matrix_figure(name: str, rounds: int) -> Figure:
    green = green_cells(name)
    mine, theirs = interleaved(timed_verify(name), timed_verify(name, "python"), rounds, warmup=0)
    return Figure(f"`connectors verify`, whole matrix, {name} ({len(platform_names())} platforms)",
                  f"{seconds(mine)} ({green})",
                  f"Python column alone: {seconds(theirs)}", mine / theirs, f"under {GOAL_SECONDS:.0f} s",
                  mine < GOAL_SECONDS, WHERE)


def node_starts(name: str, platform: str) -> int:
    """Node processes one `verify --platform` starts: its descendants whose executable is `node`,
    sampled from /proc every 10 ms (a Node start takes far longer, so none is missed)."""
    process = subprocess.Popen(verify(name, platform), cwd=ROOT, env=ENVIRONMENT, stdout=subprocess.DEVNULL)
    seen: set[int] = set()
    while process.poll() is None:
        seen |= {pid for pid in descendants(process.pid) if executable(pid) == "node"}
        time.sleep(0.01)
    if process.returncode not in (0, 1):
        raise RuntimeError(f"verify --platform {platform} did not finish")
    return len(seen)


def descendants(root: int) -> set[int]:
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def executable(pid: int) -> str:
    try:
        return Path(os.readlink(f"/proc/{pid}/exe")).name
    except OSError:
        return ""


def node_figure(name: str) -> Figure:
    starts = {platform: node_starts(name, platform) for platform in platform_names()}
    text = ", ".join(f"{platform} {count}" for platform, count in starts.items())
    return Figure(f"Node processes started by one `connectors verify`, {name}", text, "-", None,
                  "at most one per platform", all(count <= 1 for count in starts.values()),
                  "python -m connector_core verify --platform P (Node children counted in /proc)")


def growth_figure(rounds: int) -> Figure:
    """Seconds for the first bundled connector and for all of them, verified one after another."""
    names = bundled_connectors()
    per_connector = {name: sorted(timed(timed_verify(name)) for _ in range(rounds))[rounds // 2] for name in names}
    first, everything = per_connector[names[0]], sum(per_connector.values())
    return Figure(f"`connectors verify` growth: 1 connector against all {len(names)} bundled",
                  f"1: {seconds(first)}; all {len(names)}: {seconds(everything)}", "1 connector", everything / first,
                  "linear in connectors (ratio near their count)", None, WHERE + " (each bundled NAME)")


if __name__ == "__main__":
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    names = bundled_connectors()
    emit([*(matrix_figure(name, rounds) for name in names), *(node_figure(name) for name in names),
          growth_figure(rounds)])
