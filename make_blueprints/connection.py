"""The connection's parameters: what a user fills in once per account.

A secret field is a password. A field with choices (a named environment such as Production or QA)
is a select of exactly those, so no host is typed; the runtimes' base URL rule (https, or http to a
loopback host) holds for every choice by the loader's check. A field that starts the base URL
and offers no choices carries that rule as its validation pattern instead. A field with a default
and no choices is optional and advanced. A field the auth header is made of takes only printable
ASCII (a pasted line break would inject a header). A field's own `pattern` (an account slug's
letters) is checked too. `help_url` becomes a markdown link in the help.
"""

from __future__ import annotations

from typing import Any

from connector_core.spec.models import ApiKeyHeaderAuth, ConnectionField, Connector, template_fields
from make_blueprints import parameters
from make_blueprints.names import camel

# https, or http to a loopback host (localhost, 127.0.0.0/8, [::1]) for sandboxes and tests.
HTTPS_OR_LOOPBACK = r"^(?:https://|http://(?:localhost|127(?:\.[0-9]{1,3}){3}|\[::1\])(?:[:/]|$))"


def connection_parameters(connector: Connector) -> list[dict[str, Any]]:
    auth = connector.connection.auth
    in_header = set(template_fields(auth.value)) if isinstance(auth, ApiKeyHeaderAuth) else set()
    base_url = connector.connection.base_url
    return [_parameter(field, field.key in in_header, base_url.startswith("{" + field.key + "}"))
            for field in connector.connection.fields]


def _parameter(field: ConnectionField, in_header: bool, starts_base_url: bool) -> dict[str, Any]:
    parameter: dict[str, Any] = {"name": camel(field.key), "label": field.label,
                                 "type": "password" if field.secret else "text",
                                 "required": field.required and field.default is None}
    help_text = " ".join(part for part in (field.description, _link(field.help_url)) if part)
    if help_text:
        parameter["help"] = help_text
    if field.choices:
        parameter.update(type="select", options=[{"label": choice.label, "value": choice.value}
                                                 for choice in field.choices])
    if field.default is not None:
        parameter["default"] = field.default
        if not field.choices:
            parameter["advanced"] = True
    guard = "^" + parameters.ONLY_PRINTABLE_ASCII if in_header else ""
    if starts_base_url and not field.choices and not in_header:
        guard = HTTPS_OR_LOOPBACK
    own = rf"[\s\S]*?(?:{field.pattern})" if field.pattern else ""
    if guard or own:
        parameter["validate"] = {"pattern": (guard or "^") + own}
    return parameter


def _link(url: str | None) -> str:
    return f"[Where to find it]({url})" if url else ""
