"""Reading Q(since), the records at or after a position, page by page until a short page.

A walk knows nothing of events: it asks for pages, hands each record to its caller, and says
where it stopped. The server's clock is read from the first answer's `Date` header.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import httpx

from connector_core.runtime.connection import ConnectionSettings
from connector_core.runtime.budget import Budget
from connector_core.runtime.plan import Step, send, unsafe_note
from connector_core.runtime.polling.state import Walk
from connector_core.runtime.request import build_request
from connector_core.runtime.response import http_date_ms, json_body, records
from connector_core.spec.models import Connector, OffsetPagination, Operation, Polling


def page_query(polling: Polling, since: int, skip: int) -> dict[str, Any]:
    """The query the cursor and the paging add after the operation's own params."""
    paging = polling.pagination
    query: dict[str, Any] = {polling.cursor.param: since}
    if isinstance(paging, OffsetPagination):
        query.update({paging.limit_param: paging.page_size, paging.offset_param: skip})
    else:
        page = paging.first_page + skip // paging.page_size  # a skip inside a page asks for that page
        query.update({paging.size_param: paging.page_size, paging.page_param: page})
    return query


def server_now(response: httpx.Response) -> int | None:
    """The server's clock: the start of the second its `Date` header names (never later than the
    server's true clock, so a cursor set from it cannot pass a record), or None without one."""
    return http_date_ms(response.headers.get("date") or "")


@dataclass
class Pages:
    """Sends a trigger's page requests: the operation's own input, plus the cursor and the paging."""

    connector: Connector
    operation: Operation
    settings: ConnectionSettings
    value: dict[str, Any]
    now_ms: int
    time_budget: Budget
    retries: bool
    budget: int
    requests: int = 0

    @property
    def polling(self) -> Polling:
        assert self.operation.polling is not None
        return self.operation.polling

    def walk(self, walk: Walk, take: Callable[[Any], None]) -> Generator[Step, Any, int | None]:
        """Read `walk` on from its skip within the budget, each record to `take`; returns the
        size of Q(since) when a short page ended it, None when the budget ran out first."""
        size = self.polling.pagination.page_size
        while self.requests < self.budget:
            request = build_request(self.operation.request, self.value, self.settings,
                                    extra_query=page_query(self.polling, walk.since, walk.skip))
            response = yield from send(self.connector, self.operation.key, self.settings, request, self.time_budget,
                                       unsafe=unsafe_note(self.operation.input, self.operation.request, self.value),
                                       retries=self.retries)
            self.requests += 1
            found = records(self.operation, json_body(response))
            if walk.now is None:
                at = server_now(response)
                walk.now = self.now_ms if at is None else at
            for record in found:
                take(record)
            if len(found) < size:
                return walk.skip + len(found)
            walk.skip += size
        return None
