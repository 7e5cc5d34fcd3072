"""The Python clients as hosts: real loopback servers that misbehave, each failure classified.

A host never raises on a transport problem; it hands the plan a failure kind and the plan decides
(docs/conformance.md, "retries by idempotency"). These servers speak raw sockets, so the failures
are the real ones httpx meets: a refused port, a silent peer, a body cut short, a TLS handshake
with a peer that speaks plain HTTP, an answer past the size cap.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from connector_core import AsyncClient, Client
from connector_core.runtime import TransportError
from connector_core.runtime.timestamps import stamped
from connector_core.spec.models import Connector, Limits

KEY = "secret-key-123"


class Peer:
    """A loopback TCP server answering every connection with `behave(connection)`; counts them."""

    def __init__(self, behave: Callable[[socket.socket], None]) -> None:
        self.behave = behave
        self.connections = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection: socket.socket) -> None:
        with connection:
            connection.recv(65536)
            self.behave(connection)


@contextmanager
def peer(behave: Callable[[socket.socket], None]) -> Iterator[Peer]:
    server = Peer(behave)
    server.thread.start()
    try:
        yield server
    finally:
        server.listener.close()


def stall(connection: socket.socket) -> None:
    connection.recv(1)  # waits until the client gives up and closes


def cut_short(connection: socket.socket) -> None:
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"data\"")


def huge(connection: socket.socket) -> None:
    body = b"[" + b"0," * 1_000_000 + b"0]"
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body))
    try:
        connection.sendall(body)
    except OSError:
        pass  # the client stopped reading at its cap


def drip(connection: socket.socket) -> None:
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n")
    try:
        for _ in range(100):
            connection.sendall(b" ")
            time.sleep(0.05)
    except OSError:
        pass  # the client gave up


def plain_http(connection: socket.socket) -> None:
    connection.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")


def limited(hellotracks: Connector, **limits: float) -> Connector:
    return hellotracks.model_copy(update={"limits": Limits(**limits)})


def client(connector: Connector, base_url: str, sleeps: list[float]) -> Client:
    return Client(connector, connection={"api_key": KEY}, base_url=base_url, sleep=sleeps.append)


def failure_of(run: Callable[[], object]) -> TransportError:
    with pytest.raises(TransportError) as raised:
        run()
    assert KEY not in str(raised.value)
    return raised.value


def test_a_refused_connection_is_retried_and_named(hellotracks):
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    sleeps: list[float] = []
    error = failure_of(lambda: client(hellotracks, f"http://127.0.0.1:{port}/v1", sleeps).run("get_job", {"id": "j1"}))
    assert error.failure == "connect" and sleeps == [0.5, 1.0, 2.0]
    assert error.message.startswith(f"cannot connect to http://127.0.0.1:{port}: ")
    assert "/v1" not in error.message and "j1" not in error.message


def test_a_silent_server_is_a_read_timeout_and_a_get_is_sent_again(hellotracks):
    sleeps: list[float] = []
    with peer(stall) as server:
        connector = limited(hellotracks, timeout=0.2, deadline=60)
        error = failure_of(lambda: client(connector, f"http://127.0.0.1:{server.port}", sleeps).run(
            "get_job", {"id": "j1"}))
    assert error.failure == "timeout" and server.connections == 4
    assert error.message == f"no answer from http://127.0.0.1:{server.port} within 0.2 s (read timeout)"


def test_an_answer_dripping_past_the_timeout_is_a_timeout(hellotracks):
    """httpx's timeouts bound each read; the request's timeout bounds the whole answer."""
    sleeps: list[float] = []
    started = time.monotonic()
    with peer(drip) as server:
        connector = limited(hellotracks, timeout=0.3, deadline=60)
        error = failure_of(lambda: client(connector, f"http://127.0.0.1:{server.port}", sleeps).run(
            "get_job", {"id": "j1"}))
    assert error.failure == "timeout" and server.connections == 4
    assert time.monotonic() - started < 3


def test_a_create_cut_short_is_not_sent_again(hellotracks):
    sleeps: list[float] = []
    with peer(cut_short) as server:
        error = failure_of(lambda: client(hellotracks, f"http://127.0.0.1:{server.port}", sleeps).run(
            "create_job", {"title": "Fix the pump"}))
    assert error.failure == "reset" and error.may_have_succeeded and server.connections == 1 and sleeps == []
    assert error.message == (f"the connection to http://127.0.0.1:{server.port} was closed before a complete answer; "
                             "not sent again: the API may have carried it out (give External ID to make a retry safe)")


def test_a_create_with_its_external_id_cut_short_is_sent_again(hellotracks):
    sleeps: list[float] = []
    with peer(cut_short) as server:
        error = failure_of(lambda: client(hellotracks, f"http://127.0.0.1:{server.port}", sleeps).run(
            "create_job", {"title": "Fix the pump", "externalId": "SRP-1"}))
    assert error.failure == "reset" and not error.may_have_succeeded and server.connections == 4


def test_an_answer_past_the_size_cap_is_not_read_on(hellotracks):
    sleeps: list[float] = []
    with peer(huge) as server:
        connector = limited(hellotracks, max_response_bytes=100_000)
        error = failure_of(lambda: client(connector, f"http://127.0.0.1:{server.port}", sleeps).run(
            "find_job", {"externalId": "x"}))
    assert error.failure == "too_large" and server.connections == 1
    assert error.message == (f"the answer from http://127.0.0.1:{server.port} is larger than 100000 bytes, "
                             "the connector's limit")


def test_a_tls_handshake_with_a_plain_server_is_named(hellotracks):
    sleeps: list[float] = []
    with peer(plain_http) as server:
        error = failure_of(lambda: client(hellotracks, f"https://127.0.0.1:{server.port}", sleeps).run(
            "get_job", {"id": "j1"}))
    assert error.failure == "tls"
    assert error.message.startswith(f"TLS handshake with https://127.0.0.1:{server.port} failed")


def test_the_deadline_stops_the_retries_on_the_real_clock(hellotracks):
    sleeps: list[float] = []
    with peer(stall) as server:
        connector = limited(hellotracks, timeout=0.3, deadline=0.5)
        error = failure_of(lambda: client(connector, f"http://127.0.0.1:{server.port}", sleeps).run(
            "get_job", {"id": "j1"}))
    assert error.failure == "timeout" and server.connections == 1 and sleeps == []


def test_the_async_client_classifies_the_same(hellotracks):
    async def create(port: int) -> None:
        async with AsyncClient(hellotracks, connection={"api_key": KEY}, base_url=f"http://127.0.0.1:{port}",
                               sleep=lambda seconds: asyncio.sleep(0)) as http:
            await http.run("create_job", {"title": "Fix the pump"})

    with peer(cut_short) as server:
        error = failure_of(lambda: asyncio.run(create(server.port)))
    assert error.failure == "reset" and error.may_have_succeeded and server.connections == 1


def test_an_answer_within_the_cap_is_read_whole(hellotracks):
    job = hellotracks.operation("find_job").sample
    body = json.dumps({"data": {"items": [job]}}).encode()

    def answer(connection: socket.socket) -> None:
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                           % (len(body), body))

    with peer(answer) as server:
        found = client(limited(hellotracks, max_response_bytes=len(body)), f"http://127.0.0.1:{server.port}", []).run(
            "find_job", {"externalId": "x"})
    assert found == [stamped(hellotracks.operation("find_job").output, job)]
