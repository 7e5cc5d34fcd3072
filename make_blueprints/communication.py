"""The communication (`*.communication.iml.json`, base, epoch) of every component, from the spec.

Requests: path values (constants too) are percent-encoded as one segment by IML and Make's own
URL encoding is switched off (`encodeUrl: false`), so the URL is sent exactly as rendered; query
and body values come from `parameters` (Make leaves empty fields out of `parameters`, so nothing
empty is sent); nested API fields that mirror an input object are sent as that collection.
Responses: lists are iterated (filters and exact matches become `iterate.condition`), single
records come from `first(...)`, and the base turns error statuses into Make's typed errors with
the API's message, every secret connection value replaced by `***`. A search or list is a Make
search module: a `not_found` status is valid and, like an empty list, gives no bundle (Make's
"nothing found"). Each record is output with its derived timestamps (`x-timestamp`) as dates.
"""

from __future__ import annotations

from typing import Any

from connector_core.runtime.timestamps import EARLIEST_MS, LATEST_MS
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
    timestamp_annotations,
)
from make_blueprints import iml, limits
from make_blueprints.names import camel
from make_blueprints.unsupported import Unsupported

NO_MESSAGE = "no error message from the API"
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


def api_message(connector: Connector, root: str) -> str:
    """The API's message as one line (whitespace runs become one space, ends trimmed), or the
    corpus's wording when there is none; each secret connection field (read from `root`) is
    replaced by `***` first, since an API may echo a key (once collapsed, an echo with a run of
    spaces would no longer equal the key)."""
    raw = f"body.{connector.errors.message}"
    for field in connector.connection.secret_fields:
        raw = f"replace({raw}, {root}.{camel(field.key)}, '***')"
    return f"ifempty(trim(replace({raw}, /\\s+/g, ' ')), {iml.string(NO_MESSAGE)})"


def error_directive(connector: Connector, root: str) -> dict[str, Any]:
    """An error status (4xx, 5xx) typed: auth, rate limit, temporary (the listed statuses and
    any other 5xx), RuntimeError else; with the API's message."""
    errors = connector.errors
    message = iml.wrap(api_message(connector, root))
    directive: dict[str, Any] = {"message": message, "type": iml.wrap("if(statusCode >= 500, 'ConnectionError', 'RuntimeError')")}
    typed = [(errors.auth, "InvalidAccessTokenError"), (errors.rate_limit, "RateLimitError"),
             (errors.temporary, "ConnectionError")]
    for statuses, kind in typed:
        for status in statuses:
            directive[str(status)] = {"message": message, "type": kind}
    return directive


def not_success(connector: Connector, root: str) -> dict[str, Any]:
    """`valid` for an answer that is no error status yet not 2xx (a redirect Make does not follow):
    a RuntimeError with the API's message, as any other status outside 2xx."""
    return {"condition": iml.wrap("statusCode < 300"), "message": iml.wrap(api_message(connector, root)),
            "type": "RuntimeError"}


def base(connector: Connector) -> dict[str, Any]:
    """Shared by every module and RPC: base URL, credentials, error handling, log sanitising."""
    values = connection_values(connector, "connection")
    return {"baseUrl": iml.field_template(connector.connection.base_url, values), **auth(connector, "connection"),
            "followRedirects": False,
            "response": {"error": error_directive(connector, "connection"), "valid": not_success(connector, "connection")}}


# --- Requests ---------------------------------------------------------------------------------


def request(mapping: RequestMapping, input_schema: dict[str, Any], url_prefix: str = "", where: str = "") -> dict[str, Any]:
    """url, method, qs, headers and body of one request mapping; `where` names it in refusals."""
    _check_text_params(mapping, input_schema, where)
    directives: dict[str, Any] = {"url": url_prefix + _path(mapping, input_schema), "encodeUrl": False, "method": mapping.method}
    qs = {param.name: _value(param, input_schema) for param in mapping.params_in("query")}
    if qs:
        directives["qs"] = qs
    headers = {param.name: _text(param, input_schema) for param in mapping.params_in("header")}
    if headers:
        directives["headers"] = headers
    body = mapping.params_in("body")
    if body:
        directives["body"] = _body(body, input_schema)
    elif mapping.method in BODY_METHODS:
        directives["body"] = None  # sends no body; Make's schema wants the key on these methods
    return directives


