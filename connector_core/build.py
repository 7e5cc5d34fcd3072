"""`connectors build`: write every artifact derived from the specs, deterministically.

The core writes its own target, `spec/`: per connector the normalised spec, each operation's
input and output JSON Schema and the runtime document (`runtime.json`), plus the runtime
document's JSON Schema (`spec/runtime.schema.json`). Then every registered platform
(`connector_core.platforms`) generates its artifact from the runtime document into
`<platform>/<platform.directory(document)>/`. Output is byte-identical from one build to the
next: sorted keys, fixed indentation, a trailing newline.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any, Union

from connector_core.document import document_schema, dump_document, runtime_document
from connector_core.platforms import platforms
from connector_core.spec import Connector, bundled_connectors, load_connector

CORE_TARGET = "spec"
RUNTIME_SCHEMA_FILE = "runtime.schema.json"


def core_files(connector: Connector, document: dict[str, Any]) -> dict[str, str]:
    """The core's files for one connector, keyed by path relative to `<out>/spec/<name>/`."""
    files = {"spec.json": dump_json(connector.model_dump(mode="json", by_alias=True, exclude_none=True)),
             "runtime.json": dump_document(document)}
    for key, operation in connector.operations.items():
        files[f"schemas/{key}.input.json"] = dump_json(with_dialect(operation.input))
        files[f"schemas/{key}.output.json"] = dump_json(with_dialect(operation.output))
    return files


def with_dialect(schema: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def dump_json(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def build(out_dir: Path, connectors: list[str] | None = None) -> list[Path]:
    """Write `<out>/<target>/<folder>/...` afresh for each connector; returns the files."""
    written = [write_file(out_dir / CORE_TARGET / RUNTIME_SCHEMA_FILE, dump_json(document_schema()))]
    for name in connectors or bundled_connectors():
        connector = load_connector(name)
        document = runtime_document(connector)
        written += write_folder(out_dir / CORE_TARGET / connector.name, core_files(connector, document))
        for platform_name, platform in platforms().items():
            files = platform.generate(document)
            if files:  # a platform that runs from the spec itself (Python) has no artifact
                written += write_folder(out_dir / platform_name / platform.directory(document), files)
    return written


FileContent = Union[str, bytes]  # text is written as UTF-8; bytes (an icon) as they are


def write_folder(folder: Path, files: dict[str, FileContent]) -> list[Path]:
    """Replace `folder` with exactly `files` (relative path -> text or bytes)."""
    if folder.exists():
        shutil.rmtree(folder)
    return [write_file(folder / relative, text) for relative, text in sorted(files.items())]


def write_file(path: Path, content: FileContent) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def read_folder(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, FileContent]:
    """Every file under `folder` by POSIX path relative to it, but none under a top-level folder named
    in `skip` (never walked: a linked node_modules is large), and none behind a linked folder.
    A file that is not UTF-8 text (an icon) is read as bytes."""
    files = {}
    for root, folders, names in os.walk(folder):
        here = Path(root)
        folders[:] = [name for name in folders if not (here == folder and name in skip)]
        files.update({(here / name).relative_to(folder).as_posix(): _content(here / name) for name in names})
    return dict(sorted(files.items()))


def _content(path: Path) -> FileContent:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data
