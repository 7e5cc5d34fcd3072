"""Validate generated files against the JSON schemas of Make's VS Code extension.

The schemas are a third party's data and are not in this project: they are read from the
directory in MAKE_SCHEMAS_DIR, by default `../shared/make-schemas/` next to the project (the project
is where its toolchains are, `connector_core.toolchains`; `make toolchains` fetches the schemas).
A missing directory is an error that says how to install it, never a skipped check.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.exceptions import best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from connector_core.toolchains import INSTALL_HINT, ToolchainMissing, toolchains_dir

ENV_VAR = "MAKE_SCHEMAS_DIR"
PINNED = ("integromat/vscode-apps-sdk@eda3ce53e75ce65fda79e75b6c58e8da515c4fe6 "
          "(syntaxes/imljson/schemas/ and syntaxes/local-development/schemas/makecomapp.schema.json)")
BASE_URI = "https://make-schemas.local/"

# Which schema checks which file, by the end of its path (the extension's own associations).
SCHEMA_FOR = [
    ("makecomapp.json", "makecomapp.schema.json"),
    ("general/base.iml.json", "base.json"),
    ("general/common.json", "common.json"),
    ("modules/groups.json", "groups.json"),
    (".communication.iml.json", "api.json"),
    (".params.iml.json", "parameters.json"),
    (".static-params.iml.json", "parameters.json"),
    (".mappable-params.iml.json", "parameters.json"),
    (".interface.iml.json", "parameters.json"),
    (".epoch.iml.json", "epoch.json"),
    (".samples.iml.json", "samples.json"),
]
UNCHECKED = ("README.md", "blueprints/", "assets/")  # not app code: text, shape-checked blueprints, the icon


class SchemasMissing(ToolchainMissing):
    """The schema directory is not there: the Make checks cannot run."""


@dataclass(frozen=True)
class SchemaError:
    path: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.path} at {self.where}: {self.message}"


def schemas_dir() -> Path:
    directory = Path(os.environ.get(ENV_VAR) or toolchains_dir().parent.parent / "shared" / "make-schemas")
    if not (directory / "makecomapp.schema.json").is_file():
        raise SchemasMissing(f"Make's schemas are not in {directory} ({PINNED}): {INSTALL_HINT} "
                             f"(it runs `make make-schemas`), or set {ENV_VAR}")
    return directory


def registry(directory: Path) -> Registry:
    """Every schema under one base URI, so that refs like `sources.json#/...` resolve."""
    resources = [(BASE_URI + path.name, Resource.from_contents(json.loads(path.read_text(encoding="utf-8")),
                                                              default_specification=DRAFT7))
                 for path in sorted(directory.glob("*.json"))]
    return Registry().with_resources(resources)


def strip_comments(text: str) -> str:
    """`.iml.json` files may be JSONC; drop // and /* */ comments outside strings."""
    pattern = re.compile(r'("(?:\\.|[^"\\])*")|//[^\n]*|/\*.*?\*/', re.DOTALL)
    return pattern.sub(lambda match: match.group(1) or "", text)


def schema_for(path: str) -> str | None:
    """The schema file name for a generated file; None for files that are not app code."""
    if path.startswith(UNCHECKED):
        return None
    for ending, schema in SCHEMA_FOR:
        if path == ending or path.endswith(ending if ending.startswith(".") else "/" + ending):
            return schema
    raise ValueError(f"no Make schema is known for {path}")


def validate(files: dict[str, str | bytes], directory: Path | None = None) -> list[SchemaError]:
    """Every schema error of every generated app file (an empty list when all validate)."""
    directory = directory or schemas_dir()
    schemas = registry(directory)
    validators: dict[str, Draft7Validator] = {}
    errors: list[SchemaError] = []
    for path, text in sorted(files.items()):
        name = schema_for(path)
        if name is None:
            continue
        validator = validators.setdefault(name, Draft7Validator({"$ref": BASE_URI + name}, registry=schemas))
        data: Any = json.loads(strip_comments(str(text)))
        for error in validator.iter_errors(data):
            deepest = best_match(error.context) if error.context else error
            where = "/".join(str(part) for part in deepest.absolute_path) or "(root)"
            errors.append(SchemaError(path, where, deepest.message))
    return errors
