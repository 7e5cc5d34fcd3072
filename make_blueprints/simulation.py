"""The rendered Make trigger as a host: each poll is one scenario run of the generated module.

Make runs no code of ours and has no offline runtime, so the poller evaluates the RENDERED
communication (the generated app's files, through `make_blueprints.evaluator`) and sends every
rendered request over real HTTP to the server it is given. What Make itself does around the
module is emulated, as documented:

- State. "The trigger module is a special module that saves the information about the last item
  processed and continues the execution from that item"
  (https://developers.make.com/custom-apps-documentation/app-components/modules/trigger). The
  module reads that item as `data.lastDate` and `data.lastId` ("Last processed item date / id",
  the trigger's IML variables in Integromat's app documentation, Make's former name; read in a
  copy, https://github.com/mikolajroszak/integromat.github.io, apps/new_docs/sections/iml-variables.md).
  The poller keeps exactly that: the date and id of the last item it output.
- New items. With `type: date`, "the trigger sorts all items by their date and id fields and
  returns only unprocessed items" (same page): the items a run read are sorted by (date, id) and
  those after the stored item are output, oldest first, each (date, id) once; the last one output
  becomes the stored item. `order: unordered` means the API promises no order, so Make reads
  every page the pagination directive asks for (no early stop at a processed item).
- Limits. A run outputs at most the response's `limit` (a trigger's default is 1: Integromat's
  `limit` directive, apps/new_docs/directives/limit.md in the same copy) and reads at most 3200 records
  ("Using unordered or asc order in a polling trigger may not work due to a 3200 pagination
  limit": https://developers.make.com/custom-apps-documentation/best-practices/trigger-modules).
- Activation. The epoch panel's "From now on" "is similar [to Since specific date], except the
  date is automatically set to the current date and time"
  (https://developers.make.com/custom-apps-documentation/component-blocks/epoch): the first
  activation stores the date `now_ms` and no id, and outputs nothing. Items dated exactly then are
  not new: Make's date comparison is strict (`trigger.matchEqual`, "true if the user selected the
  first item from the Epoch Panel", is what asks for greater-or-equal; same Integromat page). A
  trigger without a cursor is Make's `id` type (its items have no date): "From now on" reads one
  run and stores its last item (ids that are whole numbers compared as numbers), outputting
  nothing; later runs output the items whose id comes after it. Switching the scenario off
  and on again keeps the stored item, so Make continues from it (what happened while it was off is
  output by the next run).
- Failures. A run that fails (a Make error from the module) outputs nothing and stores nothing;
  a crash between fetching and storing (`crash=True`) likewise, so the next run starts from the
  old item.

`now_ms` is Make's clock for the run (`now` in IML); the poller reads no clock of its own.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from connector_core.document import connector_from_document
from make_blueprints.app import generate
from make_blueprints.limits import RUN_RECORDS
from make_blueprints.components import GeneratedApp
from make_blueprints.corpus import connection_fields
from make_blueprints.names import module_name
from make_blueprints.render import (
    MakeError,
    dated,
    Position,
    Reply,
    Request,
    module_input,
    now,
    stored,
    switch_on,
    trigger_items,
    unprocessed,
)


class MakePoller:
    """One generated Make trigger in a scenario, run by the rules of the module docstring."""

    paused_events = "required"  # Make continues from the stored item after a pause (EXPECTED.md)
    same_key_is_same_event = True  # an item is its trigger id and date: a repeat of the stored one is not new

    def __init__(self, document: dict[str, Any], trigger: str, base_url: str, connection: dict[str, str]) -> None:
        connector = connector_from_document(document)
        app = GeneratedApp(generate(document))
        self._component = app.module(module_name(connector.operation(trigger)))
        self._parameters = module_input(self._component.parameters, {})
        # A dated trigger's "From now on" stores Make's own clock's time; an `id` one, an item read.
        self.baseline_clock = "host" if dated(self._component) else "server"
        self._connection = connection_fields(connector, connection, base_url)
        self._http = httpx.Client(timeout=30)
        self._last: Position | None = None
        self._switched_on_before = False
        self.failures: list[MakeError] = []

    def activate(self, now_ms: int) -> list[dict[str, Any]]:
        """The first time: "From now on" (a dated trigger stores now, no id; an `id` trigger reads a
        run and stores its last item); later: continue."""
        if not self._switched_on_before:
            variables = {"parameters": self._parameters, "connection": self._connection, "now": now(now_ms), "data": {}}
            try:
                self._last = switch_on(self._component, variables, self._send, now_ms)
            except MakeError as failed:  # Make would not switch the scenario on
                self.failures.append(failed)
                return []
            self._switched_on_before = True
        return []

    def poll(self, now_ms: int, *, crash: bool = False) -> list[dict[str, Any]]:
        variables = {"parameters": self._parameters, "connection": self._connection, "now": now(now_ms),
                     "data": stored(self._last)}
        try:
            chosen = unprocessed(self._component, trigger_items(self._component, variables, self._send, RUN_RECORDS),
                                 self._last, variables)
        except MakeError as failed:
            self.failures.append(failed)
            return []
        if crash:
            return []
        if chosen:
            self._last = chosen[-1][0]
        return [bundle for _, bundle in chosen]

    def deactivate(self) -> None:
        """Make keeps the stored item while the scenario is off."""

    def close(self) -> None:
        self._http.close()

    def _send(self, sent: Request) -> Reply:
        answer = self._http.request(sent.method, sent.full_url(), headers=sent.sent_headers(), content=sent.content())
        return Reply(answer.status_code, json.loads(answer.content) if answer.content else None,
                     {name.lower(): value for name, value in answer.headers.items()})

