"""The generated package: n8n's package rules, derived from the spec, deterministic, no secrets."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from connector_core.build import build
from connector_core.document import connector_from_document, dump_document
from connector_core.spec import Connector
from n8n_bridge import generate, package_folder
from n8n_bridge.execution import node_parameters
from connector_core.kernel import KERNEL_SOURCES
from connector_core.spec.layout import input_layout
from n8n_bridge.action_node import node_operations, node_selection, operation_names, resources
from n8n_bridge.names import camel, help_text
from n8n_bridge.operation_names import operation_name, resource_operation_names
from connector_core.cassettes.replay import REPLAY_KEY
from tests.conftest import CASSETTES, SANDBOX_KEY


def test_build_writes_the_package_folder_n8n_requires(tmp_path: Path) -> None:
    build(tmp_path, ["hellotracks"])
    folder = tmp_path / "n8n" / "n8n-nodes-hellotracks"
    assert (folder / "package.json").is_file()
    assert (folder / "nodes" / "Hellotracks" / "Hellotracks.node.ts").is_file()


def test_generation_is_byte_identical(hellotracks_document: dict[str, Any], n8n_files: dict[str, str]) -> None:
    assert generate(copy.deepcopy(hellotracks_document)) == n8n_files
    assert package_folder(hellotracks_document) == "n8n-nodes-hellotracks"


def test_package_json_follows_n8n_community_rules(n8n_files: dict[str, str]) -> None:
    package = json.loads(n8n_files["package.json"])
    assert package["name"] == "n8n-nodes-hellotracks"
    assert "n8n-community-node-package" in package["keywords"]
    assert package["files"] == ["dist"]
    assert package["peerDependencies"] == {"n8n-workflow": "*"}
    n8n = package["n8n"]
    assert n8n["n8nNodesApiVersion"] == 1 and n8n["strict"] is True
    compiled = n8n["nodes"] + n8n["credentials"]
    assert all(path.startswith("dist/") for path in compiled)
    sources = {path.removeprefix("dist/").removesuffix(".js") + ".ts" for path in compiled}
    assert sources <= set(n8n_files)


def test_no_api_key_in_any_generated_file(n8n_files: dict[str, str]) -> None:
    cassette_text = "".join(path.read_text(encoding="utf-8") for path in CASSETTES.glob("*.yaml"))
    assert "REDACTED" in cassette_text  # the cassettes hold no key either; nothing to leak by copying
    for path, text in n8n_files.items():
        assert REPLAY_KEY not in text and SANDBOX_KEY not in text, path
        # The variable's name is data the kernel may read on other hosts; no n8n code reads it.
        assert "HELLOTRACKS_API_KEY" not in text or path.endswith("/shared/connector.json"), path


def test_resources_and_operations_come_from_the_spec(hellotracks: Connector) -> None:
    """Each operation sits under the resource the spec names, with a choice no sibling shares."""
    grouped = resources(hellotracks)
    assert list(grouped) == [key for key in hellotracks.resources
                             if any(op.resource == key for op in node_operations(hellotracks))]
    names = operation_names(hellotracks)
    for resource, operations in grouped.items():
        assert all(operation.resource == resource for operation in operations)
        values = [node_selection(hellotracks, operation)["operation"] for operation in operations]
        labels = [names[operation.key].name for operation in operations]
        assert len(set(values)) == len(values) and len(set(labels)) == len(labels), resource
        assert {node_selection(hellotracks, op)["resource"] for op in operations} == {camel(resource)}
    assert {op.key for ops in grouped.values() for op in ops} == {op.key for op in node_operations(hellotracks)}


def test_operation_names_follow_n8n_conventions(hellotracks: Connector) -> None:
    """Names and sentence-case actions with an article, from a label around the resource's name."""
    job = hellotracks.resources["job"]
    base = next(op for op in hellotracks.operations.values() if op.resource == "job" and op.kind == "action")

    def named(label: str, kind: str = "action") -> tuple[str, str, str]:
        name = operation_name(base.model_copy(update={"label": label, "kind": kind}), job)
        return name.name, name.value, name.action

    assert named("Create Job") == ("Create", "create", "Create a job")
    assert named("Find Job by ID", "search") == ("Find by ID", "findByID", "Find a job by ID")
    assert named("List Jobs", "list") == ("Get Many", "getAll", "Get many jobs")
    assert named("List Jobs by Assignee", "list") == ("Get Many by Assignee", "getManyByAssignee",
                                                       "Get many jobs by assignee")
    assert named("Reschedule") == ("Reschedule", "reschedule", "Reschedule")  # no resource named: as it is
    item = job.model_copy(update={"label": "Item", "plural": "Items"})
    assert operation_name(base.model_copy(update={"label": "Archive Item"}), item).action == "Archive an item"


