"""A generated Zapier project written to a folder, wired to the toolchain's node_modules."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from connector_core.build import FileContent
from zapier_schema import generate
from zapier_schema.toolchain import ZAPIER


@contextlib.contextmanager
def project_dir(document: dict[str, Any], files: dict[str, FileContent] | None = None) -> Iterator[Path]:
    """A temporary copy of the connector's Zapier project (or of `files`), removed afterwards."""
    ZAPIER.require()
    name = document["name"]
    with tempfile.TemporaryDirectory(prefix=f"zapier-{name}-") as folder:
        yield ZAPIER.write_package(files if files is not None else generate(document), Path(folder) / name)


def built_app(document: dict[str, Any], workdir: Path) -> Path:
    """The connector's Zapier project under `workdir`, written once per content: a folder named by
    the hash of its files is reused as it is, so many pollers of one app share one copy."""
    ZAPIER.require()
    files = generate(document)
    digest = hashlib.sha256(repr(sorted(files.items())).encode()).hexdigest()[:16]  # repr: text and bytes alike
    folder = workdir / "zapier" / f"{document['name']}-{digest}"
    if not folder.is_dir():
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".building-", dir=folder.parent))
        ZAPIER.write_package(files, staging)
        try:
            staging.rename(folder)  # atomic: a folder under this name is always complete
        except OSError:  # another poller wrote the same content first
            if not folder.is_dir():
                raise
            shutil.rmtree(staging)  # unlinks the node_modules link, never follows it
    return folder
