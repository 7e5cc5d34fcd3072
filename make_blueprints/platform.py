"""The Make platform plugin: generate, check, and `connectors verify` by rendering.

`generate` and `directory` read the runtime document only; `check` validates a written app
against Make's JSON schemas and the cross-references of its files. Make cannot run offline, so
`verify` executes nothing: each module's communication is rendered with the case's input (a
trigger switched on "From now on" at the case's clock, then run once its records have settled), each rendered request is
matched by the replay server's own matchers against the cassette, in process and without HTTP,
and the recorded response is rendered through `response.error`/`valid`/`iterate`/`output`. A case passes when
Make sends exactly the requests it would (one, or a trigger's first run's pages, or none when
its own parameter validation refuses the input) and its result is the expected one, read from
the recording: the Python runtime's output; for a trigger, the records of the first poll's
recorded pages dated after the case's clock, oldest first (Make switched on "From now on" at that
clock; the runtime's baseline emits none, but recordings pin the client's clock behind the
sandbox's, and Make's date is its own clock: approximations.CLOCK_SKEW); or, when the first
recorded response is an error, the Make error type its status maps to with the API's message
from that response (Make leaves retries to the scenario). A trigger case recorded as a stateless
window poll or a manual test (`mode` window, latest) has no Make counterpart
(approximations.MANUAL_TEST): Make renders nothing for it and sends nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from vcr.request import Request as VcrRequest

from connector_core.cassettes.cases import Outcome, RecordedCase
from connector_core.cassettes.diff import diff, summary
from connector_core.cassettes.judging import FirstResponse, RecordingAware
from connector_core.cassettes.replay import CaseReport, ReplayServer
from connector_core.document import connector_from_document, runtime_document
from connector_core.platforms import FormField, NotOffered
from connector_core.runtime.response import dig
from connector_core.runtime.timestamps import stamped
from connector_core.spec.models import Connector, ErrorMapping, Operation
from make_blueprints import preview
from make_blueprints.app import generate
from make_blueprints.approximations import MANUAL_TEST
from make_blueprints.checks import app_problems
from make_blueprints.components import GeneratedApp
from make_blueprints.corpus import connection_fields, connection_label
from make_blueprints.recorded import answer_body, interactions, message, status_error
from make_blueprints.entry import form_field, form_values
from make_blueprints.names import connection_name, module_name
from make_blueprints.offer import declined_operations
from make_blueprints.schemas import schemas_dir
from make_blueprints.render import (MakeError, Reply, Request, dated, module_input, now, run_call, run_connection,
                                    run_trigger, stored, switch_on)
from make_blueprints.simulation import MakePoller



def make_error_type(errors: ErrorMapping, status: int) -> str:
    """The Make error type an error status must become: by the spec's status lists, and any other
    5xx is temporary too (docs/conformance.md)."""
    if status in errors.auth:
        return "InvalidAccessTokenError"
    if status in errors.rate_limit:
        return "RateLimitError"
    if status in errors.temporary or status >= 500:
        return "ConnectionError"
    return "RuntimeError"


class Unmatched(Exception):
    """A rendered request that the cassette does not hold (the replay server says why)."""


class MakePlatform(RecordingAware):
    """The generated Make app, rendered (Make cannot run offline); see the module docstring."""

    name = "make"
    order = 30
    note = " (rendered, not executed)"

    def __init__(self) -> None:
        super().__init__()
        self._expected: dict[str, Outcome] = {}
        self._requests: dict[str, int] = {}

    def generate(self, document: dict[str, Any]) -> dict[str, str]:
        return generate(document)

    def directory(self, document: dict[str, Any]) -> str:
        return document["name"]

    def check_tools(self) -> list[Path]:
        return [schemas_dir()]

    def check(self, document: dict[str, Any], folder: Path) -> list[str]:
        return app_problems(document, folder)

    def declined(self, document: dict[str, Any]) -> dict[str, str]:
        """The triggers Make's state cannot keep (make_blueprints.offer): the app has no module for them."""
        return declined_operations(connector_from_document(document))

    def poller(self, document: dict[str, Any], trigger: str, base_url: str, connection: dict[str, str],
               workdir: Path) -> MakePoller:
        """The rendered trigger run as Make runs it (make_blueprints.simulation); nothing is built
        outside this process, so `workdir` stays unused."""
        why = self.declined(document).get(trigger)
        if why is not None:
            raise NotOffered(f"Make does not offer {trigger}: {why}")
        return MakePoller(document, trigger, base_url, connection)

    def run(self, connector: Connector, cases: list[RecordedCase], replay: ReplayServer) -> dict[str, Outcome]:
        self.remember(connector, cases, replay.directory)
        app = GeneratedApp(self.generate(runtime_document(connector)))
        outcomes = {}
        left_out = declined_operations(connector)
        for case in cases:
            if case.mode != "poll" or case.operation in left_out:
                continue  # MANUAL_TEST, or no module (verify shows the cell as not offered)
            self._expected[case.name] = expected_outcome(connector, case, self.first.get(case.name),
                                                         replay.directory / case.cassette)
            self._requests[case.name] = requests_sent(connector, connector.operation(case.operation), case,
                                                      replay.directory / case.cassette)
            outcomes[case.name] = render_case(app, connector, case, replay)
        return outcomes

    def expected(self, case: RecordedCase) -> Outcome | None:
        """The outcome Make's rendering must give (`expected_outcome`); None for a manual-test case."""
        return self._expected.get(case.name)

    def form(self, document: dict[str, Any], operation_key: str) -> list[FormField] | None:
        """The module's static then mappable parameters, read from the generated app."""
        return preview.form(document, operation_key)

    def judge(self, case: RecordedCase, outcome: Outcome | None, report: CaseReport) -> list[str]:
        if case.mode != "poll":
            return [] if outcome is None and report.played == 0 else [
                f"{case.name}: {MANUAL_TEST}, yet it was rendered"]
        problems = [f"{case.name}: {mismatch}" for mismatch in report.mismatches]
        if outcome is None:
            problems.append(f"{case.name}: not rendered")
        elif outcome != self._expected[case.name]:
            differences = diff(self._expected[case.name].model_dump(mode="json"), outcome.model_dump(mode="json"))
            problems.append(f"{case.name}: rendered differently: {summary(differences)}")
        if report.played != self._requests[case.name]:
            problems.append(f"{case.name}: rendered requests matched {report.played} recorded interaction(s), "
                            f"expected {self._requests[case.name]}")
        return problems


