"""Zapier's publishing checklist, held against a generated app offline (docs/checklists/zapier.md).

Zapier runs its integration checks on its own servers (`zapier-platform validate` without
`--without-style`); the ones that can be decided from the app definition and the spec are
decided here, so `connectors check` fails before a reviewer would. Each problem names where it is
(`authentication`, `creates.delete_job`, ...) and Zapier's check ID where Zapier gives one (D002, ...).
"""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Iterator
from typing import Any

from connector_core.spec.models import Connector, Operation, OptionSource
from zapier_schema.definition import SECTIONS, carries_records
from zapier_schema.fields import dropdown_inputs
from zapier_schema.keys import zapier_key
from zapier_schema.project import LOGO_FILE, LOGO_SIZE
from zapier_schema.schemas import leaves
from zapier_schema.style import is_title_case, markdown_links, repeats_label

CLEAR_TEXT_URL = re.compile(r"http://[^\s)\"']+")
COPY = "copy"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def logo_problems(image: bytes | None) -> list[str]:
    """M004: the app's logo is a square 256x256 PNG (the width and height of its IHDR chunk)."""
    if image is None:
        return [f"M004 {LOGO_FILE}: no logo"]
    if image[:8] != PNG_SIGNATURE or image[12:16] != b"IHDR":
        return [f"M004 {LOGO_FILE}: not a PNG"]
    size = struct.unpack(">II", image[16:24])
    return [] if size == (LOGO_SIZE, LOGO_SIZE) else [f"M004 {LOGO_FILE}: {size[0]}x{size[1]}, not {LOGO_SIZE}x{LOGO_SIZE}"]


def checklist_problems(connector: Connector, definition: dict[str, Any]) -> list[str]:
    """Every checklist rule the app breaks, one line each."""
    problems = auth_problems(connector, definition) + clear_text_urls(definition)
    for operation in connector.operations.values():
        entry = definition.get(SECTIONS.get(operation.kind, ""), {}).get(zapier_key(operation.key, "operation"))
        if entry is None:
            if operation.kind in SECTIONS:
                problems.append(f"{operation.key}: no Zapier {operation.kind} for this operation")
            continue
        where = f"{SECTIONS[operation.kind]}.{entry['key']}"
        problems += [f"{where}: {problem}" for problem in operation_problems(operation, entry, definition,
                                                                             connector.option_sources)]
    return problems


def auth_problems(connector: Connector, definition: dict[str, Any]) -> list[str]:
    """D002 the key's help links to where it is found; D003 a connection label; D011 on auth fields;
    a field with choices is a dropdown of exactly those."""
    auth = definition["authentication"]
    fields = {field["key"]: field for field in auth.get("fields", [])}
    problems = []
    credential = fields.get(connector.connection.credential.key, {})
    if not [url for url in markdown_links(credential.get("helpText", "")) if url.startswith("https://")]:
        problems.append(f"D002 authentication: the help text of {credential.get('label')!r} links nowhere "
                        "(a Markdown link to where the key is found)")
    if not auth.get("connectionLabel"):
        problems.append("D003 authentication: no connectionLabel names the connected account")
    for spec_field in connector.connection.fields:
        field = fields.get(spec_field.key, {})
        offered = [choice.get("value") for choice in field.get("choices", [])]
        if spec_field.choices and offered != [choice.value for choice in spec_field.choices]:
            problems.append(f"authentication: {spec_field.key!r} is not a dropdown of exactly its choices")
        problems += [f"authentication: {problem}" for problem in help_problems(field)]
    return problems


def clear_text_urls(definition: dict[str, Any]) -> list[str]:
    """D007: every URL the app shows or uses is https."""
    return [f"D007 {url} is not https" for url in sorted(set(CLEAR_TEXT_URL.findall(json.dumps(definition))))]


def help_problems(field: dict[str, Any]) -> list[str]:
    """D011: help text that only repeats the label."""
    text = field.get("helpText")
    if text and field.get("type") != COPY and repeats_label(text, field.get("label", field["key"])):
        return [f"D011 field {field['key']!r}: the help text {text!r} only repeats the label"]
    return []


def operation_problems(operation: Operation, entry: dict[str, Any], definition: dict[str, Any],
                       sources: dict[str, OptionSource]) -> Iterator[str]:
    """Naming, descriptions, field order, ID fields, dependent dropdowns, the destructive warning and typed dates."""
    label, description = entry["display"]["label"], entry["display"]["description"]
    if not is_title_case(label):
        yield f"label {label!r} is not in title case"
    if operation.kind == "trigger" and not description.startswith("Triggers when "):
        yield f"description {description!r} does not start with 'Triggers when'"
    if operation.kind == "search" and not label.startswith("Find "):
        yield f"label {label!r}: a search is named 'Find ...'"
    if operation.kind == "list" and not label.startswith(("Find ", "List ")):
        yield f"label {label!r}: a list is named 'Find ...' or 'List ...'"
    fields = entry["operation"].get("inputFields", [])
    for field in fields:
        yield from help_problems(field)
        for child in field.get("children", []):
            yield from help_problems(child)
        yield from order_problems(field.get("children", []))
    yield from order_problems(fields)
    yield from id_problems(operation, fields, definition)
    yield from dependency_problems(operation, fields, sources)
    yield from warning_problems(operation, fields)
    yield from date_problems(operation, entry)


