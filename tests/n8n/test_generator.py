"""The generated package: n8n's package rules, derived from the spec, deterministic, no secrets."""

from __future__ import annotations

import json
from pathlib import Path

from connector_core.build import build
from connector_core.spec import Connector
from n8n_bridge import generate, package_directory
from n8n_bridge.execution import node_parameters
from n8n_bridge.names import help_text, operation_label, resource_label
from tests.conftest import CASSETTES


def test_build_writes_the_package_folder_n8n_requires(tmp_path: Path) -> None:
    build(tmp_path, ["hellotracks"])
    folder = tmp_path / "n8n" / "n8n-nodes-hellotracks"
    assert (folder / "package.json").is_file()
    assert (folder / "nodes" / "Hellotracks" / "Hellotracks.node.ts").is_file()


def test_generation_is_byte_identical(hellotracks: Connector, n8n_files: dict[str, str]) -> None:
    assert generate(hellotracks) == n8n_files
    assert package_directory(hellotracks) == "n8n-nodes-hellotracks"


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
    for text in n8n_files.values():
        assert "replay-key" not in text and "HELLOTRACKS_API_KEY" not in text


def test_resources_and_operations_come_from_labels(hellotracks: Connector) -> None:
    assert {resource_label(op) for op in hellotracks.operations.values() if op.kind in ("action", "search")} == {
        "Job", "Member"}
    assert operation_label(hellotracks.operation("find_member")) == "Find"


def test_help_text_follows_n8n_punctuation() -> None:
    assert help_text("Job title.") == "Job title"
    assert help_text("First. Second") == "First. Second."


def test_parameters_put_optional_fields_in_additional_fields(hellotracks: Connector) -> None:
    value = {"id": "j1", "title": "T", "contact": {"email": "a@b.co"}}
    parameters = node_parameters(hellotracks, hellotracks.operation("update_job"), value)
    assert parameters == {"resource": "job", "operation": "update", "id": "j1",
                          "additionalFields": {"title": "T", "contactEmail": "a@b.co"}}