def requests_sent(connector: Connector, operation: Operation, case: RecordedCase, cassette: Path) -> int:
    """What Make sends: nothing for input its validation refuses, a trigger's first poll, a paged
    search's pages up to the first that fails (Make retries none), else one."""
    if case.interactions == 0:
        return 0
    if operation.kind == "trigger":
        return case.poll_interactions[0]
    if operation.request.pagination is None:
        return 1
    sent = 0
    for interaction in interactions(cassette)[:case.interactions]:
        sent += 1
        status = interaction["response"]["status"]["code"]
        if not 200 <= status < 300 or status_error(connector, status, answer_body(interaction)) is not None:
            break
    return sent


def render_case(app: GeneratedApp, connector: Connector, case: RecordedCase, replay: ReplayServer) -> Outcome:
    operation = connector.operation(case.operation)
    connection = _connection_values(connector, replay.api_key, replay.base_url(case.name))

    def send(request: Request) -> Reply:
        return _play(replay, case.name, request)

    try:
        if operation.kind == "test":
            component = app.connection(connection_name(connector))
            return Outcome(status="ok", output=run_connection(component, {"parameters": connection}, send))
        component = app.module(module_name(operation))
        variables = {"parameters": module_input(component.parameters, form_values(operation, case.input)),
                     "connection": connection,
                     "now": now(case.clock_ms)}
        if operation.kind == "trigger":  # switched on "From now on" at the case's clock, then run once
            start = switch_on(component, variables, send, case.clock_ms)
            if not dated(component):
                return Outcome(status="ok", output=[])  # the switching on read the case's poll
            settled = {**variables, "now": now(case.clock_ms + SETTLED_AFTER_MS), "data": stored(start)}
            return Outcome(status="ok", output=run_trigger(component, settled, send, start))
        bundles = run_call(component, variables, send)
        return Outcome(status="ok", output=bundles if operation.response.returns_list else next(iter(bundles), None))
    except MakeError as error:
        return Outcome(status="error", error=error.describe())
    except Unmatched as unmatched:
        return Outcome(status="error", error={"type": "unmatched", "message": str(unmatched)})


