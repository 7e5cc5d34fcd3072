"""The Python runtime held to every fault kind (interfaces of #13, sections 1-2): for each operation
shape that matters, sync and async, the outcome a correct client gives, no duplicate write, no
credential at another origin, no secret in any error in any encoding, and bounded time."""

from __future__ import annotations

import pytest

from connector_core.faults import FAULT_KINDS, expected
from connector_core.runtime.errors import ConnectorError, TransportError
from tests.faults.conftest import SHAPES, carries_credential, error_texts, leaks, run_operation

MAY_HAVE_CARRIED_OUT = "; not sent again: the API may have carried it out"
MODES = ("sync", "async")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("kind", list(FAULT_KINDS))
def test_fault(connector_for, document, kind, shape, mode):
    shape, connector = SHAPES[shape], connector_for(kind)
    want = expected(FAULT_KINDS[kind], safe_to_resend=shape.safe_to_resend, host_retries=False,
                    max_attempts=connector.retry.max_attempts,
                    item_optional=connector.operation(shape.operation).response.empty == "input")
    run = run_operation(connector, document, kind, shape, mode)

    assert not run.hung, f"still running {connector.limits.deadline} s past the deadline"
    assert run.spent <= connector.limits.deadline + 1.0, f"took {run.spent:.2f} s (deadline {connector.limits.deadline})"
    if want.outcome == "ok":
        assert run.error is None, f"expected success, got {run.error!r}"
        assert run.result, "success must carry the record"
    else:
        assert run.error is not None, f"expected {want.outcome}, got success {run.result!r}"
        assert isinstance(run.error, ConnectorError), f"unhandled {type(run.error).__name__}: {run.error}"
        assert type(run.error).__name__ == want.outcome, str(run.error)
        if want.failure is not None:
            assert isinstance(run.error, TransportError) and run.error.failure == want.failure, str(run.error)
        assert run.error.may_have_succeeded is want.may_have_succeeded, str(run.error)
        if want.may_have_succeeded:
            assert MAY_HAVE_CARRIED_OUT in run.error.message, str(run.error)
        for text in error_texts(run.error):
            assert not leaks(text), f"the key leaks in {text!r}"
    if kind in ("connect_refused", "tls_handshake_fails"):   # no request reaches a server: count the back-offs
        assert len(run.time.sleeps) == want.max_requests - 1, run.time.sleeps
    else:
        assert len(run.received) == want.max_requests, [request.method for request in run.received]
    assert not any(carries_credential(request) for request in run.other_received), "a credential left home"
    assert not run.other_received, "a redirect was followed"


def test_every_shape_sends_its_method(connector, document):
    """The shapes are what their names say: one unsafe POST, one POST made safe by its field, a GET,
    a DELETE (so the retry rule is tested on each)."""
    sent = {name: run_operation(connector, document, "status_400", shape, "sync").received[0]
            for name, shape in SHAPES.items()}
    assert {name: request.method for name, request in sent.items()} == {
        "create_unsafe": "POST", "create_idempotent": "POST", "search": "GET", "delete": "DELETE"}
    assert b"EXT-1" in sent["create_idempotent"].body and b"externalId" not in sent["create_unsafe"].body
    assert connector.operation("create_job").request.idempotent_with == ["externalId"]


@pytest.mark.parametrize(("kind", "asked"), [
    ("status_503_retry_after_2_then_200", 2.0),
    ("status_429_retry_after_1_5_then_200", 1.5),
])
def test_retry_after_is_waited(connector, document, kind, asked):
    run = run_operation(connector, document, kind, SHAPES["search"], "sync")
    assert run.error is None and run.time.sleeps == [asked]


@pytest.mark.parametrize("kind", ["status_429_retry_after_negative_then_200", "status_429_retry_after_text_then_200"])
def test_a_retry_after_that_is_no_delay_leaves_the_back_off(connector, document, kind):
    run = run_operation(connector, document, kind, SHAPES["search"], "sync")
    assert run.error is None and run.time.sleeps == [connector.retry.base_delay]


@pytest.mark.parametrize("kind", ["status_503_retry_after_3600", "status_429_retry_after_3600"])
def test_a_retry_after_past_the_back_off_is_carried_not_waited(connector, document, kind):
    run = run_operation(connector, document, kind, SHAPES["search"], "sync")
    assert run.time.sleeps == [] and run.error.retry_after == 3600


def test_the_may_have_carried_out_error_names_the_field_that_makes_a_retry_safe(connector, document):
    run = run_operation(connector, document, "status_504_504_504_200", SHAPES["create_unsafe"], "sync")
    assert run.error.message.endswith(f"{MAY_HAVE_CARRIED_OUT} (give External ID to make a retry safe)")


@pytest.mark.parametrize(("kind", "words"), [
    ("connect_refused", "cannot connect to http://127.0.0.1:"),
    ("tls_handshake_fails", "TLS handshake with https://127.0.0.1:"),
    ("stall", "within 0.2 s (read timeout)"),
    ("reset_before_answer", "was closed before a complete answer"),
    ("body_40mb", "is larger than 1000000 bytes, the connector's limit"),
])
def test_each_failure_says_which_it_was_and_names_only_the_origin(connector_for, document, kind, words):
    run = run_operation(connector_for(kind), document, kind, SHAPES["delete"], "sync")
    assert words in run.error.message
    assert "/jobs" not in run.error.message and "job-1" not in run.error.message
