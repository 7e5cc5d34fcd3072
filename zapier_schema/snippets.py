"""The `{source}` functions of the definition: one line each, calling the app's adapter.

Zapier compiles each `{"source": ...}` into `async (z, bundle) => { source }`; such a function
sees nothing but its arguments, so it loads the adapter with `z.require` (resolved from the
app's root folder, which `index.js` also requires so that `zapier build` packs it).
"""

from __future__ import annotations

import json
from typing import Any

ADAPTER = "./lib/adapter.js"


def adapter_call(function: str, *arguments: str) -> dict[str, Any]:
    """`return <adapter>.<function>(z, bundle, ...arguments)` as a definition function."""
    extra = "".join(f", {json.dumps(argument)}" for argument in arguments)
    return {"source": f"return z.require({json.dumps(ADAPTER)}).{function}(z, bundle{extra});"}
