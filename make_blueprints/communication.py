"""The communication (`*.communication.iml.json`, base, epoch) of every component, from the spec.

Requests: path values are percent-encoded as one segment, query and body values come from
`parameters` (Make leaves empty fields out of `parameters`, so nothing empty is sent), nested
API fields that mirror an input object are sent as that collection. Responses: lists are
iterated (filters and exact matches become `iterate.condition`), single records come from
`first(...)`, and the base turns error statuses into Make's typed errors with the API's message.
"""

from __future__ import annotations

from typing import Any

from connector_core.runtime.request import encode_path_segment
from connector_core.spec.models import (
    ApiKeyHeaderAuth,
    Connector,
    OffsetPagination,
    Operation,
    OptionSource,
    Param,
    Polling,
    RequestMapping,
    ResponseMapping,
    input_paths,
    template_fields,
)
from make_blueprints import iml
from make_blueprints.names import camel

NO_MESSAGE = "The API answered with an error but gave no message."
EPOCH_LIMIT = 300
BODY_METHODS = ("POST", "PUT", "PATCH")


# --- Connection values, auth and errors -------------------------------------------------------


def connection_values(connector: Connector, root: str) -> dict[str, str]:
    """Each connection field as an expression over `root` (`connection`, or `parameters` in the
    connection's own test call); an emptied optional field falls back to its default."""
    values = {}
    for field in connector.connection.fields:
        reference = f"{root}.{camel(field.key)}"
        values[field.key] = f"ifempty({reference}, {iml.string(field.default)})" if field.default else reference
    return values


def auth(connector: Connector, root: str) -> dict[str, Any]:
    """Headers (and the temp values they use) that carry the credentials, plus log sanitising."""
    values = connection_values(connector, root)
    scheme = connector.connection.auth
    headers = dict(connector.connection.headers)
    if isinstance(scheme, ApiKeyHeaderAuth):
        headers[scheme.header] = iml.field_template(scheme.value, values)
        return {"headers": headers, "log": _sanitize(scheme.header)}
    credentials = iml.field_template(scheme.username, values) + ":" + iml.field_template(scheme.password, values)
    headers["Authorization"] = "Basic " + iml.wrap("base64(temp.credentials)")
    return {"temp": {"credentials": credentials}, "headers": headers, "log": _sanitize("Authorization")}


def _sanitize(header: str) -> dict[str, list[str]]:
    """Keep the credential header out of Make's logs (both spellings: Make may lowercase it)."""
    return {"sanitize": sorted({f"request.headers.{header}", f"request.headers.{header.lower()}"})}


def error_directive(connector: Connector) -> dict[str, Any]:
    """The API's own message, typed per status: auth, rate limit, temporary; RuntimeError else."""
    errors = connector.errors
    message = iml.wrap(f"ifempty(body.{errors.message}, {iml.string(NO_MESSAGE)})")
    directive: dict[str, Any] = {"message": message, "type": "RuntimeError"}
    typed = [(errors.auth, "InvalidAccessTokenError"), (errors.rate_limit, "RateLimitError"),
             (errors.temporary, "ConnectionError")]
    for statuses, kind in typed:
        for status in statuses:
            directive[str(status)] = {"message": message, "type": kind}
    return directive


def base(connector: Connector) -> dict[str, Any]:
    """Shared by every module and RPC: base URL, credentials, error handling, log sanitising."""
    values = connection_values(connector, "connection")
    return {"baseUrl": iml.field_template(connector.connection.base_url, values), **auth(connector, "connection"),
            "response": {"error": error_directive(connector)}}


# --- Requests ---------------------------------------------------------------------------------


def request(mapping: RequestMapping, input_schema: dict[str, Any], url_prefix: str = "") -> dict[str, Any]:
    """url, method, qs, headers and body of one request mapping."""
    directives: dict[str, Any] = {"url": url_prefix + _path(mapping), "method": mapping.method}
    qs = {param.name: _value(param) for param in mapping.params_in("query")}
    if qs:
        directives["qs"] = qs
    headers = {param.name: _text(param) for param in mapping.params_in("header")}
    if headers:
        directives["headers"] = headers
    body = mapping.params_in("body")
    if body:
        directives["body"] = _body(body, input_schema)
    elif mapping.method in BODY_METHODS:
        directives["body"] = None  # sends no body; Make's schema wants the key on these methods
    return directives


