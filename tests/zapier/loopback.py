"""A loopback API for the Zapier tests: it records every raw request and answers as told.

Its `Date` header is the server clock a test scripts (`clock`: epoch ms, or None for no header at
all), because the kernel's polling windows are measured on the server's clock."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Seen:
    """One request as it arrived: the raw path (query included), lower-case headers, JSON body."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any


Answer = Callable[[Seen], tuple[int, Any, dict[str, str]]]  # status, JSON body, extra headers
Clock = Callable[[], "int | None"]  # the server's time in epoch ms; None sends no Date header


def not_found(_: Seen) -> tuple[int, Any, dict[str, str]]:
    return 404, {"error": {"message": "Job not found"}}, {}


def wall_clock() -> int | None:
    return int(time.time() * 1000)


class LoopbackApi:
    def __init__(self, answer: Answer, clock: Clock = wall_clock) -> None:
        self.seen: list[Seen] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def send_response(self, code: int, message: str | None = None) -> None:
                """The status line and the scripted Date header (the standard one is the wall clock)."""
                self.send_response_only(code, message)
                now = clock()
                if now is not None:
                    self.send_header("Date", formatdate(now / 1000, usegmt=True))

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                request = Seen(self.command, self.path, {name.lower(): value for name, value in self.headers.items()},
                               json.loads(raw) if raw else None)
                outer.seen.append(request)
                status, body, headers = answer(request)
                payload = json.dumps(body).encode()
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)

    def base_url(self, prefix: str = "/v1") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{prefix}"

    def paths(self) -> list[str]:
        return [request.path for request in self.seen]


@contextmanager
def loopback_api(answer: Answer = not_found, clock: Clock = wall_clock) -> Iterator[LoopbackApi]:
    api = LoopbackApi(answer, clock)
    thread = threading.Thread(target=api.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        api.server.shutdown()
        api.server.server_close()
        thread.join()
