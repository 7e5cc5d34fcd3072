"""Record one cassette per case, against the sandbox (default) or a live API.

Secrets never reach a file: the header the spec's connection auth names is replaced at record
time, and any secret left in a URL, a header or a body, of the request or the response, is
replaced too, in every encoding a server may echo it in (`runtime.secrets`: raw, URL- or
form-encoded, JSON-escaped, base64). Setup
traffic and the sandbox's control plane are not recorded: only what the operation itself sends.
Against the sandbox, every case starts from a reset, deterministic state and the runtime's clock
is pinned, so re-recording is repeatable. Against a live API, cases that need the sandbox (faults,
control-plane steps) are skipped with a note, and the index lists them with the reason.
"""

from __future__ import annotations

import secrets as random_secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import vcr
from vcr.record_mode import RecordMode
from vcr.request import Request

from connector_core.cassettes.cases import (
    Case,
    CassetteIndex,
    RecordedCase,
    SkippedCase,
    Step,
    load_plan,
    render,
    write_index,
)
from connector_core.cassettes.execution import execute
from connector_core.cassettes.matching import REDACTED
from connector_core.runtime import Client
from connector_core.runtime.client import tls_for
from connector_core.runtime.secrets import Redactor
from connector_core.sandbox import Sandbox
from connector_core.spec import Connector, load_connector
from connector_core.wire import secret_header

SANDBOX_ORIGIN = "http://sandbox.local"
SETUP_HEADER = "X-Connector-Setup"
KEPT_REQUEST_HEADERS = {"accept", "content-type"}  # and the secret header, redacted
# `date` is kept: it is the API's clock, which a trigger's poll reads as the server's now (the
# sandbox's deterministic clock makes it repeat byte for byte).
VOLATILE_RESPONSE_HEADERS = {"server", "connection", "keep-alive", "transfer-encoding"}


def record(connector_name: str, out_dir: Path, *, base_url: str | None = None,
           api_key: str | None = None, log: Callable[[str], None] = lambda line: None,
           progress: Callable[[str], None] = lambda line: None) -> CassetteIndex:
    """Record every case of the connector's plan into `out_dir`; returns the written index.

    Without `base_url` a deterministic sandbox is started for the recording, with `api_key`
    as its key (random when not given); with `base_url`, `api_key` is the live API's key.
    `log` gets what the user must read (a case skipped against a live API); `progress` a line
    per recorded case, for someone watching a long recording.
    """
    connector = load_connector(connector_name)
    plan = load_plan(connector_name)
    out_dir.mkdir(parents=True, exist_ok=True)
    sandbox = None
    if base_url is None:
        api_key = api_key or random_secrets.token_hex(16)
        sandbox = Sandbox(connector_name, deterministic=True, api_key=api_key).start()
        base_url = sandbox.base_url
    elif not api_key:
        raise ValueError("recording against a live API needs its API key")
    recorder = _Recorder(connector, base_url, api_key, sandbox is not None)
    recorded: list[RecordedCase] = []
    skipped: list[SkippedCase] = []
    try:
        for number, case in enumerate(plan.cases, 1):
            reason = case.needs_sandbox() if sandbox is None else None
            if reason is not None:
                log(f"skip {case.name}: {reason}; only the sandbox can record it")
                skipped.append(SkippedCase(name=case.name, operation=case.operation, reason=reason))
                continue
            started = time.monotonic()
            recorded.append(recorder.record_case(case, plan.clock_ms, plan.poll_interval_ms, out_dir))
            progress(f"recorded {number}/{len(plan.cases)} {case.name}: {recorded[-1].interactions} interaction(s), "
                     f"{recorded[-1].outcome.status} ({time.monotonic() - started:.1f} s)")
    finally:
        recorder.close()
        if sandbox is not None:
            sandbox.stop()
    index = CassetteIndex(connector=connector.name, cases=recorded, skipped=skipped,
                          base_path=httpx.URL(base_url).path.rstrip("/"),
                          recorded_against="sandbox" if sandbox is not None else "live")
    write_index(out_dir, index)
    return index


