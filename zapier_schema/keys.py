"""Zapier keys derived from spec names.

Zapier keys must match `^[a-zA-Z]+[a-zA-Z0-9_]*$`. A nested input or output property becomes one
flat key, its dotted path joined with `__` (`contact.email` -> `contact__email`): the Zapier
runtime splits the key on `__` again to rebuild the nested value.
"""

from __future__ import annotations

import re

from zapier_schema.errors import GenerationError

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


def flatten_input(value: dict, prefix: str = "") -> dict:
    """A nested input as Zapier sends it: one flat key per leaf (`{"contact__email": ...}`)."""
    flat: dict = {}
    for name, item in value.items():
        key = f"{prefix}{FLAT_SEPARATOR}{name}" if prefix else name
        if isinstance(item, dict) and item:
            flat.update(flatten_input(item, key))
        else:
            flat[key] = item
    return flat


def line_items_key(plural: str) -> str:
    """The key under which a list operation's one search result carries its records (`Jobs` -> `jobs`)."""
    return zapier_key("_".join(plural.lower().split()), f"resource plural {plural!r}")


def options_trigger_key(source: str) -> str:
    """The hidden trigger that lists an option source's choices."""
    return zapier_key(f"list_{source}", f"option source {source!r}")
