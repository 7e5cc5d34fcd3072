"""The conformance corpus on the Python runtime: every case passes, and the corpus is whole."""

from __future__ import annotations

import collections
import json

import pytest

from connector_core.conformance import connector_names, document_path, document_text, load_cases
from connector_core.conformance.keys import coverage, spec_keys
from connector_core.conformance.runner import canonical, outcome

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_case(case):
    assert canonical(outcome(case)) == canonical(case["expect"])


def test_case_names_are_unique():
    counts = collections.Counter(case["name"] for case in CASES)
    assert [name for name, count in counts.items() if count > 1] == []


def test_every_case_is_complete():
    for case in CASES:
        assert {"name", "keys", "step", "expect"} <= set(case), case["name"]
        assert case["keys"], f"{case['name']} names no spec-language key"


@pytest.mark.parametrize("name", connector_names())
def test_runtime_documents_are_fresh(name):
    path = document_path(name)
    assert path.exists(), f"{path} is missing: run python -m connector_core.conformance refresh"
    assert path.read_text(encoding="utf-8") == document_text(name), \
        f"{path} is stale: run python -m connector_core.conformance refresh"
    assert json.loads(path.read_text(encoding="utf-8"))["name"] == name


def test_every_spec_language_key_has_a_case():
    covered, missing = coverage()
    assert set(covered) == set(spec_keys())
    assert missing == []


def test_a_case_naming_an_unknown_key_is_refused(monkeypatch):
    monkeypatch.setattr("connector_core.conformance.keys.load_cases",
                        lambda: [{"name": "x", "keys": ["request.nonsense"]}])
    with pytest.raises(ValueError, match="request.nonsense"):
        coverage()


def test_a_wrong_expectation_fails():
    """The comparison can fail: `true` is not `1`, and a changed message is noticed."""
    case = next(case for case in CASES if case["name"] == "one_is_not_a_boolean")
    assert canonical({"value": True}) != canonical({"value": 1})
    wrong = {**case, "expect": {"value": {"name": "x", "urgent": True}}}
    assert canonical(outcome(wrong)) != canonical(wrong["expect"])


def test_the_report_lists_the_cases_of_every_key(capsys):
    from connector_core.conformance.__main__ import main

    assert main(["report"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("request.params.in=path: ") and "dot_dot_id_is_refused" in line for line in lines)
    assert lines[-1] == f"{len(spec_keys())} of {len(spec_keys())} keys have cases"
