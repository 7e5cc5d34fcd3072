"""The generated Zapier project: derived from the spec, deterministic, and what a Zapier user needs."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path
from typing import Any

import pytest

from connector_core.build import FileContent, build
from connector_core.document import dump_document, runtime_document
from connector_core.runtime.timestamps import iso_text, stamped
from connector_core.spec import Connector
from connector_core.spec.layout import input_layout
from connector_core.spec.loader import load_spec
from connector_core.spec.models import Operation
from tests.conftest import FIXTURES
from zapier_schema import GenerationError, generate
from zapier_schema.keys import ZAPIER_KEY, flatten_input
from zapier_schema.project import logo
from connector_core.kernel import KERNEL_SOURCES as KERNEL_SRC
from zapier_schema.schemas import leaves

KERNEL_FILES = {f"lib/kernel/{path.relative_to(KERNEL_SRC).as_posix()}" for path in KERNEL_SRC.rglob("*") if path.is_file()}
EXPECTED_FILES = {"package.json", "index.js", "definition.json", "lib/adapter.js", "lib/connector.json",
                  "test/app.test.js", "README.md", "assets/logo.png", ".gitignore", *KERNEL_FILES}


def fields_by_key(entry: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {field["key"]: field for field in entry["operation"][kind]}


def every_key(data: Any) -> list[str]:
    """Every Zapier key of the definition: operation keys and field keys."""
    keys = []
    for section in ("triggers", "searches", "creates", "searchOrCreates"):
        for key, entry in data.get(section, {}).items():
            keys.append(key)
            for kind in ("inputFields", "outputFields"):
                keys.extend(field["key"] for field in entry.get("operation", {}).get(kind, []))
    keys.extend(field["key"] for field in data["authentication"]["fields"])
    return keys


def test_files_are_deterministic_and_written_by_connectors_build(tmp_path: Path,
                                                                 hellotracks_document: dict[str, Any]) -> None:
    files = generate(hellotracks_document)
    assert set(files) == EXPECTED_FILES and "lib/kernel/index.js" in files
    assert generate(hellotracks_document) == files
    first = {path.relative_to(tmp_path / "a"): path.read_bytes() for path in build(tmp_path / "a", ["hellotracks"])}
    second = {path.relative_to(tmp_path / "b"): path.read_bytes() for path in build(tmp_path / "b", ["hellotracks"])}
    assert first == second
    zapier = {str(path.relative_to(Path("zapier/hellotracks"))): text for path, text in first.items()
              if path.parts[:2] == ("zapier", "hellotracks")}
    assert zapier == {path: content if isinstance(content, bytes) else content.encode() for path, content in files.items()}


def test_package_pins_core_and_index_loads_the_definition(zapier_files: dict[str, FileContent]) -> None:
    package = json.loads(zapier_files["package.json"])
    assert package["dependencies"] == {"zapier-platform-core": "19.1.0"}
    assert package["scripts"]["test"] == "NODE_ENV=test node --test"
    assert "require('./definition.json')" in zapier_files["index.js"]
    assert "require('./lib/adapter')" in zapier_files["index.js"]


def test_the_app_ships_the_runtime_document_the_kernel_and_the_adapter(
        zapier_files: dict[str, FileContent], hellotracks_document: dict[str, Any], zapier_app: Path) -> None:
    """The kernel is the core's, byte for byte, as written to disk; the adapter loads it and the document."""
    assert zapier_files["lib/connector.json"] == dump_document(hellotracks_document)
    sources = {f"lib/kernel/{path.relative_to(KERNEL_SRC).as_posix()}": path.read_bytes()
               for path in KERNEL_SRC.rglob("*") if path.is_file()}
    assert sources and set(sources) == {path for path in zapier_files if path.startswith("lib/kernel/")}
    for relative, content in sources.items():
        assert (zapier_app / relative).read_bytes() == content, relative
    adapter = zapier_files["lib/adapter.js"]
    assert "require('./kernel/index.js')" in adapter and "require('./connector.json')" in adapter
    readme = zapier_files["README.md"]
    assert "npm test" in readme and "zapier-platform push" in readme and "Node 22" in readme


def test_no_credential_in_any_file(zapier_files: dict[str, FileContent], definition: dict[str, Any]) -> None:
    """The key lives in the user's connection (bundle.authData); the kernel puts it in the header."""
    assert "requestTemplate" not in definition
    for content in zapier_files.values():
        data = content if isinstance(content, bytes) else content.encode()
        assert b"replay-key" not in data and b"sandbox-key" not in data and b"test-sandbox-key" not in data


