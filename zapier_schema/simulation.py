"""The Zapier host for the trigger simulation: the generated app in zapier-platform-core, and
Zapier's dedupe in front of it.

What Zapier does with a polling trigger (https://docs.zapier.com/platform/build/deduplication),
reproduced here:

- Every scheduled poll runs the trigger's `perform` with no state. The app asks the kernel for its
  window (`windowPlan`, docs/polling.md rule 8: two polling intervals plus the lookback, on the
  server's clock, every page, newest first); the adapter adds no rule.
- Zapier remembers the primary-key tuple of every item it has seen (the output fields marked
  `primary`, else `id`) and fires only for items whose tuple it has not seen. A change that keeps
  the primary keys (e.g. two updates of one record in the same millisecond, when the keys are
  `id` and `updatedAt`) is one item to Zapier.
- Turning a Zap on polls once and stores every tuple without firing (the baseline). Turning it off
  clears the list ("When the Zap is turned off, that list is cleared"), so turning it on again
  sets a new baseline, and nothing that happened while it was off fires.
- A poll that dies before Zapier stores the tuples (`crash`) fires nothing and stores nothing; the
  next poll sees those items again, and fires for them if they are still in its window.
- A poll whose `perform` fails (the API refused, a Zapier error) fires nothing: it raises here, so
  the simulation sees the failure rather than an empty poll.

Not reproduced (https://docs.zapier.com/platform/build/operating-constraints): the polling throttle
("100 new items/poll" by default, adjustable on paid plans: Zapier's flood protection holds the rest
for the user to release, it does not drop them), which the simulation counts as delivered; and the
dedupe table's size (105,000 rows per Zap): what Zapier drops beyond it is not documented, so a
timeline that outgrows it stops with an error instead of being counted.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

from connector_core.document import connector_from_document
from connector_core.runtime.connection import values_for_base_url
from zapier_schema.app_process import shared_app
from zapier_schema.execution import ZapierRun, method_path
from zapier_schema.keys import zapier_key
from zapier_schema.project_dir import built_app

DEFAULT_PRIMARY = ["id"]
DEDUPE_TABLE_ROWS = 105_000  # per Zap, docs.zapier.com/platform/build/operating-constraints
_poller_numbers = itertools.count(1)


class ZapierPollFailed(RuntimeError):
    """The trigger's perform failed in zapier-platform-core; Zapier would show this error in the Zap history."""


def primary_fields(definition: dict[str, Any], trigger_key: str) -> list[str]:
    """The fields Zapier dedupes a trigger's items on, read from the definition as Zapier reads it."""
    fields = definition["triggers"][trigger_key]["operation"].get("outputFields", [])
    return [field["key"] for field in fields if field.get("primary")] or DEFAULT_PRIMARY


class ZapierPoller:
    """One trigger of a generated Zapier app switched on in a simulated Zap (see the module docstring).

    Zapier's dedupe store is this object's; the app runs in the app's shared Node process
    (zapier_schema.app_process), where a call keeps no state, so closing releases only this poller."""

    paused_events = "excluded"  # a Zap that is off never fires for what happened meanwhile
    same_key_is_same_event = True  # Zapier's dedupe knows an item by its primary keys alone (docs: deduplication)

    def __init__(self, document: dict[str, Any], trigger: str, base_url: str, connection: dict[str, str],
                 workdir: Path) -> None:
        connector = connector_from_document(document)
        operation = connector.operation(trigger)
        if operation.kind != "trigger":
            raise ValueError(f"operation {trigger!r} is a {operation.kind}, not a trigger")
        app = built_app(document, workdir)
        definition = json.loads((app / "definition.json").read_text(encoding="utf-8"))
        self._primary = primary_fields(definition, zapier_key(trigger, f"trigger {trigger!r}"))
        self._method = method_path(operation)
        self._auth = values_for_base_url(connector, base_url, connection)
        self._seen: set[str] | None = None  # None while the Zap is off
        self._app = shared_app(app)
        self._name = f"{trigger}#{next(_poller_numbers)}"
        self._closed = False

    def activate(self, now_ms: int) -> list[dict[str, Any]]:
        items = self._perform(now_ms)  # failing, it leaves the Zap off ("could not be turned on")
        self._seen = set()
        self._store(items)
        return []

    def poll(self, now_ms: int, *, crash: bool = False) -> list[dict[str, Any]]:
        if self._seen is None:
            raise RuntimeError("the Zap is off: activate it before polling")
        items = self._perform(now_ms)
        if crash:
            return []
        return self._store(items)

    def deactivate(self) -> None:
        self._seen = None

    def close(self) -> None:
        self._closed = True

    def _perform(self, now_ms: int) -> list[dict[str, Any]]:
        if self._closed:
            raise RuntimeError("the poller is closed")
        outcome = self._app.call(self._name, ZapierRun("poll", self._method, self._auth, {}, now_ms))
        if outcome["status"] != "ok":
            raise ZapierPollFailed(f"{self._method}: {outcome['error']}")
        return outcome["output"]

    def _store(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Remember each item's primary keys; the items not seen before, in the app's order."""
        assert self._seen is not None
        unseen = []
        for item in items:
            key = self._key(item)
            if key not in self._seen:
                self._seen.add(key)
                unseen.append(item)
        if len(self._seen) > DEDUPE_TABLE_ROWS:
            raise RuntimeError(f"the Zap's dedupe table outgrew Zapier's {DEDUPE_TABLE_ROWS} rows, "
                               f"beyond which its behaviour is not documented")
        return unseen

    def _key(self, item: dict[str, Any]) -> str:
        return json.dumps([item.get(field) for field in self._primary])
