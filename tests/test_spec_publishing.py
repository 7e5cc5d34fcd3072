"""The spec language's publishing keys (#12): publisher, logo, history, resources, the list kind,
destructive actions, connection choices, input layout and the x- annotations. Each rule is shown
to hold on the Hellotracks spec and to refuse a wrong spec with a message naming the key."""

from __future__ import annotations

import copy
import json
import shutil
import struct
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from connector_core.document import connector_from_document, document_schema, runtime_document
from connector_core.icons import png
from connector_core.spec import Connector, SpecError, load_connector, load_spec
from connector_core.spec.layout import input_layout
from connector_core.spec.loader import spec_path
from connector_core.spec.models import Operation, search_annotations, timestamp_annotations

Mutation = Callable[[dict[str, Any]], None]


def _spec_data() -> dict[str, Any]:
    return copy.deepcopy(yaml.safe_load(spec_path("hellotracks").read_text(encoding="utf-8")))


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    shutil.copy(spec_path("hellotracks").parent / "logo.svg", tmp_path)
    return path


def _refused(tmp_path: Path, mutate: Mutation) -> str:
    data = _spec_data()
    mutate(data)
    with pytest.raises(SpecError) as raised:
        load_spec(_write(tmp_path, data))
    return str(raised.value)


def _op(name: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda data: data["operations"][name]


def _field(data: dict[str, Any], key: str) -> dict[str, Any]:
    return next(field for field in data["connection"]["fields"] if field["key"] == key)


def _property(side: str, operation: str, name: str, schema: dict[str, Any]) -> Mutation:
    """A mutation adding a property to one operation's own copy of its `input` or `output` schema
    (the spec's schemas are shared YAML anchors)."""
    def mutate(data: dict[str, Any]) -> None:
        changed = copy.deepcopy(data["operations"][operation][side])
        changed["properties"][name] = schema
        data["operations"][operation][side] = changed
    return mutate


def _output_property(operation: str, name: str, schema: dict[str, Any]) -> Mutation:
    return _property("output", operation, name, schema)


def _input_property(operation: str, name: str, schema: dict[str, Any]) -> Mutation:
    return _property("input", operation, name, schema)


# --- Hellotracks declares what each platform's reviewers ask for --------------------------------


def test_every_operation_but_the_test_names_a_declared_resource(hellotracks: Connector) -> None:
    for operation in hellotracks.operations.values():
        if operation.kind == "test":
            assert operation.resource is None
        else:
            assert operation.resource in hellotracks.resources, operation.key
    assert {op.resource for op in hellotracks.operations.values()} - {None} == set(hellotracks.resources)


def test_publisher_logo_and_history_describe_the_release(hellotracks: Connector) -> None:
    publisher = hellotracks.publisher
    assert all(url.startswith("https://") for url in (publisher.homepage, publisher.repository, publisher.support))
    assert "@" in publisher.email
    assert hellotracks.history[0].version == hellotracks.version
    assert hellotracks.logo.svg == (spec_path("hellotracks").parent / "logo.svg").read_text(encoding="utf-8")


def test_the_environment_is_a_closed_choice_of_https_hosts(hellotracks: Connector) -> None:
    field = next(f for f in hellotracks.connection.fields if f"{{{f.key}}}" == hellotracks.connection.base_url)
    assert field.label == "Environment"
    values = [choice.value for choice in field.choices or []]
    assert field.default in values and len(values) >= 2
    assert all(value.startswith("https://") for value in values)
    assert hellotracks.connection.credential.help_url.startswith("https://")


def test_job_id_inputs_come_from_a_dropdown_and_a_search(hellotracks: Connector) -> None:
    for key in ("update_job", "archive_job", "delete_job", "get_job"):
        operation = hellotracks.operation(key)
        assert operation.input["properties"]["id"]["x-options"] == "jobs"
        assert search_annotations(operation.input) == [("id", "find_job.id")]
    jobs = hellotracks.option_source("jobs")
    assert (jobs.request.path, jobs.value, jobs.label_field) == ("/jobs", "id", "title")


def test_destructive_actions_carry_a_warning(hellotracks: Connector) -> None:
    destructive = {op.key: op.warning for op in hellotracks.operations.values() if op.destructive}
    assert set(destructive) == {"delete_job"} and "cannot be recovered" in destructive["delete_job"]
    assert hellotracks.operation("get_job").label == "Find Job by ID"


def test_a_job_carries_typed_timestamps_and_a_summary(hellotracks: Connector) -> None:
    output = hellotracks.operation("list_jobs").output
    assert timestamp_annotations(output) == [((), "createdAtIso", "createdAt"), ((), "updatedAtIso", "updatedAt")]
    assert len(output["x-summary"]) <= 10 and set(output["x-summary"]) <= set(output["properties"])
    assert output["properties"]["createdAt"]["title"] == "Created At (epoch ms)"


def test_the_list_kind_returns_records_and_nothing_found_defaults_to_404(hellotracks: Connector) -> None:
    lists = [op for op in hellotracks.operations.values() if op.kind == "list"]
    assert lists and all(op.response.extract == "items" and op.or_create is None for op in lists)
    assert hellotracks.errors.not_found == [404]
    assert Connector.model_fields["errors"].default_factory().not_found == [404]


def test_the_runtime_document_carries_the_new_keys_and_reads_back(hellotracks: Connector) -> None:
    document = json.loads(json.dumps(runtime_document(hellotracks)))
    assert document["logo"]["svg"].startswith("<svg") and document["publisher"]["name"]
    assert document["operations"]["delete_job"]["warning"]
    assert connector_from_document(document) == hellotracks
    schema = document_schema()
    assert {"publisher", "logo", "history", "resources"} <= set(schema["required"]) | set(schema["properties"])


# --- Layout ------------------------------------------------------------------------------------


def _operation_with_input(hellotracks: Connector, input_schema: dict[str, Any]) -> Operation:
    base = hellotracks.operation("list_jobs").model_dump(by_alias=True)
    params = [{"in": "query", "name": name} for name in input_schema["properties"]]
    return Operation.model_validate({**base, "input": input_schema, "request": {**base["request"], "params": params}})


def test_layout_puts_required_first_then_main_then_additional_each_in_spec_order(hellotracks: Connector) -> None:
    operation = _operation_with_input(hellotracks, {
        "type": "object", "additionalProperties": False, "required": ["d", "b"],
        "properties": {"a": {"type": "string"}, "extra1": {"type": "string", "x-group": "additional"},
                       "b": {"type": "string"}, "c": {"type": "integer"},
                       "extra2": {"type": "string", "x-group": "additional"}, "d": {"type": "string"}}})
    layout = input_layout(operation)
    assert [(f.name, f.required, f.group) for f in layout] == [
        ("b", True, "main"), ("d", True, "main"), ("a", False, "main"), ("c", False, "main"),
        ("extra1", False, "additional"), ("extra2", False, "additional")]
    assert layout[3].schema == {"type": "integer"}


def test_layout_puts_a_field_a_dropdown_reads_just_before_that_dropdown_in_its_rank() -> None:
    """Kickserv's Job dropdown lists the jobs of the customer in Customer ID: the customer comes first
    on every platform, though optional and written after the job in the spec."""
    operation = load_connector("kickserv").operation("create_task")
    assert operation.dropdown_reads == {"customer_id": "job_id"}
    layout = input_layout(operation)
    assert [(f.name, f.required, f.group, f.leads) for f in layout[:3]] == [
        ("customer_id", False, "main", "job_id"), ("job_id", True, "main", None), ("description", False, "main", None)]


def test_layout_of_update_job_puts_the_job_id_first(hellotracks: Connector) -> None:
    layout = input_layout(hellotracks.operation("update_job"))
    assert layout[0].name == "id" and layout[0].required
    groups = [field.group for field in layout]
    assert groups == sorted(groups, key=["main", "additional"].index) and "additional" in groups


# --- Icons -------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [256, 512])
def test_the_logo_renders_to_a_png_of_the_size_asked_byte_for_byte_the_same(hellotracks: Connector, size: int) -> None:
    first, second = png(hellotracks.logo.svg, size), png(hellotracks.logo.svg, size)
    assert first == second
    assert first[:8] == b"\x89PNG\r\n\x1a\n" and first[12:16] == b"IHDR"
    assert struct.unpack(">II", first[16:24]) == (size, size)


def test_an_icon_size_must_be_positive(hellotracks: Connector) -> None:
    with pytest.raises(ValueError, match="positive"):
        png(hellotracks.logo.svg, 0)


# --- Wrong specs are refused, naming the key ------------------------------------------------------

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">{}</svg>'


def _logo(svg: str) -> Mutation:
    return lambda data: data.update(logo={"svg": svg})


REFUSED: list[tuple[str, Mutation, str]] = [
    ("no publisher", lambda d: d.pop("publisher"), "publisher: Field required"),
    ("http homepage", lambda d: d["publisher"].update(homepage="http://www.hellotracks.com"),
     "publisher.homepage: must be an https:// URL"),
    ("bad email", lambda d: d["publisher"].update(email="support"), "publisher.email"),
    ("missing logo file", lambda d: d.update(logo={"file": "nope.svg"}), "logo.file: cannot read 'nope.svg'"),
    ("logo outside the folder", lambda d: d.update(logo={"file": "../logo.svg"}), "logo.file: '../logo.svg' must be a file"),
    ("logo not XML", _logo("<svg"), "logo.svg: the logo is not well-formed XML"),
    ("logo not svg", _logo('<html viewBox="0 0 1 1"/>'), "root element must be <svg>, got <html>"),
    ("logo not square", _logo('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 10"/>'),
     "viewBox must be square"),
    ("logo without viewBox", _logo('<svg xmlns="http://www.w3.org/2000/svg"/>'), "needs a viewBox"),
    ("logo with text", _logo(SVG.format("<text>H</text>")), "must not contain <text>"),
    ("logo with script", _logo(SVG.format("<script>x()</script>")), "must not contain <script>"),
    ("logo with image", _logo(SVG.format('<image href="a.png"/>')), "must not contain <image>"),
    ("logo with foreignObject", _logo(SVG.format("<foreignObject/>")), "must not contain <foreignObject>"),
    ("logo linking out", _logo(SVG.format('<use href="https://x.test/a.svg#p"/>')), "only references inside the file"),
    ("logo with external url()", _logo(SVG.format('<path d="M0 0" fill="url(https://x.test/p)"/>')),
     "refers to an external url()"),
    ("logo with an imported style", _logo(SVG.format("<style>@import 'https://x.test/a.css';</style>")),
     "the logo's <style> fetches from outside the file"),
    ("logo with a handler", _logo(SVG.format('<path d="M0 0" onclick="x()"/>')), "event handler 'onclick'"),
    ("history of another version", lambda d: d["history"][0].update(version="0.9.0"),
     "history[0].version is '0.9.0', but the connector's version is '1.0.0'"),
    ("history out of order", lambda d: d["history"].append({"version": "1.1.0", "notes": "Later."}),
     "history versions must strictly decrease"),
    ("no history", lambda d: d.update(history=[]), "history: List should have at least 1 item"),
    ("operation without resource", lambda d: d["operations"]["find_member"].pop("resource"),
     "operation 'find_member': (operation): 'resource' is required on every operation except kind 'test'"),
    ("test with resource", lambda d: d["operations"]["test_connection"].update(resource="job"),
     "operation 'test_connection': (operation): 'resource' is required on every operation except kind 'test', and a test has none"),
    ("undeclared resource", lambda d: d["operations"]["find_member"].update(resource="person"),
     "operation 'find_member': resource 'person' is not declared in resources"),
    ("unused resource", lambda d: d["resources"].update(place={"label": "Place", "plural": "Places"}),
     "resources ['place'] are declared but no operation names them"),
    ("bad resource key", lambda d: d["resources"].update({"Job Thing": {"label": "Thing", "plural": "Things"}}),
     "resources: key 'Job Thing' must match"),
    ("list of one record", lambda d: d["operations"]["list_jobs"].update(response={"extract": "first", "path": "data.items"}),
     "operation 'list_jobs': (operation): a list operation must extract 'items' and has no 'or_create'"),
    ("list or create", lambda d: d["operations"]["list_jobs"].update(or_create="create_job"),
     "a list operation must extract 'items' and has no 'or_create'"),
    ("destructive without warning", lambda d: d["operations"]["delete_job"].pop("warning"),
     "operation 'delete_job': (operation): 'warning' is required when 'destructive' is true"),
    ("warning without destructive", lambda d: d["operations"]["archive_job"].update(warning="Careful."),
     "operation 'archive_job': (operation): 'warning' is required when 'destructive' is true, and allowed only then"),
    ("destructive search", lambda d: d["operations"]["find_member"].update(destructive=True, warning="Careful."),
     "operation 'find_member': (operation): only an action can be 'destructive'"),
    ("default not a choice", lambda d: _field(d, "base_url").update(default="https://example.com/v1"),
     "field 'base_url': default 'https://example.com/v1' is not one of its choices"),
    ("http base URL choice", lambda d: _field(d, "base_url")["choices"].append({"label": "Plain", "value": "http://api.hellotracks.com/v1"}),
     "fields.base_url.choices: base URL choice 'Plain' must be an https:// URL"),
    ("repeated choice", lambda d: _field(d, "base_url")["choices"].append(dict(_field(d, "base_url")["choices"][0])),
     "field 'base_url': choices repeat a value"),
    ("secret with choices", lambda d: _field(d, "api_key").update(choices=[{"label": "A", "value": "a"}]),
     "field 'api_key': a secret field cannot have choices"),
    ("http help link", lambda d: _field(d, "api_key").update(help_url="http://help.hellotracks.com"),
     "connection.fields.0.help_url: must be an https:// URL"),
    ("unknown group", _input_property("list_jobs", "limit", {"type": "integer", "x-group": "advanced"}),
     "operation 'list_jobs': (operation): input: at limit: x-group must be 'additional', got 'advanced'"),
    ("required additional", lambda d: d["operations"]["update_job"]["input"]["properties"].update(
        id={"type": "string", "x-group": "additional"}),
     "operation 'update_job': (operation): input: at id: a required input cannot be in the 'additional' x-group"),
    ("nested group", lambda d: d["definitions"]["job_fields"]["contact"]["properties"]["name"].update({"x-group": "additional"}),
     "input: at contact.name: x-group is not allowed here (only on a top-level input property)"),
    ("search of an action", lambda d: d["definitions"]["job_id"].update({"x-search": "create_job.id"}),
     "has x-search 'create_job.id', but 'create_job' is not a search operation"),
    ("search of a missing field", lambda d: d["definitions"]["job_id"].update({"x-search": "find_job.uuid"}),
     "has x-search 'find_job.uuid', but the output of 'find_job' has no field 'uuid'"),
    ("search without a field", lambda d: d["definitions"]["job_id"].update({"x-search": "find_job"}),
     "x-search must be '<search operation>.<output field>', got 'find_job'"),
    ("timestamp from nothing", _output_property("get_job", "dueIso", {
        "type": "string", "format": "date-time", "x-timestamp": {"from": "due", "unit": "epoch_ms"}}),
     "operation 'get_job': (operation): output: at dueIso: x-timestamp.from 'due' is not a sibling property"),
    ("timestamp from text", _output_property("get_job", "dateIso", {
        "type": "string", "format": "date-time", "x-timestamp": {"from": "date", "unit": "epoch_ms"}}),
     "at dateIso: x-timestamp.from 'date' must be an integer property"),
    ("timestamp in seconds", _output_property("get_job", "createdIso", {
        "type": "string", "format": "date-time", "x-timestamp": {"from": "createdAt", "unit": "epoch_s"}}),
     "at createdIso: x-timestamp must be {from: <sibling property>, unit: epoch_ms}"),
    ("timestamp not text", _output_property("get_job", "createdIso", {
        "type": "integer", "format": "date-time", "x-timestamp": {"from": "createdAt", "unit": "epoch_ms"}}),
     "a derived timestamp must be {type: string, format: date-time}"),
    ("date-time by hand", _output_property("get_job", "when", {"type": "string", "format": "date-time"}),
     "operation 'get_job': output: at when: format 'date-time' is only for a property derived with 'x-timestamp'"),
    ("timestamp in an input", _input_property("list_jobs", "since", {
        "type": "string", "format": "date-time", "x-timestamp": {"from": "limit", "unit": "epoch_ms"}}),
     "operation 'list_jobs': (operation): input: at since: x-timestamp is not allowed here"),
    ("timestamp in an array", _output_property("get_job", "visits", {
        "type": "array", "items": {"type": "object", "properties": {
            "at": {"type": "integer"},
            "atIso": {"type": "string", "format": "date-time", "x-timestamp": {"from": "at", "unit": "epoch_ms"}}}}}),
     "output: at visits[].atIso: x-timestamp is not allowed here"),
    ("summary too long", lambda d: d["definitions"]["job"].update({"x-summary": list(d["definitions"]["job"]["properties"])}),
     "x-summary must list 1 to 10 top-level output property names"),
    ("summary of nothing", lambda d: d["definitions"]["job"].update({"x-summary": ["id", "colour"]}),
     "output: x-summary names ['colour'], which are not top-level output properties"),
    ("nested summary", lambda d: d["definitions"]["job"]["properties"]["contact"].update({"x-summary": ["name"]}),
     "output: at contact: x-summary is not allowed here (only at the root of an output schema)"),
]


def _required_derived(data: dict[str, Any]) -> None:
    output = copy.deepcopy(data["operations"]["get_job"]["output"])
    output["required"] = [*output["required"], "createdAtIso"]
    data["operations"]["get_job"]["output"] = output


REFUSED.append(("required timestamp", _required_derived,
                "operation 'get_job': (operation): output: at createdAtIso: a derived timestamp cannot be required"))


@pytest.mark.parametrize(("mutate", "expected"), [(m, e) for _, m, e in REFUSED], ids=[name for name, _, _ in REFUSED])
def test_a_wrong_publishing_key_is_refused_naming_the_key(tmp_path: Path, mutate: Mutation, expected: str) -> None:
    message = _refused(tmp_path, mutate)
    assert "spec.yaml" in message
    assert expected in message


def test_the_unchanged_spec_loads_from_a_copy(tmp_path: Path, hellotracks: Connector) -> None:
    """The mutations above start from a copy that loads, so each refusal is the mutation's doing."""
    assert load_spec(_write(tmp_path, _spec_data())) == hellotracks
