"""n8n's community-node checklist, checked on a built package as n8n loads it (docs/checklists/n8n.md).

n8n's lint and scanner check the code's shape; these check what they cannot know: that the package
names its real publisher and public source, publishes with provenance, ships the spec's logo, shows
the spec's operations as n8n's UX guidelines ask (required fields first, a warning before a
destructive operation, a resource locator for an ID, "Get Many" for a list, Simplify for a long
record), offers the connection's fixed choices and help links, and documents what the README must.
Each problem names the rule and where it is broken.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from connector_core.spec.models import Connector, Operation
from n8n_bridge.action_node import node_operations, node_selection
from n8n_bridge.credentials import icon_file
from n8n_bridge.fields import input_fields
from n8n_bridge.names import camel, credential_name, package_directory
from n8n_bridge.operation_names import GET_MANY
from n8n_bridge.package_files import repository_url
from n8n_bridge.properties import summary
from n8n_bridge.publish_workflow import PUBLISH_WORKFLOW_PATH
from n8n_bridge.trigger_node import trigger_operations

README_SECTIONS = ("## Installation", "## Credentials", "## Usage", "## Compatibility", "## Version history")
PROVENANCE_PUBLISH = "npm publish --provenance --access public"
FORM_PARTS = ("notice", "simple", "additionalFields")  # not input fields: the notice first, the others last


def package_json_problems(connector: Connector, package: dict[str, Any]) -> list[str]:
    """A real author, the public source, a homepage and a support link; MIT; no runtime dependencies."""
    publisher = connector.publisher
    problems = []
    author = package.get("author") or {}
    if author.get("name") != publisher.name or author.get("email") != publisher.email:
        problems.append(f"package.json: author is {author}, not the publisher {publisher.name} <{publisher.email}>")
    repository = package.get("repository") or {}
    if repository.get("type") != "git" or repository.get("url") != repository_url(connector):
        problems.append(f"package.json: repository is {repository}, not the public source {publisher.repository}")
    if package.get("homepage") != publisher.homepage:
        problems.append(f"package.json: homepage is {package.get('homepage')!r}, not {publisher.homepage}")
    if (package.get("bugs") or {}).get("url") != publisher.support:
        problems.append(f"package.json: bugs.url is not the support link {publisher.support}")
    if package.get("license") != "MIT":
        problems.append(f"package.json: license is {package.get('license')!r}; n8n verifies MIT packages only")
    if package.get("dependencies"):
        problems.append(f"package.json: runtime dependencies {sorted(package['dependencies'])}; n8n allows none")
    return problems


def workflow_problems(text: str | None) -> list[str]:
    """A GitHub Actions workflow, run on a release, that publishes with npm provenance."""
    if text is None:
        return [f"{PUBLISH_WORKFLOW_PATH}: missing; n8n accepts only packages published with provenance"]
    problems = []
    if not re.search(r"^on:\s*\n\s+release:", text, re.MULTILINE):
        problems.append(f"{PUBLISH_WORKFLOW_PATH}: not run on a release")
    if not re.search(r"^\s+id-token:\s*write\b", text, re.MULTILINE):
        problems.append(f"{PUBLISH_WORKFLOW_PATH}: no `id-token: write` permission, so npm cannot sign provenance")
    if PROVENANCE_PUBLISH not in text:
        problems.append(f"{PUBLISH_WORKFLOW_PATH}: does not run `{PROVENANCE_PUBLISH}`")
    return problems


def icon_problems(connector: Connector, package_dir: Path, loaded: dict[str, Any]) -> list[str]:
    """Every node and the credential show the spec's logo, an SVG drawn without text."""
    problems = []
    shipped = package_dir / "dist" / icon_file(connector)
    if not shipped.is_file() or shipped.read_text(encoding="utf-8") != connector.logo.svg:
        problems.append(f"dist/{icon_file(connector)}: not the spec's logo")
    elif "<text" in connector.logo.svg:
        problems.append(f"{icon_file(connector)}: draws text; n8n wants an icon of paths")
    described = [("node " + name, node["description"]) for name, node in loaded["nodes"].items()]
    described += [("credential " + name, credential) for name, credential in loaded["credentials"].items()]
    wanted = f"icons/{package_directory(connector)}/dist/{icon_file(connector)}"
    problems += [f"{what}: icon is {item.get('iconUrl')!r}, not the logo" for what, item in described
                 if item.get("iconUrl") != wanted]
    return problems


def credential_problems(connector: Connector, loaded: dict[str, Any]) -> list[str]:
    """Fixed choices are a dropdown of exactly those (no free-text host); a help URL is a link."""
    credential = loaded["credentials"].get(credential_name(connector))
    if credential is None:
        return [f"credential {credential_name(connector)}: not loaded"]
    properties = {prop["name"]: prop for prop in credential["properties"]}
    problems = []
    for field in connector.connection.fields:
        prop = properties.get(camel(field.key), {})
        if field.choices:
            offered = [(option.get("name"), option.get("value")) for option in prop.get("options", [])]
            if prop.get("type") != "options" or offered != [(choice.label, choice.value) for choice in field.choices]:
                problems.append(f"credential field {field.key}: not a dropdown of exactly its choices")
        if field.help_url and f'href="{field.help_url}"' not in prop.get("description", ""):
            problems.append(f"credential field {field.key}: its help does not link to {field.help_url}")
    return problems


