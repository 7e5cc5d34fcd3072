"""A generated Zapier project written to a folder, wired to the toolchain's node_modules."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from zapier_schema import generate
from zapier_schema.toolchain import ZAPIER


@contextlib.contextmanager
def project_dir(document: dict[str, Any], files: dict[str, str] | None = None) -> Iterator[Path]:
    """A temporary copy of the connector's Zapier project (or of `files`), removed afterwards."""
    ZAPIER.require()
    name = document["name"]
    with tempfile.TemporaryDirectory(prefix=f"zapier-{name}-") as folder:
        yield ZAPIER.write_package(files if files is not None else generate(document), Path(folder) / name)
