"""`connectors record --base-url` against an API that is not the sandbox.

The stand-in for a live API is a real sandbox behind a small loopback proxy that answers every
`/_sandbox` path 404, as a live API would, so the recorder cannot reset, inject faults or call
control endpoints. The proxy also echoes the key back, as some live APIs do, in every encoding a
server may use (response headers and a member of every JSON body: raw, URL-encoded, base64,
JSON-escaped), so the cassettes are checked for each. Cases that need the sandbox are skipped and
listed in the index; everything else is recorded, and the Python runtime verifies against what
was recorded.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.client import HTTPConnection
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml

from connector_core.cassettes.cases import load_index, load_plan
from connector_core.cassettes.verify import verify
from connector_core.cli import main
from connector_core.sandbox import Sandbox

LIVE_KEY = "live/key+3b=9c0e"  # characters that URL-encoding, base64 and JSON escaping all change
FORWARDED = ("API-Key", "Content-Type", "Accept")


def echoes(key: str) -> dict[str, str]:
    """The forms in which a server may send a key back."""
    return {"raw": key, "url": quote(key, safe=""), "url_lower": quote(key, safe="").lower(),
            "base64": base64.b64encode(key.encode()).decode(), "json_escaped": key.replace("/", "\\/")}


def with_echo(content: bytes, key: str) -> bytes:
    """A JSON object body with the key's echoes added as one more member (raw JSON text, so the
    escaped form stays escaped); any other body as it is."""
    if not content.startswith(b"{"):
        return content
    members = ", ".join(f'"{name}": "{form}"' for name, form in echoes(key).items())
    return content.rstrip()[:-1] + (', "echo": {' + members + "}}").encode()


class _LiveLikeProxy(BaseHTTPRequestHandler):
    """Forwards to the sandbox's API; refuses its control plane; echoes the key back.

    It forwards with http.client, not httpx: the recorder patches httpx in this process and
    would record the proxy's own upstream requests as well.
    """

    protocol_version = "HTTP/1.1"
    upstream: tuple[str, int]
    refused: list[str]

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.startswith("/_sandbox"):
            self.refused.append(self.path)
            status, content, content_type = 404, b'{"error":{"message":"Not found"}}', "application/json"
        else:
            connection = HTTPConnection(*self.upstream, timeout=10)
            connection.request(self.command, self.path, body=body, headers={
                name: self.headers[name] for name in FORWARDED if name in self.headers})
            answer = connection.getresponse()
            status, content, content_type = answer.status, answer.read(), answer.headers["Content-Type"]
            connection.close()
        key = self.headers.get("API-Key", "")
        content = with_echo(content, key)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(content)))
        self.send_header("X-Echo-Key", key)
        for name, form in echoes(key).items():
            self.send_header(f"X-Echo-Key-{name}", form)
        self.end_headers()
        self.wfile.write(content)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _forward

    def log_message(self, format: str, *args: object) -> None:
        """Silent, like the sandbox: a log line could hold the key."""


@pytest.fixture
def live_api() -> Iterator[tuple[str, list[str]]]:
    """The base URL of the stand-in live API, and the control-plane paths it refused."""
    refused: list[str] = []
    with Sandbox("hellotracks", deterministic=True, api_key=LIVE_KEY) as sandbox:
        host, port = sandbox.root_url.removeprefix("http://").rsplit(":", 1)
        handler = type("Proxy", (_LiveLikeProxy,), {"upstream": (host, int(port)), "refused": refused})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}{sandbox.base_path}", refused
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)


def test_recording_a_live_api_skips_what_needs_the_sandbox_and_says_so(
        live_api: tuple[str, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    base_url, refused = live_api
    monkeypatch.setenv("HELLOTRACKS_API_KEY", LIVE_KEY)
    assert main(["record", "--connector", "hellotracks", "--base-url", base_url, "--out", str(tmp_path)]) == 0
    assert refused == []  # not one control-plane call was attempted

    plan = load_plan("hellotracks")
    expected_skips = {case.name: case.needs_sandbox() for case in plan.cases if case.needs_sandbox()}
    assert set(expected_skips) >= {"completed_job", "completed_job_window", "find_job_rate_limited",
                                   "find_job_rate_limit_exhausted", "find_member_temporary_error"}  # and any newer
    index = load_index(tmp_path)
    assert index.recorded_against == "live" and index.base_path == "/v1"
    assert {skip.name: skip.reason for skip in index.skipped} == expected_skips
    assert index.skipped[0].reason == "a step calls the sandbox's control plane (/_sandbox/jobs/{{done.id}}/progress)"
    assert [case.name for case in index.cases] == [case.name for case in plan.cases if case.name not in expected_skips]
    printed = capsys.readouterr().out
    for name, reason in expected_skips.items():
        assert f"skip {name}: {reason}; only the sandbox can record it" in printed

    files = sorted(path.name for path in tmp_path.iterdir())
    assert files == sorted(["index.json", *(case.cassette for case in index.cases)])
    for path in tmp_path.iterdir():
        text = path.read_text(encoding="utf-8")
        assert LIVE_KEY not in text and "wrong-key-for-recording" not in text, path.name
    assert "x-echo-key:\n      - REDACTED" in (tmp_path / "get_job.yaml").read_text(encoding="utf-8")
    assert LIVE_KEY not in printed

    cells = verify(tmp_path, platforms=["python"])
    only_skipped = {skip.operation for skip in index.skipped} - {case.operation for case in index.cases}
    assert only_skipped == {"completed_job"}
    failing = {cell.operation: cell.detail for cell in cells if cell.status == "fail"}
    assert failing == {operation: "no recorded case" for operation in only_skipped}


def strings(value: Any) -> Iterator[str]:
    """Every text a loaded cassette holds (keys too), bytes read as UTF-8."""
    if isinstance(value, bytes):
        yield value.decode("utf-8", "replace")
    elif isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(key)
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def test_recording_scrubs_every_echo_of_the_key_in_every_encoding(
        live_api: tuple[str, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base_url, _ = live_api
    monkeypatch.setenv("HELLOTRACKS_API_KEY", LIVE_KEY)
    assert main(["record", "--connector", "hellotracks", "--base-url", base_url, "--out", str(tmp_path)]) == 0
    forms = set(echoes(LIVE_KEY).values()) | set(echoes("wrong-key-for-recording").values())
    cassettes = sorted(tmp_path.glob("*.yaml"))
    echoed = 0
    for path in cassettes:
        text = path.read_text(encoding="utf-8")
        loaded = list(strings(yaml.safe_load(text)))
        for form in forms:
            assert form not in text and not any(form in item for item in loaded), (path.name, form)
        echoed += sum('"echo": {' in item for item in loaded)
    assert echoed >= len(cassettes) // 2  # the echoes were there to scrub: most answers are JSON objects
    get_job = yaml.safe_load((tmp_path / "get_job.yaml").read_text(encoding="utf-8"))
    [interaction] = get_job["interactions"]
    headers = interaction["response"]["headers"]
    assert {name: headers[f"x-echo-key-{name}".lower()] for name in echoes(LIVE_KEY)} == {
        name: ["REDACTED"] for name in echoes(LIVE_KEY)}
    body = json.loads(interaction["response"]["body"]["string"])
    assert body["echo"] == {name: "REDACTED" for name in echoes(LIVE_KEY)}
