"""Hostile inputs for every operation of every bundled connector, through the Python runtime (over
loopback HTTP) and the JS kernel (one Node process), judged by the property tests' oracle
(tests/properties/outcomes.py, the one place the input rules are written apart from the runtimes).

The generator is seeded and sized (no hypothesis: a fixed count per operation, the same inputs on
every run), so a figure moves only when a runtime does.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from common import ROOT
from reliability_leaks import KEY, bench_connection, leaks, masked
from reliability_recorder import Arrived, Recorder

if str(ROOT) not in sys.path:  # the oracle lives in the test tree; every reliability module imports it from here
    sys.path.insert(0, str(ROOT))

from connector_core.document import connector_from_document  # noqa: E402
from connector_core.faults import success_body  # noqa: E402
from connector_core.runtime.client import Client  # noqa: E402
from connector_core.runtime.errors import ConnectorError  # noqa: E402
from tests.properties.outcomes import Observed, classify  # noqa: E402

SEED = 13
KERNEL = "connector_core/kernel/src/index.js"
BASE_PATH = "/v1"  # the stand-in's base URL has a path, so a request that drops it is seen

ANY_VALUE: list[Any] = [None, True, 0, -1, 1.5, 1e308, 2**64, "", " ", [], {}, ["a"], {"a": 1}, "x" * 9000,
                        "\ud800", "\x00", "a\r\nX-Injected: 1", "../..", "a/b?c=d#e"]
TEXT: list[Any] = ["\ud800", "x\udfff", "", " ", "\t", "\x00", "a\x00b", "a\r\nX-Injected: 1", "x" * 9000,
                   ".", "..", "%2e%2E", ".%2e", "%252e%252e", "../members", "a/b?c=d#e", "%2F", "\\..",
                   "\u202eevil", "\ufeffbom", "<script>", "' OR 1=1 --", "日本語", "🚀", "ß", 12, True, ["a"]]
INTEGER: list[Any] = ["7", " 7 ", "7\n", "\u0667", "\uff17", "7.0", 7.0, 7.5, "7.5", "1e1", "0x7", "-0", -1, 11,
                      2**53, "9" * 30, "NaN", "Infinity", True, "true", 1e308, [7], {"v": 7}]
DATE: list[Any] = ["2026-02-30", "2026-05-10\n", "2026-5-10", "0000-01-01", "9999-12-31", "10000-01-01",
                   "2026-05-10T09:30:00+02:00", "2026-05-10T25:00:00Z", "\u0662\u0660\u0662\u0666-05-10", "today"]
EMAIL: list[Any] = ["a@b.co\n", "a@b", "@b.co", "a b@c.de", "a@b.co ", "\u00e4@b.co", "a@b.co\r"]
OBJECT: list[Any] = ["x", ["a"], {"unknown": 1}, {"\u540d\u524d": 1}, {"__proto__": {"a": 1}}, {"constructor": "x"}]
EXTRA_KEYS: list[Any] = ["unknown", "\u043a\u043b\u044e\u0447", "\ud800", "__proto__", "constructor", "a" * 300]


@dataclass
class Tally:
    """One runtime's figures over every generated input."""

    tried: int = 0
    unhandled: int = 0
    invalid_sent: int = 0
    leaks: int = 0
    examples: list[str] = field(default_factory=list)

    def note(self, what: str) -> None:
        if len(self.examples) < 5:
            self.examples.append(masked(what)[:300])


@dataclass(frozen=True)
class Tried:
    """One input through one runtime, as the oracle reads it: the error (None for a result), whether
    it is a ConnectorError and every request sent (`observed`), the base URL the requests went to,
    and the error's text (looked at for the key)."""

    observed: Observed
    base_url: str
    text: str


def wire(arrived: Arrived, origin: str) -> dict[str, Any]:
    """A request that reached the loopback stand-in, in the oracle's shape (body as text or None)."""
    return {"method": arrived.method, "url": origin + arrived.target, "headers": arrived.headers,
            "body": arrived.body.decode("utf-8", errors="surrogateescape") if arrived.body else None}


def inputs(document: dict[str, Any], count: int) -> Iterator[tuple[str, Any]]:
    """`count` inputs for each operation, from a generator seeded by the operation's key."""
    for key, operation in sorted(document["operations"].items()):
        rng = random.Random(f"{SEED}:{document['name']}:{key}")
        for _ in range(count):
            yield key, hostile_input(operation["input"], rng)


def hostile_input(schema: dict[str, Any], rng: random.Random) -> Any:
    """Mostly an object with valid and hostile values, sometimes extra keys, sometimes no object at all."""
    if rng.random() < 0.03:
        return rng.choice([None, [], "x", 7, [{"title": "x"}]])
    value = {name: _value(sub, rng) for name, sub in schema.get("properties", {}).items() if rng.random() < 0.7}
    if rng.random() < 0.1:
        value[rng.choice(EXTRA_KEYS)] = rng.choice(["x", 1, {}])
    return value