SECTIONS = {"trigger": "triggers", "search": "searches", "list": "searches", "action": "creates"}


def entry_of(definition: dict[str, Any], operation: Operation) -> dict[str, Any]:
    return definition[SECTIONS[operation.kind]][operation.key]


def offered(connector: Connector) -> list[Operation]:
    """The operations a Zapier user picks: every kind but the connection test."""
    return [operation for operation in connector.operations.values() if operation.kind in SECTIONS]


def test_authentication(hellotracks: Connector, definition: dict[str, Any]) -> None:
    auth = definition["authentication"]
    assert auth["type"] == "custom"
    fields = {field["key"]: field for field in auth["fields"]}
    assert [field["key"] for field in auth["fields"]] == [field.key for field in hellotracks.connection.fields]
    for spec_field in hellotracks.connection.fields:
        field = fields[spec_field.key]
        assert field["label"] == spec_field.label
        assert field["type"] == ("password" if spec_field.secret else "string")
        assert field["required"] is (spec_field.required and spec_field.default is None)
        assert field.get("default") == spec_field.default
        if spec_field.help_url:  # Zapier check D002: a Markdown link to where the value is found
            assert field["helpText"].startswith(spec_field.description)
            assert f"]({spec_field.help_url})" in field["helpText"]
        if spec_field.choices:  # a dropdown of exactly these, no free text
            assert field["choices"] == [{"value": choice.value, "sample": choice.value, "label": choice.label}
                                        for choice in spec_field.choices]
        else:
            assert "choices" not in field
    credential = fields[hellotracks.connection.credential.key]
    assert credential["type"] == "password" and "[Where to find your" in credential["helpText"]
    base_url = fields["base_url"]
    assert [choice["label"] for choice in base_url["choices"]] == ["Production", "QA"]
    assert all(choice["value"].startswith("https://") for choice in base_url["choices"])
    assert auth["test"] == {"source": 'return z.require("./lib/adapter.js").test(z, bundle);'}
    assert auth["connectionLabel"] == "{{bundle.inputData.company.name}}"


def test_operations_by_kind_and_resource(hellotracks: Connector, definition: dict[str, Any]) -> None:
    """Every offered operation in its section, named by its resource (Zapier's noun) and its own label;
    the option sources as hidden triggers; a search with or_create as Find or Create."""
    hidden = {f"list_{name}" for name in hellotracks.option_sources}
    for section in set(SECTIONS.values()):
        expected = {operation.key for operation in offered(hellotracks) if SECTIONS[operation.kind] == section}
        assert set(definition.get(section, {})) == expected | (hidden if section == "triggers" else set()), section
    for operation in offered(hellotracks):
        entry = entry_of(definition, operation)
        assert entry["noun"] == hellotracks.resources[operation.resource or ""].label
        assert entry["display"] == {"label": operation.label, "description": operation.description}
        performer = {"trigger": "poll", "search": "search", "list": "list", "action": "create"}[operation.kind]
        assert entry["operation"]["perform"]["source"].startswith(
            f'return z.require("./lib/adapter.js").{performer}(z, bundle, "{operation.key}"')
    pairs = {operation.key: operation for operation in hellotracks.operations.values() if operation.or_create}
    assert set(definition.get("searchOrCreates", {})) == set(pairs) and pairs
    for key, search in pairs.items():
        create = hellotracks.operation(search.or_create or "")
        assert definition["searchOrCreates"][key] == {
            "key": key, "search": key, "create": create.key,
            "display": {"label": f"Find or Create {hellotracks.resources[search.resource or ''].label}",
                        "description": f"{search.description} If none is found: {create.description}"}}


def test_zapier_leaves_requests_and_inputs_to_the_kernel(definition: dict[str, Any]) -> None:
    """No Zapier-side request template, response hook or input cleaning: the kernel decides all of it."""
    assert not {"requestTemplate", "afterResponse", "beforeRequest", "flags"} & set(definition)
    operations = [entry["operation"] for section in ("triggers", "searches", "creates")
                  for entry in definition[section].values()]
    assert all(operation.get("cleanInputData", False) is False for operation in operations)
    assert all(operation["perform"]["source"].count(";") == 1 for operation in operations)


def test_primary_fields_are_the_dedupe_key(hellotracks: Connector, definition: dict[str, Any]) -> None:
    triggers = [operation for operation in hellotracks.operations.values() if operation.kind == "trigger"]
    assert triggers
    for trigger in triggers:
        fields = definition["triggers"][trigger.key]["operation"]["outputFields"]
        assert [field["key"] for field in fields if field.get("primary")] == [
            path for path, _, _ in leaves(trigger.output) if path in (trigger.polling.dedupe_key if trigger.polling else [])]
    assert [field["key"] for field in definition["triggers"]["updated_job"]["operation"]["outputFields"]
            if field.get("primary")] == ["id", "updatedAt"]