def _path(mapping: RequestMapping) -> str:
    path = mapping.path
    for param in mapping.params_in("path"):
        segment = (encode_path_segment(param.value) if param.is_constant
                   else iml.wrap(iml.path_segment(f"parameters.{param.source}")))
        path = path.replace("{" + param.name + "}", segment)
    return path


def _value(param: Param) -> Any:
    return param.value if param.is_constant else iml.wrap(f"parameters.{param.source}")


def _text(param: Param) -> str:
    return str(param.value) if param.is_constant else iml.wrap(f"parameters.{param.source}")


def _body(params: list[Param], input_schema: dict[str, Any]) -> dict[str, Any]:
    """Nest params at their dotted names; a container that mirrors an input object is sent as it."""
    tree: dict[str, Any] = {}
    for param in params:
        *parents, leaf = param.name.split(".")
        node = tree
        for parent in parents:
            node = node.setdefault(parent, {})
        node[leaf] = param
    return {name: _body_node(node, input_schema) for name, node in tree.items()}


def _body_node(node: Param | dict[str, Any], input_schema: dict[str, Any]) -> Any:
    if isinstance(node, Param):
        return _value(node)
    mirrored = _mirrored_input(node, input_schema)
    if mirrored:
        return iml.wrap(f"parameters.{mirrored}")
    return {name: _body_node(child, input_schema) for name, child in node.items()}


def _mirrored_input(node: dict[str, Any], input_schema: dict[str, Any]) -> str | None:
    """The input object whose every field this body container sends, under the same names."""
    leaves = dict(_leaves(node))
    name, param = next(iter(leaves.items()))
    if param.is_constant or not param.source.endswith(f".{name}"):
        return None
    source = param.source[: -len(name) - 1]
    same_names = all(not p.is_constant and p.source == f"{source}.{n}" for n, p in leaves.items())
    declared = {path[len(source) + 1:] for path in input_paths(input_schema) if path.startswith(f"{source}.")}
    return source if same_names and declared == set(leaves) else None


def _leaves(node: dict[str, Any], prefix: str = "") -> list[tuple[str, Param]]:
    found: list[tuple[str, Param]] = []
    for name, child in node.items():
        if isinstance(child, Param):
            found.append((f"{prefix}{name}", child))
        else:
            found.extend(_leaves(child, f"{prefix}{name}."))
    return found


# --- Responses --------------------------------------------------------------------------------


def container(mapping: ResponseMapping) -> str:
    return f"body.{mapping.path}" if mapping.path else "body"


def item_condition(mapping: ResponseMapping) -> str | None:
    """The spec's filters and exact match as one boolean expression over `item`."""
    parts = []
    for rule in mapping.filters:
        field = f"item.{rule.field}"
        if rule.op == "eq":
            parts.append(f"{field} = {iml.literal(rule.value)}")
        elif rule.op == "ne":
            parts.append(f"{field} != {iml.literal(rule.value)}")
        else:
            parts.append("(" + " or ".join(f"{field} = {iml.literal(value)}" for value in rule.value) + ")")
    if mapping.match:
        fold = "lower({})" if mapping.match.case_insensitive else "{}"
        wanted = fold.format(f"parameters.{mapping.match.input}")
        parts.append("(" + " or ".join(f"{fold.format(f'item.{field}')} = {wanted}"
                                         for field in mapping.match.fields) + ")")
    return " and ".join(parts) or None


def response(operation: Operation) -> dict[str, Any]:
    mapping = operation.response
    listed = container(mapping)
    if mapping.extract == "object":
        return {"output": iml.wrap(listed)}
    if mapping.extract == "first":
        if mapping.filters or mapping.match:
            raise ValueError(f"{operation.key}: filters on a single-record response are not supported for Make")
        if mapping.empty == "input":
            return {"output": iml.wrap(f"ifempty(first({listed}), parameters)")}
        return {"valid": {"condition": iml.wrap(f"length({listed}) > 0"),
                          "message": f"The API returned no item at {mapping.path or 'the body'}.", "type": "DataError"},
                "output": iml.wrap(f"first({listed})")}
    condition = item_condition(mapping)
    iterate: Any = iml.wrap(listed) if condition is None else {"container": iml.wrap(listed),
                                                                "condition": iml.wrap(condition)}
    return {"iterate": iterate, "output": iml.wrap("item")}