def _check_text_params(mapping: RequestMapping, input_schema: dict[str, Any], where: str) -> None:
    """A path, query or header value must be one scalar: Make's templates insert text there, and
    how Make would serialise an array or object in a query string is not the spec's encoding."""
    for param in mapping.params:
        if param.is_constant or param.location == "body":
            continue
        kind = _input_type(input_schema, param.source)
        if kind in ("array", "object"):
            raise Unsupported(where, f"request.params {param.location}:{param.name}",
                              f"an {kind} input cannot be sent in the {param.location}")


def _input_schema(schema: dict[str, Any], dotted: str) -> dict[str, Any]:
    for part in dotted.split("."):
        schema = schema.get("properties", {}).get(part, {})
    return schema


def _input_type(schema: dict[str, Any], dotted: str) -> Any:
    kind = _input_schema(schema, dotted).get("type")
    return [item for item in kind if item != "null"][0] if isinstance(kind, list) else kind


def dates_sent_alone(mapping: RequestMapping, input_schema: dict[str, Any]) -> frozenset[str]:
    """The date inputs a param sends on their own: these may be given as a date-time, whose date
    part the template keeps (a date inside an object sent whole must be a plain date)."""
    return frozenset(param.source for param in mapping.params if not param.is_constant
                     and _input_schema(input_schema, param.source).get("format") == "date")


def _input_value(param: Param, input_schema: dict[str, Any]) -> str:
    """The expression of an input param: a date keeps its first ten characters, YYYY-MM-DD."""
    reference = f"parameters.{param.source}"
    if _input_schema(input_schema, param.source).get("format") == "date":
        return f"if({reference}, substring({reference}, 0, 10), {reference})"
    return reference


def _path(mapping: RequestMapping, input_schema: dict[str, Any]) -> str:
    path = mapping.path
    for param in mapping.params_in("path"):
        value = iml.literal(param.value) if param.is_constant else _input_value(param, input_schema)
        segment = iml.wrap(iml.path_segment(value))
        path = path.replace("{" + param.name + "}", segment)
    return path


def _value(param: Param, input_schema: dict[str, Any]) -> Any:
    return param.value if param.is_constant else iml.wrap(_input_value(param, input_schema))


def _text(param: Param, input_schema: dict[str, Any]) -> str:
    return str(param.value) if param.is_constant else iml.wrap(_input_value(param, input_schema))


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
        return _value(node, input_schema)
    mirrored = _mirrored_input(node, input_schema)
    if mirrored:
        return iml.wrap(f"parameters.{mirrored}")
    return {name: _body_node(child, input_schema) for name, child in node.items()}


def _mirrored_input(node: dict[str, Any], input_schema: dict[str, Any]) -> str | None:
    """The input object whose every field this body container sends, under the same names (and
    none of them a date, which its own template cuts to the day)."""
    leaves = dict(_leaves(node))
    name, param = next(iter(leaves.items()))
    if param.is_constant or not param.source.endswith(f".{name}"):
        return None
    source = param.source[: -len(name) - 1]
    same_names = all(not p.is_constant and p.source == f"{source}.{n}" for n, p in leaves.items())
    if any(_input_schema(input_schema, p.source).get("format") == "date" for p in leaves.values()):
        return None  # a date is cut to its day field by field
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


def _iterate(mapping: ResponseMapping) -> Any:
    """The list to iterate, with the spec's filters and exact match as its condition."""
    condition = item_condition(mapping)
    listed = iml.wrap(container(mapping))
    return listed if condition is None else {"container": listed, "condition": iml.wrap(condition)}


def response(connector: Connector, operation: Operation) -> dict[str, Any]:
    """An action's or trigger's response; a search's or list's is `found`."""
    mapping = operation.response
    listed = container(mapping)
    if operation.kind in ("search", "list"):
        return found(connector, operation)
    if mapping.extract == "object":
        return {"output": record_output(listed, operation.output)}
    if mapping.extract == "first" and (mapping.filters or mapping.match):
        # The first record that passes: Make iterates with the condition and keeps one bundle.
        return {"iterate": _iterate(mapping), "output": record_output("item", operation.output), "limit": 1}
    if mapping.extract == "first":
        record = f"ifempty(first({listed}), parameters)" if mapping.empty == "input" else f"first({listed})"
        reply = _computed_output(record, operation.output)
        if mapping.empty == "input":
            return reply
        # The module's `valid` replaces the base's, so it also keeps refusing a status outside 2xx.
        none = iml.string(f"the API returned no item at {mapping.path or 'the body'}")
        return {"valid": {"condition": iml.wrap(f"statusCode < 300 and length({listed}) > 0"),
                          "message": iml.wrap(f"if(statusCode < 300, {none}, {api_message(connector, 'connection')})"),
                          "type": "RuntimeError"}, **reply}
    return {"iterate": _iterate(mapping), "output": record_output("item", operation.output)}


