"""The n8n platform plugin: generate the package, check it with n8n's own tools, run every recorded
case through the built package in n8n-core, and judge each run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from connector_core.cassettes.cases import Outcome, PollMode, RecordedCase
from connector_core.cassettes.judging import RecordingAware, output_problems, python_retried
from connector_core.cassettes.replay import CaseReport, ReplayServer
from connector_core.document import runtime_document
from connector_core.platforms import FormField
from connector_core.runtime.response import dig
from connector_core.spec.models import Connector, Operation
from n8n_bridge import generate, package_folder, preview
from n8n_bridge.checks import package_problems
from n8n_bridge.execution import run_in_n8n
from n8n_bridge.simulation import N8nPoller
from n8n_bridge.toolchain import N8N, built_package


TESTER_VERDICT = "CredentialTestError"  # the harness's name for n8n's credential tester failing a rule


def as_outcome(operation: Operation, raw: dict[str, Any], mode: PollMode = "poll") -> Outcome:
    """The harness's items in the Python runtime's shape: one record unwrapped, no items from a
    one-record search its nothing found (null), a test's body at its path, a trigger's "Fetch test
    event" (a `latest` case) as its one poll."""
    if raw["status"] != "ok":
        return Outcome(status="error", error=raw["error"])
    items = raw["output"]
    if operation.kind == "trigger":
        return Outcome(status="ok", output=[items] if mode == "latest" else items)
    if not operation.response.returns_list and not items:
        return Outcome(status="ok", output=None)
    if operation.response.returns_list or len(items) != 1:
        return Outcome(status="ok", output=items)
    record = items[0]
    return Outcome(status="ok", output=dig(record, operation.response.path) if operation.kind == "test" else record)


def hosted(case: RecordedCase) -> bool:
    """n8n keeps a trigger's state, so a stateless `window` poll (Zapier's) is no n8n run."""
    return case.mode != "window"


def n8n_output(case: RecordedCase, operation: Operation) -> Any:
    """The recorded output the n8n way: a poll where Python found nothing is null ("nothing new")."""
    if operation.kind == "trigger" and case.mode != "latest":
        return [events or None for events in case.outcome.output]
    return case.outcome.output


