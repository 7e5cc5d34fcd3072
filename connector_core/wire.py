"""What the sandbox, the recorder and the replay server read from a connector's spec about the wire.

The header that carries the credential (from the connection's auth) and the shape of an error
body (the message at the spec's `errors.message` path), so that none of them names an API's
header or envelope: a new API with another auth header or error shape needs no engine change.
"""

from __future__ import annotations

from typing import Any

from connector_core.runtime.connection import ConnectionSettings
from connector_core.spec.models import ApiKeyHeaderAuth, Connector


def secret_header(connector: Connector) -> str:
    """The name of the header that carries the credential (`Authorization` for HTTP Basic)."""
    auth = connector.connection.auth
    return auth.header if isinstance(auth, ApiKeyHeaderAuth) else "Authorization"


def secret_header_value(connector: Connector, key: str) -> str:
    """What that header carries when the credential is `key`, rendered as the runtime renders it."""
    settings = ConnectionSettings(connector, {connector.connection.credential.key: key}, base_url="https://unused.invalid", env={})
    return settings.headers()[secret_header(connector)]


def error_body(connector: Connector, message: str) -> dict[str, Any]:
    """An error response body from which the connector's runtime reads `message` (at the first of
    the spec's message paths)."""
    body: Any = message
    for part in reversed(connector.errors.message_paths[0].split(".")):
        body = {part: body}
    return body