def test_input_fields(hellotracks: Connector, definition: dict[str, Any]) -> None:
    """Each field from its input property: label, type, help, example, choices; nested keys flat."""
    create = hellotracks.operation("create_job")
    properties = create.input["properties"]
    fields = fields_by_key(definition["creates"]["create_job"], "inputFields")
    assert fields["title"]["required"] is True and fields["externalId"]["required"] is False
    assert fields["priority"] == {"key": "priority", "label": properties["priority"]["title"], "type": "integer",
                                  "required": False, "helpText": properties["priority"]["description"]}
    assert fields["date"]["type"] == "datetime" and fields["date"]["placeholder"] == properties["date"]["examples"][0]
    start = properties["timeWindow"]["properties"]["start"]
    assert fields["timeWindow__start"] == {"key": "timeWindow__start", "label": start["title"], "type": "string",
                                           "required": False, "placeholder": start["examples"][0],
                                           "helpText": start["description"], "group": "additional"}
    assert fields["contact__email"]["label"] == properties["contact"]["properties"]["email"]["title"]
    assert fields["assigneeUsername"]["dynamic"] == "list_members.id.label"
    update = fields_by_key(definition["creates"]["update_job"], "inputFields")
    assert update["id"]["required"] is True and update["title"]["required"] is False


def expected_order(operation: Operation) -> list[tuple[str, bool, str]]:
    """(Zapier key, required, group) in the spec layout's order, each required field first within the
    main group, the warning of a destructive action before all."""
    main, additional = [], []
    for layout in input_layout(operation):
        schema = {"properties": {layout.name: layout.schema}, "required": [layout.name] if layout.required else []}
        for path, _, required in leaves(schema):
            (main if layout.group == "main" else additional).append((path.replace(".", "__"), required))
    ordered = [(key, True, "") for key, required in main if required] + [
        (key, False, "") for key, required in main if not required] + [(key, False, "additional") for key, _ in additional]
    return ([("destructive_warning", False, "")] if operation.destructive else []) + ordered


def test_fields_follow_the_spec_layout(hellotracks: Connector, definition: dict[str, Any]) -> None:
    """Required fields first, then the other main fields, then Additional Fields (its own group)."""
    grouped = 0
    for operation in offered(hellotracks):
        body = entry_of(definition, operation)["operation"]
        fields = body["inputFields"]
        assert [(field["key"], bool(field.get("required")), field.get("group", "")) for field in fields] == \
            expected_order(operation), operation.key
        if any(field.get("group") for field in fields):
            grouped += 1
            assert body["inputFieldGroups"] == [{"key": "additional", "label": "Additional Fields"}]
        else:
            assert "inputFieldGroups" not in body
    assert grouped  # the spec has x-group: additional fields, so the group is exercised
    update = [field["key"] for field in definition["creates"]["update_job"]["operation"]["inputFields"]]
    assert update[0] == "id"  # the issue: Job ID was 14th of 14


def test_id_inputs_have_a_dropdown_and_a_search(hellotracks: Connector, definition: dict[str, Any]) -> None:
    """x-options: a dynamic dropdown fed by the source's hidden trigger; x-search: Zapier's search-powered field."""
    searched = 0
    for operation in offered(hellotracks):
        fields = {field["key"]: field for field in entry_of(definition, operation)["operation"]["inputFields"]}
        for path, schema, _ in leaves(operation.input):
            field = fields[path.replace(".", "__")]
            assert field.get("dynamic") == (f"list_{schema['x-options']}.id.label" if "x-options" in schema else None)
            assert field.get("search") == schema.get("x-search")
            if "x-search" in schema:
                searched += 1
                search, _, output = schema["x-search"].partition(".")
                assert output in {item["key"] for item in definition["searches"][search]["operation"]["outputFields"]}
    assert searched


def test_a_destructive_action_opens_with_its_warning(hellotracks: Connector, definition: dict[str, Any]) -> None:
    destructive = [operation for operation in offered(hellotracks) if operation.destructive]
    assert destructive
    for operation in offered(hellotracks):
        first = (entry_of(definition, operation)["operation"]["inputFields"] or [{}])[0]
        if operation.destructive:
            assert first == {"key": "destructive_warning", "label": "Warning", "type": "copy",
                             "helpText": f"**Warning:** {operation.warning}"}
        else:
            assert first.get("type") != "copy"


