"""The communication (`*.communication.iml.json`, base, epoch) of every component, from the spec.

Requests: path values (constants too) are percent-encoded as one segment by IML and Make's own
URL encoding is switched off (`encodeUrl: false`), so the URL is sent exactly as rendered; query
and body values come from `parameters` as each param shapes them (`values`, `body`; Make leaves
empty fields out of `parameters`, so nothing empty is sent); pages come from the `pagination`
directive (`paging`). Responses: lists are iterated (filters and exact matches become
`iterate.condition`), single records come from `first(...)`, and the base turns error statuses
into Make's typed errors with the API's message (and the spec's advice), every secret connection
value replaced by `***`; a status code in a 2xx body is judged in `valid`. A search or list is a
Make search module: a `not_found` status is valid and, like an empty list, gives no bundle (Make's
"nothing found"). Each record is output with its derived timestamps (`x-timestamp`) as dates.
"""

from __future__ import annotations

import copy
from typing import Any

from connector_core.runtime.timestamps import EARLIEST_MS, LATEST_MS
from connector_core.spec.models import (
    ApiKeyHeaderAuth,
    Connector,
    Operation,
    OptionSource,
    Param,
    Polling,
    RequestMapping,
    ResponseMapping,
    template_fields,
    timestamp_annotations,
)
from make_blueprints import iml, limits, paging, values
from make_blueprints.body import body as body_directive
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
    """The API's message as one line (whitespace runs become one space, ends trimmed): the first
    of the spec's message paths that holds one, else the corpus's wording; each secret connection
    field (read from `root`) is replaced by `***` first, since an API may echo a key (once
    collapsed, an echo with a run of spaces would no longer equal the key). A list or object
    there, or a plain-text body, is not rendered (approximations.MESSAGE_SHAPE)."""
    paths = connector.errors.message_paths
    raw = f"body.{paths[-1]}"
    for path in reversed(paths[:-1]):
        raw = f"ifempty(body.{path}, {raw})"
    for field in connector.connection.secret_fields:
        raw = f"replace({raw}, {root}.{camel(field.key)}, '***')"
    return f"ifempty(trim(replace({raw}, /\\s+/g, ' ')), {iml.string(NO_MESSAGE)})"


def error_directive(connector: Connector, root: str) -> dict[str, Any]:
    """An error status (4xx, 5xx) typed: auth, rate limit, temporary (the listed statuses and
    any other 5xx), RuntimeError else; with the API's message, and the spec's advice for its status."""
    errors = connector.errors
    message = iml.wrap(api_message(connector, root))
    directive: dict[str, Any] = {"message": message, "type": iml.wrap("if(statusCode >= 500, 'ConnectionError', 'RuntimeError')")}
    typed = [(errors.auth, "InvalidAccessTokenError"), (errors.rate_limit, "RateLimitError"),
             (errors.temporary, "ConnectionError")]
    for statuses, kind in typed:
        for status in statuses:
            directive[str(status)] = {"message": message, "type": kind}
    for advice in errors.advice:
        kind = directive.get(str(advice.status), {}).get("type") or ("ConnectionError" if advice.status >= 500 else "RuntimeError")
        directive[str(advice.status)] = {"message": f"{message}; {advice.message}", "type": kind}
    return directive


# The Make error type of each kind of body status code.
STATUS_TYPES = {"auth": "InvalidAccessTokenError", "rate_limit": "RateLimitError", "temporary": "ConnectionError"}


def status_ok(connector: Connector) -> str | None:
    """The condition that a 2xx answer's body status (where the spec has one) means success."""
    rule = connector.errors.body_status
    if rule is None:
        return None
    return "(" + " or ".join(f"body.{rule.field} = {iml.literal(ok)}" for ok in rule.ok) + ")"


def _status_message(connector: Connector) -> str:
    """"<meaning> (status <code>)" for a listed code, "status <code>" for any other."""
    rule = connector.errors.body_status
    field = f"body.{rule.field}"
    expression = f"join(add(emptyarray, 'status', {field}), ' ')"
    for code in reversed(rule.codes):
        text = f"{code.message} (status {code.code})"
        expression = f"if({field} = {iml.literal(code.code)}, {iml.string(text)}, {expression})"
    return expression


def _status_type(connector: Connector) -> str:
    """The Make error type of a body status code: by its kind, RuntimeError for `api` or unlisted."""
    rule = connector.errors.body_status
    expression = "'RuntimeError'"
    for code in reversed(rule.codes):
        if code.kind in STATUS_TYPES:
            expression = f"if(body.{rule.field} = {iml.literal(code.code)}, {iml.string(STATUS_TYPES[code.kind])}, {expression})"
    return expression


