"""The credential type: the connection fields, generic `authenticate`, and the `test` request."""

from __future__ import annotations

from typing import Any

from connector_core.runtime.request import build_body, target
from connector_core.spec.models import ApiKeyHeaderAuth, ConnectionField, Connector, template_fields
from n8n_bridge.names import camel, credential_class, credential_name, help_text
from n8n_bridge.tsliteral import literal


def icon_file(connector: Connector) -> str:
    """The package's icon: the spec's logo, as its SVG."""
    return f"icons/{connector.name}.svg"


def icon_path(connector: Connector, root: str) -> str:
    """The icon as a node or credential file refers to it, `root` being the package root from there."""
    return f"file:{root}/{icon_file(connector)}"


def expression(template: str) -> str:
    """A connection template (`{base_url}`, `Bearer {token}`) as an n8n expression over `$credentials`."""
    text = template
    for name in template_fields(template):
        text = text.replace("{" + name + "}", "{{$credentials." + camel(name) + "}}")
    return "=" + text


def field_help(field: ConnectionField) -> str:
    """The field's help, with the pattern a value must match (n8n's credential form cannot check it: the
    kernel refuses a value that does not match, naming the field), and a link to where its value is found."""
    text = " ".join((field.description or "").split())
    if field.pattern:
        text = f"{text if not text or text.endswith('.') else text + '.'} Must match {field.pattern}".strip()
    if field.help_url:
        link = f'<a href="{field.help_url}">Where to find your {field.label}</a>'
        text = f"{text if not text or text.endswith('.') else text + '.'} {link}".strip()
    return help_text(text) if text else ""


def credential_properties(connector: Connector) -> list[dict[str, Any]]:
    """One property per connection field; a field with choices is a dropdown of exactly those."""
    properties = []
    for field in connector.connection.fields:
        prop: dict[str, Any] = {"displayName": field.label, "name": camel(field.key)}
        if field.choices:
            prop["type"] = "options"
            prop["options"] = [{"name": choice.label, "value": choice.value} for choice in field.choices]
        else:
            prop["type"] = "string"
        if field.secret:
            prop["typeOptions"] = {"password": True}
        prop["required"] = field.required
        prop["default"] = field.default or (field.choices[0].value if field.choices else "")
        described = field_help(field)
        if described:
            prop["description"] = described
        properties.append(prop)
    return properties


def authenticate(connector: Connector) -> dict[str, Any]:
    auth = connector.connection.auth
    if isinstance(auth, ApiKeyHeaderAuth):
        return {"type": "generic", "properties": {"headers": {auth.header: expression(auth.value)}}}
    return {"type": "generic", "properties": {"auth": {"username": expression(auth.username),
                                                       "password": expression(auth.password)}}}


def credential_test(connector: Connector) -> dict[str, Any]:
    """n8n's credential test: the connection test operation's request (path, constant query and body,
    as the runtime builds them), and, for an API that answers with a status code in the body, a rule per
    documented code, so that a 2xx answer carrying an error code fails the test with its meaning."""
    test = connector.operation(connector.connection.test)
    headers = dict(connector.connection.headers)
    request: dict[str, Any] = {"baseURL": expression(connector.connection.base_url), "url": target(test.request, {}),
                               "method": test.request.method}
    body = build_body(test.request.params_in("body"), {})
    if body is not None:
        headers["Content-Type"] = "application/json"
        request["body"] = body
    request["headers"] = headers
    tested: dict[str, Any] = {"request": request}
    status = connector.errors.body_status
    if status is not None and status.codes:
        tested["rules"] = [{"type": "responseSuccessBody",
                            "properties": {"key": status.field, "value": code.code, "message": code.message}}
                           for code in status.codes]
    return tested


def credentials_file(connector: Connector) -> str:
    return (
        "import type {\n\tIAuthenticateGeneric,\n\tICredentialTestRequest,\n\tICredentialType,\n"
        "\tIcon,\n\tINodeProperties,\n} from 'n8n-workflow';\n\n"
        f"/** How {connector.label} users connect: generated from the connector spec. */\n"
        f"export class {credential_class(connector)} implements ICredentialType {{\n"
        f"\tname = {literal(credential_name(connector))};\n\n"
        f"\tdisplayName = {literal(connector.label + ' API')};\n\n"
        f"\ticon: Icon = {literal(icon_path(connector, '..'))};\n\n"
        f"\tdocumentationUrl = {literal(connector.docs_url or connector.publisher.support)};\n\n"
        f"\tproperties: INodeProperties[] = {literal(credential_properties(connector), 1)};\n\n"
        f"\tauthenticate: IAuthenticateGeneric = {literal(authenticate(connector), 1)};\n\n"
        f"\ttest: ICredentialTestRequest = {literal(credential_test(connector), 1)};\n"
        "}\n"
    )
