"""Make's universal module, "Make an API call": any request to the API, with the connection's
credentials.

Make asks every app that calls an API for one, named and described as below, and approves it only
when its URL is relative: the user gives a path, the base URL (the connection's environment)
prefixes it, and the base adds the credentials. So that the key never reaches another host, the
path must start with one `/` and hold no scheme, host, backslash, query or fragment: Make's own
parameter validation refuses anything else before a request is sent (the query goes in Query
String); and the URL template itself starts with `/`, so even a value that escaped validation
stays a path under the base URL. Headers and query string are key/value lists merged into the request (Make's `{{...}}`
merge key); the body is sent as entered (`type: text`), so JSON is written as text.
"""

from __future__ import annotations

from typing import Any

from connector_core.spec.models import Connector
from make_blueprints import iml

NAME = "makeApiCall"
LABEL = "Make an API call"
DESCRIPTION = "Performs an arbitrary authorized API call."
GROUP = "Other"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# One leading slash, then no second one, no backslash, white space, query or fragment.
RELATIVE_PATH = r"^/(?![/\\])[^\s?#\\]*$"


def communication() -> dict[str, Any]:
    """The request the user describes, relative to the base URL, and the whole answer as output."""
    return {"url": "/" + iml.wrap("substring(parameters.url, 1, length(parameters.url))"), "encodeUrl": False,
            "method": iml.wrap("parameters.method"),
            "headers": {"{{...}}": iml.wrap("toCollection(parameters.headers, 'key', 'value')")},
            "qs": {"{{...}}": iml.wrap("toCollection(parameters.qs, 'key', 'value')")},
            "body": iml.wrap("parameters.body"), "type": "text",
            "response": {"output": {"body": iml.wrap("body"), "headers": iml.wrap("headers"),
                                    "statusCode": iml.wrap("statusCode")}}}


def parameters(connector: Connector) -> list[dict[str, Any]]:
    """URL (a path), method, headers, query string and body."""
    example = connector.operation(connector.connection.test).request.path
    return [
        {"name": "url", "label": "URL", "type": "text", "required": True, "validate": {"pattern": RELATIVE_PATH},
         "help": f"A path relative to the connection's base URL, starting with `/`, for example `{example}`. "
                 "The credentials are added for you; a full URL is refused, so they never go to another host."},
        {"name": "method", "label": "Method", "type": "select", "required": True, "default": "GET",
         "options": [{"label": method, "value": method} for method in METHODS], "help": "The HTTP method."},
        _pairs("headers", "Headers", "Header", "Request headers; the credentials are already sent.",
               [{"key": "Content-Type", "value": "application/json"}]),
        _pairs("qs", "Query String", "Query parameter", "Query parameters, each sent once."),
        {"name": "body", "label": "Body", "type": "any", "required": False,
         "help": "The request body as text (JSON for this API); left out for GET."},
    ]


def _pairs(name: str, label: str, item: str, help_text: str, default: list[dict[str, str]] | None = None) -> dict[str, Any]:
    parameter: dict[str, Any] = {"name": name, "label": label, "type": "array", "required": False, "help": help_text,
                                 "spec": {"type": "collection", "label": item, "spec": [
                                     {"name": "key", "label": "Key", "type": "text", "required": True},
                                     {"name": "value", "label": "Value", "type": "text"}]}}
    return {**parameter, "default": default} if default else parameter


def interface() -> list[dict[str, Any]]:
    return [{"name": "body", "label": "Body", "type": "any"},
            {"name": "headers", "label": "Headers", "type": "collection"},
            {"name": "statusCode", "label": "Status code", "type": "number"}]


def codes(connector: Connector) -> dict[str, Any]:
    """The module's code files (as `app.module_codes` gives an operation's)."""
    return {"communication": communication(), "staticParams": [], "mappableParams": parameters(connector),
            "interface": interface(), "samples": {"statusCode": 200, "headers": {}, "body": {}}}
