"""Progress for long steps (recording, verify, toolchain installs): a line per step on stderr when a
terminal watches it, nothing when stderr is a pipe or a log, and the output itself unchanged.

The terminal is a real pseudo-terminal (`pty`), so the commands decide exactly as they do for a user.
"""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from connector_core.cassettes.cases import load_index, load_plan

from tests.conftest import CASSETTES, ROOT


def run(command: list[str], cwd: Path, *, terminal: bool, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run `command` with stderr on a pseudo-terminal or a pipe: (exit code, stdout, stderr)."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    if not terminal:
        done = subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=300)
        return done.returncode, done.stdout, done.stderr
    controller, terminal_end = pty.openpty()
    process = subprocess.Popen(command, cwd=cwd, env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=terminal_end, text=True)
    os.close(terminal_end)
    chunks = []
    while True:  # drained as it comes: a full terminal buffer would block the child
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # EIO: the child closed its end
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    out = process.stdout.read() if process.stdout else ""
    code = process.wait(timeout=300)
    return code, out, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def connectors(*args: str) -> list[str]:
    return [sys.executable, "-m", "connector_core", *args]


def test_verify_shows_each_platform_on_a_terminal_and_nothing_in_a_pipe(tmp_path: Path) -> None:
    command = connectors("verify", "--cassettes", str(CASSETTES), "--platform", "python")
    watched = run(command, ROOT, terminal=True)
    piped = run(command, ROOT, terminal=False)
    assert watched[0] == piped[0] and "python" in piped[1]
    assert watched[1] == piped[1]  # the table itself does not change
    assert piped[2] == ""
    lines = watched[2].splitlines()
    assert "checking hellotracks on python" in lines
    assert lines[-2].startswith("verifying hellotracks on python: ")
    assert lines[-1].startswith("verified hellotracks on python: ") and " operation(s) pass (" in lines[-1]


def test_record_shows_one_line_per_case_on_a_terminal_and_keeps_stdout_to_the_result(tmp_path: Path) -> None:
    command = connectors("record", "--connector", "hellotracks", "--out", str(tmp_path / "cassettes"))
    watched = run(command, ROOT, terminal=True)
    piped = run(command, ROOT, terminal=False)
    assert watched[0] == piped[0] == 0, piped[2]
    summary = f"{len(load_plan('hellotracks').cases)} case(s) recorded against the sandbox into {tmp_path / 'cassettes'}\n"
    assert watched[1] == piped[1] == summary
    assert piped[2] == ""
    cases = load_index(tmp_path / "cassettes").cases
    lines = watched[2].splitlines()
    assert len(lines) == len(cases)
    for number, (line, case) in enumerate(zip(lines, cases), 1):
        assert line.startswith(f"recorded {number}/{len(cases)} {case.name}: {case.interactions} interaction(s), "
                               f"{case.outcome.status} (")


@pytest.fixture
def toolchain_project(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The Makefile and one toolchain's lock file in a scratch folder, with an `npm` that only says it ran."""
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / "toolchains" / "zapier").mkdir(parents=True)
    shutil.copy(ROOT / "toolchains" / "zapier" / "package-lock.json", tmp_path / "toolchains" / "zapier")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    npm = bin_dir / "npm"
    npm.write_text('#!/bin/sh\nmkdir -p node_modules\necho "npm $1"\n', encoding="utf-8")
    npm.chmod(0o755)
    return tmp_path, {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}


def test_a_toolchain_install_says_so_on_a_terminal_only(toolchain_project: tuple[Path, dict[str, str]]) -> None:
    project, env = toolchain_project
    stamp = "toolchains/zapier/node_modules/.installed"
    command = ["make", "--no-print-directory", stamp]
    watched = run(command, project, terminal=True, env=env)
    (project / stamp).unlink()
    piped = run(command, project, terminal=False, env=env)
    assert watched[0] == piped[0] == 0, piped
    assert watched[1] == piped[1] and "npm ci" in piped[1]  # make's own output is the same either way
    assert piped[2] == ""
    assert watched[2] == "installing the zapier toolchain from toolchains/zapier/package-lock.json (npm; once)\n"
    assert run(command, project, terminal=True, env=env)[2] == ""  # installed: nothing to do, nothing said
