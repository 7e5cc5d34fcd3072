"""Every operation of every bundled connector (and of the corpus's made-up ones), fed generated and
hostile inputs.

For each input: the Python client (over httpx.MockTransport) raises nothing but ConnectorErrors,
sends nothing for invalid input and only requests that satisfy the operation (`outcomes.classify`);
and the JS kernel (`prepareInput` + `buildRequest`, in one node process) decides the same: valid or
not, the same problems by field and rule, the same prepared value and the same request.
"""

from __future__ import annotations

import copy
import functools
import json
import os
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from hypothesis import given, settings

from connector_core import conformance
from connector_core.document import runtime_document
from connector_core.runtime import Client, ConnectorError, InputValidationError
from connector_core.runtime.connection import ConnectionSettings
from connector_core.runtime.plan import validated_input
from connector_core.runtime.request import build_request
from connector_core.spec import loader
from connector_core.spec.models import Connector
from tests.properties.conftest import TALLY, Kernel, json_line
from tests.properties.outcomes import Observed, classify
from tests.properties.strategies import baseline, operation_inputs, targeted_values

BASE_URL = "https://api.example.test/v1"
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "bounded"))
TRANSPORT_HEADERS = {"host", "content-length", "accept-encoding", "connection", "user-agent"}


@dataclass(frozen=True)
class Subject:
    """A connector under test: every bundled one, and the corpus's made-up ones."""

    name: str
    connector: Connector
    document: dict[str, Any]
    connection: dict[str, str]


def subject(name: str, connector: Connector) -> Subject:
    connection = {field.key: f"{field.key}-3c1e" for field in connector.connection.fields
                  if field.required and field.default is None}
    return Subject(name, connector, runtime_document(connector), connection)


SUBJECTS = {item.name: item for item in
            [subject(name, loader.load_connector(name)) for name in loader.bundled_connectors()]
            + [subject(f"corpus-{name}", conformance.load_connector(name)) for name in conformance.connector_names()]}
OPERATIONS = [(name, key) for name, item in SUBJECTS.items() for key in item.connector.operations]


def wire(request: httpx.Request) -> dict[str, Any]:
    """A request as `outcomes` and the kernel describe it: method, URL, the spec's headers, body text."""
    headers = {name.lower(): value for name, value in request.headers.items() if name.lower() not in TRANSPORT_HEADERS}
    return {"method": request.method, "url": str(request.url), "headers": headers,
            "body": request.content.decode() if request.content else None}


