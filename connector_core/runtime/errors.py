"""Typed errors a caller can catch by meaning rather than by status code.

Every error has a `message` (the text a user sees, without the operation's name) and can
redact it in place, so a plan can remove secrets from whatever error it raises.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from dataclasses import dataclass, replace


class ConnectorError(Exception):
    """Base of every error the runtime raises on purpose."""

    status: int | None = None
    retry_after: float | None = None
    #: True only when a request that is not safe to re-send may have been carried out by the API.
    may_have_succeeded: bool = False
    #: The status code an API put in a 2xx answer's body (`errors.body_status`), when that made the error.
    code: Any = None

    def __init__(self, message: str, *, operation: str | None = None) -> None:
        self.message = message
        self.operation = operation
        super().__init__(message)

    def redact(self, redact: Callable[[str], str]) -> None:
        self.message = redact(self.message)

    def __str__(self) -> str:
        return f"{self.operation}: {self.message}" if self.operation else self.message


@dataclass(frozen=True)
class FieldProblem:
    """One broken rule of one input field; `field` is a dotted path such as `contact.email`."""

    field: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class InputValidationError(ConnectorError):
    """The input breaks the operation's input schema; nothing was sent."""

    def __init__(self, operation: str, problems: list[FieldProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems), operation=operation)

    def redact(self, redact: Callable[[str], str]) -> None:
        self.problems = [replace(problem, message=redact(problem.message)) for problem in self.problems]
        self.message = "; ".join(str(problem) for problem in self.problems)

    def __str__(self) -> str:
        return f"invalid input for {self.operation}: {self.message}"


class ApiError(ConnectorError):
    """The API answered with an error; `message` is the API's own text when it gave one."""

    def __init__(self, status: int, message: str, *, operation: str) -> None:
        self.status = status
        super().__init__(message, operation=operation)

    def __str__(self) -> str:
        return f"{self.operation}: HTTP {self.status}: {self.message}"


class AuthError(ApiError):
    """401/403: the key is missing, wrong, or lacks access."""


class RateLimitError(ApiError):
    """429 after every retry; `retry_after` is the server's requested delay in seconds."""

    def __init__(self, status: int, message: str, *, operation: str, retry_after: float | None) -> None:
        super().__init__(status, message, operation=operation)
        self.retry_after = retry_after


class TemporaryError(ApiError):
    """5xx after every retry: the API is temporarily unavailable."""


class NotFoundError(ApiError):
    """404: no such record, or an operation whose lookup found nothing."""


class ResponseError(ConnectorError):
    """The API answered 2xx with a body that breaks the operation's contract (drift)."""


class TooManyResultsError(ConnectorError):
    """A search or list would read past its page cap (`request.pagination.max_pages`): nothing is
    returned partially, so the user narrows the search instead of acting on a cut list."""


class TransportError(ConnectorError):
    """No (complete) answer: `failure` says why (connect, tls, timeout, reset, too_large, deadline)."""

    def __init__(self, message: str, *, failure: str, operation: str | None = None) -> None:
        self.failure = failure
        super().__init__(message, operation=operation)
