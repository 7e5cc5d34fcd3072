"""The Zapier platform plugin: generate and check the app, run every recorded case through it, judge."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from connector_core.cassettes.cases import Outcome, RecordedCase
from connector_core.cassettes.judging import FirstResponse, RecordingAware, output_problems, python_retried
from connector_core.cassettes.replay import CaseReport, ReplayServer
from connector_core.document import runtime_document
from connector_core.platforms import FormField
from connector_core.spec.models import Connector
from zapier_schema import generate, preview
from zapier_schema.checks import app_problems
from zapier_schema.definition import carries_records, records_key
from zapier_schema.execution import operation_run, run_in_zapier
from zapier_schema.keys import shown_field
from zapier_schema.simulation import ZapierPoller
from zapier_schema.toolchain import ZAPIER

ZAPIER_ERROR_TYPES = {"RateLimitError": "ThrottledError"}
LOADING_SAMPLE = {"isLoadingSample": True}  # bundle.meta when the Zap editor loads a trigger's sample


class ZapierPlatform(RecordingAware):
    """The generated Zapier app, run by zapier-platform-core (NODE_ENV=test), all cases in one process."""

    name = "zapier"
    order = 20
    note = ""

    def __init__(self) -> None:
        super().__init__()
        self.windowed: set[str] = set()  # the triggers with a recorded window case, as of the last run

    def generate(self, document: dict[str, Any]) -> dict[str, str]:
        return generate(document)

    def directory(self, document: dict[str, Any]) -> str:
        return document["name"]

    def poller(self, document: dict[str, Any], trigger: str, base_url: str, connection: dict[str, str],
               workdir: Path) -> ZapierPoller:
        """The trigger in a simulated Zap: the app in one long-lived zapier-platform-core process, Zapier's dedupe."""
        return ZapierPoller(document, trigger, base_url, connection, workdir)

    def check_tools(self) -> list[Path]:
        ZAPIER.require()
        return [ZAPIER.lock_file]

    def check(self, document: dict[str, Any], folder: Path) -> list[str]:
        """zapier-platform-schema's findings for the whole app and for each operation on its own, the
        publishing checklist's, then `zapier-platform validate`'s (zapier_schema.checks)."""
        return app_problems(document, folder)

    def run(self, connector: Connector, cases: list[RecordedCase], replay: ReplayServer) -> dict[str, Outcome]:
        """Every case Zapier can host, in one Node process: a trigger's `window` case is a scheduled
        poll, its `latest` case the Zap editor loading a sample; a `poll` case (a host that keeps
        the trigger's state) is not a Zapier run."""
        self.remember(connector, cases, replay.directory)
        self.windowed = {case.operation for case in cases if case.mode == "window"}
        runs = [operation_run(connector, case.name, connector.operation(case.operation), case.input,
                              base_url=replay.base_url(case.name), api_key=replay.api_key, clock_ms=case.clock_ms,
                              meta=LOADING_SAMPLE if case.mode == "latest" else None)
                for case in cases if not self._stateful_poll(case)]
        results = run_in_zapier(runtime_document(connector), runs)
        return {name: Outcome.model_validate(result) for name, result in results.items()}

    def form(self, document: dict[str, Any], operation_key: str) -> list[FormField] | None:
        """The Zap editor's fields for the operation, read from the generated definition.json."""
        return preview.form(document, operation_key)

    def judge(self, case: RecordedCase, outcome: Outcome | None, report: CaseReport) -> list[str]:
        """Strict rules, each derived from the Python runtime's recording of the same case:

        - Always: the case ran, and the replay server saw no request that differs from the cassette.
        - The Python runtime retried (the first recorded response is a rate-limit or temporary
          status, or such a code in a 2xx body, and the case used more than one interaction): Zapier retries on its own
          infrastructure, so the app must surface that first failure after exactly 1 interaction:
          a ThrottledError whose delay is that response's Retry-After, or a TemporaryError with its
          status; either carrying the API's message.
        - Refused input (InputValidationError, nothing sent): a Zapier InputValidationError naming
          each recorded field where the form shows it (`contact__email`, `jobs[2].date`) with the
          same rule text, after 0 interactions.
        - Other errors: the same kind (the Python error class is the Zapier error code;
          RateLimitError is Zapier's ThrottledError, with the same Retry-After), the same HTTP
          status, the API's message inside the Zapier message, after the recorded interactions.
        - Success: the output equals the Python runtime's. For a trigger's `window` case that is
          the window's events (Zapier keeps no cursor; it dedupes by the primary fields); for a
          `latest` case the newest record (the runtimes' `latest`: the spec's sample on an empty account);
          either after exactly the recorded interactions (`poll_interactions[0]`). A search that
          extracts one record returns it as a one-item list, because Zapier searches always
          return lists, and nothing found (null) as an empty list; a list's records as the line items
          of one result (`records_key`), none found as an empty list; an action's many records as
          the line items of its one object.
        - A trigger's `poll` case (state kept between polls) is not run, and must send nothing;
          its trigger is judged by its `window` cases, so a trigger with none fails.
        """
        if self._stateful_poll(case):
            return self._not_hosted(case, outcome, report)
        if outcome is None:
            return [f"{case.name}: not run"]
        problems = [f"{case.name}: {mismatch}" for mismatch in report.mismatches]
        expected_played = case.poll_interactions[0]
        first = self.first.get(case.name)
        connector = self.connector
        if first is not None and python_retried(case, first, connector):
            problems += self._surfaced_first_failure(case, outcome, first)
            expected_played = 1
        elif case.outcome.status == "error":
            problems += self._same_error(case, outcome)
        else:
            problems += self._same_output(case, outcome)
        if report.played != expected_played:
            problems.append(f"{case.name}: played {report.played} interaction(s), expected {expected_played}")
        return problems

    def _stateful_poll(self, case: RecordedCase) -> bool:
        return case.mode == "poll" and self.connector.operation(case.operation).kind == "trigger"

    def _not_hosted(self, case: RecordedCase, outcome: Outcome | None, report: CaseReport) -> list[str]:
        problems = []
        if outcome is not None or report.played:
            problems.append(f"{case.name}: a stateful poll ran on Zapier, which keeps no trigger state")
        if case.operation not in self.windowed:
            problems.append(f"{case.name}: no window case of {case.operation} is recorded, so its Zapier poll is unverified")
        return problems

    def _surfaced_first_failure(self, case: RecordedCase, outcome: Outcome, first: FirstResponse) -> list[str]:
        error = outcome.error or {}
        if outcome.status != "error":
            return [f"{case.name}: expected Zapier to surface the first HTTP {first.status}, got output {outcome.output!r}"]
        problems = []
        if first.rate_limited:
            if error.get("type") != "ThrottledError" or error.get("retry_after") != first.retry_after:
                problems.append(f"{case.name}: expected ThrottledError with delay {first.retry_after}, got {error}")
        elif error.get("type") != "TemporaryError" or error.get("status") != first.status:
            problems.append(f"{case.name}: expected TemporaryError with HTTP {first.status}, got {error}")
        if first.message and first.message not in str(error.get("message")):
            problems.append(f"{case.name}: the Zapier error does not carry the API message {first.message!r}: {error}")
        return problems

    def _same_error(self, case: RecordedCase, outcome: Outcome) -> list[str]:
        recorded = case.outcome.error or {}
        error = outcome.error or {}
        if outcome.status != "error":
            return [f"{case.name}: expected an error like {recorded}, got output {outcome.output!r}"]
        problems = []
        kind = ZAPIER_ERROR_TYPES.get(recorded["type"], recorded["type"])
        if error.get("type") != kind:
            problems.append(f"{case.name}: expected a {kind}, got {error}")
        if kind == "ThrottledError" and error.get("retry_after") != recorded.get("retry_after"):
            problems.append(f"{case.name}: expected delay {recorded.get('retry_after')}, got {error}")
        elif kind != "ThrottledError" and error.get("status") != recorded["status"]:
            problems.append(f"{case.name}: expected HTTP status {recorded['status']}, got {error}")
        if kind == "InputValidationError":
            problems += self._names_fields(case, recorded, str(error.get("message")))
        elif recorded["message"] not in str(error.get("message")):
            problems.append(f"{case.name}: the Zapier error does not carry the API message {recorded['message']!r}: {error}")
        return problems

    def _names_fields(self, case: RecordedCase, recorded: dict[str, Any], message: str) -> list[str]:
        """Each recorded `field: rule text` (the message lists them, `; ` apart, and a rule text
        may hold `; ` too) must appear as `(where the form shows it) rule text`."""
        problems = []
        schema = self.connector.operation(case.operation).input
        fields = "|".join(re.escape(field) for field in recorded.get("fields", []))
        for segment in re.split(f"; (?=(?:{fields}): )", recorded["message"]) if fields else [recorded["message"]]:
            field, _, text = segment.partition(": ")
            if field not in recorded.get("fields", []):
                problems.append(f"{case.name}: cannot read the recorded problem {segment!r}")
            elif f"({shown_field(schema, field)}) {text}" not in message:
                problems.append(f"{case.name}: the Zapier error does not say ({shown_field(schema, field)}) {text}: "
                                f"{message!r}")
        return problems

    def _same_output(self, case: RecordedCase, outcome: Outcome) -> list[str]:
        return output_problems(case, self._zapier_output(case), outcome)

    def _zapier_output(self, case: RecordedCase) -> Any:
        """The recorded output the Zapier way: one poll's events; a one-record search as a list, and
        nothing found (null) as no result; a list's records as the line items of one result, none
        found as no result; an action's many records as the line items of its object."""
        operation = self.connector.operation(case.operation)
        expected: Any = case.outcome.output
        if operation.kind == "trigger":
            return expected[0]
        if operation.kind == "search" and not operation.response.returns_list:
            return [] if expected is None else [expected]
        if operation.kind == "list":
            return [{records_key(self.connector, operation): expected}] if expected else []
        if carries_records(operation):
            return {records_key(self.connector, operation): expected}
        return expected

    def expected(self, case: RecordedCase) -> Outcome | None:
        """What `judge` holds the case to, for the field diff: the Zapier-shaped output, the first
        failure where Python retried (Zapier retries on its own), else the recorded error as its Zapier type."""
        if self._stateful_poll(case):
            return None
        first = self.first.get(case.name)
        if first is not None and python_retried(case, first, self.connector):
            error = ({"type": "ThrottledError", "retry_after": first.retry_after} if first.rate_limited
                     else {"type": "TemporaryError", "status": first.status})
            return Outcome(status="error", error={**error, "message": first.message})
        if case.outcome.status == "error":
            recorded = case.outcome.error or {}
            kind = ZAPIER_ERROR_TYPES.get(recorded.get("type", ""), recorded.get("type"))
            return Outcome(status="error", error={**recorded, "type": kind})
        return Outcome(status="ok", output=self._zapier_output(case))
