"""The `{source}` functions of the definition: one line each, calling the app's runtime.

Zapier compiles each `{"source": ...}` into `async (z, bundle) => { source }`; such a function
sees nothing but its arguments, so it loads the app's runtime with `z.require` (resolved from
the app's root folder, which `index.js` also requires so that `zapier build` packs it).
"""

from __future__ import annotations

import json
from typing import Any

RUNTIME = "./lib/runtime.js"


def runtime_call(function: str, *arguments: str) -> dict[str, Any]:
    """`return <runtime>.<function>(z, bundle, ...arguments)` as a definition function."""
    extra = "".join(f", {json.dumps(argument)}" for argument in arguments)
    return {"source": f"return z.require({json.dumps(RUNTIME)}).{function}(z, bundle{extra});"}


def after_response() -> dict[str, Any]:
    """Every response passes through the runtime's error mapping first."""
    return {"source": f"return z.require({json.dumps(RUNTIME)}).afterResponse(response, z, bundle);",
            "args": ["response", "z", "bundle"]}
