"""One generated Zapier app kept running in a Node child process, shared by every poller of the app.

The trigger simulation switches on dozens of pollers of one app and polls each hundreds of times:
a process per call, or even per poller, would spend its time loading zapier-platform-core.
`harness/poller.js` loads the app once and runs each call through Zapier's Lambda handler with
`Date.now` pinned to the call's clock; a call holds no state between calls, so one process serves
every poller of the app, one call at a time. `shared_app` hands out that process: started on the
first call, started again on the next call after it died, ended when the interpreter exits.
"""

from __future__ import annotations

import atexit
import json
import select
import subprocess
import tempfile
import threading
from dataclasses import asdict
from pathlib import Path
from typing import Any

from zapier_schema.execution import ZapierRun
from zapier_schema.toolchain import HARNESS, ZAPIER

CALL_TIMEOUT_S = 300  # far beyond any poll of a loopback server; a hung app fails instead of hanging


class _Node:
    """`node harness/poller.js` in the app's folder, with the toolchain's environment and a scratch HOME."""

    def __init__(self, app: Path) -> None:
        ZAPIER.require()
        self._home = tempfile.TemporaryDirectory(prefix="zapier-home-")
        self._log_path = Path(self._home.name) / "stderr.log"
        self._log = self._log_path.open("w", encoding="utf-8")
        # The connection travels on stdin with each call: never in argv, where `ps` would show it.
        self._process = subprocess.Popen(
            [ZAPIER.node(), str(HARNESS / "poller.js")], cwd=app, env=ZAPIER.env(Path(self._home.name)),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log, text=True, encoding="utf-8")

    @property
    def alive(self) -> bool:
        return self._process.poll() is None

    @property
    def pid(self) -> int:
        return self._process.pid

    def call(self, caller: str, run: ZapierRun) -> dict[str, Any]:
        assert self._process.stdin is not None and self._process.stdout is not None
        try:
            self._process.stdin.write(json.dumps({"caller": caller, **asdict(run)}) + "\n")
            self._process.stdin.flush()
        except BrokenPipeError:
            pass  # the process is gone: the empty read below says why
        # One line answers one call, so nothing is buffered ahead: waiting on the pipe is exact.
        if not select.select([self._process.stdout], [], [], CALL_TIMEOUT_S)[0]:
            self._process.kill()
            raise RuntimeError(f"the Zapier app gave no answer in {CALL_TIMEOUT_S} s: {self._stderr_tail()}")
        line = self._process.stdout.readline()
        if not line:  # stdout closed: the process is ending
            raise RuntimeError(f"the Zapier app process ended (exit {self._process.wait(timeout=10)}): "
                               f"{self._stderr_tail()}")
        answer = json.loads(line)
        if answer.pop("caller", None) != caller:
            self._process.kill()  # out of step: no later answer could be trusted
            raise RuntimeError(f"the Zapier app answered another caller than {caller!r}: {self._stderr_tail()}")
        return answer

    def close(self) -> None:
        """End the process (stdin closed, then killed if it lingers) and remove its scratch HOME."""
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._log.close()
        self._home.cleanup()

    def _stderr_tail(self) -> str:
        self._log.flush()
        return self._log_path.read_text(encoding="utf-8")[-2000:]


class AppProcess:
    """The app's Node process for many callers: started on the first call, and again on the call
    after it died (a crash or a timeout fails the call it happened in, not every later one)."""

    def __init__(self, app: Path) -> None:
        self._app = app
        self._lock = threading.Lock()  # one call at a time: answers come back in order
        self._node: _Node | None = None

    @property
    def pid(self) -> int | None:
        """The id of the process last started: None before the first call and after close."""
        return self._node.pid if self._node is not None else None

    def call(self, caller: str, run: ZapierRun) -> dict[str, Any]:
        """The call's outcome: {status: ok, output} or {status: error, error}. `caller` names the
        poller; the child echoes it, so an answer is never read as another poller's."""
        with self._lock:
            if self._node is not None and not self._node.alive:
                self._node.close()
                self._node = None
            if self._node is None:
                self._node = _Node(self._app)
            return self._node.call(caller, run)

    def close(self) -> None:
        with self._lock:
            if self._node is not None:
                self._node.close()
                self._node = None


_shared: dict[Path, AppProcess] = {}
_shared_lock = threading.Lock()


def shared_app(app: Path) -> AppProcess:
    """The one process of the app built in folder `app`, for every poller of it in this interpreter."""
    with _shared_lock:
        key = app.resolve()
        if key not in _shared:
            _shared[key] = AppProcess(key)
        return _shared[key]


@atexit.register
def close_shared_apps() -> None:
    """End every shared app process (also at interpreter exit, so no Node process outlives it)."""
    with _shared_lock:
        for process in _shared.values():
            process.close()
