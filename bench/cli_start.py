"""Start-up of the command line: `connectors --help`, and one `run` of the connection test on
loopback, each against `python -c pass` (the interpreter's own start-up)."""

from __future__ import annotations

import sys

from common import CONNECTORS, ENVIRONMENT, PYTHON, Figure, command, emit, interleaved, seconds
from connector_core.sandbox import Sandbox

KEY = "bench-key"


def help_figure(rounds: int) -> Figure:
    mine, theirs = interleaved(command(*CONNECTORS, "--help"), command(PYTHON, "-c", "pass"), rounds)
    return Figure("`connectors --help`", seconds(mine), f"`python -c pass`: {seconds(theirs)}", mine / theirs,
                  "under 0.15 s", mine < 0.15, "python -m connector_core --help")


def run_figure(rounds: int) -> Figure:
    with Sandbox("hellotracks", api_key=KEY) as sandbox:
        env = {**ENVIRONMENT, "HELLOTRACKS_API_KEY": KEY, "HELLOTRACKS_BASE_URL": sandbox.base_url}
        mine, theirs = interleaved(command(*CONNECTORS, "run", "hellotracks", "test_connection", env=env),
                                   command(PYTHON, "-c", "pass"), rounds)
    return Figure("`connectors run hellotracks test_connection`, loopback sandbox", seconds(mine),
                  f"`python -c pass`: {seconds(theirs)}", mine / theirs, "under 0.30 s", mine < 0.30,
                  "python -m connector_core run hellotracks test_connection")


if __name__ == "__main__":
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    emit([help_figure(rounds), run_figure(rounds)])
