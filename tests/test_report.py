"""`connectors report`: one self-contained page, read back in a real headless Chromium.

verify runs once (Python and Make: no Node host to start) on a cassette copy with one integer
changed, so one case fails; the page is rendered from those cells and loaded from file://.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from connector_core.cassettes.verify import Cell, verify
from connector_core.cli import main
from connector_core.document import runtime_document
from connector_core.report import render_report, write_report
from connector_core.report.forms import operation_forms
from connector_core.spec import load_connector

from tests.altered_cassettes import Alteration, alter_one_integer
from tests import browser
from tests.browser import Browser

PLATFORMS = ["python", "make"]


@pytest.fixture(scope="module")
def altered(tmp_path_factory: pytest.TempPathFactory) -> Alteration:
    return alter_one_integer(tmp_path_factory.mktemp("report") / "cassettes")


@pytest.fixture(scope="module")
def cells(altered: Alteration) -> list[Cell]:
    return verify(altered.directory, PLATFORMS)


@pytest.fixture(scope="module")
def page(cells: list[Cell], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("page") / "report.html"
    write_report(path, cells)
    return path


def test_the_page_is_self_contained_and_deterministic(cells: list[Cell], page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    assert render_report(cells) == html
    assert not re.search(r"<(link|img|iframe)\b|\bsrc\s*=|@import|url\(", html)  # nothing to fetch
    assert "<style>" in html and "<script>" in html


def test_the_cli_writes_the_page_then_exits_1_when_a_cell_failed(altered: Alteration, tmp_path: Path) -> None:
    out = tmp_path / "out" / "report.html"
    assert main(["report", "--cassettes", str(altered.directory), "--platform", "python", "--out", str(out)]) == 1
    assert 'id="matrix"' in out.read_text(encoding="utf-8")


def test_every_platform_form_marks_the_same_fields_required() -> None:
    """Each preview reads its own generated artifact; all must agree on what a user must fill in."""
    document = runtime_document(load_connector("hellotracks"))
    forms = operation_forms(document)
    assert set(next(iter(forms.values()))) >= {"zapier", "make", "n8n"}
    compared = 0
    for key, by_platform in forms.items():
        required = {name: sorted(field.label.removesuffix(" Name or ID").casefold()  # Make writes sentence case
                                 for field in fields if field.required)
                    for name, fields in by_platform.items() if fields is not None}
        assert len(set(map(tuple, required.values()))) <= 1, f"{key}: {required}"
        compared += bool(required and next(iter(required.values())))
    assert compared >= 3


def test_the_rendered_page_shows_the_matrix_and_the_failing_diff(
        altered: Alteration, cells: list[Cell], page: Path, tmp_path: Path) -> None:
    with Browser(tmp_path / "profile") as browser:
        view = browser.open(page.as_uri())
        matrix = view.evaluate("[...document.querySelectorAll('#matrix button.cell')].map(b => "
                               "[b.dataset.operation, b.dataset.platform, b.dataset.status, b.textContent])")
        operations = list(dict.fromkeys(cell.operation for cell in cells))  # rows; platforms across
        assert matrix == [[cell.operation, cell.platform, cell.status, {"fail": "FAIL"}.get(cell.status, cell.status)]
                          for cell in sorted(cells, key=lambda cell: operations.index(cell.operation))]
        panel = f"cell-{altered.operation}-python"
        assert view.evaluate(f"document.getElementById('{panel}').hidden") is True
        view.click(f"#matrix button[aria-controls='{panel}']")
        assert view.evaluate(f"document.getElementById('{panel}').hidden") is False
        rows = view.evaluate(f"[...document.querySelectorAll('#{panel} [data-case=\"{altered.case}\"] tr.diff-row')]"
                             ".filter(r => r.offsetParent !== null)"
                             ".map(r => [...r.cells].map(c => c.textContent))")
        assert [f"output.{altered.field}", str(altered.recorded), str(altered.replayed)] in rows
        forms = view.evaluate("[...document.querySelectorAll('.preview .form')].map(f => f.dataset.platform)")
        assert {"zapier", "make", "n8n"} <= set(forms)
        assert view.errors() == []


def test_a_missing_browser_fails_saying_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "no-chromium")
    with pytest.raises(pytest.fail.Exception, match=r"`make toolchains` installs it"):
        Browser(tmp_path / "profile")


def test_every_platform_form_asks_for_what_a_dropdown_reads_before_that_dropdown() -> None:
    """The shared layout places a dropdown's source field (the customer whose jobs it lists) just
    before it; each preview, read from its own artifact, shows it so."""
    connector = load_connector("kickserv")
    forms = operation_forms(runtime_document(connector))
    checked = 0
    for key, operation in connector.operations.items():
        for read, dropdown in operation.dropdown_reads.items():
            for name, fields in forms[key].items():
                if fields is None:
                    continue
                labels = [field.label.removesuffix(" Name or ID").casefold() for field in fields]
                titles = [operation.input["properties"][field]["title"].casefold() for field in (read, dropdown)]
                assert labels.index(titles[0]) + 1 == labels.index(titles[1]), (key, name, labels)
                checked += 1
    assert checked >= 3
