"""A loopback HTTP API that records exactly what arrives (method, raw target, headers, body) and
answers with a canned JSON response per route: what n8n sent, seen from the other side.

Each route is a case's own base URL (`/<route>/v1`), so many cases share one server and one
n8n-core process.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Arrival:
    method: str
    path: str  # the request target as sent (encoded path and query), below the route's base URL
    headers: dict[str, str]
    body: str


class RecordingApi:
    def __init__(self, answers: dict[str, Answer]) -> None:
        self.answers = answers
        self.arrivals: dict[str, list[Arrival]] = defaultdict(list)

    def __enter__(self) -> RecordingApi:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self) -> None:
                _, route, rest = self.path.split("/", 2)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8") if length else ""
                api.arrivals[route].append(Arrival(self.command, "/" + rest.removeprefix("v1/"),
                                                   {k.lower(): v for k, v in self.headers.items()}, body))
                answer = api.answers[route]
                payload = json.dumps(answer.body).encode("utf-8")
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _record

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()

    def base_url(self, route: str) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/{route}/v1"
