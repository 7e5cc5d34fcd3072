"""bench/reliability.py, in its quick mode: every table has a number in every column, the trigger
section is left alone, and the judges can fail (a planted leak and invalid values are counted)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
NUMBER = re.compile(r"[\d,]+( runs| files)?")
TABLES = {
    "### Faults tried and survived": ["python", "zapier", "n8n"],
    "### Hostile inputs": ["python", "kernel"],
    "### Ids reaching another endpoint": ["python", "zapier", "n8n"],
}


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(BENCH))


def planted_cassettes(folder: Path, key: str) -> None:
    """One clean cassette, one echoing the key URL-encoded in a body, one whose key header is unmasked."""
    folder.mkdir()
    clean = (ROOT / "tests" / "cassettes" / "hellotracks" / "get_job.yaml").read_text(encoding="utf-8")
    (folder / "clean.yaml").write_text(clean, encoding="utf-8")
    (folder / "echo.yaml").write_text(clean + f"# body: {{\"error\": \"bad key {quote(key, safe='')}\"}}\n",
                                      encoding="utf-8")
    (folder / "header.yaml").write_text(clean.replace("REDACTED", "live-4f9a"), encoding="utf-8")


def outside(text: str, begin: str, end: str) -> str:
    """The document without the reliability section (when it has one)."""
    if begin not in text:
        return text.strip()
    head, rest = text.split(begin, 1)
    return (head + rest.split(end, 1)[1]).strip()


def table_rows(section: str, heading: str) -> dict[str, list[str]]:
    block = section.split(heading, 1)[1].split("\n### ", 1)[0]
    rows = [line.strip("|").split("|") for line in block.splitlines() if line.startswith("| ")]
    return {cells[0].strip(): [cell.strip() for cell in cells[1:]] for cells in rows[1:]}


def test_quick_run_writes_every_figure_and_counts_a_planted_leak(tmp_path: Path, bench: None) -> None:
    from reliability_leaks import KEY
    from reliability_report import BEGIN, END

    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(ROOT / "docs" / "reliability.md", docs / "reliability.md")
    before = (docs / "reliability.md").read_text(encoding="utf-8")
    planted_cassettes(tmp_path / "cassettes", KEY)
    env = {**os.environ, "PYTHONPATH": str(BENCH)}
    done = subprocess.run([sys.executable, str(BENCH / "reliability.py"), "--quick", "--docs", str(docs),
                           "--cassettes", str(tmp_path / "cassettes")], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    text = (docs / "reliability.md").read_text(encoding="utf-8")
    section = text.split(BEGIN, 1)[1].split(END, 1)[0]
    assert outside(text, BEGIN, END) == outside(before, BEGIN, END)  # the trigger section and the rest: as they were

    for heading, platforms in TABLES.items():
        rows = table_rows(section, heading)
        for platform in platforms:
            cells = rows[platform][1:] if heading == "### Hostile inputs" else rows[platform]
            assert all(NUMBER.fullmatch(cell) for cell in cells), (heading, platform, cells)
        assert any(cell.startswith("not run: Make has no runtime here") for cell in rows["make"]), rows["make"]
    leaks = table_rows(section, "### Key leaks per surface")
    for surface, (tried, found) in leaks.items():
        assert NUMBER.fullmatch(tried) and NUMBER.fullmatch(found), (surface, tried, found)
    committed = next(cells for surface, cells in leaks.items() if surface.startswith("cassettes under"))
    assert committed == ["3 files", "2"]  # the URL-encoded echo and the unmasked header, not the clean one
    assert '"measure": "reliability failures' in done.stdout


def test_the_leak_judge_finds_every_encoding(bench: None) -> None:
    import base64
    import json

    from reliability_leaks import KEY, leaks

    percent = quote(KEY, safe="")
    spelled = [KEY, percent, re.sub("%[0-9A-F]{2}", lambda hexed: hexed.group(0).lower(), percent), quote_plus(KEY),
               json.dumps(KEY)[1:-1], base64.b64encode(KEY.encode()).decode(),
               base64.b64encode(f"api:{KEY}".encode()).decode()]
    assert len(set(spelled)) == len(spelled)
    assert all(leaks(f"error: {form} (echoed)") for form in spelled)
    assert not leaks("error: *** (echoed) REDACTED")


def test_the_figures_count_what_the_oracle_finds(bench: None) -> None:
    """Faults planted in runs and arrivals reach the figures through `outcomes.classify` (the
    oracle's own catches are tests/properties/test_outcomes.py's)."""
    from reliability_escapes import Tally as Escapes
    from reliability_escapes import judge
    from reliability_inputs import Tried, tally
    from reliability_recorder import Arrived

    from connector_core.document import runtime_document
    from connector_core.spec.loader import load_connector
    from tests.properties.outcomes import Observed

    document = runtime_document(load_connector("hellotracks"))
    base = "http://h/v1"

    def posted(body: str, error: str | None = None, handled: bool = True) -> Tried:
        return Tried(Observed(error, handled, [{"method": "POST", "url": base + "/jobs", "headers": {}, "body": body}]),
                     base, "")

    planted = [
        (("create_job", {"title": "x", "priority": "7"}), posted('{"title": "x", "priority": 7}')),  # valid
        (("create_job", {"title": "x", "priority": "7"}), posted('{"title": "x", "priority": 7.0}')),  # invalid sent
        (("create_job", {"title": "x\n"}), posted('{"title": "x"}', "InputValidationError")),  # sent after refusal
        (("create_job", {"title": "x"}), Tried(Observed("TypeError: boom", False, []), base, "")),  # unhandled
        (("delete_job", {"id": "x" * 9000}),  # a target past 8,000 characters
         Tried(Observed(None, True, [{"method": "DELETE", "url": base + "/jobs/" + "x" * 9000, "headers": {},
                                      "body": None}]), base, "")),
        (("delete_job", {"id": ".."}), Tried(Observed("InputValidationError", True, []), base, "")),  # refused
    ]
    figures = tally(document, [run for run, _ in planted], [tried for _, tried in planted])
    assert (figures.tried, figures.unhandled, figures.invalid_sent) == (6, 1, 3), figures.examples

    escapes = Escapes()
    for value, target in [("a/b", "/v1/jobs/a%2Fb"), ("a/b", "/v1/members"), ("%2e%2E", "/v1/jobs/%2e%2E"),
                          ("..", "/v1/jobs/.."), ("a?b=c", "/v1/jobs/a?b=c")]:
        judge(document, "delete_job", value, [Arrived("DELETE", target, {}, b"")], escapes)
    judge(document, "delete_job", ".", [], escapes)
    assert (escapes.tried, escapes.refused, escapes.at_endpoint, escapes.escaped) == (6, 1, 1, 4), escapes.examples