def found(connector: Connector, operation: Operation) -> dict[str, Any]:
    """A search module: the records found, each a bundle; a `not_found` status is valid and, like
    an empty list, gives no bundle. One record (extract first or object) is at most one bundle;
    many are at most the module's Limit."""
    mapping = operation.response
    listed = container(mapping)
    records = listed if mapping.extract != "object" else f"add(emptyarray, {listed})"
    nothing = " or ".join(f"statusCode = {status}" for status in connector.errors.not_found)
    reply: dict[str, Any] = {}
    if nothing:
        records = f"if({nothing}, emptyarray, {records})"
        reply["valid"] = {"condition": iml.wrap(f"statusCode < 300 or {nothing}"),
                          "message": iml.wrap(api_message(connector, "connection")), "type": "RuntimeError"}
    condition = item_condition(mapping)
    iterate = iml.wrap(records) if condition is None else {"container": iml.wrap(records), "condition": iml.wrap(condition)}
    return {**reply, "iterate": iterate, "output": record_output("item", operation.output),
            "limit": limits.directive() if limits.outputs_many(operation) else 1}


def _computed_output(record: str, schema: dict[str, Any]) -> dict[str, Any]:
    """`output` of a record that an expression computes (`first(...)`): with derived timestamps,
    the record is kept in the response's `temp` first, since IML reads fields of a path only."""
    if not any(parent == () for parent, _, _ in timestamp_annotations(schema)):
        return {"output": iml.wrap(record)}
    return {"temp": {"record": iml.wrap(record)}, "output": record_output("temp.record", schema)}


def record_output(record: str, schema: dict[str, Any]) -> Any:
    """The `output` of one record (`record`: a dotted path): the record as the API sent it, plus
    each derived timestamp of its top level as a date (Make's merge key `{{...}}` keeps every
    other field). A derived timestamp inside a nested object is not output: IML cannot rebuild an
    object the API may send as null (approximations.NESTED_TIMESTAMP)."""
    stamps = [(name, source) for parent, name, source in timestamp_annotations(schema) if parent == ()]
    if not stamps:
        return iml.wrap(record)
    return {"{{...}}": iml.wrap(record), **{name: iml.wrap(timestamp(f"{record}.{source}")) for name, source in stamps}}


def timestamp(value: str) -> str:
    """The date of an epoch-milliseconds value: only a whole number in years 0000-9999 (as the
    runtimes' rule), else undefined (a two-argument `if`), which Make leaves out of the bundle."""
    return f"if({value} = floor({value}) and {value} >= {EARLIEST_MS} and {value} <= {LATEST_MS}, parseDate({value}, 'x'))"


# --- Triggers ---------------------------------------------------------------------------------


def trigger_date(polling: Polling) -> str:
    """The cursor field as a date (the spec's cursors are epoch milliseconds)."""
    return iml.wrap(f"parseDate(item.{polling.cursor.field}, 'x')")


def _seconds(key: str, name: str, milliseconds: int) -> int:
    """A duration in whole seconds, as Make's addSeconds takes it."""
    seconds, rest = divmod(milliseconds, 1000)
    if rest:
        raise Unsupported(f"operation {key}", f"polling.{name}", "Make's addSeconds takes whole seconds")
    return seconds


def since(key: str, polling: Polling) -> str:
    """Where a run's walk starts: the lookback behind the date Make stored for the last item it
    processed (`data.lastDate`, the whole time since the previous run however long the scenario
    was off); without one, the lookback behind a polling interval (`window_ms`) before now; never
    before 0."""
    lookback = _seconds(key, "lookback_ms", polling.lookback_ms)
    window = _seconds(key, "window_ms", polling.window_ms)
    start = f"ifempty(data.lastDate, addSeconds(now, -{window}))"
    return iml.wrap(_not_before_zero(f"formatDate(addSeconds({start}, -{lookback}), 'x')"))


