"""Every fault kind x representative operations, through the Python client, the Zapier app in
zapier-platform-core and the n8n node in n8n-core, against connector_core.faults' loopback server.

A run survives when its outcome is the kind `faults.expected` names, it sent no more requests than
a correct client may (so no write twice that is not safe to re-send), no credential reached the
redirect's other origin, no error it raised holds the key in any encoding, and it ended within
the operation's deadline plus a margin. The connector's limits and retry delays are made small
(as the fault tests do) so that a stall costs a second, not thirty.
"""

from __future__ import annotations

import copy
import random
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from typing import Any

from reliability_inputs import BASE_PATH, valid_value
from reliability_leaks import KEY, bench_connection, leaks

from connector_core.document import connector_from_document
from connector_core.faults import FAULT_KINDS, FaultServer, expected, success_body
from connector_core.runtime.client import Client
from connector_core.runtime.errors import ConnectorError

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"}
LIMITS = {"timeout": 4.0, "deadline": 8.0}  # short, yet long enough for 16 MB on a loaded machine
RETRY = {"base_delay": 0.05, "max_delay": 2.5, "jitter": 0.0}
WORKERS = 2  # runs at a time per Node host (each its own process): the hosts share the machine
MARGIN_S = 4.0  # past the deadline: a host's own start-up and clean-up, never a hang
TIMER_END = "status_400"  # answered at once: a batch's last run, whose first request ends the one before
HOST_KINDS = {"ThrottledError": "RateLimitError"}  # Zapier's name for a kernel error kind


@dataclass(frozen=True)
class Shape:
    """A representative operation: a write that is not safe to re-send, the same write with its
    idempotent key, a GET search, a DELETE."""

    label: str
    operation: str
    input: dict[str, Any]
    safe_to_resend: bool


@dataclass(frozen=True)
class Ran:
    """What a host did with one fault: its outcome kind (or "ok"), the transport failure kind
    where it says one, whether it says a write may have happened, every text its error holds."""

    outcome: str
    failure: str | None
    may_have_succeeded: bool | None  # None: the host does not say
    error_text: str
    seconds: float | None


@dataclass
class Tally:
    tried: int = 0
    survived: int = 0
    wrong_outcome: int = 0
    extra_requests: int = 0
    duplicate_writes: int = 0
    credential_elsewhere: int = 0
    key_in_error: int = 0
    hangs: int = 0
    examples: list[str] = field(default_factory=list)


def small_limits(document: dict[str, Any]) -> dict[str, Any]:
    """The document with a 4 s timeout, an 8 s deadline and short retry delays."""
    small = copy.deepcopy(document)
    small["limits"] = {**small.get("limits", {}), **LIMITS}
    small["retry"] = {**small["retry"], **RETRY}
    return small


def shapes(document: dict[str, Any]) -> list[Shape]:
    """The representative operations of `document`, found by method and path, not by name."""
    operations = document["operations"]
    found: list[Shape] = []
    creates = [key for key, op in sorted(operations.items())
               if op["request"]["method"] == "POST" and "{" not in op["request"]["path"]]
    if creates:
        create = operations[creates[0]]
        keys = create["request"].get("idempotent_with") or []
        plain = {name: item for name, item in valid_input(create).items() if name not in keys}
        found.append(Shape(f"{creates[0]} (no idempotent key)", creates[0], plain, False))
        if keys:
            keyed = {**plain, **{name: valid_value(_property(create, name), random.Random(name)) for name in keys}}
            found.append(Shape(f"{creates[0]} (with {', '.join(keys)})", creates[0], keyed, True))
    for method, kinds in (("GET", ("search",)), ("DELETE", ("action", "search"))):
        key = next((key for key, op in sorted(operations.items())
                    if op["request"]["method"] == method and op["kind"] in kinds), None)
        if key is not None:
            found.append(Shape(f"{key} ({method})", key, valid_input(operations[key]), True))
    return found


def valid_input(operation: dict[str, Any]) -> dict[str, Any]:
    """A valid value for every required field (seeded, the same on every run)."""
    rng = random.Random(operation["key"])
    schema = operation["input"]
    return {name: valid_value(schema["properties"][name], rng) for name in schema.get("required", [])}


def _property(operation: dict[str, Any], name: str) -> dict[str, Any]:
    return operation["input"].get("properties", {}).get(name, {})


def runs(document: dict[str, Any], quick: bool) -> Iterator[tuple[str, Shape]]:
    """Every fault kind x shape (quick: the first kind of each category)."""
    kinds = list({kind.category: name for name, kind in reversed(FAULT_KINDS.items())}.values()) if quick \
        else list(FAULT_KINDS)
    for shape in shapes(document):
        for kind in kinds:
            yield kind, shape


