"""The sandbox's own tests talk raw HTTP to a deterministic sandbox with its default key.

These fixtures deliberately replace the root conftest's `sandbox` and `client` (a runtime
client) for this folder only: here the API itself is under test, not the runtime.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from connector_core.sandbox import DEFAULT_API_KEY, Sandbox


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox("hellotracks", deterministic=True) as sb:
        yield sb


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.base_url, headers={"API-Key": DEFAULT_API_KEY}, timeout=5) as c:
        yield c
