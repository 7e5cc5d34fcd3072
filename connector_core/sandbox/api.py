"""The sandbox's HTTP semantics, independent of any socket: routing, the credential, faults, errors.

``SandboxApi.handle`` maps one parsed request to one response. Under the personality's base path
the order is: check the credential, then consume an injected fault, then route (404/405), then
check the body (``body``: declared JSON, well-formed, bounded; 400 otherwise), then run the
endpoint. A refused credential is answered by the personality's ``denied`` when it has one.
``/_sandbox/*`` is the key-less control plane for recordings: the engine's ``faults`` and
``reset`` plus the personality's own. Errors are answered in the API's shape (the message where
the spec's ``errors.message`` reads it); control-plane successes are ``{"data": ...}``. The
credential is compared, never repeated: no message, header or log line contains it.
"""

from __future__ import annotations

import hmac
import traceback
from urllib.parse import parse_qsl, unquote

from connector_core.spec.models import Connector
from connector_core.wire import error_body, secret_header, secret_header_value

from .body import decode_json, require_json_content_type
from .exchange import Endpoint, HttpError, Request, Response, Route
from .faults import FaultQueue, parse_fault
from .personality import Denied, Personality
from .store import Store
from .validation import parse_json_object, query_dict

CONTROL_PREFIX = ("_sandbox",)


class CredentialRefused(HttpError):
    """No credential, or not the sandbox's: answered by the personality's `denied`, else a JSON 401."""

    def __init__(self, message: str) -> None:
        super().__init__(401, message)


class SandboxApi:
    """One sandbox: a personality's endpoints over a store, behind the engine's checks and faults."""

    def __init__(self, connector: Connector, personality: Personality, store: Store, faults: FaultQueue,
                 api_key: str) -> None:
        self.connector = connector
        self.store = store
        self.faults = faults
        self.auth_header = secret_header(connector)
        self._credential = secret_header_value(connector, api_key).encode("utf-8")
        self._messages = personality.MESSAGES
        self._denied: Denied | None = getattr(personality, "denied", None)
        self._base = segments(personality.BASE_PATH)
        endpoints = personality.endpoints(store)
        control: tuple[Route, ...] = (
            (("faults",), {"GET": self.get_faults, "POST": self.add_fault, "DELETE": self.clear_faults}),
            (("reset",), {"POST": self.reset}),
        )
        self._routes = prefixed(self._base, endpoints.api) + prefixed(CONTROL_PREFIX, control + endpoints.control)

    def handle(self, request: Request) -> Response:
        try:
            return self._dispatch(request)
        except CredentialRefused as exc:
            return self._denied(exc.message) if self._denied is not None else self.error(401, exc.message)
        except HttpError as exc:
            return self.error(exc.status, exc.message, exc.headers)
        except Exception:  # a sandbox bug: say so without leaking request data
            traceback.print_exc()
            return self.error(500, "Internal sandbox error.")

    def error(self, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
        """An error response in the API's own shape."""
        return Response(status, error_body(self.connector, message), headers or {})

    # ------------------------------------------------------------------ dispatch

    def _dispatch(self, request: Request) -> Response:
        parts = [unquote(part) for part in request.path.split("/")[1:]]
        in_control_plane = tuple(parts[: len(CONTROL_PREFIX)]) == CONTROL_PREFIX
        if not in_control_plane and tuple(parts[: len(self._base)]) == self._base:
            self._authenticate(request.credential)
            fault = self.faults.take()
            if fault is not None:
                headers = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
                raise HttpError(fault.status, fault.message, headers)
        endpoint, params = self._route(request.method, request.path, parts)
        if request.body:  # any body, read or not by the endpoint, is declared JSON and well-formed
            require_json_content_type(request.content_type)
            decode_json(request.body)
        return endpoint(request, params, parse_qsl(request.query, keep_blank_values=True))

    def _authenticate(self, supplied: str | None) -> None:
        if supplied is None or not supplied.strip():
            raise CredentialRefused(f"Missing {self.auth_header} header.")
        if not hmac.compare_digest(supplied.strip().encode("utf-8"), self._credential):
            raise CredentialRefused(self._messages.get(401, "Invalid API key."))

    def _route(self, method: str, path: str, parts: list[str]) -> tuple[Endpoint, dict[str, str]]:
        for pattern, methods in self._routes:
            params = _match(pattern, parts)
            if params is None:
                continue
            if method not in methods:
                raise HttpError(405, f"Method not allowed: {method} {path}", {"Allow": ", ".join(methods)})
            return methods[method], params
        raise HttpError(404, f"Not found: {method} {path}")

    # ------------------------------------------------------------------ /_sandbox

    def get_faults(self, request: Request, params: dict[str, str], query: list[tuple[str, str]]) -> Response:
        query_dict(query, ())
        return Response(200, {"data": {"items": self.faults.describe()}})

    def add_fault(self, request: Request, params: dict[str, str], query: list[tuple[str, str]]) -> Response:
        query_dict(query, ())
        fault, count = parse_fault(parse_json_object(request.body), self._messages)
        self.faults.add(fault, count)
        return Response(200, {"data": fault.describe(count)})

    def clear_faults(self, request: Request, params: dict[str, str], query: list[tuple[str, str]]) -> Response:
        query_dict(query, ())
        self.faults.clear()
        return Response(200, {"data": {}})

    def reset(self, request: Request, params: dict[str, str], query: list[tuple[str, str]]) -> Response:
        """Empty the store (seed rows come back), restart clock and id counter, drop pending faults."""
        query_dict(query, ())
        self.store.reset()
        self.faults.clear()
        return Response(200, {"data": {}})


def segments(path: str) -> tuple[str, ...]:
    """``/v1/`` -> ``("v1",)``."""
    return tuple(part for part in path.split("/") if part)


def prefixed(prefix: tuple[str, ...], routes: tuple[Route, ...]) -> tuple[Route, ...]:
    return tuple((prefix + pattern, methods) for pattern, methods in routes)


def _match(pattern: tuple[str, ...], parts: list[str]) -> dict[str, str] | None:
    if len(pattern) != len(parts):
        return None
    params: dict[str, str] = {}
    for expected, actual in zip(pattern, parts):
        if expected.startswith("{"):
            if not actual:
                return None
            params[expected[1:-1]] = actual
        elif expected != actual:
            return None
    return params