def judge(document: dict[str, Any], kind: str, shape: Shape, server: FaultServer, ran: Ran,
          host_retries: bool, figures: Tally) -> None:
    """Count what went wrong in one run (nothing: it survived)."""
    operation = document["operations"][shape.operation]
    expectation = expected(FAULT_KINDS[kind], safe_to_resend=shape.safe_to_resend, host_retries=host_retries,
                           max_attempts=int(document["retry"]["max_attempts"]),
                           item_optional=operation["response"].get("empty") == "input")
    method = operation["request"]["method"]
    wrong = []
    outcome = HOST_KINDS.get(ran.outcome, ran.outcome)
    if outcome != expectation.outcome or (expectation.failure and ran.failure not in (None, expectation.failure)):
        wrong.append(f"outcome {outcome}/{ran.failure}, expected {expectation.outcome}/{expectation.failure}")
        figures.wrong_outcome += 1
    if ran.may_have_succeeded is not None and ran.may_have_succeeded != expectation.may_have_succeeded:
        wrong.append(f"may_have_succeeded {ran.may_have_succeeded}, expected {expectation.may_have_succeeded}")
        figures.wrong_outcome += outcome == expectation.outcome
    sent = len(server.received)
    if sent > expectation.max_requests:
        wrong.append(f"sent {sent} requests, at most {expectation.max_requests}")
        figures.extra_requests += 1
        if method not in SAFE_METHODS and not shape.safe_to_resend:
            figures.duplicate_writes += 1
    if any(leaks(f"{request.target} {request.headers} {request.body!r}") for request in server.other_received):
        wrong.append("a credential reached the other origin")
        figures.credential_elsewhere += 1
    if leaks(ran.error_text):
        wrong.append("the key is in the error")
        figures.key_in_error += 1
    if ran.seconds is not None and ran.seconds > float(document["limits"]["deadline"]) + MARGIN_S:
        wrong.append(f"took {ran.seconds:.1f} s")
        figures.hangs += 1
    figures.tried += 1
    figures.survived += not wrong
    if wrong and len(figures.examples) < 8:
        figures.examples.append(f"{kind} x {shape.label}: {'; '.join(wrong)}")


def python_ran(document: dict[str, Any], shape: Shape, server: FaultServer) -> Ran:
    connector = connector_from_document(document)
    client = Client(connector, connection=bench_connection(connector), base_url=server.base_url + BASE_PATH)
    started = time.monotonic()
    try:
        with client:
            client.run(shape.operation, shape.input)
        return Ran("ok", None, False, "", time.monotonic() - started)
    except ConnectorError as error:
        text = f"{error} {error.message} {getattr(error, 'problems', '')}"
        return Ran(type(error).__name__, getattr(error, "failure", None), error.may_have_succeeded, text,
                   time.monotonic() - started)
    except Exception as error:  # not the runtime's own error: the outcome says so, never a survival
        return Ran(f"unhandled {type(error).__name__}", None, None, str(error), time.monotonic() - started)


def through_python(document: dict[str, Any], quick: bool) -> Tally:
    figures, lock = Tally(), threading.Lock()

    def one(kind: str, shape: Shape) -> None:
        with FaultServer(kind, success=success_body(document, shape.operation), secrets=[KEY]) as server:
            ran = python_ran(document, shape, server)
        with lock:
            judge(document, kind, shape, server, ran, False, figures)

    with ThreadPoolExecutor(WORKERS * 2) as pool:
        list(pool.map(lambda item: one(*item), runs(document, quick)))
    return figures


def through_zapier(document: dict[str, Any], quick: bool) -> Tally:
    """One app process per shape (calls run one at a time in each), timed per call. Zapier retries
    on its own infrastructure, so the app sends once and surfaces the first failure."""
    from zapier_schema.app_process import AppProcess
    from zapier_schema.execution import operation_run
    from zapier_schema.project_dir import project_dir

    connector = connector_from_document(document)
    figures, lock = Tally(), threading.Lock()
    work = list(runs(document, quick))

    def shape_runs(shape: Shape, app: Any) -> None:
        process = AppProcess(app)
        try:
            warm_up = operation_run(connector, "warm-up", connector.operation(shape.operation), shape.input,
                                    base_url="http://127.0.0.1:9" + BASE_PATH, api_key=KEY, clock_ms=None)
            process.call("warm-up", warm_up)  # the app's start-up is not the fault's time
            for kind, _ in [item for item in work if item[1] == shape]:
                with FaultServer(kind, success=success_body(document, shape.operation), secrets=[KEY]) as server:
                    call = replace(operation_run(connector, kind, connector.operation(shape.operation), shape.input,
                                                 base_url=server.base_url + BASE_PATH, api_key=KEY, clock_ms=None), dump=True)
                    started = time.monotonic()
                    answer = process.call(kind, call)
                    ran = _host_ran(answer, time.monotonic() - started)
                with lock:
                    judge(document, kind, shape, server, ran, True, figures)
        finally:
            process.close()

    with project_dir(document) as app:
        _each_shape(document, lambda shape: shape_runs(shape, app))
    return figures


