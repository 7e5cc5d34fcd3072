"""The rules the spec language gained for list inputs, free fields, value transforms, body status
codes, paged searches, triggers without a cursor or with it in the body, and dropdowns that read
another field, as the generated Make app renders them (the corpus cases prove the same rules case
by case; these show each rendering on its own, and that it can fail)."""

from __future__ import annotations

import json

import pytest

from connector_core.conformance import document_text, load_connector
from make_blueprints import values
from make_blueprints.app import generate
from make_blueprints.components import GeneratedApp
from make_blueprints.evaluator import evaluate
from make_blueprints.corpus import connection_fields
from make_blueprints.names import camel, connection_name, module_name, rpc_name
from make_blueprints.render import (Component, MakeError, Reply, module_input, now, request, run_call, run_trigger,
                                    stored, switch_on)


def _app(name: str) -> GeneratedApp:
    return GeneratedApp(generate(json.loads(document_text(name))))


def _operation_with(connector, test):
    return next(operation for operation in connector.operations.values() if test(operation))


def _param(operation, test):
    return next(param for params in ([p, *(p.items or [])] for p in operation.request.params)
                for param in params if test(param))


# --- Param values -----------------------------------------------------------------------------


@pytest.mark.parametrize("transform, given, sent", [
    ("date_number", "2026-04-30", 20260430),
    ("date_number", "0001-01-01", 10101),
    ("time_number", "09:30", 930),
    ("time_number", "00:05", 5),
    ("time_number", "24:00", 2400),
    ("boolean_number", True, 1),
    ("boolean_number", False, 0),
    ("next_day", "2026-12-31", "2027-01-01"),
    ("next_day", "2024-02-28", "2024-02-29"),
    ("next_day", "2023-02-28", "2023-03-01"),
])
def test_a_transform_is_iml_that_sends_the_api_s_value(transform, given, sent):
    connector = load_connector("acme")
    param = _param(_operation_with(connector, lambda op: any(p.transform == transform for p in op.request.params)
                                   or any(i.transform == transform for p in op.request.params for i in p.items or [])),
                   lambda p: p.transform == transform)
    operation = _operation_with(connector, lambda op: any(param in [p, *(p.items or [])] for p in op.request.params))
    expression = values.value(param, operation.input)
    assert evaluate(expression, {"parameters": {param.source: given}}) == sent
    if param.default is None:
        assert evaluate(expression, {"parameters": {}}) is None  # not given: nothing is sent


def test_a_default_is_sent_untransformed_and_a_map_sends_only_what_it_lists():
    connector = load_connector("acme")
    operation = connector.operation("schedule_visit")
    day = _param(operation, lambda p: p.default is not None)
    assert evaluate(values.value(day, operation.input), {"parameters": {}}) == day.default
    stage = _param(operation, lambda p: p.map is not None)
    expression = values.value(stage, operation.input)
    for key, sent in stage.map.items():
        given = key if key in operation.input["properties"][stage.source].get("enum", []) else json.loads(key)
        assert evaluate(expression, {"parameters": {stage.source: given}}) == sent
    assert evaluate(expression, {"parameters": {stage.source: "any"}}) is None


def test_a_constant_with_when_is_sent_only_when_its_input_is_given():
    connector = load_connector("acme")
    operation = _operation_with(connector, lambda op: any(p.when for p in op.request.params))
    param = _param(operation, lambda p: p.when is not None)
    expression = values.value(param, operation.input)
    kind = values.input_type(operation.input, param.when)
    given = {"integer": 0, "number": 0, "boolean": False, "string": "x"}[kind]
    assert evaluate(expression, {"parameters": {param.when: given}}) == param.value
    assert evaluate(expression, {"parameters": {}}) is None


def test_a_time_the_transform_cannot_read_is_refused_by_make_s_validation():
    app, connector = _app("acme"), load_connector("acme")
    operation = _operation_with(connector, lambda op: any(i.transform == "time_number"
                                                          for p in op.request.params if p.lists_own_input for i in p.items))
    param = _param(operation, lambda p: p.transform == "time_number")
    with pytest.raises(MakeError) as refused:
        module_input(app.module(module_name(operation)).parameters, {**_required(operation), param.source: "9:30"})
    assert refused.value.fields == [param.source]


def _required(operation) -> dict:
    samples = {"string": "x", "integer": 1, "number": 1, "boolean": True}
    properties = operation.input["properties"]
    return {name: samples.get(properties[name].get("type"), "x") for name in operation.input.get("required", [])}


