"""Polling triggers: ask only for what changed, page until a short page, emit each event once.

The state is small and JSON-friendly: the cursor (the newest cursor-field value seen) and the
event keys seen inside the lookback window. Each poll re-reads `lookback_ms` behind the cursor
so that records committed late are not lost; the seen keys make that re-read emit nothing twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from connector_core.runtime.connection import ConnectionSettings
from connector_core.runtime.errors import ConnectorError
from connector_core.runtime.jsontext import json_text
from connector_core.runtime.plan import Clock, Plan, owned_errors, send, validated_input
from connector_core.runtime.request import build_request
from connector_core.runtime.response import dig, json_body, keep, records
from connector_core.spec.models import Connector, OffsetPagination, Operation, Polling


@dataclass
class PollState:
    cursor: int | None = None
    seen: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"cursor": self.cursor, "seen": self.seen}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PollState:
        return cls(cursor=data.get("cursor"), seen=dict(data.get("seen", {})))


@dataclass
class PollResult:
    events: list[dict[str, Any]]
    state: PollState
    requests: int


def since_for(polling: Polling, state: PollState, now_ms: int) -> int:
    """Where this poll starts: a bounded recent window at first, then the cursor minus lookback."""
    if state.cursor is None:
        return now_ms - polling.initial_window_ms
    return max(0, state.cursor - polling.lookback_ms)


def page_query(polling: Polling, since: int, page: int) -> dict[str, Any]:
    """Query parameters that the cursor and the pagination add to the operation's own."""
    paging = polling.pagination
    query: dict[str, Any] = {polling.cursor.param: since}
    if isinstance(paging, OffsetPagination):
        query.update({paging.limit_param: paging.page_size, paging.offset_param: page * paging.page_size})
    else:
        query.update({paging.size_param: paging.page_size, paging.page_param: paging.first_page + page})
    return query


def event_key(record: dict[str, Any], keys: list[str]) -> str:
    """The key `state.seen` remembers an event by: its dedupe fields as a JSON array."""
    return json_text([dig(record, key) for key in keys])


@owned_errors
def poll_plan(connector: Connector, operation: Operation, settings: ConnectionSettings,
              raw: Any, state: PollState | None, now_ms: int, *, clock: Clock | None = None,
              retries: bool = True) -> Plan:
    """One poll of a trigger: returns a PollResult with new events, newest first."""
    polling = operation.polling
    if polling is None:
        raise ValueError(f"{operation.key} is not a trigger")
    state = state or PollState()
    value = validated_input(operation, raw)
    since = since_for(polling, state, now_ms)
    read: list[dict[str, Any]] = []
    requests = 0
    for page in range(polling.max_pages):
        request = build_request(operation.request, value, settings, extra_query=page_query(polling, since, page))
        response = yield from send(connector, operation.key, settings, request,
                                   clock=clock or (lambda: now_ms), retries=retries)
        requests += 1
        items = records(operation, json_body(response))
        read.extend(items)
        if len(items) < polling.pagination.page_size:
            break
    return _advance(operation, polling, state, value, read, requests)


def _advance(operation: Operation, polling: Polling, state: PollState, value: dict[str, Any],
             read: list[dict[str, Any]], requests: int) -> PollResult:
    """Events are the matching records not seen yet; every record read moves the cursor."""
    cursor_field = polling.cursor.field
    matching = keep(read, operation.response.filters, operation.response.match, value)
    events, seen = [], dict(state.seen)
    for record in matching:
        key = event_key(record, polling.dedupe_key)
        if key not in seen:
            seen[key] = int(dig(record, cursor_field) or 0)
            events.append(record)
    positions = [int(dig(record, cursor_field) or 0) for record in read]
    cursor = max([state.cursor or 0, *positions]) if (positions or state.cursor is not None) else None
    if cursor is not None:
        horizon = cursor - polling.lookback_ms
        seen = {key: position for key, position in seen.items() if position >= horizon}
    events.sort(key=lambda record: int(dig(record, cursor_field) or 0), reverse=True)  # stable: ties keep API order
    return PollResult(events=events, state=PollState(cursor=cursor, seen=seen), requests=requests)


class PollStateError(ConnectorError):
    """A state file that cannot be read, parsed or written."""


def load_state(path: Path) -> PollState:
    """The saved state, or a fresh one when the file does not exist yet."""
    if path.is_dir() or not path.parent.is_dir():
        raise PollStateError(f"state file {path} cannot be written: its folder is missing or it is a folder")
    if not path.exists():
        return PollState()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        cursor, seen = data["cursor"], data["seen"]
        if not (cursor is None or isinstance(cursor, int)) or not isinstance(seen, dict):
            raise TypeError
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError):
        raise PollStateError(f"state file {path} is not a poll state (JSON with 'cursor' and 'seen')") from None
    return PollState.from_json(data)


def save_state(path: Path, state: PollState) -> None:
    """Write atomically so an interrupted run never leaves a half-written cursor."""
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(json.dumps(state.to_json(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    temporary.replace(path)
