"""The generated Zapier project: derived from the spec, deterministic, and what a Zapier user needs."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from connector_core.build import build
from connector_core.document import dump_document, runtime_document
from connector_core.spec import Connector
from connector_core.spec.loader import load_spec
from tests.conftest import FIXTURES
from zapier_schema import GenerationError, generate
from zapier_schema.keys import ZAPIER_KEY, flatten_input
from connector_core.kernel import KERNEL_SOURCES as KERNEL_SRC
from zapier_schema.schemas import leaves

KERNEL_FILES = {f"lib/kernel/{path.relative_to(KERNEL_SRC).as_posix()}" for path in KERNEL_SRC.rglob("*") if path.is_file()}
EXPECTED_FILES = {"package.json", "index.js", "definition.json", "lib/adapter.js", "lib/connector.json",
                  "test/app.test.js", "README.md", ".gitignore", *KERNEL_FILES}


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
    assert zapier == {path: text.encode() for path, text in files.items()}


def test_package_pins_core_and_index_loads_the_definition(zapier_files: dict[str, str]) -> None:
    package = json.loads(zapier_files["package.json"])
    assert package["dependencies"] == {"zapier-platform-core": "19.1.0"}
    assert package["scripts"]["test"] == "NODE_ENV=test node --test"
    assert "require('./definition.json')" in zapier_files["index.js"]
    assert "require('./lib/adapter')" in zapier_files["index.js"]


def test_the_app_ships_the_runtime_document_the_kernel_and_the_adapter(
        zapier_files: dict[str, str], hellotracks_document: dict[str, Any], zapier_app: Path) -> None:
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


def test_no_credential_in_any_file(zapier_files: dict[str, str], definition: dict[str, Any]) -> None:
    """The key lives in the user's connection (bundle.authData); the kernel puts it in the header."""
    assert "requestTemplate" not in definition
    for text in zapier_files.values():
        assert "replay-key" not in text and "sandbox-key" not in text and "test-sandbox-key" not in text


def test_authentication(definition: dict[str, Any]) -> None:
    auth = definition["authentication"]
    assert auth["type"] == "custom"
    fields = {field["key"]: field for field in auth["fields"]}
    assert fields["api_key"] == {"key": "api_key", "label": "API Key", "type": "password", "required": True,
                                 "helpText": "Create an API key in Hellotracks under More -> API & Integrations."}
    assert fields["base_url"]["required"] is False
    assert fields["base_url"]["default"] == "https://api.hellotracks.com/v1"
    assert auth["test"] == {"source": 'return z.require("./lib/adapter.js").test(z, bundle);'}
    assert auth["connectionLabel"] == "{{bundle.inputData.company.name}}"


def test_operations_by_kind(definition: dict[str, Any]) -> None:
    assert set(definition["triggers"]) == {"new_job", "updated_job", "completed_job", "list_members"}
    assert set(definition["creates"]) == {"create_job", "update_job", "archive_job", "delete_job"}
    assert set(definition["searches"]) == {"find_job", "find_member", "get_job"}
    assert definition["searchOrCreates"] == {"find_job": {
        "key": "find_job", "search": "find_job", "create": "create_job",
        "display": {"label": "Find or Create Job",
                    "description": "Finds a job by its External ID, archived jobs included. If none is found: "
                                   "Creates a job. If a job with the same External ID exists, that job is updated "
                                   "instead."}}}
    assert definition["triggers"]["new_job"]["operation"]["perform"] == {
        "source": 'return z.require("./lib/adapter.js").poll(z, bundle, "new_job");'}


def test_zapier_leaves_requests_and_inputs_to_the_kernel(definition: dict[str, Any]) -> None:
    """No Zapier-side request template, response hook or input cleaning: the kernel decides all of it."""
    assert not {"requestTemplate", "afterResponse", "beforeRequest", "flags"} & set(definition)
    operations = [entry["operation"] for section in ("triggers", "searches", "creates")
                  for entry in definition[section].values()]
    assert all(operation.get("cleanInputData", False) is False for operation in operations)
    assert all(operation["perform"]["source"].count(";") == 1 for operation in operations)


def test_primary_fields_are_the_dedupe_key(definition: dict[str, Any]) -> None:
    def primary(key: str) -> list[str]:
        return [field["key"] for field in definition["triggers"][key]["operation"]["outputFields"]
                if field.get("primary")]

    assert primary("new_job") == ["id"]
    assert primary("updated_job") == ["id", "updatedAt"]
    assert primary("completed_job") == ["id"]


def test_input_fields(definition: dict[str, Any]) -> None:
    fields = fields_by_key(definition["creates"]["create_job"], "inputFields")
    assert fields["title"]["required"] is True and fields["externalId"]["required"] is False
    assert fields["priority"] == {"key": "priority", "label": "Priority", "type": "integer", "required": False,
                                  "helpText": "Priority from 0 (lowest) to 10 (highest)."}
    assert fields["date"]["type"] == "datetime" and fields["date"]["placeholder"] == "2026-05-10"
    assert fields["timeWindow__start"] == {"key": "timeWindow__start", "label": "Time Window Start",
                                           "type": "string", "required": False, "placeholder": "09:00",
                                           "helpText": "Earliest arrival time, HH:mm (24-hour)."}
    assert fields["contact__email"]["label"] == "Contact Email"
    assert fields["assigneeUsername"]["dynamic"] == "list_members.id.label"
    update = fields_by_key(definition["creates"]["update_job"], "inputFields")
    assert update["id"]["required"] is True and update["title"]["required"] is False


def test_hidden_trigger_feeds_the_dropdown(definition: dict[str, Any]) -> None:
    members = definition["triggers"]["list_members"]
    assert members["display"]["hidden"] is True
    assert members["operation"]["perform"] == {
        "source": 'return z.require("./lib/adapter.js").options(z, bundle, "members");'}
    assert members["operation"]["sample"] == {"id": "worker@example.com", "label": "Worker Name"}


def test_every_operation_has_fields_and_a_sample(hellotracks: Connector, definition: dict[str, Any]) -> None:
    sections = {"trigger": "triggers", "search": "searches", "action": "creates"}
    for operation in hellotracks.operations.values():
        if operation.kind == "test":
            continue
        entry = definition[sections[operation.kind]][operation.key]
        assert entry["operation"]["sample"] == operation.sample
        assert entry["display"] == {"label": operation.label, "description": operation.description}
        inputs = [field["key"] for field in entry["operation"]["inputFields"]]
        assert inputs == [path.replace(".", "__") for path, _, _ in leaves(operation.input)]
        outputs = entry["operation"]["outputFields"]
        assert [field["key"] for field in outputs] == [path.replace(".", "__") for path, _, _ in leaves(operation.output)]
        assert all(field["label"] for field in outputs)
    assert all(ZAPIER_KEY.match(key) for key in every_key(definition))


def test_flat_inputs_round_trip_the_nested_shape() -> None:
    assert flatten_input({"title": "x", "contact": {"email": "a@b.co", "name": "A"}, "empty": {}}) == {
        "title": "x", "contact__email": "a@b.co", "contact__name": "A", "empty": {}}


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
    schema = {"type": "object", "required": ["id"], "properties": {"id": {"type": "array", "items": {"type": "string"}}}}
    with pytest.raises(GenerationError, match=re.escape("input id: type 'array' has no Zapier input field type")):
        generate(_with_input(hellotracks, "get_job", schema))


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
