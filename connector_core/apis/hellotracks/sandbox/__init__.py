"""The Hellotracks sandbox personality: the no-code API's /v1 endpoints, jobs, members and wording.

The sandbox engine (``connector_core.sandbox``) serves it: HTTP, the API-Key check (the header
the spec's connection auth names), injected faults, the clock and the control plane.
"""

from typing import Final

from .endpoints import endpoints
from .seed import seed
from .store import SCHEMA

__all__ = ["BASE_PATH", "MESSAGES", "SCHEMA", "SERVER_NAME", "endpoints", "seed"]

SERVER_NAME: Final = "HellotracksSandbox/1.0"
BASE_PATH: Final = "/v1"

#: The API's wording: for a wrong key, and for injected faults posted without a message.
MESSAGES: Final[dict[int, str]] = {
    400: "Invalid request data.",
    401: "Invalid Hellotracks API key.",
    403: "API key does not have access to the requested resource.",
    429: "Rate limit reached.",
    500: "Hellotracks API is temporarily unavailable.",
}
