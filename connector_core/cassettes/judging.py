"""Pieces for judging a platform whose runtime legitimately differs from the Python one.

Zapier and n8n leave retries to their host (Zapier's infrastructure, n8n's "Retry On Fail"), so
where the Python runtime retried a 429 or 5xx and then succeeded, such a platform must instead
surface that first failure. These helpers read what the recording says the first answer was and
compare outputs and errors; each platform's `judge` composes them with its own naming rules.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from connector_core.cassettes.cases import Outcome, RecordedCase
from connector_core.cassettes.diff import diff, summary
from connector_core.runtime.response import dig
from connector_core.spec.models import Connector

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libYAML: ten times faster on cassettes


@dataclass(frozen=True)
class FirstResponse:
    """The first recorded answer of a case: what a platform that does not retry must surface."""

    status: int
    retry_after: float | None
    message: str | None


def first_response(cassette: Path, connector: Connector) -> FirstResponse | None:
    """The case's first recorded response, or None when the case sent nothing."""
    interactions = yaml.load(cassette.read_text(encoding="utf-8"), Loader=_SafeLoader)["interactions"]
    if not interactions:
        return None
    response = interactions[0]["response"]
    headers = {name.lower(): values for name, values in response["headers"].items()}
    raw_retry = headers.get(connector.errors.retry_after_header.lower(), [None])[0]
    try:
        message = dig(json.loads(response["body"]["string"] or "null"), connector.errors.message)
    except json.JSONDecodeError:
        message = None
    return FirstResponse(status=response["status"]["code"],
                         retry_after=float(raw_retry) if raw_retry and raw_retry.strip().isdigit() else None,
                         message=message if isinstance(message, str) else None)


def first_responses(connector: Connector, cases: list[RecordedCase], directory: Path) -> dict[str, FirstResponse | None]:
    """Each case's first recorded response, by case name."""
    return {case.name: first_response(directory / case.cassette, connector) for case in cases}


class RecordingAware:
    """Base for a platform whose judge needs the connector and each case's first recorded response.

    Its `run` calls `remember` first; `judge` then reads `connector` and `first`.
    """

    def __init__(self) -> None:
        self._connector: Connector | None = None
        self.first: dict[str, FirstResponse | None] = {}

    def remember(self, connector: Connector, cases: list[RecordedCase], directory: Path) -> None:
        self._connector = connector
        self.first = first_responses(connector, cases, directory)

    @property
    def connector(self) -> Connector:
        if self._connector is None:
            raise RuntimeError(f"{type(self).__name__}.judge needs run() first")
        return self._connector


def python_retried(case: RecordedCase, first: FirstResponse | None, connector: Connector) -> bool:
    """The Python runtime met a retryable status first and went on to try again."""
    if first is None or case.interactions <= 1:
        return False
    return first.status in connector.errors.rate_limit or first.status in connector.errors.temporary


def output_problems(case: RecordedCase, expected: Any, outcome: Outcome) -> list[str]:
    """The platform produced `expected` (the recorded output, shaped the platform's way)."""
    if outcome.status != "ok":
        return [f"{case.name}: expected output, got error {outcome.error}"]
    if outcome.output != expected:
        return [f"{case.name}: output differs: {summary(diff(expected, outcome.output, 'output'))}"]
    return []
