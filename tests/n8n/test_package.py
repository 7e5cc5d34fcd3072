"""n8n's own tools accept the package: tsc (typed), n8n-node lint and build, n8n's package loader, the scanner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from connector_core.checks import check_document
from connector_core.document import runtime_document
from connector_core.spec import Connector, bundled_connectors, load_connector
from connector_core.toolchains import Toolchain, ToolchainMissing
from n8n_bridge.checks import readable
from n8n_bridge.action_node import node_operations, node_selection, resources
from n8n_bridge.fields import input_fields
from n8n_bridge.names import camel, package_directory
from n8n_bridge.properties import SIMPLIFY, option_loader, summary
from n8n_bridge.trigger_node import trigger_operations
from n8n_bridge.platform import N8nPlatform
from n8n_bridge.toolchain import HARNESS, N8N


def scratch_package(files: dict[str, str], folder: Path) -> Path:
    return N8N.write_package(files, folder / "package")


@pytest.mark.parametrize("name", bundled_connectors())
def test_n8n_tools_accept_every_bundled_connector(name: str) -> None:
    """`connectors check`'s n8n check: tsc, n8n-node lint and build, n8n's loader, the community scanner."""
    assert check_document(N8nPlatform(), runtime_document(load_connector(name))) == []


def test_n8n_node_lint_fails_on_a_rule_break(n8n_files: dict[str, str], tmp_path: Path) -> None:
    node = "nodes/Hellotracks/Hellotracks.node.ts"
    simplify = f"description: '{SIMPLIFY['description']}',"
    broken = {**n8n_files, node: n8n_files[node].replace(simplify, "description: 'Return fewer fields',")}
    assert broken != n8n_files
    folder = scratch_package(broken, tmp_path)
    assert N8N.run([str(N8N.bin / "n8n-node"), "lint"], folder).returncode != 0


def test_build_output_loads_in_n8n_package_loader(hellotracks: Connector, n8n_package: Path,
                                                  loaded: dict[str, Any]) -> None:
    assert (n8n_package / "dist" / "icons" / "hellotracks.svg").is_file()
    assert loaded["packageName"] == package_directory(hellotracks)
    assert set(loaded["nodes"]) == {"hellotracks", "hellotracksTrigger"}
    assert set(loaded["credentials"]) == {"hellotracksApi"}


def test_credentials_come_from_the_connection(hellotracks: Connector, loaded: dict[str, Any]) -> None:
    credential = loaded["credentials"]["hellotracksApi"]
    fields = {prop["name"]: prop for prop in credential["properties"]}
    assert fields["apiKey"]["typeOptions"] == {"password": True} and fields["apiKey"]["required"] is True
    for field in hellotracks.connection.fields:
        prop = fields[camel(field.key)]
        if field.choices:  # a dropdown of exactly the spec's choices: no free-text host
            assert prop["type"] == "options" and prop["default"] == field.default
            assert [(option["name"], option["value"]) for option in prop["options"]] == [
                (choice.label, choice.value) for choice in field.choices]
        if field.help_url:
            assert f'<a href="{field.help_url}">' in prop["description"]
    assert credential["authenticate"] == {"type": "generic",
                                          "properties": {"headers": {"API-Key": "={{$credentials.apiKey}}"}}}
    assert credential["test"]["request"]["url"] == "/auth/whoami"
    assert credential["test"]["request"]["baseURL"] == "={{$credentials.baseUrl}}"


def shown(properties: list[dict[str, Any]], selection: dict[str, str]) -> list[dict[str, Any]]:
    return [prop for prop in properties
            if prop.get("displayOptions", {}).get("show") == {key: [value] for key, value in selection.items()}]


def test_action_node_offers_every_operation_under_its_resource(hellotracks: Connector, loaded: dict[str, Any]) -> None:
    node = loaded["nodes"]["hellotracks"]
    description = node["description"]
    assert node["executes"] is True and "requestDefaults" not in description  # the kernel builds every request
    properties = description["properties"]
    resource = next(prop for prop in properties if prop["name"] == "resource")
    grouped = resources(hellotracks)
    assert [option["name"] for option in resource["options"]] == sorted(hellotracks.resources[key].label
                                                                        for key in grouped)
    for key, operations in grouped.items():
        [choice] = [prop for prop in shown(properties, {"resource": camel(key)}) if prop["name"] == "operation"]
        options = {option["value"]: option for option in choice["options"]}
        assert [option["name"] for option in choice["options"]] == sorted(option["name"] for option in options.values())
        assert set(options) == {node_selection(hellotracks, op)["operation"] for op in operations}
        for operation in operations:
            option = options[node_selection(hellotracks, operation)["operation"]]
            noun = (hellotracks.resources[key].plural if operation.kind == "list" else hellotracks.resources[key].label)
            assert noun.lower() in option["action"], option  # "Create a job", "Get many jobs" (lint: sentence case)
            if operation.kind == "list":
                assert option["name"].startswith("Get Many"), option


def test_forms_put_required_fields_first_and_n8n_parts_where_n8n_wants_them(
        hellotracks: Connector, loaded: dict[str, Any]) -> None:
    """Per operation: a destructive one's warning first; required fields before optional ones;
    Simplify (n8n's wording, on by default) for a read whose output names a summary; Additional
    Fields last, sorted; an ID a search finds as a resource locator over a listSearch method."""
    node = loaded["nodes"]["hellotracks"]
    for operation in node_operations(hellotracks):
        form = shown(node["description"]["properties"], node_selection(hellotracks, operation))
        names = [prop["name"] for prop in form]
        assert (form[0]["type"] == "notice" and form[0]["displayName"] == operation.warning) is operation.destructive
        inputs = [prop for prop in form if prop["type"] not in ("notice", "collection") and prop["name"] != "simple"]
        required = [bool(prop.get("required")) for prop in inputs]
        assert required == sorted(required, reverse=True), operation.key
        if summary(operation):
            simplify = form[names.index("simple")]
            assert simplify["default"] is True and simplify["description"].startswith("Whether")
        else:
            assert "simple" not in names, operation.key
        if "additionalFields" in names:
            assert names[-1] == "additionalFields"
            options = [option["displayName"] for option in form[-1]["options"]]
            assert options == sorted(options, key=str.lower)
        for field in input_fields(operation):
            if field.locator:
                locator = next(prop for prop in inputs if prop["name"] == field.parameter)
                modes = {mode["name"]: mode for mode in locator["modes"]}
                assert locator["type"] == "resourceLocator" and set(modes) == {"list", "id"}
                assert modes["list"]["typeOptions"]["searchListMethod"] in node["searches"]
    assert node["methods"] == sorted({option_loader(field.schema["x-options"]) for op in node_operations(hellotracks)
                                      for field in input_fields(op) if "x-options" in field.schema and not field.locator})


def test_no_parameter_sends_itself(loaded: dict[str, Any]) -> None:
    """Only the kernel decides what is sent: n8n routes no parameter or operation into a request."""
    def routed(props: list[dict[str, Any]]) -> list[str]:
        found = []
        for prop in props:
            found += [prop["name"]] if "routing" in prop else []
            found += [option["name"] for option in prop.get("options", []) if "routing" in option]
            found += routed(prop.get("options", []) if prop.get("type") == "collection" else [])
        return found
    for node in loaded["nodes"].values():
        assert routed(node["description"]["properties"]) == []


def test_trigger_node_polls_one_event_per_trigger(hellotracks: Connector, loaded: dict[str, Any]) -> None:
    trigger = loaded["nodes"]["hellotracksTrigger"]
    assert trigger["polls"] is True and trigger["description"]["polling"] is True
    events = next(prop for prop in trigger["description"]["properties"] if prop["name"] == "event")
    assert [option["name"] for option in events["options"]] == sorted(op.label for op in trigger_operations(hellotracks))


def test_trigger_inputs_are_parameters_of_their_event(acme_package: Path) -> None:
    result = N8N.run(["node", str(HARNESS / "describe.js"), str(acme_package)], acme_package)
    trigger = json.loads(result.stdout.strip().splitlines()[-1])["nodes"]["acmeTrigger"]
    kind = next(prop for prop in trigger["description"]["properties"] if prop["name"] == "additionalFields")
    assert kind["displayOptions"] == {"show": {"event": ["new_item"]}}
    assert [option["name"] for option in kind["options"]] == ["kind"]


def test_platform_check_accepts_the_corpus_connector(acme_document: dict[str, Any]) -> None:
    """The corpus connector uses every key of the spec language (enums, arrays, header params, plural
    resources): the same generator gives a package n8n's tools accept."""
    assert check_document(N8nPlatform(), acme_document) == []


def test_platform_check_reports_a_type_error(hellotracks_document: dict[str, Any], n8n_files: dict[str, str],
                                             tmp_path: Path) -> None:
    node = "nodes/Hellotracks/Hellotracks.node.ts"
    broken = {**n8n_files, node: n8n_files[node].replace("type: 'collection'", "type: 'colection'", 1)}
    folder = scratch_package(broken, tmp_path)
    (folder / "node_modules").unlink()
    problems = N8nPlatform().check(hellotracks_document, folder)
    assert any(problem.startswith("tsc --noEmit failed") and "colection" in problem for problem in problems)


def test_a_tools_output_is_read_without_colours_spinners_or_frames() -> None:
    """`n8n-node build` redraws a spinner and frames each line; a problem keeps only what it said."""
    raw = ("\x1b[90m┌\x1b[39m  \x1b[7m n8n-node build \x1b[27m\n"
           "\x1b[35m◒\x1b[39m  Building\x1b[999D\x1b[J\x1b[35m◐\x1b[39m  Building.\x1b[999D\x1b[J\x1b[90m│\x1b[39m\n"
           "\x1b[31m■\x1b[39m  a.ts(1,15): error TS2305: no member\n"
           "\x1b[90m│\x1b[39m  ,b.ts(4,15): error TS2305: no member\n"
           "\x1b[90m│\x1b[39m    indented detail\n")
    assert readable(raw) == (" n8n-node build\na.ts(1,15): error TS2305: no member\n"
                             "b.ts(4,15): error TS2305: no member\n  indented detail")


def test_missing_toolchain_says_how_to_install(tmp_path: Path) -> None:
    with pytest.raises(ToolchainMissing, match="n8n toolchain is not installed .* run `make toolchains`"):
        Toolchain("n8n", root=tmp_path).require()
