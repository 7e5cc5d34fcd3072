"""Reading an operation's JSON Schemas for Zapier's fields: types, and the leaves of nested objects.

Which keywords a schema may use is the spec language's rule (checked when a connector loads);
here a schema is only read, to lay out Zapier's form and output fields.
"""

from __future__ import annotations

from typing import Any


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


def line_item_schema(schema: dict[str, Any]) -> dict[str, Any] | None:
    """The item schema of a list of fixed objects (Zapier line items), else None."""
    items = schema.get("items")
    if "array" in types_of(schema) and isinstance(items, dict) and is_object(items) and items.get("properties"):
        return items
    return None


def is_key_value(schema: dict[str, Any]) -> bool:
    """A free key/value object: an object that names no properties (Zapier's `dict` field)."""
    return is_object(schema) and not schema.get("properties")
