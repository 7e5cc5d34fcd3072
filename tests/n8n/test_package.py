"""n8n's own tools accept the package: tsc (typed), n8n-node lint and build, n8n's package loader."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from connector_core.spec import Connector
from n8n_bridge import package_directory
from connector_core.toolchains import Toolchain, ToolchainMissing
from n8n_bridge.toolchain import N8N


def scratch_package(files: dict[str, str], folder: Path) -> Path:
    return N8N.write_package(files, folder / "package")


def test_tsc_accepts_the_sources(n8n_files: dict[str, str], tmp_path: Path) -> None:
    folder = scratch_package(n8n_files, tmp_path)
    result = N8N.run([str(N8N.bin / "tsc"), "--noEmit", "-p", "."], folder)
    assert result.returncode == 0, result.stdout + result.stderr


def test_tsc_catches_a_shape_error_in_the_typed_description(n8n_files: dict[str, str], tmp_path: Path) -> None:
    node = "nodes/Hellotracks/Hellotracks.node.ts"
    broken = {**n8n_files, node: n8n_files[node].replace("type: 'collection'", "type: 'colection'", 1)}
    folder = scratch_package(broken, tmp_path)
    result = N8N.run([str(N8N.bin / "tsc"), "--noEmit", "-p", "."], folder)
    assert result.returncode != 0 and "colection" in result.stdout


def test_n8n_node_lint_passes(n8n_files: dict[str, str], tmp_path: Path) -> None:
    folder = scratch_package(n8n_files, tmp_path)
    result = N8N.run([str(N8N.bin / "n8n-node"), "lint"], folder)
    assert result.returncode == 0, result.stdout + result.stderr


def test_n8n_node_lint_fails_on_a_rule_break(n8n_files: dict[str, str], tmp_path: Path) -> None:
    node = "nodes/Hellotracks/Hellotracks.node.ts"
    broken = {**n8n_files, node: n8n_files[node].replace("description: 'Job title',", "description: 'Job title.',")}
    assert broken != n8n_files
    folder = scratch_package(broken, tmp_path)
    assert N8N.run([str(N8N.bin / "n8n-node"), "lint"], folder).returncode != 0


def test_build_output_loads_in_n8n_package_loader(hellotracks: Connector, n8n_package: Path,
                                                  loaded: dict[str, Any]) -> None:
    assert (n8n_package / "dist" / "icons" / "hellotracks.svg").is_file()
    assert loaded["packageName"] == package_directory(hellotracks)
    assert set(loaded["nodes"]) == {"hellotracks", "hellotracksTrigger"}
    assert set(loaded["credentials"]) == {"hellotracksApi"}


def test_credentials_come_from_the_connection(loaded: dict[str, Any]) -> None:
    credential = loaded["credentials"]["hellotracksApi"]
    fields = {prop["name"]: prop for prop in credential["properties"]}
    assert fields["apiKey"]["typeOptions"] == {"password": True} and fields["apiKey"]["required"] is True
    assert fields["baseUrl"]["default"] == "https://api.hellotracks.com/v1"
    assert credential["authenticate"] == {"type": "generic",
                                          "properties": {"headers": {"API-Key": "={{$credentials.apiKey}}"}}}
    assert credential["test"]["request"]["url"] == "/auth/whoami"
    assert credential["test"]["request"]["baseURL"] == "={{$credentials.baseUrl}}"


def test_declarative_node_has_resources_operations_and_dropdown(loaded: dict[str, Any]) -> None:
    node = loaded["nodes"]["hellotracks"]
    description = node["description"]
    assert description["requestDefaults"]["baseURL"] == "={{$credentials.baseUrl}}"
    properties = description["properties"]
    resources = next(prop for prop in properties if prop["name"] == "resource")
    assert [option["name"] for option in resources["options"]] == ["Job", "Member"]
    operations = {tuple(prop["displayOptions"]["show"]["resource"]): {option["name"]: option for option in prop["options"]}
                  for prop in properties if prop["name"] == "operation"}
    assert set(operations[("job",)]) == {"Archive", "Create", "Delete", "Find", "Get", "Update"}
    assert set(operations[("member",)]) == {"Find"}
    assert operations[("job",)]["Update"]["routing"]["request"] == {"method": "PATCH", "url": "/jobs"}
    create = [prop for prop in properties if prop.get("displayOptions", {}).get("show", {}).get("operation") == ["create"]
              and prop["displayOptions"]["show"]["resource"] == ["job"]]
    title = next(prop for prop in create if prop["name"] == "title")
    assert title["required"] is True and title["routing"] == {"send": {"type": "body", "property": "title"}}
    extra = next(prop for prop in create if prop["name"] == "additionalFields")
    fields = {option["name"]: option for option in extra["options"]}
    assert fields["contactEmail"]["routing"] == {"send": {"type": "body", "property": "contact.email"}}
    assert fields["priority"]["typeOptions"] == {"minValue": 0, "maxValue": 10, "numberPrecision": 0}
    assert fields["assigneeUsername"]["type"] == "options"
    assert fields["assigneeUsername"]["typeOptions"] == {"loadOptionsMethod": "getMembers"}
    assert node["methods"] == ["getMembers"]


def test_trigger_node_polls_one_event_per_trigger(loaded: dict[str, Any]) -> None:
    trigger = loaded["nodes"]["hellotracksTrigger"]
    assert trigger["polls"] is True and trigger["description"]["polling"] is True
    events = next(prop for prop in trigger["description"]["properties"] if prop["name"] == "event")
    assert [option["name"] for option in events["options"]] == ["Completed Job", "New Job", "Updated Job"]


def test_missing_toolchain_says_how_to_install(tmp_path: Path) -> None:
    with pytest.raises(ToolchainMissing, match="n8n toolchain is not installed .* run `make toolchains`"):
        Toolchain("n8n", root=tmp_path).require()
