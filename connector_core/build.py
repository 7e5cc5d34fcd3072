"""`connectors build`: write every artifact derived from the specs, deterministically.

Today that is the normalised spec and each operation's input and output JSON Schema; the
platform generators (Zapier, Make, n8n) register here as they land. Output is byte-identical
from one build to the next: sorted keys, fixed indentation, a trailing newline.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from connector_core.spec import Connector, bundled_connectors, load_connector
from zapier_schema import generate as zapier_generate
from make_blueprints import generate as make_generate
from n8n_bridge import generate as n8n_generate, package_directory

Generator = Callable[[Connector], dict[str, str]]


@dataclass(frozen=True)
class Target:
    """A generator and the folder under `<out>/<target name>/` it writes a connector to."""

    generate: Generator
    directory: Callable[[Connector], str] = lambda connector: connector.name


def core_files(connector: Connector) -> dict[str, str]:
    """The normalised spec and the JSON Schemas, keyed by path relative to `<out>/spec/<name>/`."""
    files = {"spec.json": dump_json(connector.model_dump(mode="json", by_alias=True, exclude_none=True))}
    for key, operation in connector.operations.items():
        files[f"schemas/{key}.input.json"] = dump_json(with_dialect(operation.input))
        files[f"schemas/{key}.output.json"] = dump_json(with_dialect(operation.output))
    return files


GENERATORS: dict[str, Target] = {
    "spec": Target(core_files),
    "zapier": Target(zapier_generate),
    "make": Target(make_generate),
    "n8n": Target(n8n_generate, directory=package_directory),
}


def with_dialect(schema: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def dump_json(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def build(out_dir: Path, connectors: list[str] | None = None) -> list[Path]:
    """Write `<out>/<target>/<folder>/...` afresh for each connector; returns the files."""
    written: list[Path] = []
    for name in connectors or bundled_connectors():
        connector = load_connector(name)
        for generator_name, target in GENERATORS.items():
            folder = out_dir / generator_name / target.directory(connector)
            if folder.exists():
                shutil.rmtree(folder)
            for relative, text in sorted(target.generate(connector).items()):
                path = folder / relative
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                written.append(path)
    return written