def through_n8n(document: dict[str, Any], quick: bool) -> Tally:
    """One n8n-core process per shape running its kinds in order (n8n's node leaves retries to
    n8n's "Retry On Fail", so it sends once); every fault server of the batch is up meanwhile. A
    run's time is from its first request to the next run's first request (a batch is one process);
    a last run against a server that answers at once ends the last fault's time."""
    figures, lock = Tally(), threading.Lock()
    work = list(runs(document, quick))

    def shape_runs(shape: Shape) -> None:
        kinds = [kind for kind, item in work if item == shape]
        with ExitStack() as stack:
            servers = [stack.enter_context(FaultServer(kind, success=success_body(document, shape.operation),
                                                       secrets=[KEY])) for kind in [*kinds, TIMER_END]]
            watch = _FirstRequests(servers)
            results = n8n_batch(document, [(str(index), shape.operation, shape.input, server.base_url + BASE_PATH)
                                           for index, server in enumerate(servers)])
            seconds = watch.stop()
        for index, kind in enumerate(kinds):
            with lock:
                judge(document, kind, shape, servers[index], _host_ran(results.get(str(index)), seconds.get(index)),
                      True, figures)

    _each_shape(document, shape_runs)
    return figures


def n8n_batch(document: dict[str, Any], runs: list[tuple[str, str, dict[str, Any], str]]) -> dict[str, Any]:
    """Each (name, operation, input, base URL) through the built n8n node in one n8n-core process
    (the harness of `connectors verify`), on the real clock, errors with everything they hold."""
    import json

    from n8n_bridge.execution import credential_values, node_parameters, node_type
    from n8n_bridge.names import credential_name
    from n8n_bridge.toolchain import HARNESS, N8N, built_package

    connector = connector_from_document(document)
    package = built_package(document)
    cases = []
    for name, key, raw, base_url in runs:
        operation = connector.operation(key)
        cases.append({"name": name, "kind": operation.kind, "nodeType": node_type(connector, operation),
                      "parameters": node_parameters(connector, operation, raw),
                      "credentialType": credential_name(connector),
                      "credentials": credential_values(connector, {connector.connection.credential.key: KEY}, base_url),
                      "clockMs": None, "intervalMs": 0, "polls": 1, "manual": False, "dump": True})
    done = N8N.run(["node", str(HARNESS / "run_cases.js")], package,
                   stdin=json.dumps({"packageDir": str(package), "cases": cases}), timeout=60 + 15 * len(cases))
    if done.returncode != 0:
        raise RuntimeError(f"the n8n harness failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


class _FirstRequests:
    """When each server of a batch (in the batch's order) got its first request (polled every 20 ms)."""

    def __init__(self, servers: list[FaultServer]) -> None:
        self._servers, self._first, self._done = servers, {}, threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._done.wait(0.02):
            for index, server in enumerate(self._servers):
                if index not in self._first and server.received:
                    self._first[index] = time.monotonic()

    def stop(self) -> dict[int, float]:
        """Seconds from each run's first request to the next run's first request, by position (a run
        that sent nothing has none; its time counts in the run before it)."""
        self._done.set()
        self._thread.join()
        starts = sorted(self._first.items())
        return {index: starts[place + 1][1] - began for place, (index, began) in enumerate(starts[:-1])}


def _host_ran(answer: dict[str, Any] | None, seconds: float | None) -> Ran:
    """A Node host's outcome: the kernel's error kind where the host keeps it, else its error type."""
    if answer is None:
        return Ran("no outcome", None, None, "", seconds)
    if answer["status"] == "ok":
        return Ran("ok", None, None, "", seconds)
    error = answer.get("error") or {}
    dump = error.get("dump")
    kind = (dump.get("kind") if isinstance(dump, dict) else None) or error.get("type") or "Error"
    return Ran(kind, None, None, repr(error), seconds)


def _each_shape(document: dict[str, Any], work: Callable[[Shape], None]) -> None:
    shaped = shapes(document)
    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(work, shaped))
