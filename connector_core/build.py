"""`connectors build`: write every artifact derived from the specs, deterministically.

Today that is the normalised spec and each operation's input and output JSON Schema; the
platform generators (Zapier, Make, n8n) register here as they land. Output is byte-identical
from one build to the next: sorted keys, fixed indentation, a trailing newline.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from connector_core.spec import Connector, bundled_connectors, load_connector

Generator = Callable[[Connector], dict[str, str]]


def core_files(connector: Connector) -> dict[str, str]:
    """The normalised spec and the JSON Schemas, keyed by path relative to `<out>/spec/<name>/`."""
    files = {"spec.json": dump_json(connector.model_dump(mode="json", by_alias=True, exclude_none=True))}
    for key, operation in connector.operations.items():
        files[f"schemas/{key}.input.json"] = dump_json(with_dialect(operation.input))
        files[f"schemas/{key}.output.json"] = dump_json(with_dialect(operation.output))
    return files


GENERATORS: dict[str, Generator] = {"spec": core_files}


def with_dialect(schema: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def dump_json(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def build(out_dir: Path, connectors: list[str] | None = None) -> list[Path]:
    """Write `<out>/<generator>/<connector>/...` afresh for each connector; returns the files."""
    written: list[Path] = []
    for name in connectors or bundled_connectors():
        connector = load_connector(name)
        for generator_name, generate in GENERATORS.items():
            target = out_dir / generator_name / connector.name
            if target.exists():
                shutil.rmtree(target)
            for relative, text in sorted(generate(connector).items()):
                path = target / relative
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                written.append(path)
    return written
