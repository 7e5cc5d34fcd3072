"""Zapier's publishing checklist on the generated app: met by every bundled connector, and each
rule fails a definition broken the way a reviewer would flag it."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from connector_core.build import write_folder
from connector_core.document import connector_from_document, runtime_document
from connector_core.icons import png
from connector_core.spec import Connector, bundled_connectors, load_connector
from zapier_schema import generate
from zapier_schema.checklist import checklist_problems, logo_problems
from zapier_schema.platform import ZapierPlatform
from zapier_schema.project import logo

Definition = dict[str, Any]


@pytest.mark.parametrize("name", bundled_connectors())
def test_every_bundled_connector_meets_the_checklist(name: str) -> None:
    connector = load_connector(name)
    definition = json.loads(generate(runtime_document(connector))["definition.json"])
    assert checklist_problems(connector, definition) == []


def fields(definition: Definition, section: str, key: str) -> list[dict[str, Any]]:
    return definition[section][key]["operation"]["inputFields"]


def field(definition: Definition, section: str, key: str, field_key: str) -> dict[str, Any]:
    return next(item for item in fields(definition, section, key) if item["key"] == field_key)


def _credential(definition: Definition) -> dict[str, Any]:
    return next(item for item in definition["authentication"]["fields"] if item["type"] == "password")


def no_link(definition: Definition) -> None:
    _credential(definition)["helpText"] = "Your API key."


def clear_text_link(definition: Definition) -> None:
    _credential(definition)["helpText"] = "See [the help](http://help.example.com)."


def no_connection_label(definition: Definition) -> None:
    del definition["authentication"]["connectionLabel"]


def typed_id(definition: Definition) -> None:
    record = field(definition, "creates", "update_job", "id")
    del record["dynamic"], record["search"]


def unknown_search(definition: Definition) -> None:
    field(definition, "creates", "update_job", "id")["search"] = "find_job.nope"


def repeated_label(definition: Definition) -> None:
    field(definition, "creates", "create_job", "title")["helpText"] = "The title."


def required_last(definition: Definition) -> None:
    inputs = fields(definition, "creates", "create_job")
    inputs.insert(1, inputs.pop(0))


def main_after_additional(definition: Definition) -> None:
    inputs = fields(definition, "creates", "create_job")
    inputs.insert(len(inputs) - 1, inputs.pop(1))


def no_warning(definition: Definition) -> None:
    fields(definition, "creates", "delete_job").pop(0)


def get_not_find(definition: Definition) -> None:
    definition["searches"]["get_job"]["display"]["label"] = "Get Job"


def lower_case(definition: Definition) -> None:
    definition["creates"]["create_job"]["display"]["label"] = "Create job"


def trigger_wording(definition: Definition) -> None:
    definition["triggers"]["new_job"]["display"]["description"] = "Fires for each new job."


def epoch_date(definition: Definition) -> None:
    for item in definition["triggers"]["new_job"]["operation"]["outputFields"]:
        if item["key"] == "createdAtIso":
            item["type"] = "string"


def choice_free_text(definition: Definition) -> None:
    for item in definition["authentication"]["fields"]:
        item.pop("choices", None)


BREAKS: dict[str, tuple[Callable[[Definition], None], str]] = {
    "D002 no link": (no_link, "D002 authentication: the help text of 'API Key' links nowhere"),
    "D007 http link": (clear_text_link, "D007 http://help.example.com is not https"),
    "D003": (no_connection_label, "D003 authentication: no connectionLabel"),
    "D004 typed id": (typed_id, "creates.update_job: D004 field 'id' names a record but has neither"),
    "D004 unknown search": (unknown_search, "creates.update_job: D004 field 'id': search 'find_job.nope'"),
    "D011": (repeated_label, "creates.create_job: D011 field 'title': the help text 'The title.' only repeats"),
    "required first": (required_last, "creates.create_job: required field 'title' comes after an optional one"),
    "additional last": (main_after_additional, "creates.create_job: field 'externalId' comes after the additional"),
    "warning": (no_warning, "creates.delete_job: a destructive action must open with a copy field"),
    "find": (get_not_find, "searches.get_job: label 'Get Job': a search is named 'Find ...'"),
    "title case": (lower_case, "creates.create_job: label 'Create job' is not in title case"),
    "triggers when": (trigger_wording, "triggers.new_job: description 'Fires for each new job.' does not start"),
    "dates": (epoch_date, "triggers.new_job: output 'createdAtIso' is a date but not a datetime field"),
    "choices": (choice_free_text, "authentication: 'base_url' is not a dropdown of exactly its choices"),
}


@pytest.mark.parametrize("name", BREAKS)
def test_each_rule_fails_a_broken_definition(name: str, hellotracks: Connector, definition: Definition) -> None:
    breaking, expected = BREAKS[name]
    broken = copy.deepcopy(definition)
    breaking(broken)
    problems = checklist_problems(hellotracks, broken)
    assert any(problem.startswith(expected) for problem in problems), problems


def test_a_trigger_cursor_without_an_iso_twin_is_flagged(hellotracks: Connector) -> None:
    """A trigger's epoch-ms cursor field shown as a number only breaks "dates as ISO 8601"."""
    document = runtime_document(hellotracks)
    del document["operations"]["new_job"]["output"]["properties"]["createdAtIso"]
    document["operations"]["new_job"]["output"]["x-summary"] = ["id"]
    broken = json.loads(generate(document)["definition.json"])
    problems = checklist_problems(connector_from_document(document), broken)
    assert "triggers.new_job: output 'createdAt' is epoch milliseconds with no ISO 8601 twin (x-timestamp)" in problems


def test_the_plugin_check_runs_the_checklist(hellotracks: Connector, definition: Definition, tmp_path: Path) -> None:
    broken = copy.deepcopy(definition)
    get_not_find(broken)
    document = runtime_document(hellotracks)
    write_folder(tmp_path, {**generate(document), "definition.json": json.dumps(broken)})
    problems = ZapierPlatform().check(document, tmp_path)
    assert problems == ["searches.get_job: label 'Get Job': a search is named 'Find ...'"]


def test_the_logo_must_be_a_256_pixel_png(hellotracks: Connector) -> None:
    """Zapier check M004."""
    assert logo_problems(logo(hellotracks)) == []
    assert logo_problems(png(hellotracks.logo.svg, 512)) == ["M004 assets/logo.png: 512x512, not 256x256"]
    assert logo_problems(b"<svg/>") == ["M004 assets/logo.png: not a PNG"]
    assert logo_problems(None) == ["M004 assets/logo.png: no logo"]