def _shown(properties: list[dict[str, Any]], selection: dict[str, str]) -> list[dict[str, Any]]:
    wanted = {name: [value] for name, value in selection.items()}
    return [prop for prop in properties if prop.get("displayOptions", {}).get("show") == wanted]


def form_problems(connector: Connector, operation: Operation, properties: list[dict[str, Any]],
                  selection: dict[str, str], methods: list[str]) -> list[str]:
    """One operation's form: its warning first, required fields before optional ones, a resource
    locator for each ID a search finds, Simplify for a read with a summary."""
    where = f"{operation.key} ({', '.join(selection.values())})"
    shown = _shown(properties, selection)
    names = [prop["name"] for prop in shown]
    problems = []
    if operation.destructive:
        first = shown[0] if shown else {}
        if first.get("type") != "notice" or first.get("displayName") != operation.warning:
            problems.append(f"{where}: the warning {operation.warning!r} is not the first thing shown")
    inputs = [prop for prop in shown if prop["name"] not in FORM_PARTS]
    read = {name for prop in inputs for name in prop.get("typeOptions", {}).get("loadOptionsDependsOn", [])}
    first = [bool(prop.get("required")) or prop["name"] in read for prop in inputs]  # a dropdown's source leads it
    if first != sorted(first, reverse=True):
        problems.append(f"{where}: required fields are not first: {[prop['name'] for prop in inputs]}")
    if ("simple" in names) != bool(summary(operation)):
        problems.append(f"{where}: Simplify {'missing' if summary(operation) else 'offered without a summary'}")
    collection = next((prop for prop in shown if prop["name"] == "additionalFields"), {"options": []})
    every = {prop["name"]: prop for prop in inputs + collection["options"]}
    for field in input_fields(operation):
        prop = every.get(field.parameter)
        if prop is None:
            problems.append(f"{where}: input {field.path} has no parameter")
        elif field.locator:
            modes = {mode["name"]: mode for mode in prop.get("modes", [])}
            searcher = modes.get("list", {}).get("typeOptions", {}).get("searchListMethod")
            if prop["type"] != "resourceLocator" or "id" not in modes or searcher not in methods:
                problems.append(f"{where}: ID input {field.path} is not a resource locator (From List, By ID)")
    return problems


def node_problems(connector: Connector, loaded: dict[str, Any]) -> list[str]:
    """Every operation is offered with the form n8n's guidelines ask for; a list is "Get Many"."""
    problems = []
    nodes = loaded["nodes"]
    action = nodes.get(camel(connector.name))
    for operation in node_operations(connector):
        if action is None:
            return [f"node {camel(connector.name)}: not loaded"]
        properties = action["description"]["properties"]
        selection = node_selection(connector, operation)
        choices = [option for prop in _shown(properties, {"resource": selection["resource"]})
                   if prop["name"] == "operation" for option in prop["options"]]
        choice = next((option for option in choices if option["value"] == selection["operation"]), None)
        if choice is None:
            problems.append(f"{operation.key}: not offered under resource {selection['resource']}")
            continue
        if operation.kind == "list" and not choice["name"].startswith(GET_MANY):
            problems.append(f"{operation.key}: a list is named {choice['name']!r}, not {GET_MANY!r}")
        problems += form_problems(connector, operation, properties, selection, action.get("searches", []))
    trigger = nodes.get(camel(f"{connector.name}_trigger"))
    for operation in trigger_operations(connector):
        if trigger is None:
            return problems + [f"node {camel(connector.name + '_trigger')}: not loaded"]
        problems += form_problems(connector, operation, trigger["description"]["properties"],
                                  {"event": operation.key}, trigger.get("searches", []))
    return problems


def readme_problems(connector: Connector, text: str) -> list[str]:
    """Usage, credentials, an example workflow of this package's nodes, compatibility, every release."""
    problems = [f"README.md: no {section!r} section" for section in README_SECTIONS if section not in text]
    problems += [f"README.md: version history lacks {release.version}" for release in connector.history
                 if f"**{release.version}**" not in text]
    if trigger_operations(connector):
        example = re.search(r"## Example workflow\n.*?```json\n(.*?)\n```", text, re.DOTALL)
        if example is None:
            return problems + ["README.md: no example workflow (n8n workflow JSON)"]
        types = {node.get("type") for node in json.loads(example.group(1)).get("nodes", [])}
        ours = {f"{package_directory(connector)}.{camel(name)}"
                for name in (connector.name, f"{connector.name}_trigger")}
        if not types or not types <= ours:
            problems.append(f"README.md: the example workflow's nodes {sorted(types)} are not this package's")
    return problems


def publishing_problems(connector: Connector, package_dir: Path, loaded: dict[str, Any]) -> list[str]:
    """Every checklist rule these checks can prove on the built package, as problems."""
    def text(path: str) -> str | None:
        file = package_dir / path
        return file.read_text(encoding="utf-8") if file.is_file() else None

    return (package_json_problems(connector, json.loads(text("package.json") or "{}"))
            + workflow_problems(text(PUBLISH_WORKFLOW_PATH))
            + icon_problems(connector, package_dir, loaded)
            + credential_problems(connector, loaded)
            + node_problems(connector, loaded)
            + readme_problems(connector, text("README.md") or ""))
