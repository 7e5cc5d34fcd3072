"""The conformance corpus rendered through a generated Make app (docs/conformance.md).

Make runs no code of ours, so a case is held to what the generated templates render with the
IML evaluator: `prepare` is Make's own parameter validation (a refused input must be refused,
naming the same fields; an accepted one must render the same request as the prepared value),
`request` the module's rendered request, `response` the rendered output or typed error, `run`
and `poll` the first request(s) and result (Make sends one request and leaves retries to the
scenario; a trigger's state is Make's own, so only a first poll renders, switched on "From now
on" at the case's clock), `options` an RPC,
`connection` the base URL and headers the connection renders. `case_problems` says what
differs; an empty list is a pass. Cases Make cannot express are listed in `approximations`.
"""

from __future__ import annotations

from typing import Any

from connector_core.runtime.connection import ConnectionSettingsError, values_for_base_url
from connector_core.spec.models import Connector, Operation, template_fields
from make_blueprints.approximations import MANUAL_TEST, TRANSPORT
from make_blueprints.components import GeneratedApp
from make_blueprints.entry import form_field, form_values
from make_blueprints.names import camel, connection_name, module_name, rpc_name
from make_blueprints.offer import declined
from make_blueprints.render import (
    NO_BODY,
    Component,
    MakeError,
    Reply,
    Request,
    Send,
    interpret,
    run_call,
    module_input,
    dated,
    now,
    request,
    run_connection,
    run_trigger,
    stored,
    switch_on,
)

# The corpus's error kinds and the Make error type each becomes in the generated app.
MAKE_TYPE = {"InputValidationError": "DataError", "ConnectionSettingsError": "DataError",
             "AuthError": "InvalidAccessTokenError", "RateLimitError": "RateLimitError",
             "TemporaryError": "ConnectionError", "NotFoundError": "RuntimeError", "ApiError": "RuntimeError",
             "ResponseError": "DataError", "TransportError": "ConnectionError", "TooManyResultsError": "RuntimeError"}


class NotRendered(Exception):
    """The case asks for something Make cannot show (the reason is the case's one problem)."""


class Rendered:
    """What the Make app did for a case: the requests it sent, then a result or a Make error."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.result: Any = None
        self.error: MakeError | None = None


def case_problems(app: GeneratedApp, connector: Connector, case: dict[str, Any]) -> list[str]:
    """What the Make app renders differently from the case (empty when it agrees); for an operation
    Make does not offer, the one reason it does not."""
    if "operation" in case and (why := declined(connector.operation(case["operation"]))) is not None:
        return [why]
    step = case["step"]
    rendered = Rendered()
    try:
        STEPS[step](app, connector, case, rendered)
    except MakeError as error:
        rendered.error = error
    except NotRendered as reason:
        return [str(reason)]
    operation = connector.operation(case["operation"]) if "operation" in case else None
    return _compare({**case, "expect": _as_make_sees_it(connector, case)}, rendered, operation)


def _as_make_sees_it(connector: Connector, case: dict[str, Any]) -> dict[str, Any]:
    """The case's expectation; a connection test's record becomes the label Make shows for it."""
    expect = case["expect"]
    if case.get("operation") != connector.connection.test or "result" not in expect:
        return expect
    return {**expect, "result": connection_label(connector, expect["result"])}


def connection_label(connector: Connector, record: Any) -> dict[str, str]:
    """What a Make connection's test call gives for the test operation's record: its label."""
    label = connector.connection.label
    if label is None:
        return {}
    for field in template_fields(label):
        value = record
        for part in field.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        label = label.replace("{" + field + "}", "" if value is None else str(value))
    return {"label": label}


# --- Rendering each step ------------------------------------------------------------------------


def _module(app: GeneratedApp, connector: Connector, case: dict[str, Any]) -> Component:
    operation = connector.operation(case["operation"])
    if operation.kind == "test":
        return app.connection(connection_name(connector))
    return app.module(module_name(operation))


def _variables(connector: Connector, case: dict[str, Any], parameters: dict[str, Any]) -> dict[str, Any]:
    return {"parameters": parameters, "connection": _connection(connector, case), "now": now(case.get("now_ms", 0))}


def _connection(connector: Connector, case: dict[str, Any]) -> dict[str, Any]:
    """The Make connection holding the case's field values; a platform base URL is read back into
    the fields its template is made of."""
    try:
        return connection_fields(connector, case.get("connection", {}), case.get("base_url"))
    except ConnectionSettingsError as error:
        raise NotRendered(f"a Make connection has only its fields: {error}") from None


def connection_fields(connector: Connector, values: dict[str, Any], base_url: str | None) -> dict[str, Any]:
    """A Make connection (fields by their camelCase names) holding `values`; a base URL given whole
    is read back into the fields of the connection's base URL template."""
    if base_url is not None:
        values = values_for_base_url(connector, base_url, values)
    return {camel(key): value for key, value in values.items()}


