"""The Hellotracks legacy sandbox personality: the /api endpoints, the company, its jobs and wording.

The sandbox engine (``connector_core.sandbox``) serves it: HTTP, the API-Key check, injected HTTP
faults (500, 504, ...), the clock and the control plane. The API's own status codes in the body are
this package's (``statuses``).
"""

from typing import Final

from connector_core.sandbox.exchange import Response

from . import seed as _seed
from . import statuses as _statuses
from . import store as _store
from .endpoints import endpoints
from .seed import seed

__all__ = ["BASE_PATH", "MESSAGES", "SCHEMA", "SERVER_NAME", "denied", "endpoints", "seed"]

SERVER_NAME: Final = "HellotracksLegacySandbox/1.0"
BASE_PATH: Final = "/api"
SCHEMA: Final = _seed.SCHEMA + _store.SCHEMA + _statuses.SCHEMA

#: The API's wording for what the engine answers: injected HTTP faults.
MESSAGES: Final[dict[int, str]] = {
    500: "Temporary server issue: retry with backoff.",
    502: "Temporary server issue: retry with backoff.",
    503: "Temporary server issue: retry with backoff.",
    504: "The request took too long: try reducing the data size.",
}


def denied(message: str) -> Response:
    """A missing or wrong API key: the API answers HTTP 200 with status -8, like its other errors."""
    return Response(200, {"status": -8, "message": _statuses.STATUS_MESSAGES[-8]})
