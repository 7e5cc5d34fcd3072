"""Run any operation of any connector over HTTP, synchronously or with asyncio.

The clients only perform what a plan asks for (send a request, sleep); every decision is in
`plan` and `polling`, so both clients behave identically by construction. A trigger has three
plans (docs/polling.md): `poll` with state, `poll_window` without, and `latest` for a manual test;
`run` on a trigger is one stateless window poll.
"""

from __future__ import annotations

import functools
import random as randomness
import ssl
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from connector_core.runtime.connection import ConnectionSettings
from connector_core.runtime.plan import Plan, Sleep, drive, options_plan, run_plan
from connector_core.runtime.polling import PollResult, PollState, latest_plan, poll_plan, window_plan
from connector_core.spec.loader import load_connector
from connector_core.runtime.transport import TransportFailure
from connector_core.spec.models import Connector


def now_ms() -> int:
    return int(time.time() * 1000)


def failure_of(error: httpx.HTTPError) -> TransportFailure:
    """The failure kind of an httpx error (runtime/transport.py): nothing sent (connect, tls), or
    the request may have reached the API (timeout, reset)."""
    if isinstance(error, httpx.ConnectError) and _caused_by_tls(error):
        return TransportFailure("tls", str(error))
    if isinstance(error, (httpx.ConnectError, httpx.ConnectTimeout, httpx.UnsupportedProtocol, httpx.ProxyError,
                          httpx.LocalProtocolError)):
        return TransportFailure("connect", str(error))
    if isinstance(error, httpx.TimeoutException):
        return TransportFailure("timeout", str(error))
    return TransportFailure("reset", str(error))


def _caused_by_tls(error: BaseException) -> bool:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _too_large(size: int, cap: int | None) -> bool:
    return cap is not None and size > cap


def _cap(request: httpx.Request) -> int | None:
    """The size cap the plan stamped on the request (runtime/budget.py)."""
    return request.extensions.get("max_response_bytes")


def _time_limit(request: httpx.Request) -> float | None:
    """The whole exchange's time limit: the request's timeout, which httpx applies to each read
    only, so a server dripping one byte at a time would never trip it."""
    timeout = request.extensions.get("timeout")
    return timeout.get("read") if isinstance(timeout, dict) else None


def _late(started: float, limit: float | None) -> TransportFailure | None:
    if limit is not None and time.monotonic() - started > limit:
        return TransportFailure("timeout", "the answer did not arrive whole in time")
    return None


@functools.lru_cache(maxsize=1)
def _trusted_tls() -> ssl.SSLContext:
    """The CA bundle, loaded once per process: loading it costs 50-100 ms, and a context is
    shared safely by any number of clients."""
    return httpx.create_ssl_context()


def tls_for(base_url: str) -> ssl.SSLContext:
    """TLS settings for a connection: the trusted CA bundle for `https`; for `http` (every request
    goes to the base URL and redirects are not followed, so none uses TLS) a context that still
    verifies but trusts no CA, which costs nothing to build and would refuse any TLS peer."""
    if base_url.lower().startswith("https:"):
        return _trusted_tls()
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


class _ClientBase:
    def __init__(
        self,
        connector: Connector | str,
        *,
        connection: Mapping[str, str | None] | None = None,
        base_url: str | None = None,
        env: Mapping[str, str] | None = None,
        clock: Callable[[], int] = now_ms,
        random: Callable[[], float] = randomness.random,
    ) -> None:
        self.connector = load_connector(connector) if isinstance(connector, str) else connector
        self.settings = ConnectionSettings(self.connector, connection, base_url=base_url, env=env)
        self.clock = clock
        self.random = random

    def _plan(self, operation_key: str, input: Any) -> Plan:
        operation = self.connector.operation(operation_key)
        if operation.kind == "trigger":
            return self._window_plan(operation_key, input, None, None)
        return run_plan(self.connector, operation, self.settings, input, clock=self.clock, random=self.random)

    def _poll_plan(self, operation_key: str, input: Any, state: PollState | None, now_ms: int | None) -> Plan:
        return poll_plan(self.connector, self.connector.operation(operation_key), self.settings, input, state,
                         self.clock() if now_ms is None else now_ms, clock=self.clock, random=self.random)

    def _window_plan(self, operation_key: str, input: Any, now_ms: int | None, window_ms: int | None) -> Plan:
        return window_plan(self.connector, self.connector.operation(operation_key), self.settings, input,
                           self.clock() if now_ms is None else now_ms, window_ms, clock=self.clock, random=self.random)

    def _latest_plan(self, operation_key: str, input: Any, now_ms: int | None) -> Plan:
        return latest_plan(self.connector, self.connector.operation(operation_key), self.settings, input,
                           self.clock() if now_ms is None else now_ms, clock=self.clock, random=self.random)

    def _options_plan(self, source: str, value: Any) -> Plan:
        return options_plan(self.connector, source, self.settings, value, clock=self.clock, random=self.random)