def valid(connector: Connector, root: str, also: tuple[str, str] | None = None, accept: str | None = None) -> dict[str, Any]:
    """`valid`: a 2xx answer whose body status (where the spec has one) is ok and which meets
    `also` (a condition, and the message when it fails), or a status `accept` lets through. An
    answer outside 2xx that is no error status (a redirect Make does not follow) is a
    RuntimeError with the API's message; a body status code is the error of its kind."""
    ok = status_ok(connector)
    condition = " and ".join(["statusCode < 300"] + ([ok] if ok else []) + ([also[0]] if also else []))
    if accept:
        condition = f"({condition}) or {accept}" if " and " in condition else f"{condition} or {accept}"
    message, kind = api_message(connector, root), "'RuntimeError'"
    if also or ok:
        passed = also[1] if also else iml.string("")
        answered = f"if({ok}, {passed}, {_status_message(connector)})" if ok else passed
        message = f"if(statusCode < 300, {answered}, {message})"
    if ok:
        kind = f"if(statusCode < 300, {_status_type(connector)}, 'RuntimeError')"
    return {"condition": iml.wrap(condition), "message": iml.wrap(message), "type": iml.wrap(kind)}


def base(connector: Connector) -> dict[str, Any]:
    """Shared by every module and RPC: base URL, credentials, error handling, log sanitising."""
    values = connection_values(connector, "connection")
    return {"baseUrl": iml.field_template(connector.connection.base_url, values), **auth(connector, "connection"),
            "followRedirects": False,
            "response": {"error": error_directive(connector, "connection"), "valid": valid(connector, "connection")}}


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
        directives["body"] = body_directive(body, input_schema)
    elif mapping.method in BODY_METHODS:
        directives["body"] = None  # sends no body; Make's schema wants the key on these methods
    return directives


def _check_text_params(mapping: RequestMapping, input_schema: dict[str, Any], where: str) -> None:
    """A path, query or header value must be one scalar: Make's templates insert text there, and
    how Make would serialise an array or object in a query string is not the spec's encoding."""
    for param in mapping.params:
        if param.is_constant or param.location == "body":
            continue
        kind = values.input_type(input_schema, param.source)
        if kind in ("array", "object"):
            raise Unsupported(where, f"request.params {param.location}:{param.name}",
                              f"an {kind} input cannot be sent in the {param.location}")


def _path(mapping: RequestMapping, input_schema: dict[str, Any]) -> str:
    path = mapping.path
    for param in mapping.params_in("path"):
        value = iml.literal(param.value) if param.is_constant else values.value(param, input_schema)
        segment = iml.wrap(iml.path_segment(value))
        path = path.replace("{" + param.name + "}", segment)
    return path


def _value(param: Param, input_schema: dict[str, Any]) -> Any:
    if param.is_constant and param.when is None:
        return param.value
    return iml.wrap(values.value(param, input_schema))


def _text(param: Param, input_schema: dict[str, Any]) -> str:
    if param.is_constant and param.when is None:
        return str(param.value)
    return iml.wrap(values.value(param, input_schema))


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
        return {"valid": valid(connector, "connection", also=(f"length({listed}) > 0", none)), **reply}
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
    pages = operation.request.pagination
    if nothing or pages is not None:
        reply["valid"] = valid(connector, "connection", also=_not_too_many(pages, listed), accept=nothing or None)
    condition = item_condition(mapping)
    iterate = iml.wrap(records) if condition is None else {"container": iml.wrap(records), "condition": iml.wrap(condition)}
    return {**reply, "iterate": iterate, "output": record_output("item", operation.output),
            "limit": limits.directive() if limits.outputs_many(operation) else 1}


