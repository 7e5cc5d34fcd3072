"""TypeScript object literals from Python data, with room for references to code (functions)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


@dataclass(frozen=True)
class Code:
    """A TypeScript expression written as is (a function reference, an enum member)."""

    text: str


def literal(value: Any, indent: int = 0) -> str:
    """`value` as a tab-indented TypeScript literal; dict keys keep their order (determinism is the caller's)."""
    pad, inner = "\t" * indent, "\t" * (indent + 1)
    if isinstance(value, Code):
        return value.text
    if isinstance(value, dict):
        if not value:
            return "{}"
        entries = [f"{inner}{_key(key)}: {literal(item, indent + 1)}," for key, item in value.items()]
        return "{\n" + "\n".join(entries) + f"\n{pad}}}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        entries = [f"{inner}{literal(item, indent + 1)}," for item in value]
        return "[\n" + "\n".join(entries) + f"\n{pad}]"
    if isinstance(value, str):
        return "'" + json.dumps(value, ensure_ascii=False)[1:-1].replace("\\\"", "\"").replace("'", "\\'") + "'"
    return json.dumps(value)


def _key(key: str) -> str:
    return key if IDENTIFIER.match(key) else literal(key)
