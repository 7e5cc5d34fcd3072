"""The fault server: real HTTP on loopback, in threads, answering every request by one fault kind.

Two listeners: the main one plays the kind's script (the n-th request gets the n-th answer, the last
repeating) and the other origin, a redirect's target, answers the good answer to anything, so a
client that follows a redirect visibly succeeds and what reached the other origin is on record.
Both record every request they read. Nothing is logged: a log line is one more place for a key.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from connector_core.faults import answers
from connector_core.faults.echo import credentials
from connector_core.faults.kinds import FAULT_KINDS

POLL_SECONDS = 0.005  # how often a listener checks for shutdown: tests start hundreds of servers
NOT_TLS = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


@dataclass(frozen=True)
class Received:
    """One request as a listener read it; header names lower-cased."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes

    @property
    def path(self) -> str:
        return self.target.partition("?")[0]

    @property
    def query(self) -> str:
        return self.target.partition("?")[2]


class _Listener(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, owner: FaultServer, script: tuple[answers.Answer, ...], received: list[Received], *,
                 refuses_tls: bool = False) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.owner, self.script, self.received, self.refuses_tls = owner, script, received, refuses_tls

    @property
    def origin(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def answer_for(self, request: Received) -> answers.Answer:
        """Record the request; the script's answer for it (the last one repeats)."""
        with self.owner.lock:
            self.received.append(request)
            index = len(self.received) - 1
        return self.script[min(index, len(self.script) - 1)]


class FaultServer:
    """Serves one fault kind on 127.0.0.1 (a context manager). `success` is the operation's good
    answer (see `success_body`); `secrets` help the echo kinds recognise credential headers.
    `stopping` ends every stall and drip at once (set on exit, or by a watchdog that gave up)."""

    def __init__(self, kind: str, *, success: bytes, secrets: Sequence[str] = ()) -> None:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}")
        self.kind, self.success, self.secrets = kind, success, tuple(secrets)
        self.received: list[Received] = []
        self.other_received: list[Received] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self._main = _Listener(self, answers.SCRIPTS[kind] or (answers.success,), self.received,
                               refuses_tls=kind == "tls_handshake_fails")
        self._other = _Listener(self, (answers.success,), self.other_received)
        self._threads = [threading.Thread(target=listener.serve_forever, args=(POLL_SECONDS,), daemon=True)
                         for listener in (self._main, self._other)]
        self.base_url = self._base_url()
        self.other_origin = self._other.origin

    def _base_url(self) -> str:
        if self.kind == "connect_refused":
            return f"http://127.0.0.1:{_closed_port()}"
        if self.kind == "tls_handshake_fails":
            return self._main.origin.replace("http:", "https:", 1)
        return self._main.origin

    def __enter__(self) -> FaultServer:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        for listener in (self._main, self._other):
            listener.shutdown()
            listener.server_close()


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Listener

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def handle(self) -> None:
        if self.server.refuses_tls:
            self._refuse_tls()
            return
        try:
            super().handle()
        except OSError:
            self.close_connection = True   # the client went away mid-answer: nothing left to do

    def _refuse_tls(self) -> None:
        """Whatever arrives (a TLS ClientHello), the answer is plain HTTP: the handshake fails."""
        try:
            self.connection.recv(4096)
            self.connection.sendall(NOT_TLS)
        except OSError:
            pass

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        request = Received(self.command, self.path, {name.lower(): value for name, value in self.headers.items()},
                           self._body())
        exchange = _Exchange(self, request)
        self.server.answer_for(request)(exchange)
        if exchange.closed:
            self.close_connection = True

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def _body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts = []
            while (size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)) > 0:
                parts.append(self.rfile.read(size))
                self.rfile.readline()
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass
            return b"".join(parts)
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: requests are on record in `received`."""


class _Exchange:
    """The answers' view of one request (see answers.Exchange)."""

    def __init__(self, handler: _Handler, request: Received) -> None:
        owner = handler.server.owner
        self._handler, self._stopping = handler, owner.stopping
        self.success, self.target, self.other_origin = owner.success, request.target, owner.other_origin
        self.credentials = credentials(request.headers, owner.secrets)
        self.closed = False

    def send(self, data: bytes) -> None:
        self._handler.wfile.write(data)

    def wait(self, seconds: float) -> bool:
        return self._stopping.wait(seconds)

    def reset(self) -> None:
        self._handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self._handler.connection.close()
        self.closed = True

    def hang_up(self) -> None:
        try:
            self._handler.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.closed = True