class N8nPlatform(RecordingAware):
    """The generated package after `n8n-node build`, run by n8n-core (WorkflowExecute, PollContext)."""

    name = "n8n"
    order = 40
    note = ""

    def generate(self, document: dict[str, Any]) -> dict[str, str]:
        return generate(document)

    def directory(self, document: dict[str, Any]) -> str:
        return package_folder(document)

    def check_tools(self) -> list[Path]:
        N8N.require()
        return [N8N.lock_file]

    def check(self, document: dict[str, Any], folder: Path) -> list[str]:
        return package_problems(folder, document)

    def run(self, connector: Connector, cases: list[RecordedCase], replay: ReplayServer) -> dict[str, Outcome]:
        self.remember(connector, cases, replay.directory)
        runs = [case for case in cases if hosted(case)]
        raw = run_in_n8n(built_package(runtime_document(connector)), connector, runs, replay)
        return {case.name: as_outcome(connector.operation(case.operation), raw[case.name], case.mode) for case in runs}

    def poller(self, document: dict[str, Any], trigger: str, base_url: str, connection: dict[str, str],
               workdir: Path) -> N8nPoller:
        """The trigger switched on in n8n-core (see `n8n_bridge.simulation` for n8n's host semantics)."""
        return N8nPoller(document, trigger, base_url, connection, workdir)

    def form(self, document: dict[str, Any], operation_key: str) -> list[FormField] | None:
        """The node parameters shown for the operation, from the generated node descriptions."""
        return preview.form(document, operation_key)

    def judge(self, case: RecordedCase, outcome: Outcome | None, report: CaseReport) -> list[str]:
        """Strict rules, each derived from the Python runtime's recording of the same case:

        - Always: the case ran, and the replay server saw no request that differs from the cassette,
          except one: n8n-core's `httpRequestWithAuthentication` re-sends a request once after a 401
          (it re-authenticates first), so a connection test with a rejected key sends the recorded
          request twice; that repeat is the only extra request allowed, and only after a recorded 401.
        - The Python runtime retried (the first recorded response is a rate-limit or temporary status
          and the case used more than one interaction): the generated node leaves retries to n8n's
          node setting "Retry On Fail" (off by default), so it must surface that first failure after
          exactly 1 interaction: a NodeApiError with its HTTP status and the API's message.
        - Refused input (nothing sent): a NodeOperationError naming every recorded field, after 0
          interactions.
        - Other errors: a NodeApiError with the same HTTP status and the API's message (for a connection
          test, whose answer n8n's credential tester re-requests as above, any n8n error; for a connection
          test answered 2xx with an error code in the body, the tester's verdict: the code's message).
        - Success: the output equals the Python runtime's, after exactly the recorded interactions.
          A trigger's `poll` case is polled as often as Python polled it, from empty static data (a
          first activation: the baseline); each poll's events equal Python's, and a poll where
          Python found nothing returns null (n8n's "nothing new"). A `latest` case is "Fetch test
          event": the newest record (the runtimes' `latest`: the spec's sample on an empty account).
        - A trigger's `window` case (a stateless host's poll) is not run, and must send nothing.
        """
        if not hosted(case):
            ran = outcome is not None or report.played
            return [f"{case.name}: a stateless window poll ran on n8n, which keeps the trigger's state"] if ran else []
        if outcome is None:
            return [f"{case.name}: not run"]
        connector = self.connector
        operation = connector.operation(case.operation)
        first = self.first.get(case.name)
        reauthenticated = (operation.kind == "test" and first is not None and first.status in connector.errors.auth)
        allowed = [m for m in report.mismatches if reauthenticated and "already played" in m][:1]
        problems = [f"{case.name}: {mismatch}" for mismatch in report.mismatches if mismatch not in allowed]
        expected_played = case.interactions
        if first is not None and python_retried(case, first, connector):
            problems += self._failed_first(case, operation, outcome, first.status, first.message)
            expected_played = 1
        elif case.outcome.status == "error":
            recorded = case.outcome.error or {}
            if recorded.get("fields"):
                problems += self._names_fields(case, outcome, recorded["fields"])
            elif reauthenticated:
                problems += self._is_error(case, outcome)
            else:
                problems += self._failed_first(case, operation, outcome, recorded.get("status"), recorded.get("message"))
        else:
            problems += self._same_output(case, operation, outcome)
        if report.played != expected_played:
            problems.append(f"{case.name}: played {report.played} interaction(s), expected {expected_played}")
        return problems

    @staticmethod
    def _is_error(case: RecordedCase, outcome: Outcome, kind: str = "Node") -> list[str]:
        """An n8n error whose type starts with `kind` (`Node`: any of n8n's node errors)."""
        if outcome.status != "error" or not (outcome.error or {}).get("type", "").startswith(kind):
            return [f"{case.name}: expected an n8n {kind} error, got {outcome.model_dump(mode='json')}"]
        return []

    def _failed_first(self, case: RecordedCase, operation: Operation, outcome: Outcome, status: int | None,
                      message: str | None) -> list[str]:
        """The API's error as n8n shows it: a NodeApiError, or, for a connection test whose 2xx answer
        holds an error code, n8n's credential tester's verdict: the message of the code's rule."""
        error = outcome.error or {}
        if operation.kind == "test" and outcome.status == "error" and error.get("type") == TESTER_VERDICT:
            if not message or error.get("message") not in message:
                return [f"{case.name}: the credential test's verdict {error.get('message')!r} is not the API's "
                        f"error {message!r}"]
            return []
        return self._same_error(case, outcome, status, message)

    def _same_error(self, case: RecordedCase, outcome: Outcome, status: int | None, message: str | None) -> list[str]:
        problems = self._is_error(case, outcome, "NodeApiError")
        if problems:
            return problems
        error = outcome.error or {}
        if error.get("status") != status:
            problems.append(f"{case.name}: expected HTTP status {status}, got {error}")
        if message and message not in str(error.get("message")):
            problems.append(f"{case.name}: the n8n error does not carry the API message {message!r}: {error}")
        return problems

    def _names_fields(self, case: RecordedCase, outcome: Outcome, fields: list[str]) -> list[str]:
        problems = self._is_error(case, outcome, "NodeOperationError")
        text = str((outcome.error or {}).get("message"))
        problems += [f"{case.name}: the n8n error does not name the field {field!r}: {text!r}"
                     for field in fields if f"{field}: " not in text]
        return problems

    @staticmethod
    def _same_output(case: RecordedCase, operation: Operation, outcome: Outcome) -> list[str]:
        return output_problems(case, n8n_output(case, operation), outcome)

    def expected(self, case: RecordedCase) -> Outcome | None:
        """What `judge` holds the case to, for the field diff: the n8n-shaped output, the first
        failure where Python retried (n8n's "Retry On Fail" is the user's), else the recorded error as its n8n type."""
        if not hosted(case):
            return None
        first = self.first.get(case.name)
        if first is not None and python_retried(case, first, self.connector):
            error = {"type": "NodeApiError", "status": first.status, "message": first.message}
            return Outcome(status="error", error=error)
        if case.outcome.status == "error":
            recorded = case.outcome.error or {}
            kind = "NodeOperationError" if recorded.get("fields") else "NodeApiError"
            return Outcome(status="error", error={**recorded, "type": kind})
        return Outcome(status="ok", output=n8n_output(case, self.connector.operation(case.operation)))
