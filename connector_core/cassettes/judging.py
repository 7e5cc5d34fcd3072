"""Pieces for judging a platform whose runtime legitimately differs from the Python one.

Zapier and n8n leave retries to their host (Zapier's infrastructure, n8n's "Retry On Fail"), so
where the Python runtime retried a 429 or 5xx and then succeeded, such a platform must instead
surface that first failure. These helpers read what the recording says the first answer was and
compare outputs and errors; each platform's `judge` composes them with its own naming rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml

from connector_core.cassettes.cases import Outcome, RecordedCase
from connector_core.cassettes.diff import diff, summary
from connector_core.runtime.errors import RateLimitError
from connector_core.runtime.plan import retry_class
from connector_core.runtime.response import answered, api_message, error_for, one_line
from connector_core.spec.models import Connector

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libYAML: ten times faster on cassettes


@dataclass(frozen=True)
class FirstResponse:
    """The first recorded answer of a case: what a platform that does not retry must surface."""

    status: int
    retry_after: float | None
    message: str | None
    retryable: bool = False  # the Python runtime retries it (a rate limit or temporary status, or such a code in the body)
    rate_limited: bool = False  # a rate limit (its status, or such a code in the body), not a temporary error


def first_response(cassette: Path, connector: Connector) -> FirstResponse | None:
    """The case's first recorded response, or None when the case sent nothing; its message and whether
    it is retried as the Python runtime reads them (a 2xx answer may carry an error code in its body)."""
    interactions = yaml.load(cassette.read_text(encoding="utf-8"), Loader=_SafeLoader)["interactions"]
    if not interactions:
        return None
    response = interactions[0]["response"]
    errors = connector.errors
    body = response["body"]["string"] or b""
    reply = httpx.Response(response["status"]["code"], content=body if isinstance(body, bytes) else body.encode(),
                           headers=[(name, value) for name, values in response["headers"].items() for value in values])
    raw_retry = reply.headers.get(errors.retry_after_header)
    error = None if answered(reply, errors) else error_for(reply, errors, "")
    retryable = error is not None and any(retry_class(reply, error, errors))
    rate_limited = isinstance(error, RateLimitError)
    if reply.is_success:
        message = error.message if error is not None else None
    else:
        message = one_line(api_message(reply, errors) or "") or None
    return FirstResponse(status=reply.status_code,
                         retry_after=float(raw_retry) if raw_retry and raw_retry.strip().isdigit() else None,
                         message=message, retryable=retryable, rate_limited=rate_limited)


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
    return first is not None and case.interactions > 1 and first.retryable


def output_problems(case: RecordedCase, expected: Any, outcome: Outcome) -> list[str]:
    """The platform produced `expected` (the recorded output, shaped the platform's way)."""
    if outcome.status != "ok":
        return [f"{case.name}: expected output, got error {outcome.error}"]
    if outcome.output != expected:
        return [f"{case.name}: output differs: {summary(diff(expected, outcome.output, 'output'))}"]
    return []
