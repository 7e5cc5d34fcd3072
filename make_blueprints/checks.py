"""`connectors check` for Make: the app written to a folder, held to Make's own schemas, to the
cross-references between its files, to Make's custom-app best practices (`conventions`, checked
once the files are well-formed), and to what the runtime document generates now."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from connector_core.build import read_folder
from make_blueprints import conventions
from make_blueprints.app import generate
from make_blueprints.references import problems as reference_problems
from make_blueprints.schemas import schema_for, validate


def app_problems(document: dict[str, Any], folder: Path) -> list[str]:
    """Schema errors, broken references, and files that differ from a fresh generation."""
    if not (folder / "makecomapp.json").is_file():
        return [f"{folder}: no makecomapp.json (run `connectors build`)"]
    files = read_folder(folder)
    unknown = [path for path in files if not _has_schema(path)]
    found = [f"{path}: no Make schema is known for this file" for path in unknown]
    found += [str(error) for error in validate({p: t for p, t in files.items() if p not in unknown})]
    found += reference_problems(files)
    if not found:
        found += conventions.problems(document, files)
    expected = generate(document)
    found += [f"{path}: missing (the document generates it)" for path in sorted(set(expected) - set(files))]
    found += [f"{path}: not generated from the document" for path in sorted(set(files) - set(expected))]
    found += [f"{path}: differs from what the document generates (stale build?)"
              for path in sorted(set(files) & set(expected)) if files[path] != expected[path]]
    return found


def _has_schema(path: str) -> bool:
    try:
        schema_for(path)
    except ValueError:
        return False
    return True