class Recorder:
    """A Python client per connector whose requests are recorded and answered 200 `{}`."""

    def __init__(self, tested: Subject) -> None:
        self.sent: list[dict[str, Any]] = []
        self.client = Client(tested.connector, connection=tested.connection, base_url=BASE_URL,
                             transport=httpx.MockTransport(self.answer), sleep=lambda seconds: None)

    def answer(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(wire(request))
        return httpx.Response(200, json={})


@functools.lru_cache(maxsize=None)
def recorder(subject_name: str) -> Recorder:
    return Recorder(SUBJECTS[subject_name])


def run_python(tested: Subject, operation_key: str, raw: Any) -> Observed:
    """The operation run by the Python client, with every request it sent."""
    running = recorder(tested.name)
    sent = running.sent = []
    try:
        running.client.run(operation_key, raw)
    except ConnectorError as error:
        return Observed(type(error).__name__, True, sent)
    except Exception as error:  # noqa: BLE001 - what the property is about: nothing else may escape
        return Observed(f"{type(error).__name__}: {str(error)[:200]!r}", False, sent)
    return Observed(None, True, sent)


def python_decision(tested: Subject, operation_key: str, raw: Any) -> dict[str, Any]:
    """The Python runtime's decision in the kernel driver's shape."""
    operation = tested.connector.operation(operation_key)
    try:
        value = validated_input(operation, raw)
    except InputValidationError as error:
        return {"valid": False, "problems": sorted((problem.field, problem.rule) for problem in error.problems)}
    request = build_request(operation.request, value,
                            ConnectionSettings(tested.connector, tested.connection, base_url=BASE_URL))
    return {"valid": True, "value": as_doubles(value), "request": wire(request)}


def as_doubles(value: Any) -> str:
    """A prepared value as JSON text with every number as the double it is: JavaScript writes a
    double's shortest digits (68393006397019530), Python's int() of it every digit (...528).
    The requests, compared as text, keep integers apart from other numbers."""
    def doubles(item: Any) -> Any:
        if isinstance(item, (int, float)) and not isinstance(item, bool):
            return float(item) + 0.0  # -0.0 is 0.0: JSON.stringify writes -0 as 0
        if isinstance(item, dict):
            return {key: doubles(inner) for key, inner in item.items()}
        return [doubles(inner) for inner in item] if isinstance(item, list) else item
    return json.dumps(doubles(value), sort_keys=True, ensure_ascii=True)


def kernel_decision(answer: dict[str, Any]) -> dict[str, Any]:
    assert "thrown" not in answer, f"the kernel threw: {answer['thrown']}"
    if not answer["valid"]:
        return {"valid": False, "problems": sorted((problem["field"], problem["rule"]) for problem in answer["problems"])}
    request = answer["request"]
    headers = {name.lower(): value for name, value in request["headers"].items()}
    return {"valid": True, "value": as_doubles(answer["value"]),
            "request": {"method": request["method"], "url": request["url"], "headers": headers, "body": request["body"]}}


def shown(raw: Any) -> str:
    return json_line(raw)[:300]


def holds(subject_name: str, operation_key: str, raw: Any, kernel: Kernel) -> None:
    """The four properties for one input (each outcome counted for the summary line)."""
    tested = SUBJECTS[subject_name]
    operation = tested.document["operations"][operation_key]
    TALLY["tried"] += 1
    verdict = classify(operation, BASE_URL, run_python(tested, operation_key, copy.deepcopy(raw)))
    TALLY[verdict.kind] += 1
    assert not verdict.fault, f"{verdict.kind}: {verdict.reasons} for {shown(raw)}"
    python = python_decision(tested, operation_key, copy.deepcopy(raw))
    js = kernel_decision(kernel.decide(tested.name, tested.document, tested.connection, BASE_URL, operation_key, raw))
    if python != js:
        TALLY["disagreements"] += 1
    assert python == js, f"Python and the kernel disagree on {shown(raw)}"


@pytest.mark.parametrize(("subject_name", "operation_key"), OPERATIONS)
def test_generated_inputs(subject_name: str, operation_key: str, kernel: Kernel) -> None:
    schema = SUBJECTS[subject_name].connector.operation(operation_key).input

    @settings(PROFILE)
    @given(raw=operation_inputs(schema))
    def each(raw: Any) -> None:
        holds(subject_name, operation_key, raw, kernel)

    each()


@pytest.mark.parametrize(("subject_name", "operation_key"), OPERATIONS)
def test_every_hostile_value_in_every_field(subject_name: str, operation_key: str, kernel: Kernel) -> None:
    schema = SUBJECTS[subject_name].connector.operation(operation_key).input
    base = baseline(schema)
    holds(subject_name, operation_key, base, kernel)
    for name in schema.get("properties", {}):
        for value in targeted_values():
            holds(subject_name, operation_key, {**base, name: value}, kernel)


@pytest.mark.parametrize(("subject_name", "operation_key"), [(name, next(iter(item.connector.operations)))
                                                              for name, item in SUBJECTS.items()])
def test_an_input_nested_100000_deep_is_refused_everywhere(subject_name: str, operation_key: str,
                                                           kernel: Kernel) -> None:
    """Too deep for any recursion: built, written and judged without one."""
    tested, levels = SUBJECTS[subject_name], 100_000
    deep: Any = 1
    for _ in range(levels):
        deep = [deep]
    observed = run_python(tested, operation_key, {"zz": deep})
    assert (observed.error, observed.requests) == ("InputValidationError", [])
    text = '{"zz": ' + "[" * levels + "1" + "]" * levels + "}"
    answer = kernel.decide(tested.name, tested.document, tested.connection, BASE_URL, operation_key, None,
                           raw_text=text)
    assert kernel_decision(answer) == {"valid": False, "problems": [("zz", "depth")]}