def _not_too_many(pages: Any, listed: str) -> tuple[str, str] | None:
    """A paged search refuses to return part of what it found: its last page full is an error."""
    if pages is None:
        return None
    message = iml.string(f"more than {pages.max_pages * pages.page_size} records: narrow the search")
    return f"(pagination.page < {pages.max_pages} or length({listed}) < {pages.page_size})", message


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
    walk Make cut short could never resume), the cursor and paging params in the query or the
    body. With a cursor, each item is dated by the cursor field and named by its identity, and
    Make sorts them by date and id and outputs those after the last one it processed; without
    one, the trigger is Make's `id` type: the items whose identity comes after the last one
    processed (docs/platforms.md, "Make triggers")."""
    where = f"operation {operation.key}"
    communication = request(operation.request, operation.input, where=where)
    if polling.cursor is not None:
        paging.place(communication, polling.cursor.location, {polling.cursor.param: since(operation.key, polling)}, where)
    most = max(1, limits.RUN_RECORDS // polling.pagination.page_size)  # not max_pages: Make cannot resume a cut walk
    paging.paginate(communication, polling.pagination, container(operation.response), most, where)
    trigger = {"id": trigger_id(polling), "type": "id", "order": "unordered"}
    reply = response(connector, operation)
    if polling.cursor is not None:
        trigger.update(date=trigger_date(polling), type="date")
        reply["iterate"] = _settled_only(operation, polling)
    communication["response"] = {**reply, "limit": limits.directive(), "trigger": trigger}
    return communication


def settled(key: str, polling: Polling) -> str:
    """Whether an item has settled, so Make may store its position: Make outputs only items after
    the one it stored, so storing a position that a commit still to come is stamped before loses
    that commit. An item has settled once the API's clock (the answer's `Date` header; Make's own
    clock when the API sends none) is `lookback_ms` past its cursor (rule 3: a late commit is
    visible that long after its stamp, and a stamp ahead of the API's clock, a fast server node's,
    waits for the clock too)."""
    clock = f"ifempty(parseDate(headers.date, {iml.string(iml.HTTP_DATE_FORMAT)}, 'UTC'), now)"
    clock = f"addSeconds({clock}, -{_seconds(key, 'lookback_ms', polling.lookback_ms)})"
    horizon = f"parseNumber(formatDate({clock}, 'x'), '.')"
    return f"item.{polling.cursor.field} <= {horizon}"


def _settled_only(operation: Operation, polling: Polling) -> dict[str, Any]:
    """The trigger's `iterate`: its records that pass the spec's filters (if any) and have settled."""
    conditions = [part for part in (item_condition(operation.response), settled(operation.key, polling)) if part]
    return {"container": iml.wrap(container(operation.response)), "condition": iml.wrap(" and ".join(conditions))}


def epoch(operation: Operation, polling: Polling) -> dict[str, Any]:
    """"Choose where to start": items of the spec's widest recent window, labelled by a readable
    field and dated by the cursor (the trigger's own window follows the stored date, empty here).
    A trigger without a cursor has none: its items have no date to start from."""
    if polling.cursor is None:
        raise ValueError("a trigger without a cursor has no epoch")
    where = f"operation {operation.key}"
    placed = {polling.cursor.param: recent(operation.key, polling)}
    if polling.cursor.location == "query":
        asking: dict[str, Any] = {"qs": placed}
    else:
        changed = copy.deepcopy(request(operation.request, operation.input, where=where))
        paging.place(changed, "body", placed, where)
        top = polling.cursor.param.split(".")[0]
        asking = {"body": {top: changed["body"][top]}}
    return {**asking, "response": {"limit": EPOCH_LIMIT, "output": {
        "label": iml.wrap(f"item.{_label_field(operation, polling)}"), "date": trigger_date(polling)}}}


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
    where = f"operation {operation.key}"
    communication = request(operation.request, operation.input, where=where)
    pages = operation.request.pagination
    if pages is not None:
        paging.paginate(communication, pages, container(operation.response), pages.max_pages, where)
    return {**communication, "response": response(connector, operation)}


def connection_communication(connector: Connector) -> dict[str, Any]:
    """The connection's own test call: validates the credentials and labels the connection (its
    records are not read otherwise)."""
    test = connector.operation(connector.connection.test)
    if connector.connection.label and test.response.extract != "object":
        raise Unsupported(f"operation {test.key}", "response.extract",
                          "a connection test that labels the connection must extract an object for Make's label")
    values = connection_values(connector, "parameters")
    prefix = iml.field_template(connector.connection.base_url, values)
    communication = request(test.request, test.input, url_prefix=prefix, where=f"operation {test.key}")
    credentials = auth(connector, "parameters")
    communication.update(credentials, headers={**credentials["headers"], **communication.get("headers", {})})
    communication["followRedirects"] = False
    reply: dict[str, Any] = {"error": error_directive(connector, "parameters"), "valid": valid(connector, "parameters")}
    if connector.connection.label:
        label = connector.connection.label
        for field in template_fields(label):
            label = label.replace("{" + field + "}", iml.wrap(f"{container(test.response)}.{field}"))
        reply["metadata"] = {"type": "text", "value": label}
    communication["response"] = reply
    return communication


def rpc_communication(source: OptionSource, where: str) -> dict[str, Any]:
    """A dropdown's choices: each record as {label, value}. A source with an input reads it from
    `parameters`: the RPC's own parameters, which Make fills from the calling module's fields of
    the same names (the operation declares each, the loader checks)."""
    return {**request(source.request, source.input, where=where), "response": {
        "iterate": _iterate(source.response),
        "output": {"label": iml.wrap(f"item.{source.label_field}"), "value": iml.wrap(f"item.{source.value}")}}}
