"""The baseline: the hand-written peers' strategy, run as a host so its figures sit beside ours.

Every poll asks for the first page of everything (`since=0`, `limit=100`, no other param), keeps
the records that match the trigger's own fixed params (filtering locally, as the peers do), and emits
those whose id it has not seen, Zapier-style: switching on reads the page and
marks it seen without emitting; the seen ids live as long as the trigger (switching off keeps them);
a crash loses the poll. It reads the runtime document only to name the params.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from connector_core.simulation.shape import ApiShape, fixed_params, identity

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
        self.params = {polling["cursor"]["param"]: "0", paging["limit"]: str(PAGE),
                       **{paging[k]: str(v) for k, v in first.items()}}
        self.url = base_url.rstrip("/") + operation["request"]["path"]
        self.headers = {shape.auth_header: connection["api_key"]}
        self.envelope, self.key = shape.envelope, identity(polling)[0]
        self.seen: set[Any] = set()
        self.http = httpx.Client(timeout=30)

    def _page(self) -> list[dict[str, Any]]:
        response = self.http.get(self.url, params=self.params, headers=self.headers)
        response.raise_for_status()
        body: Any = response.json()
        for part in self.envelope:
            body = body[part]
        return [record for record in body if all(check(record, value) for check, value in self.keep)]

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
