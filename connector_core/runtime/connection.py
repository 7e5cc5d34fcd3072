"""A connector's connection settings resolved for one client: values, base URL, auth headers.

Values come from the caller, then the field's environment variable, then its default, each
trimmed of white space (a key copied from a Windows `.env` ends in `\r`); a value that still holds
a control character, or that breaks its field's `pattern`, is refused, naming the field. A base URL
given whole (`--base-url`, a host's override) replaces the template, so a required field that only
the template uses may then be left out. Secret values are kept here only; `redact`
removes them, in every encoding, from any text that may reach a user or a log. A header made from
the values must be printable ASCII: hosts encode other text differently. The base URL must be https,
or http to a loopback host: the key travels in every request.
"""

from __future__ import annotations

import base64
import os
import re
import string
from collections.abc import Mapping

from connector_core.runtime import ecma
from connector_core.runtime.errors import ConnectorError
from connector_core.runtime.jsontext import json_text
from connector_core.runtime.secrets import Redactor
from connector_core.spec.models import ApiKeyHeaderAuth, BasicAuth, Connector, template_fields


PRINTABLE_ASCII = re.compile("[\x20-\x7e]*")
# What JavaScript's String#trim removes, so both runtimes trim a value alike.
TRIMMED = "\t\n\x0b\x0c\r \xa0\u1680" + "".join(map(chr, range(0x2000, 0x200b))) + "\u2028\u2029\u202f\u205f\u3000\ufeff"
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# An absolute http(s) URL: a host of printable ASCII, no credentials, query, fragment or control character:
# paths are appended to it.
BASE_URL = re.compile(r"[Hh][Tt][Tt][Pp][Ss]?://[!-\"$-.0->A-~]+(/[^?#\x00-\x20\x7f-\x9f]*)?")
# Of those, the ones a key may travel to: https, or http to a loopback host (a sandbox, a test's replay server),
# whose traffic never leaves the machine.
SAFE_BASE_URL = re.compile(r"[Hh][Tt][Tt][Pp][Ss]://.*|[Hh][Tt][Tt][Pp]://(?:[Ll][Oo][Cc][Aa][Ll][Hh][Oo][Ss][Tt]"
                           r"|127(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}|\[::1\])(?::[0-9]*)?(?:/.*)?",
                           re.S)
# What a base URL template's fields match when read back from a URL: the leading one, a URL; any other, a segment.
WHOLE_URL = r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#]+(?:/.*)?"
SEGMENT = r"[^/?#]+"
HTTP_ONLY_TO_LOOPBACK = "http:// only to a loopback host: localhost, 127.0.0.0/8 or [::1]"


class ConnectionSettingsError(ConnectorError):
    """A connection value (such as the API key) is missing or cannot be sent."""


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
        replaced = _only_in_base_url(connector) if base_url else set()
        for field in connector.connection.fields:
            value = _trimmed(values.get(field.key)) or _trimmed(env.get(field.env) if field.env else None) \
                or _trimmed(field.default)
            if value is None and field.required and field.key not in replaced:
                hint = f" (or set {field.env})" if field.env else ""
                raise ConnectionSettingsError(f"connection field {json_text(field.key)} is required{hint}")
            if value is not None and CONTROL.search(value):
                raise ConnectionSettingsError(f"{field.key}: must not contain control characters "
                                              f"(was it pasted with a line break?)")
            if value is not None and field.pattern is not None and not ecma.search(field.pattern, value):
                raise ConnectionSettingsError(f"{field.key}: must match {field.pattern}")
            if value is not None:
                self.values[field.key] = value
        self.base_url = (base_url or connector.connection.base_url.format_map(_Blank(self.values))).rstrip("/")
        for name, header in self.headers().items():
            if not PRINTABLE_ASCII.fullmatch(header):
                raise ConnectionSettingsError(f"the {name} header made from the connection values must hold only "
                                              f"printable ASCII characters")
        self._redactor = Redactor([*self.secrets, *self._basic_token()])
        if not BASE_URL.fullmatch(self.base_url):
            raise ConnectionSettingsError(self.redact(f"the base URL {json_text(self.base_url)} must be an absolute "
                                                      "http:// or https:// URL with a host, and no credentials, "
                                                      "query or fragment"))
        if not SAFE_BASE_URL.fullmatch(self.base_url):
            field = "" if base_url else _leading_field(connector.connection.base_url)
            raise ConnectionSettingsError(self.redact(f"{field}the base URL {json_text(self.base_url)} must use "
                                                      f"https:// ({HTTP_ONLY_TO_LOOPBACK})"))

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
        """`text` with every secret, raw or encoded as a URL, a form, JSON or Basic auth sends it, as `***`."""
        return self._redactor(text)

    def _basic_token(self) -> list[str]:
        """The base64 of `user:password` that Basic auth sends: an echo of it is the password too."""
        if not isinstance(self._connector.connection.auth, BasicAuth):
            return []
        return [self.headers()["Authorization"].removeprefix("Basic ")]


def _only_in_base_url(connector: Connector) -> set[str]:
    """The fields only the base URL template uses: a base URL given whole (`--base-url`) replaces them."""
    auth = connector.connection.auth
    templates = [auth.value] if isinstance(auth, ApiKeyHeaderAuth) else [auth.username, auth.password]
    used = {name for template in templates for name in template_fields(template)}
    return set(template_fields(connector.connection.base_url)) - used


def values_for_base_url(connector: Connector, base_url: str, values: Mapping[str, str] | None = None) -> dict[str, str]:
    """`values` plus the base URL template's fields read back from `base_url`, so that the template renders
    exactly `base_url`: the inverse of the rendering above, for a host that has only the connection's fields
    and must be pointed at another server (a sandbox, a replay server).

    A field that starts the template takes the longest URL it can (at least a scheme and a host); any
    other field one path segment (`{base_url}/{account}`: the account is the last segment); the text
    between fields must appear literally. A URL the template cannot produce is a ConnectionSettingsError.
    """
    template = connector.connection.base_url
    pattern, fields = "", []
    for literal, name, _, _ in string.Formatter().parse(template):
        pattern += re.escape(literal)
        if name:
            pattern += f"({WHOLE_URL})" if not pattern else f"({SEGMENT})"
            fields.append(name)
    url = base_url.rstrip("/")
    match = re.fullmatch(pattern, url, re.S)
    if match is None:
        raise ConnectionSettingsError(f"the base URL {json_text(url)} does not fit the connection's template "
                                      f"{json_text(template)}")
    found = dict(zip(fields, match.groups()))
    if any(found[name] != text for name, text in zip(fields, match.groups())):
        raise ConnectionSettingsError(f"the base URL {json_text(url)} gives the field repeated in the template "
                                      f"{json_text(template)} two values")
    return {**(values or {}), **found}


def _leading_field(template: str) -> str:
    """`<field>: ` when a connection field starts the base URL template, and so decides its scheme."""
    fields = template_fields(template)
    return f"{fields[0]}: " if fields and template.startswith(f"{{{fields[0]}}}") else ""


def _trimmed(value: str | None) -> str | None:
    """The value without surrounding white space; None when nothing is left."""
    return (value.strip(TRIMMED) or None) if isinstance(value, str) else None


class _Blank(dict):
    """format_map source in which an unset optional field renders as empty."""

    def __missing__(self, key: str) -> str:
        return ""
