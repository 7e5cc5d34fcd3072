"""The timeline server: the scripted API over real HTTP on loopback, in a thread.

It answers the triggers' list request the way docs/polling.md says an API may: records matching the
since filter and the request's own params, paged by offset or page number, in an ORDER the scenario
picks (none is promised, so a hostile one is fair, even where the request names a sort: the rules
rely on none; the same order for unchanged data), with a `Date` header from the scripted server
clock. A request's params are its query's or, for an API that takes a JSON body, the body's values
by dotted path (`data.sort.from`); it must carry the credential as the runtime sends it. It counts
requests and response bytes (status line, headers and body), which is what a poll costs.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qsl, urlsplit

from connector_core.simulation.timeline import Timeline, Version

ORDERS: dict[str, Callable[[Version, Version], tuple[Any, ...]]] = {
    # (creation version, visible version) -> sort key; the id breaks ties, so unchanged data keeps its order
    "created_asc": lambda first, shown: (first.stamp, first.record),
    "created_desc": lambda first, shown: (-first.stamp, first.record),
    "updated_asc": lambda first, shown: (shown.stamp, shown.record),
    "updated_desc": lambda first, shown: (-shown.stamp, shown.record),
    "id": lambda first, shown: (shown.record,),
}


class BadRequest(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Traffic:
    requests: int = 0
    bytes: int = 0


class TimelineServer:
    """Serves one Timeline on 127.0.0.1; `order` may change between polls."""

    def __init__(self, timeline: Timeline, api_key: str, *, order: str = "created_asc") -> None:
        if order not in ORDERS:
            raise ValueError(f"unknown order {order!r} (known: {', '.join(ORDERS)})")
        self.timeline, self.order = timeline, order
        self.api_key = api_key
        self.traffic = Traffic()
        self._lock = threading.Lock()
        self._cache: tuple[tuple[Any, ...], list[dict[str, Any]]] | None = None
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._http.daemon_threads = True
        # serve_forever checks for shutdown every poll_interval (0.5 s by default): each run would wait that long
        self._thread = threading.Thread(target=self._http.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def api_key(self) -> str:
        return self._api_key

    @api_key.setter
    def api_key(self, value: str) -> None:
        """The credential the server accepts from now on (a test may rotate it), and the headers it expects."""
        self._api_key = value
        credentials = self.timeline.shape.auth_headers(self.timeline.shape.connection(value))
        self.auth = {name.lower(): header for name, header in credentials.items()}

    @property
    def base_url(self) -> str:
        """The base URL a host is given: the server's root and the path the connection's template adds."""
        host, port = self._http.server_address[:2]
        return f"http://{host}:{port}{self.timeline.shape.base_path}"

    def __enter__(self) -> TimelineServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.shutdown()
        self._http.server_close()

    def count(self, size: int) -> None:
        with self._lock:
            self.traffic.requests += 1
            self.traffic.bytes += size

    def answer(self, method: str, path: str, params: list[tuple[str, Any]], headers: dict[str, str]) -> Any:
        """The body for one request (its query's and body's params by name), or BadRequest."""
        shape = self.timeline.shape
        if path not in shape.paths:
            raise BadRequest(404, f"no such endpoint {path}")
        if method != shape.method:
            raise BadRequest(405, f"{path} takes {shape.method}, not {method}")
        if any(headers.get(name) != value for name, value in self.auth.items()):
            raise BadRequest(401, "missing or wrong credentials")
        given = dict(params)
        if len(given) != len(params):
            raise BadRequest(400, "a parameter is repeated")
        names = shape.paging_params()
        limit = _integer(given.pop(names["limit"], shape.paging.get("page_size", 100)), names["limit"])
        max_size = getattr(shape.personality, "MAX_PAGE_SIZE", 100)
        if not 1 <= limit <= max_size:
            raise BadRequest(400, f"{names['limit']} must be between 1 and {max_size}")
        if "offset" in names:
            skip = _integer(given.pop(names["offset"], 0), names["offset"])
        else:
            first = int(shape.paging.get("first_page", 1))
            skip = (_integer(given.pop(names["page"], first), names["page"]) - first) * limit
        if skip < 0:
            raise BadRequest(400, "paging before the first record")
        rendered = self._matching(given)
        return shape.wrap(rendered[skip:skip + limit])

    def _matching(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Every visible record the filters keep, rendered, in the scenario's order. Cached while the
        data, the clock and the query stay the same: the pages of one walk share one computation."""
        key = (self.timeline.now, self.timeline.generation, self.order, json.dumps(params, sort_keys=True))
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]
        shape = self.timeline.shape
        tests = []
        for name, value in params.items():
            if name in shape.cursors:
                field, since = shape.cursors[name][0], _integer(value, name)
                tests.append(lambda content, field=field, since=since: content[field] >= since)
            elif (check := shape.param_filter(name)) is not None:
                tests.append(lambda content, check=check, value=value: check(content, value))
            else:
                raise BadRequest(400, f"unknown parameter {name}")
        now = self.timeline.now
        with self.timeline.lock:
            matching = [(record.versions[0], shown) for record in self.timeline.records.values()
                        if (shown := record.visible(now)) is not None and shape.listed(shown.content)
                        and all(test(shown.content) for test in tests)]
        matching.sort(key=lambda pair: ORDERS[self.order](*pair))
        rendered = [shape.render(shown.content) for _, shown in matching]
        self._cache = (key, rendered)
        return rendered

    def date(self) -> str:
        """The scripted server clock, as an HTTP date (to the second)."""
        return formatdate(self.timeline.now / 1000, usegmt=True)


def _integer(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise BadRequest(400, f"{name} must be an integer")
    try:
        return int(value)
    except ValueError:
        raise BadRequest(400, f"{name} must be an integer") from None


def body_params(body: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """A JSON body's values by dotted path (`{"data": {"sort": {"from": 5}}}` -> `data.sort.from`)."""
    if not isinstance(body, dict):
        return [(prefix, body)] if prefix else []
    return [pair for key, value in body.items() for pair in body_params(value, f"{prefix}.{key}" if prefix else key)]


def _handler(server: TimelineServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            self._answer("GET", b"")

        def do_POST(self) -> None:  # noqa: N802
            self._answer("POST", self.rfile.read(int(self.headers.get("Content-Length") or 0)))

        def _answer(self, method: str, raw: bytes) -> None:
            url = urlsplit(self.path)
            headers = {name.lower(): value for name, value in self.headers.items()}
            try:
                if raw and "application/json" not in headers.get("content-type", ""):
                    raise BadRequest(415, "the body must be JSON")
                params = [*parse_qsl(url.query, keep_blank_values=True), *body_params(json.loads(raw) if raw else {})]
                status, body = 200, server.answer(method, url.path, params, headers)
            except BadRequest as error:
                status, body = error.status, {"error": {"message": str(error)}}
            except ValueError:
                status, body = 400, {"error": {"message": "the body is not JSON"}}
            payload = json.dumps(body, separators=(",", ":")).encode()
            head = (f"HTTP/1.1 {status} {'OK' if status == 200 else 'Error'}\r\n"
                    f"Date: {server.date()}\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(payload)}\r\n\r\n").encode()
            server.count(len(head) + len(payload))
            self.wfile.write(head + payload)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the simulation reports traffic through its counters."""

    return Handler
