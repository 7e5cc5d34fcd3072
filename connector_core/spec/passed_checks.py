"""jsonschema checks that passed, remembered by content, so an unchanged spec loads without jsonschema.

Loading a spec holds every operation schema to draft 2020-12's metaschema and every sample to its
output schema: about 0.2 s of jsonschema work plus 0.1 s to import it, on every command. A pass is
remembered as an empty file `.cache/passed-checks/<hash>` (ignored by git, safe to delete), the hash
covering the check's name, the installed jsonschema version and the checked content as canonical
JSON; any change to one of them means checking again. Only passes are remembered, so a wrong spec
is reported every time, and content that is not plain JSON is never remembered.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

CACHE_DIR = Path(__file__).resolve().parents[2] / ".cache" / "passed-checks"


def passed(check: str, content: Any) -> bool:
    """Whether `check` already passed for exactly this content with this jsonschema."""
    key = _key(check, content)
    return key is not None and (CACHE_DIR / key).is_file()


def remember(check: str, content: Any) -> None:
    """Record that `check` passed; a cache that cannot be written only costs the next load time."""
    key = _key(check, content)
    if key is None:
        return
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        (CACHE_DIR / key).touch()
    except OSError:
        pass


def _key(check: str, content: Any) -> str | None:
    version = jsonschema_version()
    if version is None:
        return None
    try:
        text = json.dumps([check, version, content], sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):  # a YAML date, a NaN: not plain JSON, so never remembered
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def jsonschema_version() -> str | None:
    """The installed jsonschema's version, read from its distribution folder's name: importing
    jsonschema (or importlib.metadata) to ask would cost what this module saves."""
    spec = importlib.util.find_spec("jsonschema")
    if spec is None or spec.origin is None:
        return None
    found = sorted(Path(spec.origin).parents[1].glob("jsonschema-*.dist-info"))
    if len(found) != 1:
        return None
    return found[0].name.removeprefix("jsonschema-").removesuffix(".dist-info")