# The trigger's run is this long after the case's clock: the replayed answer carries no `Date`, so
# Make's clock decides which records have settled, and a case's records are stamped within minutes
# of its clock, so by then every one has (the request does not change: it follows the stored date).
SETTLED_AFTER_MS = 86_400_000


def _connection_values(connector: Connector, api_key: str, base_url: str) -> dict[str, str]:
    """The Make connection pointed at the replay server: the key, and the base URL read back into
    the fields of the connection's base URL template."""
    return connection_fields(connector, {connector.connection.credential.key: api_key}, base_url)


def _play(replay: ReplayServer, case: str, request: Request) -> Reply:
    """Match a rendered request as the replay server matches one over HTTP, and answer it."""
    split = urlsplit(request.full_url())
    prefix, _, rest = split.path.lstrip("/").partition("/")
    if prefix != case:
        raise Unmatched(f"{request.method} {request.url}: not under the case's base URL")
    uri = "http://replay/" + rest + (f"?{split.query}" if split.query else "")
    played = replay.play(case, VcrRequest(request.method, uri, request.content(), dict(request.headers)))
    if isinstance(played, str):
        raise Unmatched(played)
    return Reply(played["status"]["code"], answer_body({"response": played}))


def expected_outcome(connector: Connector, case: RecordedCase, first: FirstResponse | None, cassette: Path) -> Outcome:
    """What Make must produce for a case, read from the recording (see the module docstring)."""
    if first is None:
        fields = sorted(form_field(connector.operation(case.operation), name, case.input)
                        for name in case.outcome.error["fields"])
        return Outcome(status="error", error={"type": "DataError", "fields": fields})
    operation = connector.operation(case.operation)
    if operation.kind in ("search", "list") and first.status in connector.errors.not_found:
        return case.outcome  # nothing found: no bundle, as the runtime's null or []
    body = answer_body(interactions(cassette)[0])
    if not 200 <= first.status < 300:
        return Outcome(status="error", error={"type": make_error_type(connector.errors, first.status),
                                              "status": first.status, "message": message(connector, first.status, body)})
    refused = status_error(connector, first.status, body)
    if refused is not None:
        return Outcome(status="error", error=refused)
    if operation.kind == "trigger" and operation.polling.cursor is None:
        return Outcome(status="ok", output=[])  # Make's "From now on" reads a run and outputs nothing
    if operation.kind == "trigger":
        return Outcome(status="ok", output=after_from_now_on(operation, case, recorded_records(operation, case, cassette)))
    if operation.kind == "test":
        return Outcome(status="ok", output=connection_label(connector, case.outcome.output))
    return case.outcome


def recorded_records(operation: Operation, case: RecordedCase, cassette: Path) -> list[dict[str, Any]]:
    """The records of the trigger's first poll, page after page, as the cassette holds them."""
    records: list[dict[str, Any]] = []
    for interaction in interactions(cassette)[:case.poll_interactions[0]]:
        records += dig(answer_body(interaction), operation.response.path) or []
    return records


def after_from_now_on(operation: Operation, case: RecordedCase, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Make's first run when switched on "From now on" at the case's clock: the records dated after
    it, by date then identity, each once (what Make documents; written apart from the renderer),
    each with its derived timestamps (the runtimes' rule)."""
    polling = operation.polling
    keyed = {(record[polling.cursor.field], ":".join(str(record[field]) for field in polling.record_identity)): record
             for record in records if record[polling.cursor.field] > case.clock_ms}
    return [stamped(operation.output, keyed[key]) for key in sorted(keyed)]
