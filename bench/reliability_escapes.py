"""Ids that would change the endpoint (dot segments, `/`, `?`, `#`, their encoded forms) through
every host, against a loopback stand-in that keeps each request's target exactly as it arrived.

A value is either refused (nothing sent) or arrives as one path segment that decodes to exactly
that value at the operation's own endpoint; anything else reached another endpoint. Where a request
went is judged by the property tests' oracle (tests/properties/outcomes.py, `request_faults`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from reliability_faults import valid_input
from reliability_inputs import BASE_PATH, wire  # also puts the repository root on sys.path for the oracle
from reliability_leaks import KEY, bench_connection
from reliability_recorder import Arrived, Recorder

from connector_core.document import connector_from_document
from connector_core.faults import success_body
from connector_core.runtime.client import Client
from connector_core.runtime.errors import ConnectorError
from tests.properties.outcomes import request_faults

VALUES = [".", "..", "%2e", "%2E%2e", ".%2e", "%252e%252e", "%25252e%25252E", "../members", "..%2Fmembers",
          "a/b", "a/../../members", "a?b=c", "a#b", "?", "#", "/", "%2F", "a%2Fb", "%3F", "%23", "\\..\\members",
          "..;", "..\u2215members", "\uff0e\uff0e", "a%00b", "..%00", "%2e%2e%2f%2e%2e", "x/%2e%2e/members"]
ORIGIN = "http://stand-in"  # what arrived is a target (path and query); any origin will do for the oracle
# The oracle's reasons that say a request went somewhere else (its other reasons are about values).
ELSEWHERE = ("method ", "another origin", "segments, the endpoint", " instead of ", "a dot segment",
             "unknown query param")


@dataclass
class Tally:
    tried: int = 0
    refused: int = 0
    at_endpoint: int = 0
    escaped: int = 0
    examples: list[str] = field(default_factory=list)


def targets(document: dict[str, Any], quick: bool) -> list[tuple[str, str, dict[str, Any]]]:
    """(operation, value, input) for every operation with a path param and every hostile value."""
    found = []
    for key, operation in sorted(document["operations"].items()):
        params = [param for param in operation["request"]["params"]
                  if param["in"] == "path" and param.get("value") is None]
        for param in params:
            for value in VALUES[:: 4 if quick else 1]:
                found.append((key, value, {**valid_input(operation), param.get("input") or param["name"]: value}))
    return found


def judge(document: dict[str, Any], operation: str, value: str, arrived: list[Arrived], figures: Tally) -> None:
    figures.tried += 1
    if not arrived:
        figures.refused += 1
        return
    spec = document["operations"][operation]
    wrong = [problem for request in arrived
             for problem in request_faults(spec, ORIGIN + BASE_PATH, wire(request, ORIGIN))
             if any(mark in problem for mark in ELSEWHERE)]
    segments = [unquote(part) for request in arrived for part in request.target.partition("?")[0].split("/")]
    if not wrong and value not in segments:
        wrong.append(f"the id arrived as {arrived[0].target!r}")
    if wrong:
        figures.escaped += 1
        if len(figures.examples) < 5:
            figures.examples.append(f"{operation} {value!r}: {wrong[0]}")
    else:
        figures.at_endpoint += 1


def through_python(document: dict[str, Any], quick: bool) -> Tally:
    figures = Tally()
    connector = connector_from_document(document)
    with Recorder() as server, Client(connector, connection=bench_connection(connector), base_url=server.base_url + BASE_PATH,
                                      sleep=lambda seconds: None) as client:
        for operation, value, raw in targets(document, quick):
            server.answer = success_body(document, operation)
            try:
                client.run(operation, raw)
            except ConnectorError:
                pass  # refused or answered: what arrived decides
            judge(document, operation, value, server.take(), figures)
    return figures


def through_zapier(document: dict[str, Any], quick: bool) -> Tally:
    from zapier_schema.app_process import AppProcess
    from zapier_schema.execution import operation_run
    from zapier_schema.project_dir import project_dir

    figures = Tally()
    connector = connector_from_document(document)
    with project_dir(document) as app, Recorder() as server:
        process = AppProcess(app)
        try:
            for operation, value, raw in targets(document, quick):
                server.answer = success_body(document, operation)
                call = operation_run(connector, operation, connector.operation(operation), raw,
                                     base_url=server.base_url + BASE_PATH, api_key=KEY, clock_ms=None)
                process.call(operation, call)
                judge(document, operation, value, server.take(), figures)
        finally:
            process.close()
    return figures


def through_n8n(document: dict[str, Any], quick: bool) -> Tally:
    """One n8n-core process runs every value in order; one stand-in per value, so each request is
    the value's own."""
    from reliability_faults import n8n_batch

    figures = Tally()
    work = targets(document, quick)
    servers = [Recorder(success_body(document, operation)) for operation, _, _ in work]
    for server in servers:
        server.__enter__()
    try:
        n8n_batch(document, [(f"escape-{index}", operation, raw, server.base_url + BASE_PATH)
                             for index, ((operation, _, raw), server) in enumerate(zip(work, servers, strict=True))])
        time.sleep(0.1)
        for (operation, value, _), server in zip(work, servers, strict=True):
            judge(document, operation, value, server.take(), figures)
    finally:
        for server in servers:
            server.__exit__()
    return figures
