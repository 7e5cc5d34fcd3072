"""What one API's sandbox adds to the engine, and where the engine finds it.

The engine serves any API: HTTP, the credential check, injected faults, the clock, the database
and the key-less control plane. A personality brings the rest: the API's endpoints, its tables
and seed rows, and its wording. By convention it is the ``sandbox`` module (or package) of the
API's folder, ``connector_core/apis/<name>/sandbox``, exposing the names of ``Personality``.
"""

from __future__ import annotations

import importlib
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from connector_core.apis import sandbox_module
from connector_core.spec import SpecError

from .exchange import Response, Route
from .store import Store


@dataclass(frozen=True)
class Endpoints:
    """A personality's routes, with patterns relative to where they are served."""

    api: tuple[Route, ...]  # under BASE_PATH: behind the credential check and injected faults
    control: tuple[Route, ...] = ()  # under /_sandbox: key-less; what recordings need and the API cannot do


class Personality(Protocol):
    SERVER_NAME: str  # the Server header, e.g. "ExampleSandbox/1.0"
    BASE_PATH: str  # where the API is served, e.g. "/v1"
    MESSAGES: Mapping[int, str]  # the API's wording by status: a wrong key (401), an injected fault
    SCHEMA: str  # SQL that creates the API's tables (IF NOT EXISTS: a file-backed sandbox reopens)

    def seed(self, conn: sqlite3.Connection) -> None:
        """Insert the rows every sandbox starts with; idempotent (INSERT OR IGNORE)."""

    def endpoints(self, store: Store) -> Endpoints:
        """The API's routes over one store."""


#: Optional in a personality: ``denied(message) -> Response``, the API's answer to a missing or wrong
#: credential when it is not a JSON error of the spec's shape with status 401 (a plain-text 401 with
#: a ``WWW-Authenticate`` challenge, a 200 whose body carries an error code). `message` is the
#: engine's wording (``MESSAGES[401]`` for a wrong one).
Denied = Callable[[str], Response]


class NoSandbox(SpecError):
    """The connector's folder has no sandbox personality (a usage error: nothing can be served)."""


def load_personality(connector: str) -> Personality:
    name = sandbox_module(connector)
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name is None or not name.startswith(error.name):
            raise  # the personality itself failed to import something
        raise NoSandbox(f"connector {connector!r} has no sandbox personality ({name})") from None
    return module  # type: ignore[return-value]  # a module that provides the Protocol's names
