"""A local emulation of a bundled API, to record cassettes against and to try connectors on.

The engine here (HTTP server, SQLite store, clock, injected faults, control plane) serves one
API's *personality*: its endpoints, data and wording, found in the API's folder
(``connector_core/apis/<name>/sandbox``). The connector's spec says which header carries the
credential and where an error body holds its message. ``Sandbox`` owns one store and one
threaded HTTP server on loopback::

    with Sandbox("example", deterministic=True) as sandbox:
        httpx.get(sandbox.base_url + "/things", headers={...})

Besides the API it serves a key-less control plane for recordings:
``POST/DELETE/GET /_sandbox/faults`` (inject errors such as 429 with Retry-After),
``POST /_sandbox/reset`` (empty the store, restart the deterministic clock), and whatever
control endpoints the personality adds.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import TracebackType
from typing import Final

from connector_core.spec import default_connector, load_connector

from .api import SandboxApi
from .clock import Sequencer
from .faults import FaultQueue
from .personality import NoSandbox, load_personality
from .server import SandboxHTTPServer
from .store import Store

__all__ = ["DEFAULT_API_KEY", "NoSandbox", "Sandbox"]

DEFAULT_API_KEY: Final = "sandbox-key"


class Sandbox:
    """The sandbox server: ``start()``/``stop()`` for tests, ``serve_forever()`` for the CLI.

    ``connector`` names the API; it may be left out when only one is bundled.
    """

    def __init__(
        self,
        connector: str | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        db_path: str = ":memory:",
        api_key: str = DEFAULT_API_KEY,
        deterministic: bool = False,
        log: Callable[[str], None] | None = None,
    ) -> None:
        if not api_key:
            raise ValueError("api_key must not be empty")
        name = connector or default_connector()
        if name is None:
            raise ValueError("several connectors are bundled: name the one to serve")
        self.connector = load_connector(name)
        self.personality = load_personality(name)
        self._host = host
        self._port = port
        self._db_path = db_path
        self._api_key = api_key
        self._deterministic = deterministic
        self._log = log
        self._store: Store | None = None
        self._server: SandboxHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._close_lock = threading.Lock()

    # ------------------------------------------------------------------ addresses

    @property
    def root_url(self) -> str:
        """``http://HOST:PORT`` of the running server (the control plane lives here)."""
        if self._server is None:
            raise RuntimeError("Sandbox is not running; call start() first")
        host, port = self._server.server_name, self._server.server_port
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    @property
    def base_path(self) -> str:
        """Where the API is served, e.g. ``/v1`` (known before the server starts)."""
        return self.personality.BASE_PATH

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT`` and the base path, with the actually bound port."""
        return self.root_url + self.base_path

    @property
    def deterministic(self) -> bool:
        return self._deterministic

    # ------------------------------------------------------------------ lifecycle

    def _bind(self) -> SandboxHTTPServer:
        if self._server is not None:
            raise RuntimeError("Sandbox is already running")
        personality = self.personality
        store = Store(self._db_path, Sequencer(deterministic=self._deterministic),
                      schema=personality.SCHEMA, seed=personality.seed)
        try:
            api = SandboxApi(self.connector, personality, store, FaultQueue(), self._api_key)
            server = SandboxHTTPServer((self._host, self._port), api, software=personality.SERVER_NAME,
                                       clock_ms=store.now_ms if self._deterministic else None, log=self._log)
        except BaseException:
            store.close()
            raise
        self._store, self._server = store, server
        return server

    def start(self) -> "Sandbox":
        """Serve in a daemon thread; returns self once the socket is listening."""
        server = self._bind()
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"{self.connector.name}-sandbox",
            daemon=True,
        )
        self._thread.start()
        return self

    def serve_forever(self, ready: Callable[[], None] | None = None) -> None:
        """Serve in the calling thread until Ctrl-C (or stop() from another thread); `ready` is
        called once the socket listens, so a banner never precedes a failed bind (OSError)."""
        if self._server is not None:
            raise RuntimeError("Sandbox is already running")
        server = self._bind()
        try:
            if ready is not None:
                ready()
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
        finally:
            self._close()

    def stop(self) -> None:
        """Stop serving, drop open connections, close the database. Idempotent."""
        server = self._server
        if server is None:
            return
        if self._thread is not None:
            server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        else:  # serve_forever() runs in another thread
            server.shutdown()
        self._close()

    def _close(self) -> None:
        with self._close_lock:  # stop() and serve_forever()'s exit may both get here
            server, store = self._server, self._store
            self._server = self._store = None
        if server is not None:
            server.server_close()
            server.close_connections()
        if store is not None:
            store.close()

    def __enter__(self) -> "Sandbox":
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = self.base_url if self._server is not None else "stopped"
        return f"Sandbox({self.connector.name}, {state}, db={self._db_path!r}, deterministic={self._deterministic})"
