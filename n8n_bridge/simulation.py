"""The n8n poller of the trigger simulation: the built trigger node switched on in n8n-core.

Each poller is one workflow (its own id, its own static data) in a long-lived Node process
(`harness/poller.js`) shared by every poller of the same built package, as one n8n instance runs
many active workflows: loading n8n-core takes seconds and a poll milliseconds, so the process is
started once (lazily, again if it died, ended at interpreter exit) and `N8nPoller.close()` removes
only its own workflow. The process loads the package with n8n's community-package loader and lets
n8n-core's own ActiveWorkflowTriggers, PollTriggerExecutor and PollContext activate, poll and
deactivate each workflow; its `Date.now` is the client time each call is given. Host semantics,
per workflow, as n8n 2.x (n8n-core's source, and the CLI around it) has them:

- Activation runs one poll at once (`ActiveWorkflowTriggers.activatePollTrigger` calls the poll
  executor before registering the schedule), and its items start the workflow. On a first
  activation the node's static data is empty, so the kernel's `pollPlan` sets a baseline and
  that poll emits nothing.
- The trigger's state lives in the workflow's static data (`getWorkflowStaticData('node')`),
  written by the node only after a successful plan. n8n saves static data when a poll emits, when
  a quiet scheduled poll commits its cursor, and after an activation; a poll that throws saves
  nothing (n8n records an error execution instead: this poller raises `N8nHostError`).
- Deactivation stops the schedule and keeps the stored static data: n8n-core never clears it and
  the host rebuilds the Workflow from it on every activation. Re-activation therefore resumes from
  the stored state, and its immediate poll delivers what changed while the workflow was off
  (every event once: the seen keys are in the same state).
- A crash after fetching and before saving delivers nothing and saves nothing; the next poll is
  n8n's restart, which re-activates the workflow (mode `init`) and polls at once from the stored
  state, so nothing is lost and nothing repeats. The crash is that workflow's alone: the other
  pollers in the process keep their state (each stands for a workflow of its own n8n instance).
"""

from __future__ import annotations

import atexit
import itertools
import json
import os
import select
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any

from connector_core.document import connector_from_document
from n8n_bridge.execution import credential_values, node_parameters, node_type
from n8n_bridge.names import credential_name
from n8n_bridge.toolchain import HARNESS, N8N, built_package

POLL_TIMES = {"item": [{"mode": "everyMinute"}]}  # n8n's default schedule for a polling node
REPLY_TIMEOUT_S = 120.0  # a poll walks at most the spec's page budget over loopback


class N8nHostError(RuntimeError):
    """n8n reported an error (a failed poll or activation), or the host process failed."""


def host_setting(document: dict[str, Any], trigger: str, base_url: str, connection: dict[str, str]) -> dict[str, Any]:
    """The workflow a user would set up: the built package, the trigger node for `trigger` on its
    default schedule, and a credential holding `connection` with its base URL pointed at `base_url`."""
    connector = connector_from_document(document)
    operation = connector.operation(trigger)
    if operation.kind != "trigger":
        raise ValueError(f"{trigger} is not a trigger")
    return {
        "packageDir": str(built_package(document)), "nodeType": node_type(connector, operation),
        "parameters": {**node_parameters(connector, operation, {}), "pollTimes": POLL_TIMES},
        "credentialType": credential_name(connector),
        "credentials": credential_values(connector, connection, base_url),
    }


