"""The report's HTML: escaped text in a fixed order, with the page's CSS and JS inlined."""

from __future__ import annotations

import json
from html import escape
from importlib import resources
from typing import Any

from connector_core.cassettes.diff import show
from connector_core.cassettes.verify import CaseResult, Cell
from connector_core.document import connector_from_document
from connector_core.platforms import FormField
from connector_core.report.forms import Forms


def render_page(document: dict[str, Any], cells: list[Cell], forms: Forms) -> str:
    connector = connector_from_document(document)
    labels = {key: operation.label for key, operation in connector.operations.items()}
    failed = [cell for cell in cells if cell.status == "fail"]
    title = f"{connector.label}: connectors report"
    body = "\n".join([
        f"<h1>{_text(title)}</h1>",
        f'<p id="summary">{len(cells) - len(failed)} passed, {len(failed)} failed</p>',
        "<h2>Operations × platforms</h2>",
        '<p class="hint">Click a cell to see its cases.</p>',
        _matrix(cells, labels),
        '<section id="cells">', *(_cell_panel(cell) for cell in cells), "</section>",
        "<h2>Failing cases</h2>",
        _failures(failed),
        "<h2>What a user fills in</h2>",
        *(_preview(key, labels[key], forms[key]) for key in forms),
    ])
    return ("<!DOCTYPE html>\n"
            f'<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{_text(title)}</title>\n'
            f"<style>\n{_asset('report.css')}</style>\n</head>\n<body>\n{body}\n"
            f"<script>\n{_asset('report.js')}</script>\n</body>\n</html>\n")


def _matrix(cells: list[Cell], labels: dict[str, str]) -> str:
    platforms = list(dict.fromkeys(cell.platform for cell in cells))
    operations = list(dict.fromkeys(cell.operation for cell in cells))
    by_key = {(cell.operation, cell.platform): cell for cell in cells}
    head = "".join(f'<th scope="col">{_text(name)}</th>' for name in platforms)
    rows = []
    for operation in operations:
        buttons = "".join(f"<td>{_cell_button(by_key[(operation, name)])}</td>" if (operation, name) in by_key
                          else "<td></td>" for name in platforms)
        rows.append(f'<tr><th scope="row" title="{_text(labels.get(operation, ""))}">{_text(operation)}</th>{buttons}</tr>')
    return (f'<table id="matrix">\n<thead><tr><th scope="col">operation</th>{head}</tr></thead>\n<tbody>\n'
            + "\n".join(rows) + "\n</tbody>\n</table>")


def _cell_button(cell: Cell) -> str:
    mark = {"pass": "pass", "fail": "FAIL"}.get(cell.status, cell.status)
    return (f'<button type="button" class="cell {cell.status.replace(" ", "-")}" data-operation="{_text(cell.operation)}" '
            f'data-platform="{_text(cell.platform)}" data-status="{cell.status}" aria-expanded="false" '
            f'aria-controls="{_panel_id(cell)}">{mark}</button>')


def _panel_id(cell: Cell) -> str:
    return _text(f"cell-{cell.operation}-{cell.platform}")


def _cell_panel(cell: Cell) -> str:
    cases = "\n".join(_case(case) for case in cell.cases) or f'<p class="problems">{_text(cell.detail)}</p>'
    return (f'<article class="cell-cases" id="{_panel_id(cell)}" hidden>\n'
            f"<h3>{_text(cell.operation)} on {_text(cell.platform)}: {cell.status}</h3>\n"
            f'<p class="detail">{_text(cell.detail)}</p>\n{cases}\n</article>')


def _case(case: CaseResult) -> str:
    problems = "".join(f"<li>{_text(problem)}</li>" for problem in case.problems)
    outcomes = "".join(f"<details><summary>{side}</summary><pre>{_text(_json(value))}</pre></details>"
                       for side, value in (("expected", case.expected), ("actual", case.actual)))
    return (f'<div class="case {case.status}" data-case="{_text(case.name)}">'
            f'<h4>{_text(case.name)}: {case.status}</h4>'
            + (f'<ul class="problems">{problems}</ul>' if problems else "")
            + (_diff_table(case) if case.diff else "") + outcomes + "</div>")


def _diff_table(case: CaseResult) -> str:
    rows = "".join(
        f'<tr class="diff-row"><td class="path">{_text(difference.path)}</td>'
        f'<td class="expected">{_text(show(difference.expected, 200))}</td>'
        f'<td class="actual">{_text(show(difference.actual, 200))}</td></tr>'
        for difference in case.diff)
    return ('<table class="diff"><thead><tr><th scope="col">path</th><th scope="col">recorded (expected)</th>'
            f'<th scope="col">sent / got</th></tr></thead><tbody>{rows}</tbody></table>')


def _failures(failed: list[Cell]) -> str:
    items = []
    for cell in failed:
        failing = [case for case in cell.cases if case.status == "fail"]
        if not failing:  # no recorded case: the cell fails on its own
            items.append(f'<li data-platform="{_text(cell.platform)}"><strong>{_text(cell.platform)}</strong> '
                         f'{_text(cell.operation)}<p class="problems">{_text(cell.detail)}</p></li>')
        for case in failing:
            problems = f'<p class="problems">{_text("; ".join(case.problems))}</p>'
            items.append(f'<li data-platform="{_text(cell.platform)}" data-case="{_text(case.name)}">'
                         f"<strong>{_text(cell.platform)}</strong> {_text(cell.operation)}.{_text(case.name)}"
                         f"{problems}{_diff_table(case) if case.diff else ''}</li>")
    return f'<ul id="failures">{"".join(items)}</ul>' if items else '<p id="failures">None.</p>'


def _preview(key: str, label: str, forms: dict[str, list[FormField] | None]) -> str:
    columns = "".join(f'<div class="form" data-platform="{_text(name)}"><h4>{_text(name)}</h4>{_form(fields)}</div>'
                      for name, fields in forms.items())
    return (f'<section class="preview" data-operation="{_text(key)}"><h3>{_text(label)} '
            f"<code>{_text(key)}</code></h3><div class=\"forms\">{columns}</div></section>")


def _form(fields: list[FormField] | None) -> str:
    if fields is None:
        return '<p class="none">Not offered here.</p>'
    if not fields:
        return '<p class="none">No fields to fill in.</p>'
    return "<ol>" + "".join(_field(field) for field in fields) + "</ol>"


def _field(field: FormField) -> str:
    required = '<abbr class="required" title="required">*</abbr>' if field.required else ""
    parts = [f'<span class="label">{_text(field.label)}</span>{required} <code class="kind">{_text(field.kind)}</code>']
    if field.help:
        parts.append(f'<p class="help">{_text(field.help)}</p>')
    if field.choices:
        parts.append(f'<p class="choices">Choices: {_text(", ".join(field.choices))}</p>')
    if field.source:
        parts.append(f'<p class="source">Values from {_text(field.source)}</p>')
    return f'<li class="field" data-key="{_text(field.key)}">{"".join(parts)}</li>'


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


def _text(value: str) -> str:
    return escape(value, quote=True)


def _asset(name: str) -> str:
    return resources.files("connector_core.report").joinpath(name).read_text(encoding="utf-8")