def test_operations_that_would_share_a_choice_are_told_apart(hellotracks: Connector) -> None:
    job = hellotracks.resources["job"]
    first, second = [op for op in hellotracks.operations.values() if op.resource == "job" and op.kind == "action"][:2]
    twins = [first.model_copy(update={"label": "Close Job"}), second.model_copy(update={"label": "Close Jobs"})]
    names = resource_operation_names(twins, job)
    assert [names[op.key].value for op in twins] == [camel(op.key) for op in twins]
    assert len({names[op.key].name for op in twins}) == 2


def test_help_text_follows_n8n_punctuation() -> None:
    assert help_text("Job title.") == "Job title"
    assert help_text("First. Second") == "First. Second."
    assert help_text("What it is, e.g. Fix the gate.") == "What it is, e.g. Fix the gate"


def test_parameters_follow_the_layout(hellotracks: Connector) -> None:
    """Every input lands where the layout puts it: required and other main fields on the form, the
    `additional` group in Additional Fields, an ID a search finds in a resource locator."""
    for operation in node_operations(hellotracks):
        value = {field.name: _example(field.schema) for field in input_layout(operation)}
        parameters = node_parameters(hellotracks, operation, value)
        assert {key: parameters.pop(key) for key in ("resource", "operation")} == node_selection(hellotracks, operation)
        additional = parameters.pop("additionalFields", {})
        assert parameters.pop("simple", False) is False  # whole records, as the other runtimes return them
        for field in input_layout(operation):
            if field.schema.get("type") == "object":
                continue
            if field.group == "additional":
                assert additional.pop(field.name) == value[field.name], (operation.key, field.name)
            elif "x-search" in field.schema:
                assert parameters.pop(field.name) == {"__rl": True, "mode": "id", "value": value[field.name]}
            elif field.required or (field.schema.get("type") == "string" and "enum" not in field.schema):
                assert parameters.pop(field.name) == value[field.name], (operation.key, field.name)
            else:  # an optional number, boolean or choice: n8n cannot leave its parameter blank
                assert additional.pop(field.name) == value[field.name], (operation.key, field.name)
        assert parameters == {} and additional == {}, operation.key


def _example(schema: dict[str, Any]) -> Any:
    if "enum" in schema:
        return schema["enum"][0]
    return {"integer": 1, "number": 1, "boolean": True, "array": ["a"]}.get(schema.get("type"), "x")


def test_package_ships_the_runtime_document(hellotracks_document: dict[str, Any], n8n_files: dict[str, str]) -> None:
    """The spec travels as the runtime document itself; only n8n's parameter mapping is generated code."""
    assert n8n_files["nodes/Hellotracks/shared/connector.json"] == dump_document(hellotracks_document)
    assert "nodes/Hellotracks/shared/operations.ts" not in n8n_files
    mapping = n8n_files["nodes/Hellotracks/shared/parameters.ts"]
    assert ("{\n\t\t\tpath: 'contact.email',\n\t\t\tparameter: 'contactEmail',\n\t\t\tadditional: true,\n"
            "\t\t\tshape: 'value',\n\t\t}") in mapping
    assert "/jobs" not in mapping and "minLength" not in mapping  # no request or schema re-serialised


def test_shipped_kernel_is_the_kernel_byte_for_byte(n8n_files: dict[str, str], n8n_package: Path) -> None:
    sources = {path.name: path.read_bytes() for path in KERNEL_SOURCES.iterdir() if path.is_file()}
    assert {"index.js", "index.d.ts"} <= set(sources)
    shipped = n8n_package / "nodes" / "Hellotracks" / "shared" / "kernel"
    assert {path.name: path.read_bytes() for path in shipped.iterdir()} == sources
    generated = {path.removeprefix("nodes/Hellotracks/shared/kernel/"): text.encode()
                 for path, text in n8n_files.items() if path.startswith("nodes/Hellotracks/shared/kernel/")}
    assert generated == sources
    assert (n8n_package / "dist" / "nodes" / "Hellotracks" / "shared" / "kernel" / "index.js").is_file()


def test_no_ported_rule_is_left_in_the_adapter(n8n_files: dict[str, str]) -> None:
    """Validation, encoding, extraction and polling live in the kernel; the adapter only calls it."""
    adapter = {path: text for path, text in n8n_files.items()
               if path.startswith("nodes/Hellotracks/shared/") and path.endswith(".ts") and "/kernel/" not in path}
    for text in adapter.values():
        for rule in ("encodeURIComponent", "RegExp", "minLength", "statusCode >= 400", "retry-after", "cursor -"):
            assert rule not in text


def test_trigger_parameters_carry_the_trigger_input(acme_document: dict[str, Any]) -> None:
    connector = connector_from_document(acme_document)
    parameters = node_parameters(connector, connector.operation("new_item"), {"kind": "bolt"})
    assert parameters == {"event": "new_item", "additionalFields": {"kind": "bolt"}}