# --- Inputs -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text, accepted", [
    ("2021-03-05T12:15:00-05:00", True), ("2021-03-05T12:15:00Z", True), ("2024-02-29T23:59:59.5+14:00", True),
    ("2021-03-05T12:15:00", False), ("2021-02-29T12:15:00Z", False), ("2021-03-05T24:00:00Z", False),
    ("2021-03-05 12:15:00Z", False),
])
def test_a_date_time_input_needs_its_offset(text, accepted):
    app, connector = _app("acme"), load_connector("acme")
    operation = _operation_with(connector, lambda op: any(sub.get("format") == "date-time"
                                                          for sub in op.input.get("properties", {}).values()))
    name = next(name for name, sub in operation.input["properties"].items() if sub.get("format") == "date-time")
    parameters = app.module(module_name(operation)).parameters
    raw = {**_required(operation), name: text}
    if accepted:
        assert module_input(parameters, raw)[name] == text  # sent as given, offset and all
    else:
        with pytest.raises(MakeError):
            module_input(parameters, raw)


def test_a_free_key_value_input_is_make_s_key_value_editor_merged_into_its_object():
    app, connector = _app("acme"), load_connector("acme")
    operation = _operation_with(connector, lambda op: any(p.merge for p in op.request.params))
    merged = _param(operation, lambda p: p.merge)
    component = app.module(module_name(operation))
    editor = next(p for p in component.parameters if p["name"] == merged.source)
    assert editor["type"] == "array" and [field["name"] for field in editor["spec"]] == ["key", "value"]
    covered = next(p.name.split(".")[-1] for p in operation.request.params if p.name.startswith(merged.name + "."))
    raw = {**_required(operation), merged.source: [{"key": "color", "value": "red"}]}
    sent = request(component, {"parameters": module_input(component.parameters, raw), "connection": {"apiKey": "k"}})
    node = sent.body
    for part in merged.name.split("."):
        node = node[part]
    assert node["color"] == "red"
    with pytest.raises(MakeError) as refused:
        module_input(component.parameters, {**raw, merged.source: [{"key": covered, "value": "x"}]})
    assert refused.value.fields == [f"{merged.source}[0].key"]


def test_a_list_input_asks_for_each_item_in_the_api_s_terms():
    app, connector = _app("acme"), load_connector("acme")
    operation = _operation_with(connector, lambda op: any(p.items and p.input for p in op.request.params))
    listed = _param(operation, lambda p: p.items is not None and p.input is not None)
    form = next(p for p in app.module(module_name(operation)).parameters if p["name"] == listed.input)
    names = [field["name"] for field in form["spec"]]
    assert names == list(dict.fromkeys(item.name.split(".")[0] for item in listed.items))
    constant = next(item for item in listed.items if item.is_constant)
    assert next(field for field in form["spec"] if field["name"] == constant.name) == {
        "name": constant.name, "type": "hidden", "default": constant.value}


def test_a_list_of_one_object_is_built_from_the_operation_s_own_input():
    app, connector = _app("acme"), load_connector("acme")
    operation = _operation_with(connector, lambda op: any(p.lists_own_input for p in op.request.params))
    listed = _param(operation, lambda p: p.lists_own_input)
    component = app.module(module_name(operation))
    sent = request(component, {"parameters": module_input(component.parameters, _required(operation)),
                               "connection": {"apiKey": "k"}})
    node = sent.body
    for part in listed.name.split("."):
        node = node[part]
    assert isinstance(node, list) and len(node) == 1


# --- Answers ----------------------------------------------------------------------------------


def test_a_body_status_code_is_the_make_error_of_its_kind():
    app, connector = _app("envelopeco"), load_connector("envelopeco")
    rule = connector.errors.body_status
    operation = _operation_with(connector, lambda op: op.kind == "action")
    component = app.module(module_name(operation))
    variables = {"parameters": {}, "connection": {}, "now": now(0)}
    types = {"auth": "InvalidAccessTokenError", "rate_limit": "RateLimitError", "temporary": "ConnectionError",
             "api": "RuntimeError"}
    for code in rule.codes:
        body = {rule.field: code.code}
        with pytest.raises(MakeError) as failed:
            run_call(component, variables, lambda sent, body=body: Reply(200, body))
        assert (failed.value.kind, failed.value.message) == (types[code.kind], f"{code.message} (status {code.code})")
    with pytest.raises(MakeError, match="status -4242"):
        run_call(component, variables, lambda sent: Reply(200, {rule.field: -4242}))


def test_advice_follows_the_message_of_its_status():
    app, connector = _app("envelopeco"), load_connector("envelopeco")
    advice = connector.errors.advice[0]
    operation = _operation_with(connector, lambda op: op.kind == "action")
    with pytest.raises(MakeError) as failed:
        run_call(app.module(module_name(operation)), {"parameters": {}, "connection": {}, "now": now(0)},
                 lambda sent: Reply(advice.status, None))
    assert failed.value.message.endswith(f"; {advice.message}")