def _send(rendered: Rendered, responses: list[dict[str, Any]]):
    answers = iter(responses)

    def send(sent: Request) -> Reply:
        rendered.requests.append(_described(sent))
        answer = next(answers, None)
        if answer is None:
            raise NotRendered(f"Make sends request {len(rendered.requests)} ({rendered.requests[-1]['url']}), "
                              f"the case answers only {len(responses)}")
        return _reply(answer)

    return send


def _input(case: dict[str, Any]) -> dict[str, Any]:
    """The raw input as Make's module gets it: always an object of its parameters (none: empty)."""
    raw = case["input"]
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise NotRendered(f"Make hands a module an object of its parameters; the input {raw!r} cannot reach it")
    return raw


def _prepare(app: GeneratedApp, connector: Connector, case: dict[str, Any], rendered: Rendered) -> None:
    component = _module(app, connector, case)
    parameters = _parameters(component, connector, case, _input(case))
    sent = request(component, _variables(connector, case, parameters))
    rendered.requests.append(_described(sent))
    if "value" in case["expect"]:
        value = _parameters(component, connector, case, case["expect"]["value"])
        rendered.result = _described(request(component, _variables(connector, case, value)))


def _parameters(component: Component, connector: Connector, case: dict[str, Any], raw: dict[str, Any]) -> dict[str, Any]:
    """A module's `parameters` once Make's input stage took `raw`; the connection test's are the
    connection's fields (it is the connection's own call)."""
    operation = connector.operation(case["operation"])
    if operation.kind == "test":
        return _connection(connector, case)
    return module_input(component.parameters, form_values(operation, raw))


def _request(app: GeneratedApp, connector: Connector, case: dict[str, Any], rendered: Rendered) -> None:
    component = _module(app, connector, case)
    parameters = _parameters(component, connector, case, case["value"])
    rendered.requests.append(_described(request(component, _variables(connector, case, parameters))))


def _response(app: GeneratedApp, connector: Connector, case: dict[str, Any], rendered: Rendered) -> None:
    component = _module(app, connector, case)
    variables = _variables(connector, case, _parameters(component, connector, case, case["value"]))
    reply = _reply(case["response"])
    rendered.result = _outcome(component, connector, case, lambda sent: reply, variables)


def _outcome(component: Component, connector: Connector, case: dict[str, Any], send: Send,
             variables: dict[str, Any]) -> Any:
    """A list operation's bundles (a paged one's of every page read), a single-record operation's
    one bundle (None when none), or what the connection test gives Make: the connection's label."""
    operation = connector.operation(case["operation"])
    if operation.kind == "test":
        return run_connection(component, variables, send)
    bundles = run_call(component, variables, send)
    if operation.response.returns_list:
        return bundles
    return bundles[0] if bundles else None


def _run(app: GeneratedApp, connector: Connector, case: dict[str, Any], rendered: Rendered) -> None:
    component = _module(app, connector, case)
    variables = _variables(connector, case, _parameters(component, connector, case, _input(case)))
    send = _send(rendered, case["responses"])
    rendered.result = _outcome(component, connector, case, send, variables)


def _poll(app: GeneratedApp, connector: Connector, case: dict[str, Any], rendered: Rendered) -> None:
    """A first activation: Make switched on "From now on" at the case's clock, then one run."""
    if case.get("mode", "poll") != "poll":
        raise NotRendered(MANUAL_TEST)
    if case.get("state") is not None:
        raise NotRendered("Make keeps a trigger's state itself (the last item's date and id); only a first poll "
                          "(state null) renders")
    component = _module(app, connector, case)
    variables = _variables(connector, case, _parameters(component, connector, case, _input(case)))
    send = _send(rendered, case["responses"])
    start = switch_on(component, variables, send, case.get("now_ms", 0))
    rendered.result = run_trigger(component, {**variables, "data": stored(start)}, send, start) if dated(component) else []


def _options(app: GeneratedApp, connector: Connector, case: dict[str, Any], rendered: Rendered) -> None:
    component = app.rpc(rpc_name(case["source"]))
    variables = {"connection": _connection(connector, case),
                 "parameters": module_input(component.parameters, case.get("input") or {})}
    send = _send(rendered, case["responses"])
    rendered.result = interpret(component, send(request(component, variables)), variables)


