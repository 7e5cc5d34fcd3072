"""The Kickserv sandbox personality: one account's task endpoints, its jobs, customers and wording.

The sandbox engine (``connector_core.sandbox``) serves it: HTTP, the credential check (HTTP Basic,
as the spec's connection auth says), injected faults, the clock and the control plane. The API
lives under the account's slug, so ``BASE_PATH`` is one fixed demo account.
"""

from typing import Final

from connector_core.sandbox.exchange import Response, Text

from .endpoints import endpoints
from .seed import seed
from .store import SCHEMA

__all__ = ["BASE_PATH", "MESSAGES", "SCHEMA", "SERVER_NAME", "denied", "endpoints", "seed"]

SERVER_NAME: Final = "KickservSandbox/1.0"
BASE_PATH: Final = "/demo-plumbing"

#: The API's wording: for a wrong token, and for injected faults posted without a message.
MESSAGES: Final[dict[int, str]] = {
    401: "HTTP Basic: Access denied.",
    404: "Not Found",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "We're sorry, but something went wrong.",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def denied(message: str) -> Response:
    """Rails' refusal of HTTP Basic credentials, whatever was wrong with them: plain text and a challenge."""
    return Response(401, Text("HTTP Basic: Access denied.\n"), {"WWW-Authenticate": 'Basic realm="Application"'})
