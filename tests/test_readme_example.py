"""The README's "How to add an operation", applied as written.

Its two YAML snippets (the operation, then its case) are read from README.md and pasted where the
README says, at the end of a copy of the Hellotracks spec and case plan; the copy must load, every
platform must show the new operation in its generated artifact, and the case must run with the
Python client against a real sandbox. A README whose steps stop working fails here, not in the
hands of the next person who follows it.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from connector_core.apis import CASES_FILE, SPEC_FILE, api_dir
from connector_core.cassettes.cases import Case, CasePlan, Step, render
from connector_core.cassettes.execution import execute
from connector_core.document import runtime_document
from connector_core.platforms import Preview, platforms
from connector_core.runtime import Client
from connector_core.sandbox import Sandbox
from connector_core.spec import Connector, load_spec

from tests.conftest import ROOT, SANDBOX_KEY

SECTION = "## How to add an operation"
FENCE = re.compile(r"^(?P<indent>[ ]*)```(?P<lang>[a-z]*)\n(?P<body>.*?)^(?P=indent)```[ ]*$", re.MULTILINE | re.DOTALL)


def section() -> str:
    """The README's section, up to the next second-level heading."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    return text[start:] if end == -1 else text[start:end]


def snippets(lang: str) -> list[str]:
    """The section's fenced blocks in `lang`, as a reader copies them (a list item's indent removed)."""
    found = []
    for match in FENCE.finditer(section()):
        if match.group("lang") == lang:
            indent = len(match.group("indent"))
            found.append("".join(line[indent:] if line.strip() else "\n"
                                 for line in match.group("body").splitlines(keepends=True)))
    return found


def pasted_at_the_end(path: Path, snippet: str, section_key: str) -> None:
    """Paste `snippet` at the end of the file, whose last top-level key must be `section_key` (as the
    README says); a file that already holds the snippet, pasted by someone following the README, stays."""
    text = path.read_text(encoding="utf-8")
    top_level = re.findall(r"^([A-Za-z_][\w-]*):", text, re.MULTILINE)
    assert top_level[-1] == section_key, f"{path.name}: the README pastes at the end of {section_key}:"
    if snippet not in text:
        path.write_text(text.rstrip("\n") + "\n\n" + snippet, encoding="utf-8")


@dataclass(frozen=True)
class Example:
    connector: Connector
    key: str
    plan: CasePlan
    case: Case


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Example:
    operation_yaml, case_yaml = snippets("yaml")
    folder = tmp_path_factory.mktemp("readme") / "hellotracks"
    shutil.copytree(api_dir("hellotracks"), folder, ignore=shutil.ignore_patterns("__pycache__"))
    pasted_at_the_end(folder / SPEC_FILE, operation_yaml, "operations")
    pasted_at_the_end(folder / CASES_FILE, case_yaml, "cases")
    [key] = re.findall(r"^  ([a-z]\w*):", operation_yaml, re.MULTILINE)  # one operation (its anchors need the spec)
    [name] = [entry["name"] for entry in yaml.safe_load(textwrap.dedent(case_yaml))]  # and one case
    plan = CasePlan.model_validate(yaml.safe_load((folder / CASES_FILE).read_text(encoding="utf-8")))
    return Example(load_spec(folder / SPEC_FILE), key, plan, next(case for case in plan.cases if case.name == name))


def test_the_section_has_the_two_snippets_and_says_what_to_run() -> None:
    assert len(snippets("yaml")) == 2
    commands = "\n".join(snippets("sh"))
    for command in ("connectors record", "connectors check", "connectors verify", "make test"):
        assert re.search(rf"^{command}\b", commands, re.MULTILINE), command
    for path in re.findall(r"`(connector_core/[\w/.]+)`", section()):
        assert (ROOT / path).exists(), path


def test_the_operation_loads_as_a_list_of_jobs(example: Example) -> None:
    operation = example.connector.operation(example.key)
    assert (operation.kind, operation.resource, operation.label) == ("list", "job", "List Jobs by Assignee")
    assert operation.resource in example.connector.resources
    assert example.case.operation == example.key


def test_every_platform_shows_the_operation_required_field_first(example: Example) -> None:
    """Each platform's form, read back from its generated artifact: Assignee required, Limit optional after it."""
    document = runtime_document(example.connector)
    previewing = {name: plugin for name, plugin in platforms().items() if isinstance(plugin, Preview)}
    assert {"zapier", "make", "n8n"} <= set(previewing)
    for name, plugin in previewing.items():
        form = plugin.form(document, example.key)
        assert form is not None, f"{name} has no form for {example.key}"
        fields = {field.key.split(".")[-1]: (position, field) for position, field in enumerate(form)}
        assert {"assigneeUsername", "limit"} <= set(fields), (name, [field.key for field in form])
        (assignee_at, assignee), (limit_at, limit) = fields["assigneeUsername"], fields["limit"]
        assert (assignee.required, limit.required) == (True, False), name
        assert assignee_at < limit_at, name


def run_steps(client: Client, steps: list[Step], saved: dict[str, Any]) -> list[Any]:
    """The case's setup, as recording runs it: operations only (this example needs no control plane)."""
    results = []
    for step in steps:
        assert step.operation is not None and step.repeat == 1, step
        results.append(client.run(step.operation, render(step.input, saved)))
        if step.save_as:
            saved[step.save_as] = results[-1]
    return results


def test_the_case_runs_against_the_sandbox_and_lists_only_that_members_jobs(example: Example) -> None:
    case, plan = example.case, example.plan
    with Sandbox("hellotracks", api_key=SANDBOX_KEY) as sandbox, \
            Client(example.connector, connection={"api_key": SANDBOX_KEY}, base_url=sandbox.base_url,
                   sleep=lambda seconds: None) as client:
        saved: dict[str, Any] = {}
        created = run_steps(client, case.setup, saved)
        value = render(case.input, saved)
        outcome = execute(client, example.connector.operation(case.operation), value, polls=case.polls,
                          clock_ms=plan.clock_ms, interval_ms=plan.poll_interval_ms, mode=case.mode)
    assert outcome.status == "ok", outcome.error
    assignee = value["assigneeUsername"].casefold()
    theirs = [job["id"] for job in created if (job.get("assigneeUsername") or "").casefold() == assignee]
    assert theirs and len(theirs) < len(created)  # the case sets up jobs that must be left out, too
    assert sorted(job["id"] for job in outcome.output) == sorted(theirs)
