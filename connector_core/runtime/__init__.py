"""The httpx runtime: run any operation of any connector spec."""

from connector_core.runtime.client import AsyncClient, Client
from connector_core.runtime.connection import ConnectionSettings, ConnectionSettingsError
from connector_core.runtime.errors import (
    ApiError,
    AuthError,
    ConnectorError,
    FieldProblem,
    InputValidationError,
    NotFoundError,
    RateLimitError,
    ResponseError,
    TemporaryError,
    TooManyResultsError,
    TransportError,
)
from connector_core.runtime.polling import PollResult, PollState

__all__ = [
    "ApiError", "AsyncClient", "AuthError", "Client", "ConnectionSettings", "ConnectionSettingsError",
    "ConnectorError", "FieldProblem", "InputValidationError", "NotFoundError", "PollResult", "PollState",
    "RateLimitError", "ResponseError", "TemporaryError", "TooManyResultsError", "TransportError",
]
