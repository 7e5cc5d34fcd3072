"""The JSON Schema keywords the generated Zapier runtime enforces, checked at generation time.

The app validates inputs (and outputs) itself before anything is sent. A keyword it does not
implement would be silently ignored there while the Python runtime enforces it, so a spec that
uses one is refused here instead.
"""

from __future__ import annotations

from typing import Any

from zapier_schema.errors import GenerationError

RULES = {"type", "properties", "required", "additionalProperties", "minimum", "maximum", "minLength",
         "maxLength", "pattern", "format", "enum", "items"}
ANNOTATIONS = {"title", "description", "examples", "default", "x-options", "$comment"}
FORMATS = {"date", "email"}


def check_supported(schema: dict[str, Any], where: str) -> None:
    """Raise GenerationError at the first keyword or value the Zapier runtime cannot enforce."""
    unknown = sorted(set(schema) - RULES - ANNOTATIONS)
    if unknown:
        raise GenerationError(f"{where}: JSON Schema keyword(s) {unknown} are not supported by the Zapier runtime")
    if "format" in schema and schema["format"] not in FORMATS:
        raise GenerationError(f"{where}: format {schema['format']!r} is not supported (only {sorted(FORMATS)})")
    if not isinstance(schema.get("additionalProperties", False), bool):
        raise GenerationError(f"{where}: additionalProperties must be true or false")
    for name, sub in schema.get("properties", {}).items():
        check_supported(sub, f"{where}.{name}")
    if "items" in schema:
        check_supported(schema["items"], f"{where}[]")


def types_of(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type", [])
    return [kind] if isinstance(kind, str) else list(kind)


def is_object(schema: dict[str, Any]) -> bool:
    return "object" in types_of(schema)


def leaves(schema: dict[str, Any], prefix: str = "") -> list[tuple[str, dict[str, Any], bool]]:
    """(dotted path, schema, required all the way down) of every non-object property."""
    found = []
    required = set(schema.get("required", []))
    for name, sub in schema.get("properties", {}).items():
        path = f"{prefix}{name}"
        if is_object(sub) and sub.get("properties"):
            found.extend((p, s, name in required and r) for p, s, r in leaves(sub, f"{path}."))
        else:
            found.append((path, sub, name in required))
    return found
