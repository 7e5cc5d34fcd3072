"""Run any operation of any connector over HTTP, synchronously or with asyncio.

The clients only perform what a plan asks for (send a request, sleep); every decision is in
`plan` and `polling`, so both clients behave identically by construction. A trigger has three
plans (docs/polling.md): `poll` with state, `poll_window` without, and `latest` for a manual test;
`run` on a trigger is one stateless window poll.
"""

from __future__ import annotations

import functools
import ssl
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from connector_core.runtime.connection import ConnectionSettings
from connector_core.runtime.errors import TransportError
from connector_core.runtime.plan import Plan, Sleep, drive, options_plan, run_plan
from connector_core.runtime.polling import PollResult, PollState, latest_plan, poll_plan, window_plan
from connector_core.spec.loader import load_connector
from connector_core.spec.models import Connector


def now_ms() -> int:
    return int(time.time() * 1000)


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
        timeout: float = 30.0,
    ) -> None:
        self.connector = load_connector(connector) if isinstance(connector, str) else connector
        self.settings = ConnectionSettings(self.connector, connection, base_url=base_url, env=env)
        self.clock = clock
        self.timeout = timeout

    def _plan(self, operation_key: str, input: Any) -> Plan:
        operation = self.connector.operation(operation_key)
        if operation.kind == "trigger":
            return self._window_plan(operation_key, input, None, None)
        return run_plan(self.connector, operation, self.settings, input, clock=self.clock)

    def _poll_plan(self, operation_key: str, input: Any, state: PollState | None, now_ms: int | None) -> Plan:
        return poll_plan(self.connector, self.connector.operation(operation_key), self.settings, input, state,
                         self.clock() if now_ms is None else now_ms, clock=self.clock)

    def _window_plan(self, operation_key: str, input: Any, now_ms: int | None, window_ms: int | None) -> Plan:
        return window_plan(self.connector, self.connector.operation(operation_key), self.settings, input,
                           self.clock() if now_ms is None else now_ms, window_ms, clock=self.clock)

    def _latest_plan(self, operation_key: str, input: Any, now_ms: int | None) -> Plan:
        return latest_plan(self.connector, self.connector.operation(operation_key), self.settings, input,
                           self.clock() if now_ms is None else now_ms, clock=self.clock)

    def _options_plan(self, source: str) -> Plan:
        return options_plan(self.connector, source, self.settings, clock=self.clock)

    def _transport_error(self, error: httpx.TransportError) -> TransportError:
        return TransportError(self.settings.redact(f"cannot reach {self.settings.base_url}: {error}"))


class Client(_ClientBase):
    """Synchronous client. `run` returns the operation's output; for a trigger, one poll's events."""

    def __init__(self, connector: Connector | str, *, transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep, **options: Any) -> None:
        super().__init__(connector, **options)
        self._http = httpx.Client(transport=transport, timeout=self.timeout, verify=tls_for(self.settings.base_url))
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

    def options(self, source: str) -> list[dict[str, Any]]:
        """The choices of an option source (a dropdown), as `{"value", "label"}` pairs."""
        return self._drive(self._options_plan(source))

    def _drive(self, plan: Plan) -> Any:
        return drive(plan, self._send, self._sleep)

    def _send(self, request: httpx.Request) -> httpx.Response:
        try:
            response = self._http.send(request)
            response.read()
            return response
        except httpx.TransportError as error:
            raise self._transport_error(error) from None

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
        self._http = httpx.AsyncClient(transport=transport, timeout=self.timeout,
                                       verify=tls_for(self.settings.base_url))
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

    async def options(self, source: str) -> list[dict[str, Any]]:
        return await self._drive(self._options_plan(source))

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

    async def _send(self, request: httpx.Request) -> httpx.Response:
        try:
            response = await self._http.send(request)
            await response.aread()
            return response
        except httpx.TransportError as error:
            raise self._transport_error(error) from None

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