def order_problems(fields: list[dict[str, Any]]) -> Iterator[str]:
    """Required fields first (but for a field a dropdown reads, which stands before it); the
    additional group after the main fields, holding no required one."""
    seen_optional = seen_group = False
    for field in fields:
        if field.get("type") == COPY:
            continue
        if field.get("group"):
            seen_group = True
            if field.get("required"):
                yield f"field {field['key']!r} is required but in the {field['group']!r} group"
        elif seen_group:
            yield f"field {field['key']!r} comes after the additional fields"
        elif field.get("required") and seen_optional:
            yield f"required field {field['key']!r} comes after an optional one"
        else:
            seen_optional = seen_optional or not (field.get("required") or field.get("altersDynamicFields"))


def id_problems(operation: Operation, fields: list[dict[str, Any]], definition: dict[str, Any]) -> Iterator[str]:
    """D004: an input naming a record of this API (named `id`, or sent in the path) has a dynamic
    dropdown or a search, and a search reference names a search of this app and one of its output fields."""
    by_key = {field["key"]: field for field in fields}
    in_path = {param.source for param in operation.request.params_in("path") if not param.is_constant}
    for name in sorted(in_path | ({"id"} & set(operation.input.get("properties", {})))):
        field = by_key.get(zapier_key(name, operation.key), {})
        if not (field.get("dynamic") or field.get("search")):
            yield f"D004 field {name!r} names a record but has neither a dynamic dropdown nor a search"
    for field in fields:
        if field.get("search"):
            search, _, output = field["search"].partition(".")
            outputs = {item["key"] for item in definition.get("searches", {}).get(search, {})
                       .get("operation", {}).get("outputFields", [])}
            if output not in outputs:
                yield f"D004 field {field['key']!r}: search {field['search']!r} is no search output of this app"
        if field.get("dynamic") and field["dynamic"].split(".")[0] not in definition.get("triggers", {}):
            yield f"D004 field {field['key']!r}: dynamic {field['dynamic']!r} names no trigger of this app"


def dependency_problems(operation: Operation, fields: list[dict[str, Any]],
                        sources: dict[str, OptionSource]) -> Iterator[str]:
    """A dropdown whose choices depend on other fields (a customer's jobs) never offers stale ones:
    each field it reads is in the form before it and reloads it when changed (altersDynamicFields)."""
    keys = [field["key"] for field in fields]
    for read, dropdown in dropdown_inputs(operation, sources).items():
        if read not in keys:
            yield f"the dropdown {dropdown!r} reads {read!r}, which is no field of this form"
        elif not fields[keys.index(read)].get("altersDynamicFields"):
            yield f"field {read!r}: the dropdown {dropdown!r} reads it, but changing it does not reload the dropdown"
        elif keys.index(read) > keys.index(dropdown):
            yield f"field {read!r} comes after the dropdown {dropdown!r} that reads it"


def warning_problems(operation: Operation, fields: list[dict[str, Any]]) -> Iterator[str]:
    """A destructive action opens with a copy field carrying its warning."""
    if not operation.destructive:
        return
    first = fields[0] if fields else {}
    if first.get("type") != COPY or operation.warning not in first.get("helpText", ""):
        yield "a destructive action must open with a copy field carrying its warning"


def date_problems(operation: Operation, entry: dict[str, Any]) -> Iterator[str]:
    """Dates as ISO 8601 `datetime` fields: each derived timestamp is typed so, and a trigger's
    epoch-ms cursor field has such a twin (users see a date, not a number)."""
    outputs = entry["operation"].get("outputFields", [])
    if carries_records(operation):
        outputs = outputs[0].get("children", []) if outputs else []
    types = {field["key"]: field.get("type") for field in outputs}
    sources = set()
    for path, schema, _ in leaves(operation.output):
        if "x-timestamp" in schema:
            sources.add(".".join([*path.split(".")[:-1], schema["x-timestamp"]["from"]]))
            if types.get(zapier_key(path, operation.key)) != "datetime":
                yield f"output {path!r} is a date but not a datetime field"
    cursor = operation.polling.cursor if operation.polling else None
    if cursor is not None and cursor.field not in sources:
        yield f"output {cursor.field!r} is epoch milliseconds with no ISO 8601 twin (x-timestamp)"
