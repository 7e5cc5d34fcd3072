"""The community-node checklist checks (`n8n_bridge/publishing.py`): the built package passes them,
and each check fails when its rule is broken (each break made on a copy of what n8n loaded)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Callable

import pytest

from connector_core.document import runtime_document
from connector_core.spec import Connector
from n8n_bridge.action_node import node_operations, node_selection
from n8n_bridge.credentials import icon_file
from n8n_bridge.example_workflow import example_workflow
from n8n_bridge.fields import input_fields
from n8n_bridge.names import camel
from n8n_bridge.platform import N8nPlatform
from n8n_bridge.publish_workflow import PUBLISH_WORKFLOW, PUBLISH_WORKFLOW_PATH
from n8n_bridge.publishing import (credential_problems, icon_problems, node_problems, package_json_problems,
                                   publishing_problems, readme_problems, workflow_problems)


def test_the_built_package_meets_the_checklist(hellotracks: Connector, n8n_package: Path,
                                               loaded: dict[str, Any]) -> None:
    assert publishing_problems(hellotracks, n8n_package, loaded) == []


def package_json(n8n_package: Path) -> dict[str, Any]:
    return json.loads((n8n_package / "package.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("change", "problem"), [
    ({"author": {"name": "Hellotracks", "email": "hellotracks-connector@example.com"}}, "author"),
    ({"repository": None}, "repository"),
    ({"repository": {"type": "git", "url": "git+https://github.com/someone/else.git"}}, "repository"),
    ({"homepage": ""}, "homepage"),
    ({"bugs": None}, "bugs.url"),
    ({"license": "ISC"}, "license"),
    ({"dependencies": {"axios": "1.0.0"}}, "runtime dependencies"),
])
def test_package_json_check_fails_on_a_broken_rule(hellotracks: Connector, n8n_package: Path,
                                                   change: dict[str, Any], problem: str) -> None:
    package = {**package_json(n8n_package), **change}
    assert [found for found in package_json_problems(hellotracks, package) if problem in found]


@pytest.mark.parametrize(("text", "problem"), [
    (None, "missing"),
    (PUBLISH_WORKFLOW.replace(" --provenance", ""), "--provenance"),
    (PUBLISH_WORKFLOW.replace("id-token: write", "id-token: none"), "id-token"),
    (PUBLISH_WORKFLOW.replace("  release:\n    types: [published]", "  push:\n    tags: ['*']"), "release"),
])
def test_publish_workflow_check_fails_on_a_broken_rule(text: str | None, problem: str) -> None:
    assert workflow_problems(PUBLISH_WORKFLOW) == []
    assert [found for found in workflow_problems(text) if problem in found]


def test_icon_check_fails_on_another_icon_or_a_text_drawing(hellotracks: Connector, n8n_package: Path,
                                                            loaded: dict[str, Any], tmp_path: Path) -> None:
    shipped = tmp_path / "dist" / icon_file(hellotracks)
    shipped.parent.mkdir(parents=True)
    shipped.write_text(hellotracks.logo.svg.replace("</svg>", "<text>H</text></svg>"), encoding="utf-8")
    assert [found for found in icon_problems(hellotracks, tmp_path, loaded) if "not the spec's logo" in found]
    texted = hellotracks.model_copy(update={"logo": hellotracks.logo.model_copy(update={"svg": shipped.read_text()})})
    assert [found for found in icon_problems(texted, tmp_path, loaded) if "draws text" in found]
    moved = copy.deepcopy(loaded)
    next(iter(moved["nodes"].values()))["description"]["iconUrl"] = "icons/elsewhere.svg"
    assert [found for found in icon_problems(hellotracks, n8n_package, moved) if "not the logo" in found]


def test_credential_check_fails_on_free_text_or_no_link(hellotracks: Connector, loaded: dict[str, Any]) -> None:
    with_choices = next(field for field in hellotracks.connection.fields if field.choices)
    with_link = next(field for field in hellotracks.connection.fields if field.help_url)
    broken = copy.deepcopy(loaded)
    for prop in next(iter(broken["credentials"].values()))["properties"]:
        if prop["name"] == camel(with_choices.key):
            prop["type"] = "string"
        if prop["name"] == camel(with_link.key):
            prop["description"] = "Somewhere in the settings"
    problems = credential_problems(hellotracks, broken)
    assert [found for found in problems if with_choices.key in found and "dropdown" in found]
    assert [found for found in problems if with_link.key in found and "link" in found]


def _action_form(loaded: dict[str, Any], connector: Connector, key: str) -> list[dict[str, Any]]:
    show = {name: [value] for name, value in node_selection(connector, connector.operation(key)).items()}
    return [prop for prop in loaded["nodes"][camel(connector.name)]["description"]["properties"]
            if prop.get("displayOptions", {}).get("show") == show]


def _operation(connector: Connector, wanted: Callable[[Any], bool]) -> str:
    return next(operation.key for operation in node_operations(connector) if wanted(operation))


def test_node_check_fails_when_the_form_breaks_a_guideline(hellotracks: Connector, loaded: dict[str, Any]) -> None:
    """A missing warning, optional before required, an ID typed by hand, no Simplify, a list not named Get Many."""
    destructive = _operation(hellotracks, lambda op: op.destructive)
    located = _operation(hellotracks, lambda op: any(field.locator for field in input_fields(op)))
    mixed = _operation(hellotracks, lambda op: any(f.required for f in input_fields(op))
                       and any(not f.required and not f.additional for f in input_fields(op)))
    simplified = _operation(hellotracks, lambda op: op.kind in ("search", "list") and op.output.get("x-summary"))
    listing = _operation(hellotracks, lambda op: op.kind == "list")
    broken = copy.deepcopy(loaded)
    properties = broken["nodes"][camel(hellotracks.name)]["description"]["properties"]
    properties.remove(_action_form(broken, hellotracks, destructive)[0])  # the notice
    for prop in _action_form(broken, hellotracks, located):
        if prop["type"] == "resourceLocator":
            prop.update({"type": "string", "modes": []})
    form = _action_form(broken, hellotracks, mixed)
    required = next(prop for prop in form if prop.get("required"))
    properties.remove(required)
    properties.append(required)  # after the optional ones
    properties.remove(next(prop for prop in _action_form(broken, hellotracks, simplified) if prop["name"] == "simple"))
    for prop in properties:
        for option in prop.get("options", []) if prop["name"] == "operation" else []:
            if option["value"] == node_selection(hellotracks, hellotracks.operation(listing))["operation"]:
                option["name"] = "List"
    problems = "\n".join(node_problems(hellotracks, broken))
    assert node_problems(hellotracks, loaded) == []
    assert f"{destructive} (" in problems and "warning" in problems
    assert f"{located} (" in problems and "resource locator" in problems
    assert f"{mixed} (" in problems and "required fields are not first" in problems
    assert f"{simplified} (" in problems and "Simplify missing" in problems
    assert f"{listing}: a list is named 'List'" in problems


def test_readme_check_fails_without_a_section_a_release_or_a_real_example(hellotracks: Connector,
                                                                          n8n_package: Path) -> None:
    text = (n8n_package / "README.md").read_text(encoding="utf-8")
    assert readme_problems(hellotracks, text) == []
    assert readme_problems(hellotracks, text.replace("## Compatibility", "## Notes")) == [
        "README.md: no '## Compatibility' section"]
    release = hellotracks.history[0].version
    assert readme_problems(hellotracks, text.replace(f"**{release}**", release)) == [
        f"README.md: version history lacks {release}"]
    foreign = text.replace('"type": "n8n-nodes-', '"type": "n8n-nodes-base.x-')
    assert [found for found in readme_problems(hellotracks, foreign) if "example workflow" in found]


def test_the_checks_run_in_connectors_check(hellotracks: Connector, n8n_files: dict[str, str], tmp_path: Path) -> None:
    """`connectors check` reports a checklist problem with n8n's other tools (here: no publish workflow)."""
    folder = tmp_path / "n8n-nodes-hellotracks"
    for path, text in n8n_files.items():
        if path != PUBLISH_WORKFLOW_PATH:
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_text(text, encoding="utf-8")
    problems = N8nPlatform().check(runtime_document(hellotracks), folder)
    assert [problem for problem in problems if PUBLISH_WORKFLOW_PATH in problem and "missing" in problem]


def test_the_readme_example_uses_parameters_the_nodes_have(hellotracks: Connector, loaded: dict[str, Any]) -> None:
    """Each node of the example workflow sets only parameters its node shows for that choice."""
    workflow = example_workflow(hellotracks)
    assert workflow is not None and len(workflow["nodes"]) == 2
    for node in workflow["nodes"]:
        described = loaded["nodes"][node["type"].split(".", 1)[1]]["description"]["properties"]
        parameters = dict(node["parameters"])
        selection = {key: parameters.pop(key) for key in ("resource", "operation", "event") if key in parameters}
        parameters.pop("pollTimes", None)  # the schedule n8n adds to every polling node
        shown = {prop["name"] for prop in described if all(
            prop.get("displayOptions", {}).get("show", {}).get(key, [value]) == [value] for key, value in selection.items())}
        assert set(parameters) <= shown and set(selection) <= {prop["name"] for prop in described}, node["name"]
