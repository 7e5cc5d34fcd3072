"""A loopback HTTP server that answers from cassettes, for any client in any language.

Each recorded case is served under its own prefix: a client whose base URL is
`http://127.0.0.1:PORT/<case><base path>` gets that case's cassette, so one server (and one
Node process) can run every operation. Requests are matched with vcrpy's own cassette loading
and matchers plus ours (JSON body; the API key only in the header the connector's spec names);
each recorded interaction plays once, in order. A request that matches nothing is answered 418
(a status no client retries) with an error body in the API's own shape, and reported.
`GET /_replay/report` returns, per case, how many interactions were played of how many and
every mismatch; `POST /_replay/rewind` starts over.
"""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from vcr.cassette import Cassette
from vcr.errors import UnhandledHTTPRequestError
from vcr.matchers import get_matchers_results
from vcr.record_mode import RecordMode
from vcr.request import Request

from connector_core.cassettes.cases import load_index
from connector_core.cassettes.diff import Difference
from connector_core.cassettes.matching import replay_matchers, request_differences
from connector_core.spec import load_connector
from connector_core.wire import error_body

REPLAY_KEY = "replay-key"
MISMATCH_STATUS = 418
HOP_BY_HOP = {"content-length", "transfer-encoding", "connection", "keep-alive"}


@dataclass
class CaseReport:
    played: int
    recorded: int
    mismatches: list[str] = field(default_factory=list)
    request_diffs: list[Difference] = field(default_factory=list)  # recorded against sent, per mismatch

    @property
    def ok(self) -> bool:
        return not self.mismatches and self.played == self.recorded

    def to_json(self) -> dict[str, Any]:
        return {"played": self.played, "recorded": self.recorded, "mismatches": self.mismatches, "ok": self.ok,
                "request_diffs": [difference.to_json() for difference in self.request_diffs]}


class ReplayServer:
    """Serve every cassette listed in a directory's index. Use as a context manager."""

    def __init__(self, directory: Path, *, host: str = "127.0.0.1", port: int = 0,
                 api_key: str = REPLAY_KEY) -> None:
        self.directory = Path(directory)
        self.index = load_index(self.directory)
        self.api_key = api_key
        self.connector = load_connector(self.index.connector)
        self._matchers = replay_matchers(self.connector, api_key)
        self._lock = threading.Lock()
        self._cassettes = {
            case.name: Cassette.load(path=str(self.directory / case.cassette), match_on=self._matchers,
                                     record_mode=RecordMode.NONE)
            for case in self.index.cases
        }
        self._mismatches: dict[str, list[str]] = {}
        self._request_diffs: dict[str, list[Difference]] = {}
        self.rewind()
        self._server = ThreadingHTTPServer((host, port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def root_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def base_url(self, case: str) -> str:
        """The base URL a client uses to replay `case`: the prefix, then the API's own base path."""
        return f"{self.root_url}/{case}{self.index.base_path}"

    def rewind(self) -> None:
        """Start every cassette over: nothing played, no mismatches. The cassettes are parsed once,
        when the server is made (verify rewinds once per platform)."""
        with self._lock:
            for cassette in self._cassettes.values():
                cassette.rewind()
            self._mismatches = {case.name: [] for case in self.index.cases}
            self._request_diffs = {case.name: [] for case in self.index.cases}

    def report(self, case: str | None = None) -> dict[str, CaseReport] | CaseReport:
        with self._lock:
            reports = {
                name: CaseReport(played=sum(1 for count in cassette.play_counts.values() if count),
                                 recorded=len(cassette), mismatches=list(self._mismatches[name]),
                                 request_diffs=list(self._request_diffs[name]))
                for name, cassette in self._cassettes.items()
            }
        return reports[case] if case is not None else reports

    def play(self, case: str, request: Request) -> dict[str, Any] | str:
        """The recorded response for `request`, or a sentence saying why none matches."""
        with self._lock:
            cassette = self._cassettes.get(case)
            if cassette is None:
                return f"no recorded case named {case!r}"
            try:
                return cassette.play_response(request)
            except UnhandledHTTPRequestError:
                reason, closest = self._closest_difference(cassette, request)
                self._mismatches[case].append(reason)
                if closest is not None:
                    self._request_diffs[case].extend(request_differences(closest, request))
                return reason

    def _closest_difference(self, cassette: Cassette, request: Request) -> tuple[str, Request | None]:
        """Why `request` matches nothing, and the unplayed recorded request it comes closest to."""
        described = f"{request.method} {urlsplit(request.uri).path}"
        if not cassette.requests:
            return f"{described}: the cassette records no request (nothing should be sent)", None
        unplayed = [recorded for index, recorded in enumerate(cassette.requests) if not cassette.play_counts[index]]
        if not unplayed:
            return f"{described}: every recorded request was already played", None
        results = [(get_matchers_results(request, recorded, self._matchers)[1], recorded) for recorded in unplayed]
        fewest, closest = min(results, key=lambda result: len(result[0]))
        details = "; ".join(f"{name}: {message}" for name, message in fewest)
        return f"{described}: differs from the next recorded request in {details}", closest

    def start(self) -> ReplayServer:
        # A short poll interval: `stop()` waits for the loop to notice, up to this long.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="replay", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        try:
            self._server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            self._server.server_close()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _handler_for(replay: ReplayServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in separate writes: without this, Nagle's algorithm plus the
            # client's delayed ACK hold many responses back by up to 40 ms.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep quiet; keys stay out of logs
            return

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            split = urlsplit(self.path)
            if split.path == "/_replay/report":
                return self._send_json(200, {name: r.to_json() for name, r in replay.report().items()})
            if split.path == "/_replay/rewind" and self.command == "POST":
                replay.rewind()
                return self._send_json(200, {"rewound": True})
            case, _, rest = split.path.lstrip("/").partition("/")
            uri = "http://replay/" + rest + (f"?{split.query}" if split.query else "")
            request = Request(self.command, uri, body, dict(self.headers.items()))
            played = replay.play(case, request)
            if isinstance(played, str):
                return self._send_json(MISMATCH_STATUS, error_body(replay.connector, f"cassette replay: {played}"))
            self._send_recorded(played)

        def _send_recorded(self, response: dict[str, Any]) -> None:
            body = response["body"]["string"]
            payload = body.encode("utf-8") if isinstance(body, str) else (body or b"")
            # send_response_only: no Date of the replay's own; the recorded one (the API's clock,
            # which a poll reads as the server's now) goes out with the other recorded headers.
            self.send_response_only(response["status"]["code"], response["status"].get("message"))
            for name, values in response["headers"].items():
                if name.lower() not in HOP_BY_HOP:
                    for value in values if isinstance(values, list) else [values]:
                        self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _send_json(self, status: int, data: Any) -> None:
            payload = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

    return Handler
