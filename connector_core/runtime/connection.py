"""A connector's connection settings resolved for one client: values, base URL, auth headers.

Values come from the caller, then the field's environment variable, then its default. Secret
values are kept here only; `redact` removes them from any text that may reach a user or a log.
A header made from the values must be printable ASCII: a pasted key with a line break would
otherwise inject a header, and hosts encode other text differently.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Mapping

from connector_core.runtime.errors import ConnectorError
from connector_core.runtime.jsontext import json_text
from connector_core.spec.models import ApiKeyHeaderAuth, Connector


PRINTABLE_ASCII = re.compile("[\x20-\x7e]*")


class ConnectionSettingsError(ConnectorError):
    """A required connection value (such as the API key) is missing."""


class ConnectionSettings:
    def __init__(
        self,
        connector: Connector,
        values: Mapping[str, str | None] | None = None,
        *,
        base_url: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        env = os.environ if env is None else env
        values = values or {}
        unknown = sorted(set(values) - {field.key for field in connector.connection.fields})
        if unknown:
            raise ConnectionSettingsError(f"unknown connection field(s) {json_text(unknown)} for {connector.name}")
        self._connector = connector
        self.values: dict[str, str] = {}
        for field in connector.connection.fields:
            value = values.get(field.key) or (env.get(field.env) if field.env else None) or field.default
            if value is None and field.required:
                hint = f" (or set {field.env})" if field.env else ""
                raise ConnectionSettingsError(f"connection field {json_text(field.key)} is required{hint}")
            if value is not None:
                self.values[field.key] = value
        self.base_url = (base_url or connector.connection.base_url.format_map(_Blank(self.values))).rstrip("/")
        for name, header in self.headers().items():
            if not PRINTABLE_ASCII.fullmatch(header):
                raise ConnectionSettingsError(f"the {name} header made from the connection values must hold only "
                                              f"printable ASCII characters (is a value pasted with a line break?)")

    @property
    def secrets(self) -> list[str]:
        return [self.values[f.key] for f in self._connector.connection.secret_fields if self.values.get(f.key)]

    def headers(self) -> dict[str, str]:
        """Static headers plus the auth header, as every request of this connector sends them."""
        headers = dict(self._connector.connection.headers)
        auth = self._connector.connection.auth
        if isinstance(auth, ApiKeyHeaderAuth):
            headers[auth.header] = auth.value.format_map(_Blank(self.values))
        else:
            pair = f"{auth.username.format_map(_Blank(self.values))}:{auth.password.format_map(_Blank(self.values))}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode("utf-8")).decode()
        return headers

    def redact(self, text: str) -> str:
        for secret in sorted(self.secrets, key=len, reverse=True):  # a secret inside another: the longer first
            text = text.replace(secret, "***")
        return text


class _Blank(dict):
    """format_map source in which an unset optional field renders as empty."""

    def __missing__(self, key: str) -> str:
        return ""
