"""Typed errors a caller can catch by meaning rather than by status code."""

from __future__ import annotations

from dataclasses import dataclass


class ConnectorError(Exception):
    """Base of every error the runtime raises on purpose."""


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
        self.operation = operation
        self.problems = problems
        detail = "; ".join(str(problem) for problem in problems)
        super().__init__(f"invalid input for {operation}: {detail}")


class ApiError(ConnectorError):
    """The API answered with an error; `message` is the API's own text when it gave one."""

    def __init__(self, status: int, message: str, *, operation: str) -> None:
        self.status = status
        self.message = message
        self.operation = operation
        super().__init__(f"{operation}: HTTP {status}: {message}")


class AuthError(ApiError):
    """401/403: the key is missing, wrong, or lacks access."""


class RateLimitError(ApiError):
    """429 after every retry; `retry_after` is the server's requested delay in seconds."""

    def __init__(self, status: int, message: str, *, operation: str, retry_after: float | None) -> None:
        self.retry_after = retry_after
        super().__init__(status, message, operation=operation)


class TemporaryError(ApiError):
    """5xx after every retry: the API is temporarily unavailable."""


class NotFoundError(ApiError):
    """404: no such record, or an operation whose lookup found nothing."""


class ResponseError(ConnectorError):
    """The API answered 2xx with a body that breaks the operation's contract (drift)."""


class TransportError(ConnectorError):
    """The API could not be reached at all."""