def test_a_paged_search_reads_until_a_short_page_and_refuses_to_return_part():
    app, connector = _app("basicco"), load_connector("basicco")
    operation = _operation_with(connector, lambda op: op.request.pagination is not None)
    pages = operation.request.pagination
    component = app.module(module_name(operation))
    record = operation.sample
    full, short = [record] * pages.page_size, [record]
    answers = iter([full, short])
    variables = {"parameters": {"limit": 1000}, "connection": {"account": "a", "baseUrl": "https://x.test"}, "now": now(0)}
    sent = []
    bundles = run_call(component, variables, lambda request: sent.append(request) or Reply(200, _wrapped(operation, next(answers))))
    assert len(bundles) == pages.page_size + 1 and len(sent) == 2
    with pytest.raises(MakeError, match="narrow the search"):
        run_call(component, variables, lambda request: Reply(200, _wrapped(operation, full)))


def _wrapped(operation, records):
    body = records
    for part in reversed(operation.response.path.split(".") if operation.response.path else []):
        body = {part: body}
    return body


# --- Triggers and dropdowns -------------------------------------------------------------------


def test_a_trigger_without_a_cursor_is_make_s_id_trigger_that_starts_after_the_last_item_read():
    app, connector = _app("basicco"), load_connector("basicco")
    operation = _operation_with(connector, lambda op: op.polling is not None and op.polling.cursor is None)
    component = app.module(module_name(operation))
    trigger = component.communication["response"]["trigger"]
    assert trigger["type"] == "id" and "date" not in trigger
    key = operation.polling.record_identity[0]
    size = operation.polling.pagination.page_size
    first = [{**operation.sample, key: number} for number in (3, 1)][:size - 1]
    variables = {"parameters": {"limit": 100}, "connection": {"account": "a", "baseUrl": "https://x.test"}, "now": now(0)}
    last = switch_on(component, variables, lambda sent: Reply(200, _wrapped(operation, first)), 0)
    later = [{**operation.sample, key: number} for number in (2, 5)][:size - 1]
    output = run_trigger(component, {**variables, "data": stored(last)}, lambda sent: Reply(200, _wrapped(operation, later)), last)
    assert [bundle[key] for bundle in output] == [number for number in (2, 5)[:size - 1] if number > 3]


def test_a_cursor_and_paging_in_the_body_are_placed_in_the_body():
    app, connector = _app("envelopeco"), load_connector("envelopeco")
    operation = _operation_with(connector, lambda op: op.polling is not None and op.polling.cursor is not None
                                and op.polling.cursor.location == "body")
    component = app.module(module_name(operation))
    variables = {"parameters": {}, "connection": {}, "now": now(1_000_000), "data": {}}
    first = request(component, {**variables, "pagination": {"page": 1}})
    second = request(component, {**variables, "pagination": {"page": 2}}, component.communication["pagination"])
    paging = operation.polling.pagination

    def at(body, dotted):
        for part in dotted.split("."):
            body = body[part]
        return body

    assert (at(first.body, paging.offset_param), at(second.body, paging.offset_param)) == (0, paging.page_size)
    assert at(first.body, operation.polling.cursor.param) == at(second.body, operation.polling.cursor.param)
    assert not first.qs


def test_a_dropdown_that_reads_another_field_is_an_rpc_with_that_parameter():
    app, connector = _app("acme"), load_connector("acme")
    key, source = next((key, source) for key, source in connector.option_sources.items()
                       if source.input.get("properties"))
    component = app.rpc(rpc_name(key))
    assert [p["name"] for p in component.parameters] == list(source.input["properties"])
    with pytest.raises(MakeError):
        module_input(component.parameters, {})  # until the field it reads is filled in: nothing to ask


def test_the_connection_checks_an_account_s_pattern_and_reads_a_two_field_base_url():
    app, connector = _app("slugco"), load_connector("slugco")
    field = next(field for field in connector.connection.fields if field.pattern)
    params = app.connection(connection_name(connector)).parameters
    values = {camel(f.key): "x" for f in connector.connection.fields if f.required and f.default is None}
    connection = module_input(params, {**values, camel(field.key): "acme-1"})
    with pytest.raises(MakeError) as refused:
        module_input(params, {**values, camel(field.key): "acme/../admin"})
    assert refused.value.fields == [camel(field.key)]
    probe = request(Component({"url": "/", "encodeUrl": False, "method": "GET"}, app.base), {"connection": connection})
    assert probe.url.endswith("/acme-1/")
    read_back = connection_fields(connector, {}, "http://127.0.0.1:9/replay/case-1")
    assert read_back[camel(field.key)] == "case-1"