def test_a_list_is_one_result_with_its_records_as_line_items(hellotracks: Connector,
                                                               definition: dict[str, Any]) -> None:
    lists = [operation for operation in offered(hellotracks) if operation.kind == "list"]
    assert lists
    for operation in lists:
        resource = hellotracks.resources[operation.resource or ""]
        key = resource.plural.lower().replace(" ", "_")
        body = entry_of(definition, operation)["operation"]
        assert body["perform"]["source"].endswith(f'.list(z, bundle, "{operation.key}", "{key}");')
        assert body["sample"] == {key: [stamped(operation.output, operation.sample)]}
        [records] = body["outputFields"]
        assert records["key"] == key and records["label"] == resource.plural and "list" not in records
        assert [child["key"] for child in records["children"]] == [path.replace(".", "__")
                                                                     for path, _, _ in leaves(operation.output)]


def test_derived_timestamps_are_datetime_outputs(hellotracks: Connector, definition: dict[str, Any]) -> None:
    """Zapier shows ISO 8601 dates, not epoch numbers: each x-timestamp property is a datetime field,
    and the samples carry it (the runtimes' rule applied to the spec's raw sample)."""
    checked = 0
    for operation in offered(hellotracks):
        body = entry_of(definition, operation)["operation"]
        outputs = body["outputFields"][0]["children"] if operation.kind == "list" else body["outputFields"]
        types = {field["key"]: field.get("type") for field in outputs}
        for path, schema, _ in leaves(operation.output):
            if "x-timestamp" in schema:
                checked += 1
                assert types[path.replace(".", "__")] == "datetime", (operation.key, path)
                sample = body["sample"]
                record = sample if operation.kind != "list" else next(iter(sample.values()))[0]
                assert record[path] == iso_text(record[schema["x-timestamp"]["from"]])
    assert checked


def test_help_text_that_only_repeats_the_label_is_left_out(hellotracks: Connector) -> None:
    """Zapier check D011."""
    document = runtime_document(hellotracks)
    document["operations"]["create_job"]["input"]["properties"]["title"]["description"] = "The title."
    fields = fields_by_key(json.loads(generate(document)["definition.json"])["creates"]["create_job"], "inputFields")
    assert "helpText" not in fields["title"] and fields["notes"]["helpText"]


def test_hidden_trigger_feeds_the_dropdown(hellotracks: Connector, definition: dict[str, Any]) -> None:
    assert hellotracks.option_sources
    for name, source in hellotracks.option_sources.items():
        trigger = definition["triggers"][f"list_{name}"]
        assert trigger["display"]["hidden"] is True and trigger["noun"] == source.label
        assert trigger["operation"]["perform"] == {
            "source": f'return z.require("./lib/adapter.js").options(z, bundle, "{name}");'}
    assert definition["triggers"]["list_members"]["operation"]["sample"] == {"id": "worker@example.com",
                                                                             "label": "Worker Name"}


def test_every_operation_has_fields_and_a_sample(hellotracks: Connector, definition: dict[str, Any]) -> None:
    for operation in offered(hellotracks):
        entry = entry_of(definition, operation)
        if operation.kind != "list":
            assert entry["operation"]["sample"] == stamped(operation.output, operation.sample)
            outputs = entry["operation"]["outputFields"]
            assert [field["key"] for field in outputs] == [path.replace(".", "__")
                                                           for path, _, _ in leaves(operation.output)]
            assert all(field["label"] for field in outputs)
    assert all(ZAPIER_KEY.match(key) for key in every_key(definition))


def test_the_readme_names_the_publisher_the_logo_and_the_history(hellotracks: Connector,
                                                                  zapier_files: dict[str, FileContent]) -> None:
    readme = zapier_files["README.md"]
    publisher = hellotracks.publisher
    for text in (publisher.name, publisher.homepage, publisher.support, publisher.repository, publisher.email,
                 "assets/logo.png", "256x256", "## Version history"):
        assert text in readme, text
    for release in hellotracks.history:
        assert f"- {release.version}: {release.notes}" in readme
    for operation in offered(hellotracks):
        assert f"- {operation.label} (" in readme


