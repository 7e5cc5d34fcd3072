"""A trigger's poll state and the keys it remembers records and events by.

The state is plain JSON (docs/polling.md, "State"): the cursor, the seen event keys with their
positions, and the walk in progress. Anything that does not read as one is no state at all, so
the next poll sets a baseline instead of failing forever.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from connector_core.runtime.errors import ConnectorError
from connector_core.runtime.jsontext import json_text, plain
from connector_core.runtime.response import dig
from connector_core.spec.models import Polling

FNV_OFFSET, FNV_PRIME = 0x811C9DC5, 0x01000193


@dataclass
class Walk:
    """Reading Q(since) page by page: where it is, what it counted, the server's clock at its start."""

    since: int
    skip: int = 0
    known: int = 0
    ids: list[str] = field(default_factory=list)
    now: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"since": self.since, "skip": self.skip, "known": self.known, "ids": list(self.ids), "now": self.now}


@dataclass
class PollState:
    """`cursor` None: no baseline yet (the next poll sets one and emits nothing)."""

    cursor: int | None = None
    seen: dict[str, int] = field(default_factory=dict)
    walk: Walk | None = None

    def to_json(self) -> dict[str, Any]:
        return {"cursor": self.cursor, "seen": dict(self.seen), "walk": self.walk.to_json() if self.walk else None}

    @classmethod
    def from_json(cls, data: Any) -> PollState | None:
        """The state `data` holds, or None when it is not one (the poll then sets a baseline).
        Numbers are read as JavaScript holds them (`7.0` is `7`), as the kernel reads the same JSON."""
        data = plain(data)
        if not isinstance(data, dict):
            return None
        cursor, seen, walk = data.get("cursor"), data.get("seen"), data.get("walk")
        if not (cursor is None or _integer(cursor)) or not isinstance(seen, dict):
            return None
        if not all(isinstance(key, str) and _integer(at) for key, at in seen.items()):
            return None
        walking = _walk(walk)
        if walk is not None and walking is None:
            return None
        return cls(cursor=cursor, seen=dict(seen), walk=walking)

    def copy(self) -> PollState:
        walk = replace(self.walk, ids=list(self.walk.ids)) if self.walk else None
        return replace(self, seen=dict(self.seen), walk=walk)


def _integer(value: Any) -> bool:
    """An integer JavaScript holds exactly, as the kernel reads a state."""
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) <= 2**53 - 1


def _walk(data: Any) -> Walk | None:
    if not isinstance(data, dict):
        return None
    since, skip, known, ids, now = (data.get(name) for name in ("since", "skip", "known", "ids", "now"))
    if not (_integer(since) and _integer(skip) and _integer(known) and skip >= 0 and known >= 0):
        return None
    if not (isinstance(ids, list) and all(isinstance(key, str) for key in ids)) or not (now is None or _integer(now)):
        return None
    return Walk(since=since, skip=skip, known=known, ids=list(ids), now=now)


def position(record: Any, polling: Polling) -> int:
    """A record's cursor field as an integer (0 when it holds no number, or the trigger has no cursor)."""
    if polling.cursor is None:
        return 0
    value = dig(record, polling.cursor.field)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or abs(value) == float("inf"):
        return 0
    return int(value)


def identity_key(record: Any, polling: Polling) -> str:
    """The key naming one record: its identity fields as a JSON array."""
    return json_text([dig(record, name) for name in polling.record_identity])


def item_key(record: Any, polling: Polling) -> str:
    """The key a host that dedupes on its own knows an item by: the dedupe fields alone."""
    return json_text([dig(record, name) for name in polling.dedupe_key])


def event_key(record: Any, polling: Polling) -> str:
    """The key naming one event: the dedupe fields, and the record's fingerprint when asked for."""
    values = [dig(record, name) for name in polling.dedupe_key]
    return json_text(values + [fingerprint(record)] if polling.fingerprint else values)


def canonical_text(value: Any) -> str:
    """JSON text as JSON.stringify writes it, object keys sorted by UTF-16 code units. Built with
    a stack, not recursion, so a deeply nested record cannot exhaust the call stack; a tuple on
    the stack is text already written."""
    out: list[str] = []
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):
            out.append(item[0])
        elif isinstance(item, dict):
            keys = sorted(item, key=lambda key: key.encode("utf-16-be", "surrogatepass"))
            parts: list[Any] = [("{",)]
            for index, key in enumerate(keys):
                parts += [(("," if index else "") + json_text(key) + ":",), item[key]]
            stack.extend(reversed(parts + [("}",)]))
        elif isinstance(item, list):
            parts = [("[",)]
            for index, element in enumerate(item):
                parts += [(",",), element] if index else [element]
            stack.extend(reversed(parts + [("]",)]))
        else:
            out.append(json_text(item))
    return "".join(out)


def fingerprint(record: Any) -> str:
    """FNV-1a, 32 bits, over the UTF-16LE bytes of the record's canonical text; 8 lower-case hex digits."""
    digest = FNV_OFFSET
    for byte in canonical_text(record).encode("utf-16-le", "surrogatepass"):
        digest = ((digest ^ byte) * FNV_PRIME) & 0xFFFFFFFF
    return f"{digest:08x}"


class PollStateError(ConnectorError):
    """A state file that cannot be read or written."""


def load_state(path: Path) -> PollState | None:
    """The saved state; None (a baseline) when the file does not exist yet or holds no state."""
    if path.is_dir() or not path.parent.is_dir():
        raise PollStateError(f"state file {path} cannot be written: its folder is missing or it is a folder")
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise PollStateError(f"state file {path} is not JSON") from None
    if not isinstance(data, dict):
        raise PollStateError(f"state file {path} is not a poll state (a JSON object)")
    return PollState.from_json(data)


def save_state(path: Path, state: PollState) -> None:
    """Write atomically so an interrupted run never leaves a half-written cursor."""
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(json.dumps(state.to_json(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    temporary.replace(path)
