"""Every conformance case, rendered through the Make app generated for its corpus connector.

A case passes (the generated templates render what the case expects) or is listed, with the
reason, in make_blueprints.approximations; a listed case that passes is a stale entry.
"""

from __future__ import annotations

import functools
import json

import pytest

from connector_core.conformance import connector_names, document_text, load_cases, load_connector
from make_blueprints.app import generate
from make_blueprints.approximations import APPROXIMATED
from make_blueprints.components import GeneratedApp
from make_blueprints.corpus import case_problems
from make_blueprints.names import module_name
from make_blueprints.offer import declined
from make_blueprints.references import problems
from make_blueprints.schemas import validate

CASES = load_cases()


@functools.cache
def _app(name: str) -> GeneratedApp:
    return GeneratedApp(generate(json.loads(document_text(name))))


@pytest.mark.parametrize("name", connector_names())
def test_every_corpus_connector_generates_an_app_that_make_s_schemas_and_references_accept(name):
    files = _app(name).files
    assert validate(files) == []
    assert problems(files) == []


@functools.cache
def _connector(name: str):
    return load_connector(name)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_each_case_renders_as_the_corpus_says_or_is_listed(case):
    connector = _connector(case["connector"])
    problems = case_problems(_app(case["connector"]), connector, case)
    why = declined(connector.operation(case["operation"])) if "operation" in case else None
    if why is not None:  # the app has no module for it: the reason is the operation's, not the case's
        assert case["name"] not in APPROXIMATED and problems == [why]
        assert module_name(connector.operation(case["operation"])) not in _app(case["connector"]).modules
    elif case["name"] in APPROXIMATED:
        assert problems, f"{case['name']} now passes on Make: remove it from approximations"
    else:
        assert problems == []


def test_the_registry_lists_only_cases_of_the_corpus():
    assert set(APPROXIMATED) <= {case["name"] for case in CASES}


def _dot_segment_cases() -> list[dict]:
    return [case for case in CASES if any(problem.get("rule") == "path_segment"
                                          for problem in case["expect"].get("error", {}).get("problems", []))]


def test_without_the_path_pattern_the_dot_segment_cases_fail():
    """The refusal comes from the generated parameter validation: take it away and the cases break."""
    app = _app("acme")
    files = dict(app.files)
    path = "modules/get-item/get-item.mappable-params.iml.json"
    params = json.loads(files[path])
    for param in params:
        param.pop("validate", None)
    files[path] = json.dumps(params)
    tampered = GeneratedApp(files)
    cases = [case for case in _dot_segment_cases() if case.get("operation") == "get_item"
             and case["name"] not in APPROXIMATED]
    assert len(cases) >= 3
    for case in cases:
        assert case_problems(_app("acme"), _connector("acme"), case) == []
        assert case_problems(tampered, _connector("acme"), case), case["name"]
