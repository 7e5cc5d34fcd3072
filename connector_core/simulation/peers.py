"""The baseline: the hand-written peers' strategy, run as a host so its figures sit beside ours.

Every poll asks for the first page of everything (`since=0` where the API has a since filter,
`limit=100`, no other param, each where the document places it: query or JSON body), keeps
the records that match the trigger's own fixed params (filtering locally, as the peers do), and emits
those whose id it has not seen, Zapier-style: switching on reads the page and
marks it seen without emitting; the seen ids live as long as the trigger (switching off keeps them);
a crash loses the poll. It reads the runtime document only to name the params.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from connector_core.runtime.request import place
from connector_core.runtime.response import dig
from connector_core.simulation.shape import ApiShape, fixed_params, has_cursor, identity

PAGE = 100


class PeersPoller:
    def __init__(self, document: dict[str, Any], trigger: str, base_url: str, connection: dict[str, str],
                 workdir: Path | None = None) -> None:
        operation = document["operations"][trigger]
        polling, shape = operation["polling"], ApiShape.of(document)
        self.keep = [(shape.param_filter(name), value) for name, value in fixed_params(operation).items()
                     if shape.param_filter(name)]
        paging = shape.paging_params()
        first = {"offset": 0} if "offset" in paging else {"page": int(shape.paging.get("first_page", 1))}
        at = polling["pagination"].get("in", "query")
        placed = [(at, paging["limit"], PAGE), *((at, paging[k], v) for k, v in first.items())]
        if has_cursor(polling):
            placed.insert(0, (polling["cursor"].get("in", "query"), polling["cursor"]["param"], 0))
        self.params = {name: str(value) for where, name, value in placed if where == "query"}
        body: dict[str, Any] = {}
        for where, name, value in placed:
            if where == "body":
                place(body, name, value)
        self.body = body or None
        self.method = operation["request"]["method"]
        self.url = base_url.rstrip("/") + operation["request"]["path"]
        self.headers = shape.auth_headers(connection)
        self.envelope, self.key = operation["response"]["path"], identity(polling)[0]
        self.seen: set[Any] = set()
        self.http = httpx.Client(timeout=30)

    def _page(self) -> list[dict[str, Any]]:
        response = self.http.request(self.method, self.url, params=self.params, json=self.body, headers=self.headers)
        response.raise_for_status()
        return [record for record in dig(response.json(), self.envelope)
                if all(check(record, value) for check, value in self.keep)]

    def activate(self, now_ms: int) -> list[dict[str, Any]]:
        self.seen.update(record[self.key] for record in self._page())
        return []

    def poll(self, now_ms: int, *, crash: bool = False) -> list[dict[str, Any]]:
        page = self._page()
        if crash:
            return []
        fresh = [record for record in page if record[self.key] not in self.seen]
        self.seen.update(record[self.key] for record in fresh)
        return fresh

    def deactivate(self) -> None:
        """The seen ids stay, as Zapier's dedupe store does."""

    def close(self) -> None:
        self.http.close()