def _connection_step(app: GeneratedApp, connector: Connector, case: dict[str, Any], rendered: Rendered) -> None:
    """The base URL and headers every module sends with this connection, once Make accepted it."""
    params = app.connection(connection_name(connector)).parameters
    try:
        connection = module_input(params, _connection(connector, case))
    except MakeError as refused:
        keys = {camel(field.key): field.key for field in connector.connection.fields}
        raise MakeError(refused.kind, refused.message, fields=[keys[name] for name in refused.fields or []]) from None
    variables = {"connection": connection}
    probe = Component({"url": "/", "encodeUrl": False, "method": "GET"}, app.base)
    sent = request(probe, variables)
    rendered.result = {"base_url": sent.url[:-1], "headers": sent.sent_headers()}


STEPS = {"prepare": _prepare, "request": _request, "response": _response, "run": _run, "poll": _poll,
         "options": _options, "connection": _connection_step}


def _reply(response: dict[str, Any]) -> Reply:
    if "failure" in response:
        raise NotRendered(TRANSPORT)
    body = response["json"] if "json" in response else (response.get("body") or None)
    return Reply(response["status"], body)


def _described(sent: Request) -> dict[str, Any]:
    """A rendered request in the corpus's form."""
    return {"method": sent.method, "url": sent.full_url(), "headers": sent.sent_headers(),
            "body": None if sent.body is NO_BODY else sent.body}


# --- Comparing with the case --------------------------------------------------------------------


def _compare(case: dict[str, Any], rendered: Rendered, operation: Operation | None) -> list[str]:
    expect, step = case["expect"], case["step"]
    problems = []
    expected_requests = expect.get("requests")
    if "request" in expect:
        expected_requests = [expect["request"]]
    if expected_requests is not None and rendered.requests != expected_requests[:max(1, len(rendered.requests))]:
        problems.append(f"requests differ: expected {expected_requests}, rendered {rendered.requests}")
    if expected_requests is not None and len(rendered.requests) < len(expected_requests):
        problems.append(f"Make sends {len(rendered.requests)} request(s), the case {len(expected_requests)}")
    if expect.get("sleeps"):
        problems.append(f"the case sleeps {expect['sleeps']} between attempts; Make leaves retries to the scenario")
    if "error" in expect:
        problems += _error_problems(expect["error"], rendered, operation, case.get("input"))
    elif rendered.error is not None:
        problems.append(f"expected success, Make gives {rendered.error}")
    elif step == "prepare":
        if rendered.requests[0] != rendered.result:
            problems.append(f"the input renders {rendered.requests[0]}, the prepared value {rendered.result}")
    else:
        problems += _result_problems(expect, rendered)
    return problems


def _error_problems(error: dict[str, Any], rendered: Rendered, operation: Operation | None,
                    raw: Any) -> list[str]:
    wanted = MAKE_TYPE[error["kind"]]
    if rendered.error is None:
        return [f"expected {error['kind']} (Make's {wanted}), Make succeeds with {rendered.result!r}"]
    got = rendered.error
    if got.kind != wanted:
        return [f"expected {error['kind']} (Make's {wanted}), Make gives {got}"]
    if "problems" in error:
        fields = sorted({problem["field"] if operation is None or not isinstance(raw, dict)
                         else form_field(operation, problem["field"], raw) for problem in error["problems"]})
        return [] if got.fields == fields else [f"refused fields differ: expected {fields}, Make {got.fields}"]
    if error["kind"] == "ConnectionSettingsError":
        return [] if got.fields else [f"Make refuses the connection without naming a field: {got}"]
    problems = []
    if error.get("retry_after") is not None:
        problems.append(f"the case waits {error['retry_after']} s (Retry-After); Make's {got.kind} carries no delay")
    if error.get("status") != got.status:
        problems.append(f"status differs: expected {error.get('status')}, Make {got.status}")
    if got.message not in (error.get("message") or ""):
        problems.append(f"message differs: expected {error.get('message')!r}, Make {got.message!r}")
    return problems


def _result_problems(expect: dict[str, Any], rendered: Rendered) -> list[str]:
    for key in ("result", "events", "choices", "base_url", "headers"):
        if key not in expect:
            continue
        got = rendered.result.get(key) if key in ("base_url", "headers") else rendered.result
        if got != expect[key]:
            return [f"{key} differs: expected {expect[key]!r}, Make renders {got!r}"]
    return []
