"""A generated Zapier project written to a folder, wired to the toolchain's node_modules."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

from connector_core.spec.models import Connector
from zapier_schema import generate
from zapier_schema.toolchain import NODE_MODULES, require_toolchain


def write_project(files: dict[str, str], target: Path) -> Path:
    """Write the files and link node_modules, as `npm install` would have installed them."""
    for relative, text in files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (target / "node_modules").symlink_to(NODE_MODULES, target_is_directory=True)
    return target


@contextlib.contextmanager
def project_dir(connector: Connector, files: dict[str, str] | None = None) -> Iterator[Path]:
    """A temporary copy of the connector's Zapier project (or of `files`), removed afterwards."""
    require_toolchain()
    with tempfile.TemporaryDirectory(prefix=f"zapier-{connector.name}-") as folder:
        yield write_project(files if files is not None else generate(connector), Path(folder) / connector.name)
