"""connector_core: the spec language, the runtime, the sandbox, cassettes and the CLI.

The names below are imported on first use (PEP 562), not with the package: every submodule,
the command line too, imports this package first, and the runtime and the spec language pull in
pydantic, jsonschema and httpx, which `connectors --help` must not wait for.
"""

from __future__ import annotations

import importlib
from typing import Any

_HOMES = {
    "AsyncClient": "connector_core.runtime", "Client": "connector_core.runtime", "PollState": "connector_core.runtime",
    "Connector": "connector_core.spec", "SpecError": "connector_core.spec", "load_connector": "connector_core.spec",
    "load_spec": "connector_core.spec",
}

__all__ = ["AsyncClient", "Client", "Connector", "PollState", "SpecError", "load_connector", "load_spec"]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
