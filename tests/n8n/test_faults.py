"""The generated n8n node in n8n-core against every fault kind of the fault server: the right error,
one request per run, nothing at another origin, no key in the NodeApiError (message, description,
context, causes, JSON), no hang. One Node process runs every case, each against its own server."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from connector_core.document import connector_from_document
from connector_core.faults import FaultServer, success_body
from connector_core.spec import Connector
from n8n_bridge.execution import credential_values, node_parameters, node_type
from n8n_bridge.names import credential_name
from n8n_bridge.simulation import SharedHost
from n8n_bridge.toolchain import built_package
from tests.host_faults import API_KEY, CASES, SHAPES, HostOutcome, Shape, case_id, problems, small_limits


@pytest.fixture(scope="module")
def document(hellotracks_document: dict[str, Any]) -> dict[str, Any]:
    return small_limits(hellotracks_document)


@pytest.fixture(scope="module")
def host(document: dict[str, Any]) -> Iterator[SharedHost]:
    """The package built from the small-limits document, loaded once in n8n-core, warmed up (n8n
    sets itself up on its first request, which would count against the first case's timeout)."""
    running = SharedHost(built_package(document), script="serve_cases.js")
    try:
        with FaultServer("status_400", success=b"{}") as server:
            run(running, connector_from_document(document), SHAPES[0], server)
        yield running
    finally:
        running.close()


def harness_case(connector: Connector, shape: Shape, base_url: str) -> dict[str, Any]:
    """The node set up for the shape's operation against `base_url`, on the real clock, its error dumped."""
    operation = connector.operation(shape.operation)
    return {
        "name": shape.name, "kind": operation.kind, "nodeType": node_type(connector, operation),
        "parameters": node_parameters(connector, operation, shape.input),
        "credentialType": credential_name(connector),
        "credentials": credential_values(connector, {connector.connection.credential.key: API_KEY}, base_url),
        "clockMs": None, "polls": 1, "intervalMs": 0, "manual": False, "dump": True,
    }


def run(host: SharedHost, connector: Connector, shape: Shape, server: FaultServer) -> HostOutcome:
    """One run against the server; n8n's outcome for the judgement (the kernel's error kind is the one
    the NodeApiError was made from)."""
    started = time.monotonic()
    answer = host.call({"id": shape.name, "case": harness_case(connector, shape, server.base_url)})["outcome"]
    elapsed = time.monotonic() - started
    if answer["status"] == "ok":
        return HostOutcome("ok", "", [], elapsed)
    error = answer["error"]
    texts = [error["message"], str(error["description"]), *map(str, error["messages"]),
             error["dump"]["inspected"], error["dump"]["json"]]
    return HostOutcome(error["dump"]["kind"] or error["type"], error["message"], texts, elapsed)


@pytest.mark.parametrize(("kind", "shape"), CASES, ids=[case_id(*case) for case in CASES])
def test_the_node_survives_the_fault(host: SharedHost, document: dict[str, Any], kind: str, shape: Shape) -> None:
    with FaultServer(kind, success=success_body(document, shape.operation), secrets=[API_KEY]) as server:
        outcome = run(host, connector_from_document(document), shape, server)
        assert problems(kind, shape, outcome, server, document) == [], outcome.message
