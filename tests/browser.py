"""Headless Chromium (Debian's package) driven over the DevTools protocol, for the report's page test.

A fresh profile per browser, no network features (no QUIC, sync, component updates or
background requests); `Page` collects every console error, uncaught exception and log error the
page raises, so a test can assert there are none.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import select
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import ClientConnection, connect

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--remote-debugging-port=0"]
LISTENING = re.compile(r"DevTools listening on (ws://\S+)")


class Browser:
    """One Chromium process and its DevTools websocket. Use as a context manager."""

    def __init__(self, profile: Path) -> None:
        if not CHROMIUM.exists():
            pytest.fail(f"Chromium is missing ({CHROMIUM}); `make toolchains` installs it")
        self._process = subprocess.Popen([str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self._closing = contextlib.ExitStack()
        self._socket: ClientConnection = self._closing.enter_context(
            connect(self._devtools_url(), max_size=None, open_timeout=10))
        self._ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []

    def _devtools_url(self, timeout: float = 20) -> str:
        """Chromium prints its browser websocket on stderr once it listens."""
        assert self._process.stderr is not None
        deadline, seen = time.monotonic() + timeout, []
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self._process.stderr], [], [], 0.5)
            if ready:
                line = self._process.stderr.readline()
                seen.append(line)
                if match := LISTENING.search(line):
                    return match.group(1)
                if not line and self._process.poll() is not None:
                    break
        self.close()
        raise RuntimeError(f"Chromium did not open its DevTools port: {''.join(seen)[-2000:]}")

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
             timeout: float = 20) -> dict[str, Any]:
        """One DevTools command; the events that arrive meanwhile are kept in `events`."""
        ident = next(self._ids)
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._socket.send(json.dumps(message))
        deadline = time.monotonic() + timeout
        while True:
            reply = json.loads(self._socket.recv(timeout=max(0.1, deadline - time.monotonic())))
            if reply.get("id") == ident:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            self.events.append(reply)

    def wait_for(self, method: str, session: str, timeout: float = 20) -> dict[str, Any]:
        """The first event `method` of `session`, from those kept or those still to come."""
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events:
                if event.get("method") == method and event.get("sessionId") == session:
                    self.events.remove(event)
                    return event
            self.events.append(json.loads(self._socket.recv(timeout=max(0.1, deadline - time.monotonic()))))

    def open(self, url: str) -> Page:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Page"):
            self.send(f"{domain}.enable", session=session)
        self.send("Page.navigate", {"url": url}, session=session)
        self.wait_for("Page.loadEventFired", session)
        return Page(self, session)

    def close(self) -> None:
        if hasattr(self, "_closing"):
            self._closing.close()
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stderr is not None:
            self._process.stderr.close()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Page:
    def __init__(self, browser: Browser, session: str) -> None:
        self._browser, self._session = browser, session

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression evaluated in the page."""
        result = self._browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                                    session=self._session)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def click(self, selector: str) -> None:
        """A real left click (mouse events, not `element.click()`) at the middle of the element."""
        box = self.evaluate(f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
                            " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                            " return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()")
        for kind in ("mousePressed", "mouseReleased"):
            self._browser.send("Input.dispatchMouseEvent", {"type": kind, "x": box["x"], "y": box["y"],
                                                            "button": "left", "clickCount": 1}, session=self._session)

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and error log entries the page has raised so far."""
        self.evaluate("0")  # a round trip, so events raised before it have arrived
        found = []
        for event in self._browser.events:
            if event.get("sessionId") != self._session:
                continue
            params = event.get("params", {})
            if event["method"] == "Runtime.exceptionThrown":
                found.append(f"exception: {params['exceptionDetails'].get('text')}")
            elif event["method"] == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(f"console.{params['type']}: {[arg.get('value') for arg in params.get('args', [])]}")
            elif event["method"] == "Log.entryAdded" and params["entry"]["level"] == "error":
                found.append(f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}")
        return found
