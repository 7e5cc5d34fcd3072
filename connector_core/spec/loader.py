"""Load connector specs from YAML files, failing with messages a spec author can act on."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from connector_core.apis import SPEC_FILE, api_dir, bundled_apis
from connector_core.spec.models import Connector

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SpecError(Exception):
    """A spec file is missing, unreadable or wrong; the message names file, operation and key."""


def load_spec(path: str | Path) -> Connector:
    """Parse and validate one spec file."""
    path = Path(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SafeLoader)
    except OSError as error:
        raise SpecError(f"{path}: cannot read spec: {error.strerror}") from None
    except yaml.YAMLError as error:
        raise SpecError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise SpecError(f"{path}: a spec must be a mapping at the top level")
    data.pop("definitions", None)  # only a home for YAML anchors; resolved by YAML already
    _inline_logo(path, data)
    try:
        return Connector.model_validate(data)
    except ValidationError as error:
        raise SpecError(describe_errors(path, error)) from None


def _inline_logo(path: Path, data: dict[str, Any]) -> None:
    """`logo: {file: logo.svg}` names a file beside the spec; the models hold its text (`{svg: ...}`),
    so the runtime document carries the logo and no generator reads files."""
    logo = data.get("logo")
    if not (isinstance(logo, dict) and set(logo) == {"file"} and isinstance(logo["file"], str)):
        return
    name = Path(logo["file"])
    if name.is_absolute() or ".." in name.parts:
        raise SpecError(f"{path}: logo.file: {logo['file']!r} must be a file in the spec's own folder")
    try:
        data["logo"] = {"svg": (path.parent / name).read_text(encoding="utf-8")}
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise SpecError(f"{path}: logo.file: cannot read {logo['file']!r}: {reason}") from None


def describe_errors(path: Path, error: ValidationError) -> str:
    """One line per problem: `file: operation 'x': request.params.0.in: message`."""
    lines = [f"{path}: {error.error_count()} problem(s) in the spec"]
    for problem in error.errors():
        lines.append(f"  {_where(problem['loc'])}: {_message(problem)}")
    return "\n".join(lines)


def _where(loc: tuple[Any, ...]) -> str:
    parts = [str(part) for part in loc if not str(part).startswith(("function-", "tagged-union["))]
    if len(parts) >= 2 and parts[0] == "operations":
        rest = ".".join(parts[2:]) or "(operation)"
        return f"operation {parts[1]!r}: {rest}"
    return ".".join(parts) or "(top level)"


def _message(problem: dict[str, Any]) -> str:
    message = problem["msg"].removeprefix("Value error, ")
    if problem["type"] == "extra_forbidden":
        return "unknown key (not part of the spec language)"
    return message


@functools.lru_cache(maxsize=None)
def load_connector(name: str) -> Connector:
    """Load a bundled spec by connector name (`apis/<name>/spec.yaml`).

    Cached: a loaded spec is immutable, and validating every schema in it costs time.
    """
    path = spec_path(name)
    if not path.is_file():
        known = ", ".join(bundled_connectors()) or "none"
        raise SpecError(f"no spec for connector {name!r} at {path} (known: {known})")
    return load_spec(path)


def spec_path(name: str) -> Path:
    """Where a bundled connector's spec lives."""
    return api_dir(name) / SPEC_FILE


def bundled_connectors() -> list[str]:
    return bundled_apis()


def default_connector() -> str | None:
    """The connector a command means when none is named: the only bundled one; None when there are several."""
    names = bundled_connectors()
    return names[0] if len(names) == 1 else None