class SharedHost:
    """One Node process (`harness/poller.js`) hosting the workflows of every poller of one built package
    (or another harness `script` speaking the same protocol: `serve_cases.js` runs one case a command)."""

    def __init__(self, package_dir: Path, script: str = "poller.js") -> None:
        self._scratch = tempfile.TemporaryDirectory(prefix="n8n-host-")  # HOME and the log, for the process's life
        home = Path(self._scratch.name)
        self._log = (home / "host.log").open("w", encoding="utf-8")
        replies, reply_end = os.pipe()
        try:
            self.process = subprocess.Popen(
                ["node", str(HARNESS / script), str(reply_end), str(package_dir)], cwd=package_dir,
                env=N8N.env(home), stdin=subprocess.PIPE, stdout=self._log, stderr=self._log,
                pass_fds=(reply_end,), text=True)
        finally:
            os.close(reply_end)
        self._replies = replies
        self._pending = b""
        self._lock = threading.Lock()  # one command and its reply at a time
        self._closed = False

    @property
    def alive(self) -> bool:
        return not self._closed and self.process.poll() is None

    def call(self, message: dict[str, Any]) -> dict[str, Any]:
        """Send one command line, read its reply line; n8n's error (or the process's death) raises."""
        with self._lock:
            if self._closed:
                raise N8nHostError("the n8n host is closed (it had died, or the interpreter is exiting)")
            try:
                self.process.stdin.write(json.dumps(message) + "\n")
                self.process.stdin.flush()
            except BrokenPipeError:
                raise N8nHostError(f"the n8n host exited: {self._log_tail()}") from None
            reply = json.loads(self._read_line())
        if reply.get("id") != message["id"]:
            raise N8nHostError(f"the n8n host answered {reply.get('id')!r} to {message['id']!r}")
        if not reply["ok"]:
            error = reply["error"]
            raise N8nHostError(f"{error['type']}: {error['message']}")
        return reply

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            try:
                self.process.stdin.close()
            except BrokenPipeError:
                pass  # it died with commands unread: nothing to flush
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            os.close(self._replies)
            self._log.close()
            self._scratch.cleanup()

    def _read_line(self) -> str:
        while b"\n" not in self._pending:
            ready, _, _ = select.select([self._replies], [], [], REPLY_TIMEOUT_S)
            chunk = os.read(self._replies, 1 << 16) if ready else b""
            if not chunk:
                if not ready:  # its late reply would answer the next command: this process is done
                    self.process.kill()
                state = "exited" if ready else f"did not answer within {REPLY_TIMEOUT_S:.0f} s"
                raise N8nHostError(f"the n8n host {state}: {self._log_tail()}")
            self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        return line.decode("utf-8")

    def _log_tail(self) -> str:
        self._log.flush()
        return Path(self._log.name).read_text(encoding="utf-8")[-4000:]


_HOSTS: dict[Path, SharedHost] = {}  # built package -> the process hosting its pollers
_HOSTS_LOCK = threading.Lock()
_WORKFLOW_IDS = itertools.count(1)


def shared_host(package_dir: Path) -> SharedHost:
    """The running host of `package_dir`: started on first use, and again if it died."""
    with _HOSTS_LOCK:
        host = _HOSTS.get(package_dir)
        if host is None or not host.alive:
            if host is not None:
                host.close()
            host = _HOSTS[package_dir] = SharedHost(package_dir)
        return host


@atexit.register
def close_shared_hosts() -> None:
    with _HOSTS_LOCK:
        while _HOSTS:
            _HOSTS.popitem()[1].close()


class N8nPoller:
    """One trigger of the built n8n package: one workflow in the package's shared n8n-core process.

    `workdir` is not needed: the shared process keeps its own scratch folder for as long as it runs.
    A poller whose process died raises `N8nHostError` (its stored static data died with it); the
    next poller starts a new process.
    """

    paused_events = "required"  # re-activation resumes from the kept static data (module docstring)

    def __init__(self, document: dict[str, Any], trigger: str, base_url: str, connection: dict[str, str],
                 workdir: Path) -> None:
        setting = host_setting(document, trigger, base_url, connection)
        self.host = shared_host(Path(setting.pop("packageDir")))  # the process its workflow lives in
        self._id = f"w{next(_WORKFLOW_IDS)}"
        self._call({"op": "open", "setting": setting})  # the API key travels on stdin only

    def activate(self, now_ms: int) -> list[dict[str, Any]]:
        return self._call({"op": "activate", "nowMs": now_ms})["events"]

    def poll(self, now_ms: int, *, crash: bool = False) -> list[dict[str, Any]]:
        return self._call({"op": "poll", "nowMs": now_ms, "crash": crash})["events"]

    def deactivate(self) -> None:
        self._call({"op": "deactivate"})

    def close(self) -> None:
        """Switch the workflow off and forget it; the process stays for the other pollers."""
        if self.host.alive:
            self._call({"op": "close"})

    def _call(self, command: dict[str, Any]) -> dict[str, Any]:
        return self.host.call({"id": self._id, **command})
