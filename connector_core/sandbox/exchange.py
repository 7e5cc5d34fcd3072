"""One request and its response as the engine and the personalities see them, free of sockets.

Endpoints are plain functions from a ``Request`` (with the path's ``{params}`` and the query's
pairs) to a ``Response``; raising ``HttpError`` answers with an error body in the API's shape, and
``ValidationError`` is its 400 for input that was rejected.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: str = ""
    credential: str | None = None  # the value of the header the spec's auth names
    body: bytes = b""
    content_type: str | None = None  # the Content-Type header, checked whenever there is a body


@dataclass
class Response:
    """An answer; its payload is sent as JSON, or as `text/plain` when it is a `Text`."""

    status: int
    payload: Any
    headers: dict[str, str] = field(default_factory=dict)


class Text(str):
    """A payload sent as it is, `text/plain; charset=utf-8`: an API that answers some errors in prose."""


class HttpError(Exception):
    """Answer with this status and message (in the API's error shape) and these headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


class ValidationError(HttpError):
    """Input was rejected; ``message`` is safe to show to the API client."""

    def __init__(self, message: str) -> None:
        super().__init__(400, message)


Endpoint = Callable[[Request, dict[str, str], list[tuple[str, str]]], Response]
#: A path pattern (segments; ``{name}`` captures one) and its endpoint per method.
Route = tuple[tuple[str, ...], dict[str, Endpoint]]