def _not_before_zero(milliseconds: str) -> str:
    """Epoch milliseconds (formatDate's text) as a number, 0 at least: "All" in the epoch panel
    stores 1970-01-01, and an API refuses a negative since."""
    return f"max(0, parseNumber({milliseconds}, '.'))"


def recent(key: str, polling: Polling) -> str:
    """The epoch panel's window: the spec's widest recent window ending now."""
    return iml.wrap(f"formatDate(addSeconds(now, -{_seconds(key, 'initial_window_ms', polling.initial_window_ms)}), 'x')")


def trigger_id(polling: Polling) -> str:
    """The record's identity: Make's tie-break between items of one date, and what it stores as
    the last item processed (Make compares positions, so no content hash can take part)."""
    return ":".join(iml.wrap(f"item.{field}") for field in polling.record_identity)


def trigger_communication(connector: Connector, operation: Operation, polling: Polling) -> dict[str, Any]:
    """Every page of the window up to what Make reads in one run (`max_pages` is not applied: a
    walk Make cut short could never resume), each item dated by the cursor field and named by its
    identity; Make sorts them by date and id and outputs those after the last one it processed
    (docs/platforms.md, "Make triggers")."""
    communication = request(operation.request, operation.input, where=f"operation {operation.key}")
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
    communication["qs"] = {**communication.get("qs", {}), polling.cursor.param: since(operation.key, polling), **first_page}
    pages = max(1, limits.RUN_RECORDS // paging.page_size)  # not max_pages: Make cannot resume a walk it cut
    more = f"length({listed}) >= {paging.page_size} and pagination.page < {pages}"
    communication["pagination"] = {"qs": next_page, "condition": iml.wrap(more)}
    communication["response"] = {**response(connector, operation), "limit": limits.directive(), "trigger": {
        "id": trigger_id(polling), "date": trigger_date(polling), "type": "date", "order": "unordered"}}
    return communication


def epoch(operation: Operation, polling: Polling) -> dict[str, Any]:
    """"Choose where to start": items of the spec's widest recent window, labelled by a readable
    field and dated by the cursor (the trigger's own window follows the stored date, empty here)."""
    return {"qs": {polling.cursor.param: recent(operation.key, polling)},
            "response": {"limit": EPOCH_LIMIT, "output": {"label": iml.wrap(f"item.{_label_field(operation, polling)}"),
                                                          "date": trigger_date(polling)}}}


def _label_field(operation: Operation, polling: Polling) -> str:
    """The first required text field that is not part of the event key, else the key itself."""
    properties = operation.output.get("properties", {})
    for name in operation.output.get("required", []):
        if name not in polling.dedupe_key and properties.get(name, {}).get("type") == "string":
            return name
    return polling.dedupe_key[0]


# --- Components -------------------------------------------------------------------------------


def module_communication(connector: Connector, operation: Operation) -> dict[str, Any]:
    if operation.polling is not None:
        return trigger_communication(connector, operation, operation.polling)
    return {**request(operation.request, operation.input, where=f"operation {operation.key}"),
            "response": response(connector, operation)}


def connection_communication(connector: Connector) -> dict[str, Any]:
    """The connection's own test call: validates the key and labels the connection."""
    test = connector.operation(connector.connection.test)
    if test.response.extract != "object":
        raise Unsupported(f"operation {test.key}", "response.extract",
                          "the connection test must extract an object for Make's connection label")
    values = connection_values(connector, "parameters")
    prefix = iml.field_template(connector.connection.base_url, values)
    communication = request(test.request, test.input, url_prefix=prefix, where=f"operation {test.key}")
    credentials = auth(connector, "parameters")
    communication.update(credentials, headers={**credentials["headers"], **communication.get("headers", {})})
    communication["followRedirects"] = False
    reply: dict[str, Any] = {"error": error_directive(connector, "parameters"), "valid": not_success(connector, "parameters")}
    if connector.connection.label:
        label = connector.connection.label
        for field in template_fields(label):
            label = label.replace("{" + field + "}", iml.wrap(f"{container(test.response)}.{field}"))
        reply["metadata"] = {"type": "text", "value": label}
    communication["response"] = reply
    return communication


def rpc_communication(source: OptionSource) -> dict[str, Any]:
    """A dropdown's choices: each record as {label, value}."""
    return {**request(source.request, {}), "response": {
        "iterate": _iterate(source.response),
        "output": {"label": iml.wrap(f"item.{source.label_field}"), "value": iml.wrap(f"item.{source.value}")}}}