class Client(_ClientBase):
    """Synchronous client. `run` returns the operation's output; for a trigger, one poll's events."""

    def __init__(self, connector: Connector | str, *, transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep, **options: Any) -> None:
        super().__init__(connector, **options)
        self._http = httpx.Client(transport=transport, verify=tls_for(self.settings.base_url))
        self._sleep = sleep

    def run(self, operation_key: str, input: Any = None) -> Any:
        result = self._drive(self._plan(operation_key, input))
        return result.events if isinstance(result, PollResult) else result

    def poll(self, operation_key: str, state: PollState | None = None, input: Any = None, *,
             now_ms: int | None = None) -> PollResult:
        """One poll from `state` (None: the first, which sets a baseline); `now_ms` overrides the clock."""
        return self._drive(self._poll_plan(operation_key, input, state, now_ms))

    def poll_window(self, operation_key: str, input: Any = None, *, now_ms: int | None = None,
                    window_ms: int | None = None) -> PollResult:
        """A stateless poll: what changed in the last two polling intervals (`window_ms`, default
        polling.window_ms) plus the lookback, newest first."""
        return self._drive(self._window_plan(operation_key, input, now_ms, window_ms))

    def latest(self, operation_key: str, input: Any = None, *, now_ms: int | None = None) -> PollResult:
        """The manual test: `[newest record]`, or `[the spec's sample]` when the account has none."""
        return self._drive(self._latest_plan(operation_key, input, now_ms))

    def options(self, source: str, value: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """The choices of an option source (a dropdown), as `{"value", "label"}` pairs; `value` holds
        the other fields of the form a source with an `input` reads."""
        return self._drive(self._options_plan(source, value))

    def _drive(self, plan: Plan) -> Any:
        return drive(plan, self._send, self._sleep)

    def _send(self, request: httpx.Request) -> httpx.Response | TransportFailure:
        """The answer read up to the request's size cap within its timeout, or the failure that stopped it."""
        started = time.monotonic()
        try:
            response = self._http.send(request, stream=True)
            try:
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if _too_large(len(body), _cap(request)):
                        return TransportFailure("too_large")
                    late = _late(started, _time_limit(request))
                    if late:
                        return late
            finally:
                response.close()
        except (httpx.TransportError, httpx.DecodingError) as error:
            return failure_of(error)
        response._content = bytes(body)  # what `read()` would have set, read here within the cap
        return response

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncClient(_ClientBase):
    """The same operations with asyncio."""

    def __init__(self, connector: Connector | str, *, transport: httpx.AsyncBaseTransport | None = None,
                 sleep: Callable[[float], Any] | None = None, **options: Any) -> None:
        import asyncio  # here, not at the top: the synchronous commands should not pay for importing it

        super().__init__(connector, **options)
        self._http = httpx.AsyncClient(transport=transport, verify=tls_for(self.settings.base_url))
        self._sleep = sleep or asyncio.sleep

    async def run(self, operation_key: str, input: Any = None) -> Any:
        result = await self._drive(self._plan(operation_key, input))
        return result.events if isinstance(result, PollResult) else result

    async def poll(self, operation_key: str, state: PollState | None = None, input: Any = None, *,
                   now_ms: int | None = None) -> PollResult:
        return await self._drive(self._poll_plan(operation_key, input, state, now_ms))

    async def poll_window(self, operation_key: str, input: Any = None, *, now_ms: int | None = None,
                          window_ms: int | None = None) -> PollResult:
        return await self._drive(self._window_plan(operation_key, input, now_ms, window_ms))

    async def latest(self, operation_key: str, input: Any = None, *, now_ms: int | None = None) -> PollResult:
        return await self._drive(self._latest_plan(operation_key, input, now_ms))

    async def options(self, source: str, value: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return await self._drive(self._options_plan(source, value))

    async def _drive(self, plan: Plan) -> Any:
        reply: Any = None
        try:
            while True:
                step = plan.send(reply)
                if isinstance(step, Sleep):
                    await self._sleep(step.seconds)
                    reply = None
                else:
                    reply = await self._send(step)
        except StopIteration as done:
            return done.value

    async def _send(self, request: httpx.Request) -> httpx.Response | TransportFailure:
        import asyncio  # loaded by __init__ already

        try:
            return await asyncio.wait_for(self._exchange(request), _time_limit(request))
        except asyncio.TimeoutError:
            return TransportFailure("timeout", "the answer did not arrive whole in time")

    async def _exchange(self, request: httpx.Request) -> httpx.Response | TransportFailure:
        try:
            response = await self._http.send(request, stream=True)
            try:
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if _too_large(len(body), _cap(request)):
                        return TransportFailure("too_large")
            finally:
                await response.aclose()
        except (httpx.TransportError, httpx.DecodingError) as error:
            return failure_of(error)
        response._content = bytes(body)
        return response

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
