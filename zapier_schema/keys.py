"""Zapier keys derived from spec names.

Zapier keys must match `^[a-zA-Z]+[a-zA-Z0-9_]*$`. A nested input or output property becomes one
flat key, its dotted path joined with `__` (`contact.email` -> `contact__email`): the Zapier
runtime splits the key on `__` again to rebuild the nested value. A list of objects is a line-item
group, whose items carry their own flat keys (`jobs: [{title, contact__email}]`); a free key/value
object is a `dict` field, whose keys are the user's and stay as typed.
"""

from __future__ import annotations

import re
from typing import Any

from zapier_schema.errors import GenerationError
from zapier_schema.schemas import line_item_schema

ZAPIER_KEY = re.compile(r"^[a-zA-Z]+[a-zA-Z0-9_]*$")
FLAT_SEPARATOR = "__"


def zapier_key(dotted: str, where: str) -> str:
    """The flat Zapier key of a dotted spec path; a name Zapier cannot take is an error."""
    parts = dotted.split(".")
    if any(FLAT_SEPARATOR in part for part in parts):
        raise GenerationError(f"{where}: {dotted!r} contains {FLAT_SEPARATOR!r}, which joins nested keys")
    key = FLAT_SEPARATOR.join(parts)
    if not ZAPIER_KEY.match(key):
        raise GenerationError(f"{where}: {dotted!r} cannot become a Zapier key ({ZAPIER_KEY.pattern})")
    return key


def flatten_input(value: dict, schema: dict[str, Any], prefix: str = "") -> dict:
    """A nested input as Zapier sends it, read along its schema: one flat key per leaf of a fixed
    object (`{"contact__email": ...}`), each line item flattened the same way, and anything else
    (a key/value object, a value the schema does not know) as it is."""
    flat: dict = {}
    properties = schema.get("properties", {})
    for name, item in value.items():
        key = f"{prefix}{FLAT_SEPARATOR}{name}" if prefix else name
        sub = properties.get(name, {})
        items = line_item_schema(sub)
        if isinstance(item, dict) and item and sub.get("properties"):
            flat.update(flatten_input(item, sub, key))
        elif isinstance(item, list) and items is not None:
            flat[key] = [flatten_input(entry, items) if isinstance(entry, dict) else entry for entry in item]
        else:
            flat[key] = item
    return flat


_FIELD_TOKENS = re.compile(r"\[\d+\]|[^.\[\]]+")


def shown_field(schema: dict[str, Any], field: str) -> str:
    """Where a Zapier user finds a field the runtimes name (`contact.email`, `jobs[2].date`,
    `additional_fields.color`): a fixed object's properties as one flat key (`contact__email`),
    a line item by its index and its own key (`jobs[2].date`), a key/value entry after a dot."""
    shown, separator = "", ""
    for token in _FIELD_TOKENS.findall(field):
        if token.startswith("["):
            shown, separator = shown + token, "."
            schema = schema.get("items", {}) if isinstance(schema.get("items"), dict) else {}
            continue
        shown += separator + token
        schema = schema.get("properties", {}).get(token, {})
        separator = FLAT_SEPARATOR if schema.get("properties") else "."
    return shown


def line_items_key(plural: str) -> str:
    """The key under which a list operation's one search result carries its records (`Jobs` -> `jobs`)."""
    return zapier_key("_".join(plural.lower().split()), f"resource plural {plural!r}")


def options_trigger_key(source: str) -> str:
    """The hidden trigger that lists an option source's choices."""
    return zapier_key(f"list_{source}", f"option source {source!r}")