# --- Triggers ---------------------------------------------------------------------------------


def trigger_date(polling: Polling) -> str:
    """The cursor field as a date (the spec's cursors are epoch milliseconds)."""
    return iml.wrap(f"parseDate(item.{polling.cursor.field}, 'x')")


def since(polling: Polling) -> str:
    """A bounded recent window ending now, exactly the runtime's first poll; Make keeps its own
    state (trigger.date and id) and emits only items it has not processed yet."""
    seconds, rest = divmod(polling.initial_window_ms, 1000)
    if rest:
        raise ValueError("initial_window_ms must be whole seconds for Make's addSeconds")
    return iml.wrap(f"formatDate(addSeconds(now, -{seconds}), 'x')")


def trigger_communication(operation: Operation, polling: Polling) -> dict[str, Any]:
    communication = request(operation.request, operation.input)
    paging = polling.pagination
    listed = container(operation.response)
    if isinstance(paging, OffsetPagination):
        first_page = {paging.limit_param: paging.page_size, paging.offset_param: 0}
        next_page = {paging.offset_param: iml.wrap(f"(pagination.page - 1) * {paging.page_size}")}
    else:
        first_page = {paging.size_param: paging.page_size, paging.page_param: paging.first_page}
        shift = paging.first_page - 1
        page = "pagination.page" + (f" + {shift}" if shift > 0 else f" - {-shift}" if shift < 0 else "")
        next_page = {paging.page_param: iml.wrap(page)}
    communication["qs"] = {**communication.get("qs", {}), polling.cursor.param: since(polling), **first_page}
    communication["pagination"] = {"qs": next_page,
                                   "condition": iml.wrap(f"length({listed}) >= {paging.page_size}")}
    trigger_id = ":".join(iml.wrap(f"item.{key}") for key in polling.dedupe_key)
    communication["response"] = {**response(operation), "trigger": {
        "id": trigger_id, "date": trigger_date(polling), "type": "date", "order": "unordered"}}
    return communication


def epoch(operation: Operation, polling: Polling) -> dict[str, Any]:
    """"Choose where to start": recent items labelled by a readable field, dated by the cursor."""
    return {"response": {"limit": EPOCH_LIMIT, "output": {"label": iml.wrap(f"item.{_label_field(operation, polling)}"),
                                                           "date": trigger_date(polling)}}}


def _label_field(operation: Operation, polling: Polling) -> str:
    """The first required text field that is not part of the event key, else the key itself."""
    properties = operation.output.get("properties", {})
    for name in operation.output.get("required", []):
        if name not in polling.dedupe_key and properties.get(name, {}).get("type") == "string":
            return name
    return polling.dedupe_key[0]


# --- Components -------------------------------------------------------------------------------


def module_communication(operation: Operation) -> dict[str, Any]:
    if operation.polling is not None:
        return trigger_communication(operation, operation.polling)
    return {**request(operation.request, operation.input), "response": response(operation)}


def connection_communication(connector: Connector) -> dict[str, Any]:
    """The connection's own test call: validates the key and labels the connection."""
    test = connector.operation(connector.connection.test)
    if test.response.extract != "object":
        raise ValueError("the connection test must extract an object for Make's connection label")
    values = connection_values(connector, "parameters")
    prefix = iml.field_template(connector.connection.base_url, values)
    communication = request(test.request, test.input, url_prefix=prefix)
    credentials = auth(connector, "parameters")
    communication.update(credentials, headers={**credentials["headers"], **communication.get("headers", {})})
    reply: dict[str, Any] = {"error": error_directive(connector)}
    if connector.connection.label:
        label = connector.connection.label
        for field in template_fields(label):
            label = label.replace("{" + field + "}", iml.wrap(f"{container(test.response)}.{field}"))
        reply["metadata"] = {"type": "text", "value": label}
    communication["response"] = reply
    return communication


def rpc_communication(source: OptionSource) -> dict[str, Any]:
    """A dropdown's choices: each record as {label, value}."""
    listed = container(source.response)
    condition = item_condition(source.response)
    iterate: Any = iml.wrap(listed) if condition is None else {"container": iml.wrap(listed),
                                                                "condition": iml.wrap(condition)}
    return {**request(source.request, {}), "response": {
        "iterate": iterate,
        "output": {"label": iml.wrap(f"item.{source.label_field}"), "value": iml.wrap(f"item.{source.value}")}}}