def test_the_logo_is_a_256_pixel_png_of_the_spec_logo(hellotracks: Connector, zapier_files: dict[str, FileContent]) -> None:
    """Zapier check M004."""
    image = logo(hellotracks)
    assert zapier_files["assets/logo.png"] == image
    assert image[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", image[16:24]) == (256, 256)
    assert logo(hellotracks) == image


def test_flat_inputs_round_trip_the_nested_shape() -> None:
    """Fixed objects flatten, each line item flattens on its own, key/value objects stay as typed."""
    contact = {"type": "object", "properties": {"email": {"type": "string"}, "name": {"type": "string"}}}
    schema = {"type": "object", "properties": {
        "title": {"type": "string"}, "contact": contact, "empty": contact,
        "jobs": {"type": "array", "items": {"type": "object", "properties": {"title": {"type": "string"},
                                                                             "contact": contact}}},
        "extra": {"type": "object", "additionalProperties": True}}}
    value = {"title": "x", "contact": {"email": "a@b.co", "name": "A"}, "empty": {},
             "jobs": [{"title": "j", "contact": {"email": "c@d.co"}}, "not an object"],
             "extra": {"contact": {"email": "kept"}}, "unknown": {"a": {"b": 1}}}
    assert flatten_input(value, schema) == {
        "title": "x", "contact__email": "a@b.co", "contact__name": "A", "empty": {},
        "jobs": [{"title": "j", "contact__email": "c@d.co"}, "not an object"],
        "extra": {"contact": {"email": "kept"}}, "unknown": {"a": {"b": 1}}}


def test_a_second_api_generates_from_its_own_spec() -> None:
    """Nothing Hellotracks-specific: Basic auth, an account slug in the URL, page numbers."""
    kickserv = runtime_document(load_spec(FIXTURES / "kickserv_tasks.yaml"))
    files = generate(kickserv)
    definition = json.loads(files["definition.json"])
    assert set(definition["triggers"]) == {"new_task"} and set(definition["creates"]) == {"update_task"}
    assert [field["type"] for field in definition["authentication"]["fields"]] == ["password", "string"]
    assert json.loads(files["lib/connector.json"]) == kickserv
    assert kickserv["connection"]["auth"]["type"] == "basic"


def _with_input(connector: Connector, key: str, schema: dict[str, Any]) -> dict[str, Any]:
    """The connector's runtime document with one operation's input schema replaced."""
    document = runtime_document(connector)
    document["operations"][key]["input"] = schema
    return document


def test_what_a_zapier_form_cannot_hold_is_refused(hellotracks: Connector) -> None:
    """A list of lists has no Zapier field; a list of values is a `list` field of the item's type."""
    schema = {"type": "object", "required": ["id"],
              "properties": {"id": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}}}}
    with pytest.raises(GenerationError, match=re.escape("input id: type 'array' has no Zapier input field type")):
        generate(_with_input(hellotracks, "get_job", schema))
    schema["properties"]["id"]["items"] = {"type": "integer", "enum": [1, 2], "examples": [2]}
    definition = json.loads(generate(_with_input(hellotracks, "get_job", schema))["definition.json"])
    assert fields_by_key(definition["searches"]["get_job"], "inputFields")["id"] == {
        "key": "id", "label": "id", "type": "integer", "required": True, "list": True,
        "placeholder": "2", "choices": ["1", "2"]}


def test_the_document_is_read_with_the_spec_languages_checks(hellotracks: Connector) -> None:
    """A keyword no runtime implements cannot slip into an app through a hand-made document."""
    schema = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string", "oneOf": [{"minLength": 1}]}}}
    with pytest.raises(ValueError, match="keyword 'oneOf' is not supported"):
        generate(_with_input(hellotracks, "get_job", schema))


@pytest.mark.parametrize("name, message", [("first-name", "cannot become a Zapier key"),
                                           ("a__b", "contains '__'")])
def test_property_names_must_make_zapier_keys(hellotracks: Connector, name: str, message: str) -> None:
    schema = {"type": "object", "required": ["id"],
              "properties": {"id": {"type": "string"}, "extra": {"type": "object", "properties": {name: {"type": "string"}}}}}
    broken = _with_input(hellotracks, "get_job", schema)
    broken["operations"]["get_job"]["request"]["params"].append({"in": "query", "name": "extra", "input": None, "value": None})
    with pytest.raises(GenerationError, match=message):
        generate(broken)


def test_an_input_cannot_take_the_warning_fields_key(hellotracks: Connector) -> None:
    destructive = next(operation for operation in hellotracks.operations.values() if operation.destructive)
    document = runtime_document(hellotracks)
    operation = document["operations"][destructive.key]
    operation["input"]["properties"]["destructive_warning"] = {"type": "string"}
    operation["request"]["params"].append({"in": "query", "name": "destructive_warning", "input": None, "value": None})
    with pytest.raises(GenerationError, match="'destructive_warning' is the key of the warning field"):
        generate(document)
