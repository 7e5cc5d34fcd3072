"""Reading Q(since), the records at or after a position (every record, without a cursor), page by
page until a short page.

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
from connector_core.runtime.plan import Step, resend_note, send
from connector_core.runtime.polling.state import Walk
from connector_core.runtime.request import build_request
from connector_core.runtime.response import http_date_ms, json_body, records
from connector_core.runtime.paging import Placed, page_params, with_params
from connector_core.spec.models import Connector, Operation, Polling


def page_query(polling: Polling, since: int, skip: int) -> Placed:
    """The params the cursor (when the trigger has one) and the paging add after the operation's own,
    each in its place (query or body)."""
    cursor = [(polling.cursor.location, polling.cursor.param, since)] if polling.cursor else []
    return cursor + page_params(polling.pagination, skip)


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
            mapping = with_params(self.operation.request, page_query(self.polling, walk.since, walk.skip))
            request = build_request(mapping, self.value, self.settings)
            response = yield from send(self.connector, self.operation.key, self.settings, request, self.time_budget,
                                       unsafe=resend_note(self.operation, self.value),
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