class _Recorder:
    def __init__(self, connector: Connector, base_url: str, api_key: str, against_sandbox: bool) -> None:
        self.connector = connector
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.against_sandbox = against_sandbox
        self.secret_header = secret_header(connector)
        self.origin = str(httpx.URL(self.base_url).copy_with(path="/", query=None)).rstrip("/")
        self.control = httpx.Client(base_url=self.origin, timeout=30, transport=_SetupTransport(self.origin))

    def close(self) -> None:
        self.control.close()

    def record_case(self, case: Case, clock_ms: int, interval_ms: int, out_dir: Path) -> RecordedCase:
        if self.against_sandbox:
            self._control("POST", "/_sandbox/reset")
            self._control("DELETE", "/_sandbox/faults")
        saved = self._run_steps(case.setup, {}, clock_ms)
        if case.fault is not None:
            self._control("POST", "/_sandbox/faults", case.fault.model_dump(exclude_none=True))
        value = render(case.input, saved)
        secrets = Redactor([self.api_key, *([case.api_key] if case.api_key else [])], REDACTED)
        path = out_dir / f"{case.name}.yaml"
        path.unlink(missing_ok=True)
        with self._vcr(secrets).use_cassette(str(path)) as cassette:
            client = self._client(case.api_key or self.api_key)
            ends: list[int] = []  # the cassette's length as each poll ends

            def between_polls() -> None:
                ends.append(len(cassette))
                self._run_steps(case.between_polls, saved, clock_ms)

            outcome = execute(
                client, self.connector.operation(case.operation), value,
                polls=case.polls, clock_ms=clock_ms, interval_ms=interval_ms, mode=case.mode,
                between_polls=between_polls,
            )
            client.close()
            interactions = len(cassette)
            ends.append(interactions)
        if interactions == 0:
            path.write_text("interactions: []\nversion: 1\n", encoding="utf-8")
        return RecordedCase(
            name=case.name, operation=case.operation, cassette=path.name, input=value,
            clock_ms=clock_ms, poll_interval_ms=interval_ms, mode=case.mode, polls=case.polls,
            api_key_valid=case.api_key is None, interactions=interactions, outcome=outcome,
            poll_interactions=[end - start for start, end in zip([0, *ends], ends)],
        )

    def _client(self, api_key: str, *, setup: bool = False, clock_ms: int = 0) -> Client:
        return Client(self.connector, connection={self.connector.connection.credential.key: api_key},
                      base_url=self.base_url, transport=_SetupTransport(self.base_url) if setup else None,
                      sleep=lambda seconds: None, clock=lambda: clock_ms)

    def _run_steps(self, steps: list[Step], saved: dict[str, Any], clock_ms: int) -> dict[str, Any]:
        for step in steps:
            for number in range(1, step.repeat + 1):
                saved["step"] = {"n": number}
                result = self._run_step(step, saved, clock_ms)
                if step.save_as:
                    saved[step.save_as] = result
        return saved

    def _run_step(self, step: Step, saved: dict[str, Any], clock_ms: int) -> Any:
        if step.operation:
            with self._client(self.api_key, setup=True, clock_ms=clock_ms) as client:
                return client.run(step.operation, render(step.input, saved))
        return self._control("POST", render(step.sandbox, saved), render(step.body, saved))

    def _control(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self.control.request(method, path, json=body)
        response.raise_for_status()
        return response.json().get("data", {}) if response.content else {}

    def _vcr(self, secrets: Redactor) -> vcr.VCR:
        return vcr.VCR(
            record_mode=RecordMode.ALL,
            filter_headers=[(self.secret_header, REDACTED)],
            before_record_request=lambda request: self._scrub_request(request, secrets),
            before_record_response=lambda response: _scrub_response(response, secrets),
            decode_compressed_response=True,
        )

    def _scrub_request(self, request: Request, secrets: Redactor) -> Request | None:
        if SETUP_HEADER in request.headers:
            return None
        for name in list(request.headers):
            if name.lower() not in KEPT_REQUEST_HEADERS and name.lower() != self.secret_header.lower():
                del request.headers[name]
            else:
                request.headers[name] = secrets(request.headers[name])
        uri = request.uri
        if self.against_sandbox and uri.startswith(self.origin):
            uri = SANDBOX_ORIGIN + uri[len(self.origin):]
        request.uri = secrets(uri)
        if isinstance(request.body, bytes):
            request.body = _scrub_bytes(request.body, secrets)
        elif isinstance(request.body, str):
            request.body = secrets(request.body)
        return request


class _SetupTransport(httpx.BaseTransport):
    """Marks setup traffic so the recorder leaves it out (vcrpy sees the inner transport)."""

    def __init__(self, base_url: str) -> None:
        self._inner = httpx.HTTPTransport(verify=tls_for(base_url))  # loads no CA bundle for http://

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.headers[SETUP_HEADER] = "1"
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


def _scrub_response(response: dict[str, Any], secrets: Redactor) -> dict[str, Any]:
    response["headers"] = {secrets(name): [secrets(value) for value in values]  # a live API may echo the key
                           for name, values in response["headers"].items()
                           if name.lower() not in VOLATILE_RESPONSE_HEADERS}
    status = response.get("status")
    if isinstance(status, dict) and isinstance(status.get("message"), str):
        status["message"] = secrets(status["message"])
    body = response.get("body", {}).get("string")
    if isinstance(body, bytes):
        try:
            response["body"]["string"] = secrets(body.decode("utf-8"))  # a text body is kept as text
        except UnicodeDecodeError:
            response["body"]["string"] = _scrub_bytes(body, secrets)
    elif isinstance(body, str):
        response["body"]["string"] = secrets(body)
    return response


def _scrub_bytes(body: bytes, secrets: Redactor) -> bytes:
    """A body scrubbed as text; bytes that are not UTF-8 come back unchanged around the secrets."""
    return secrets(body.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape")

