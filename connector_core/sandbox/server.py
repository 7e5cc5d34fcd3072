"""HTTP transport: turns sockets into ``exchange.Request`` objects and responses back.

Only the standard library is used. Connections are kept alive (HTTP/1.1) because connector
runtimes reuse them, and every response carries a Content-Length and ``Content-Type:
application/json`` (even the errors http.server produces on its own, such as malformed request
lines), unless a personality answers in prose (``exchange.Text``). With a ``log`` the server
writes one line per request (method, path without the query, status, time): never a header or a
query, so never a credential. In deterministic mode the ``Date`` header follows the sandbox
clock so recordings repeat byte for byte.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import BaseServer, TCPServer
from typing import Any, Callable, Final

from .api import SandboxApi
from .exchange import Request, Response, Text

MAX_BODY_BYTES: Final = 1024 * 1024
TOO_LARGE: Final = f"Request body too large: at most {MAX_BODY_BYTES} bytes."  # 413, the body left unread


class _BodyError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def encode_json(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class SandboxRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30  # idle keep-alive connections close after this many seconds
    server: "SandboxHTTPServer"

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without this, Nagle's algorithm
        # plus delayed ACKs add ~40 ms to every response.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    # -- one entry point for every method, so unknown methods get a JSON 405/404
    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = do_GET

    def _serve(self) -> None:
        started = time.perf_counter()
        target = self.path.split("#", 1)[0]
        path, _, query = target.partition("?")
        try:
            body = self._read_body()
        except _BodyError as exc:
            self.close_connection = True
            response = self.server.api.error(exc.status, exc.message)
        else:
            response = self.server.api.handle(self._request(path, query, body))
        self._send(response)
        if self.server.log is not None:
            self.server.log(f"{self.command} {path} {response.status} {(time.perf_counter() - started) * 1000:.1f} ms")

    def _request(self, path: str, query: str, body: bytes) -> Request:
        return Request(
            method=self.command,
            path=path,
            query=query,
            credential=self.headers.get(self.server.api.auth_header),
            body=body,
            content_type=self.headers.get("Content-Type"),
        )

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        raw = self.headers.get("Content-Length")
        if raw is None:
            return b""
        raw = raw.strip()
        if not (raw.isascii() and raw.isdigit()):  # isdigit alone lets "²" through to int()
            raise _BodyError(400, "Invalid Content-Length header: expected a non-negative decimal integer.")
        if len(raw.lstrip("0")) > len(str(MAX_BODY_BYTES)):  # also spares int() thousands of digits
            raise _BodyError(413, TOO_LARGE)
        length = int(raw)
        if length > MAX_BODY_BYTES:
            raise _BodyError(413, TOO_LARGE)
        return self.rfile.read(length)

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(1024).split(b";", 1)[0].strip()
            try:
                size = int(line, 16)
            except ValueError:
                raise _BodyError(400, "Invalid chunked request body.") from None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(chunks)
            total += size
            if total > MAX_BODY_BYTES:
                raise _BodyError(413, TOO_LARGE)
            chunks.append(self.rfile.read(size))
            self.rfile.readline(1024)

    def _send(self, response: Response) -> None:
        text = isinstance(response.payload, Text)
        body = response.payload.encode("utf-8") if text else encode_json(response.payload)
        self.send_response(response.status)
        self.send_header("Content-Type", "text/plain; charset=utf-8" if text else "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    # -- http.server hooks
    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors raised by http.server itself (bad request line, ...) as JSON too."""
        self.close_connection = True
        if self.request_version == "HTTP/0.9":  # unparsable request line: still answer with a status line
            self.request_version = "HTTP/1.1"
        text = message or self.responses.get(code, ("Error",))[0]
        self._send(self.server.api.error(code, f"{text}."))

    def log_message(self, format: str, *args: Any) -> None:
        """http.server's own log (the raw request line, query included) stays silent; `_serve` logs."""

    def version_string(self) -> str:
        return self.server.software

    def date_time_string(self, timestamp: float | None = None) -> str:
        clock = self.server.clock_ms
        if clock is not None:
            timestamp = clock() / 1000
        return formatdate(timestamp, usegmt=True)


class SandboxHTTPServer(ThreadingHTTPServer):
    """Threaded server that can also drop its open keep-alive connections on stop."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # bursts of concurrent clients must not be refused

    def __init__(
        self,
        address: tuple[str, int],
        api: SandboxApi,
        *,
        software: str,
        clock_ms: Callable[[], int] | None = None,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.api = api
        self.software = software  # the Server header
        self.clock_ms = clock_ms
        self.log = log  # one line per request, or None: silent
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, SandboxRequestHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind would do a reverse DNS lookup (getfqdn): skip it.
        TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Wake handler threads waiting on idle keep-alive connections."""
        with self._connections_lock:
            connections = list(self._connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up is normal; anything else is a sandbox bug worth a traceback."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError, socket.timeout)):
            return
        BaseServer.handle_error(self, request, client_address)