def _value(schema: dict[str, Any], rng: random.Random) -> Any:
    roll = rng.random()
    if roll < 0.45:
        return valid_value(schema, rng)
    if roll < 0.9:
        return rng.choice(_hostile(schema, rng))
    return rng.choice(ANY_VALUE)


def valid_value(schema: dict[str, Any], rng: random.Random) -> Any:
    kind = schema.get("type")
    if schema.get("examples"):
        return rng.choice(schema["examples"])
    if kind == "object":
        return {name: valid_value(sub, rng) for name, sub in schema.get("properties", {}).items() if rng.random() < 0.6}
    if kind == "integer":
        return rng.randint(int(schema.get("minimum", -1000)), int(schema.get("maximum", 1000)))
    if kind == "number":
        return rng.choice([0, 1.5, -2.25])
    if kind == "boolean":
        return rng.choice([True, False, "true"])
    if schema.get("format") == "date":
        return "2026-05-10"
    if schema.get("format") == "email":
        return "a@b.co"
    return rng.choice(["Job 1", "O'Brien & Sons", "a b", "ß", "日本", "x/y", "job-42", "100%"])


def _hostile(schema: dict[str, Any], rng: random.Random) -> list[Any]:
    kind = schema.get("type")
    if kind == "object":
        return OBJECT
    if kind in ("integer", "number"):
        return INTEGER
    valid = valid_value(schema, rng)
    around = [valid + "\n", valid + " ", " " + valid, valid + "\r", "\ufeff" + valid] if isinstance(valid, str) else []
    if schema.get("format") == "date":
        return DATE + around
    if schema.get("format") == "email":
        return EMAIL + around
    return TEXT + around


def through_python(document: dict[str, Any], runs: list[tuple[str, Any]]) -> list[Tried]:
    """Each input through the Python runtime's Client against a loopback stand-in."""
    connector = connector_from_document(document)
    tried = []
    with Recorder() as server, Client(connector, connection=bench_connection(connector),
                                      base_url=server.base_url + BASE_PATH, sleep=lambda seconds: None) as client:
        for key, raw in runs:
            server.answer = success_body(document, key)
            error: str | None = None
            handled, text = True, ""
            try:
                client.run(key, raw)
            except ConnectorError as raised:
                error, text = type(raised).__name__, str(raised)
            except Exception as raised:  # the figure: anything but the runtime's own errors is unhandled
                error, handled = f"{type(raised).__name__}: {raised}", False
                text = error
            sent = [wire(arrived, server.base_url) for arrived in server.take()]
            tried.append(Tried(Observed(error, handled, sent), server.base_url + BASE_PATH, text))
    return tried


def through_kernel(document: dict[str, Any], runs: list[tuple[str, Any]]) -> list[Tried]:
    """Each input through the JS kernel's plans, all in one Node process; answers are the success body."""
    base_url = "http://127.0.0.1:9" + BASE_PATH
    connection = bench_connection(connector_from_document(document), base_url)
    payload = {"kernel": str(ROOT / KERNEL), "document": document, "connection": connection,
               "runs": [{"operation": key, "input": raw, "answer": success_body(document, key).decode()}
                        for key, raw in runs]}
    done = subprocess.run(["node", str(ROOT / "bench" / "reliability_kernel.js")], input=json.dumps(payload),
                          capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the kernel driver failed: {done.stderr[-2000:]}")
    tried = []
    for result in json.loads(done.stdout):
        text, threw = f"{result['kind']}: {result['message']}", result["outcome"] == "threw"
        sent = [{"method": request["method"], "url": request["url"], "headers": request["headers"],
                 "body": request["body"]} for request in result["requests"]]
        tried.append(Tried(Observed(text if threw else result["kind"], not threw, sent), base_url, text))
    return tried


def tally(document: dict[str, Any], runs: list[tuple[str, Any]], tried: list[Tried]) -> Tally:
    """The runtime's figures, by `outcomes.classify`: unhandled exceptions (no ConnectorError),
    invalid inputs sent (a request went out that breaks the operation's input schema or endpoint,
    or went out although the runtime refused the input), the key in an error message."""
    figures = Tally(tried=len(runs))
    for (key, raw), result in zip(runs, tried, strict=True):
        operation = document["operations"][key]
        verdict = classify(operation, result.base_url, result.observed)
        if verdict.kind == "unhandled":
            figures.unhandled += 1
            figures.note(f"{key} {_shown(raw)}: {result.text}")
            # what it sent before it threw is judged all the same
            verdict = classify(operation, result.base_url, replace(result.observed, error=None, connector_error=True))
        if verdict.kind in ("invalid_sent", "sent_after_refusal"):
            figures.invalid_sent += 1
            figures.note(f"{key} {_shown(raw)} sent: {verdict.kind} {verdict.reasons[:3]}")
        if leaks(result.text):
            figures.leaks += 1
            figures.note(f"{key} {_shown(raw)}: the key is in its error")
    return figures


def _shown(raw: Any) -> str:
    return json.dumps(raw, ensure_ascii=True)[:160]
