"""The Python runtime as a host: `Client.poll` over real HTTP, with a state file between polls.

Host semantics (EXPECTED.md): the state file is the host. Switching on polls from whatever state
file exists (none the first time: the runtime sets a baseline and emits nothing); switching off keeps
the file, so switching on again resumes where it stopped. A crash fetches, then dies before the state
is saved: the events are never delivered and the file keeps the old state.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from connector_core.document import connector_from_document
from connector_core.runtime.client import Client
from connector_core.runtime.polling import load_state, save_state


class PythonPoller:
    def __init__(self, document: dict[str, Any], trigger: str, base_url: str, connection: dict[str, str],
                 workdir: Path) -> None:
        self.trigger = trigger
        self.folder = Path(tempfile.mkdtemp(prefix=f"{trigger}-", dir=workdir))  # this poller's own: workdir is shared
        self.state_file = self.folder / "state.json"
        self.client = Client(connector_from_document(document), connection=connection, base_url=base_url)

    def activate(self, now_ms: int) -> list[dict[str, Any]]:
        return self.poll(now_ms)

    def poll(self, now_ms: int, *, crash: bool = False) -> list[dict[str, Any]]:
        state = load_state(self.state_file) if self.state_file.exists() else None
        result = self.client.poll(self.trigger, state, now_ms=now_ms)
        if crash:
            return []
        save_state(self.state_file, result.state)
        return list(result.events)

    def deactivate(self) -> None:
        """The state file stays: it is the host's memory."""

    def close(self) -> None:
        self.client.close()
        shutil.rmtree(self.folder, ignore_errors=True)
