"""`connectors verify` for Make: every recorded case rendered through the generated app.

Make cannot run offline, so nothing is executed: each module's communication is rendered with
the case's input (a trigger with the case's clock as `now`), each rendered request is matched by
the replay server's own matchers against the cassette, in process and without HTTP, and the
recorded response is rendered through `response.error`/`valid`/`iterate`/`output`. A case passes
when Make sends exactly the requests it would (one, or a trigger's first poll's pages, or none
when its own parameter validation refuses the input) and its result is the expected one: the
Python runtime's recorded output (a trigger's first poll, oldest first as Make emits it), or,
when the first response is an error, the Make error type for the runtime's typed error with the
API's message (Make leaves retries to the scenario).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import yaml
from vcr.request import Request as VcrRequest

from connector_core.cassettes.cases import Outcome, RecordedCase
from connector_core.cassettes.replay import CaseReport, ReplayServer
from connector_core.runtime.response import dig, error_for
from connector_core.spec.models import Connector, Operation, template_fields
from make_blueprints.app import generate
from make_blueprints.names import camel, connection_name, module_name
from make_blueprints.render import (
    Component,
    MakeError,
    Reply,
    Request,
    module_input,
    now,
    run_call,
    run_connection,
    run_trigger,
)
from make_blueprints.schemas import strip_comments

# The runtime's typed errors and the Make error type each one must become.
MAKE_ERROR_FOR = {"AuthError": "InvalidAccessTokenError", "RateLimitError": "RateLimitError",
                  "TemporaryError": "ConnectionError", "NotFoundError": "RuntimeError", "ApiError": "RuntimeError"}


class GeneratedApp:
    """The generated files, parsed, with each component's code at hand."""

    def __init__(self, files: dict[str, str]) -> None:
        self.files = files
        self.manifest = json.loads(files["makecomapp.json"])
        self.base = self._load(self.manifest["generalCodeFiles"]["base"])

    def _load(self, path: str) -> Any:
        return json.loads(strip_comments(self.files[path]))

    def _code(self, kind: str, name: str, code: str) -> Any:
        return self._load(self.manifest["components"][kind][name]["codeFiles"][code])

    def module(self, name: str) -> Component:
        metadata = self.manifest["components"]["module"][name]
        params = "staticParams" if metadata["moduleType"] == "trigger" else "mappableParams"
        return Component(self._code("module", name, "communication"), self.base, self._code("module", name, params))

    def connection(self, name: str) -> Component:
        return Component(self._code("connection", name, "communication"), {}, self._code("connection", name, "params"))


class Unmatched(Exception):
    """A rendered request that the cassette does not hold (the replay server says why)."""


class MakePlatform:
    name = "make"
    note = " (rendered, not executed)"

    def __init__(self) -> None:
        self._expected: dict[str, Outcome] = {}
        self._requests: dict[str, int] = {}

    def run(self, connector: Connector, cases: list[RecordedCase], replay: ReplayServer) -> dict[str, Outcome]:
        app = GeneratedApp(generate(connector))
        outcomes = {}
        for case in cases:
            self._expected[case.name] = expected_outcome(connector, case, replay.directory)
            self._requests[case.name] = requests_sent(connector.operation(case.operation), case)
            outcomes[case.name] = render_case(app, connector, case, replay)
        return outcomes

    def judge(self, case: RecordedCase, outcome: Outcome | None, report: CaseReport) -> list[str]:
        problems = [f"{case.name}: {mismatch}" for mismatch in report.mismatches]
        if outcome is None:
            problems.append(f"{case.name}: not rendered")
        elif outcome != self._expected[case.name]:
            problems.append(f"{case.name}: expected {_short(self._expected[case.name])}, rendered {_short(outcome)}")
        if report.played != self._requests[case.name]:
            problems.append(f"{case.name}: rendered requests matched {report.played} recorded interaction(s), "
                            f"expected {self._requests[case.name]}")
        return problems


def requests_sent(operation: Operation, case: RecordedCase) -> int:
    """What Make sends: nothing for input its validation refuses, a trigger's first poll, else one."""
    if case.interactions == 0:
        return 0
    return case.poll_interactions[0] if operation.kind == "trigger" else 1


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
        variables = {"parameters": module_input(component.parameters, case.input), "connection": connection,
                     "now": now(case.clock_ms)}
        if operation.kind == "trigger":
            return Outcome(status="ok", output=run_trigger(component, variables, send))
        bundles = run_call(component, variables, send)
        return Outcome(status="ok", output=bundles if operation.response.returns_list else bundles[0])
    except MakeError as error:
        return Outcome(status="error", error=error.describe())
    except Unmatched as unmatched:
        return Outcome(status="error", error={"type": "unmatched", "message": str(unmatched)})


def _connection_values(connector: Connector, api_key: str, base_url: str) -> dict[str, str]:
    """The Make connection pointed at the replay server: the key, and the base URL field."""
    fields = template_fields(connector.connection.base_url)
    if len(fields) != 1 or connector.connection.base_url != "{" + fields[0] + "}":
        raise ValueError(f"{connector.name}: the base URL is not one connection field, so it cannot point at replay")
    return {camel(connector.connection.credential.key): api_key, camel(fields[0]): base_url}


def _play(replay: ReplayServer, case: str, request: Request) -> Reply:
    """Match a rendered request as the replay server matches one over HTTP, and answer it."""
    split = urlsplit(request.url)
    prefix, _, rest = split.path.lstrip("/").partition("/")
    if prefix != case:
        raise Unmatched(f"{request.method} {request.url}: not under the case's base URL")
    uri = "http://replay/" + rest + (f"?{urlencode(request.qs)}" if request.qs else "")
    played = replay.play(case, VcrRequest(request.method, uri, request.content(), dict(request.headers)))
    if isinstance(played, str):
        raise Unmatched(played)
    text = played["body"]["string"]
    text = text.decode() if isinstance(text, bytes) else text
    return Reply(played["status"]["code"], json.loads(text) if text else None)


def expected_outcome(connector: Connector, case: RecordedCase, directory: Path) -> Outcome:
    """What Make must produce for a case, from the recording and the Python runtime's outcome."""
    if case.interactions == 0:
        return Outcome(status="error", error={"type": "DataError", "fields": case.outcome.error["fields"]})
    first = _recorded_responses(directory / case.cassette)[0]
    if not first.is_success:
        error = error_for(first, connector.errors, case.operation)
        return Outcome(status="error", error={"type": MAKE_ERROR_FOR[type(error).__name__], "status": error.status,
                                              "message": error.message})
    operation = connector.operation(case.operation)
    if operation.kind == "trigger":
        return Outcome(status="ok", output=list(reversed(case.outcome.output[0])))
    if operation.kind == "test":
        label = connector.connection.label or ""
        for field in template_fields(label):
            label = label.replace("{" + field + "}", str(dig(case.outcome.output, field)))
        return Outcome(status="ok", output={"label": label})
    return case.outcome


def _recorded_responses(cassette: Path) -> list[httpx.Response]:
    interactions = yaml.safe_load(cassette.read_text(encoding="utf-8"))["interactions"]
    return [httpx.Response(item["response"]["status"]["code"],
                           headers={k: v[0] for k, v in item["response"]["headers"].items()},
                           content=(item["response"]["body"]["string"] or "").encode())
            for item in interactions]


def _short(outcome: Outcome) -> str:
    text = json.dumps(outcome.model_dump(mode="json"), sort_keys=True)
    return text if len(text) <= 300 else text[:297] + "..."
