"""n8n's own verdict on a written package: tsc, `n8n-node lint` and `build`, and n8n-core's loader.

The folder under dist/ stays as generated: each check runs on a scratch copy with the pinned
toolchain linked in, as `npm install` would.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from n8n_bridge.toolchain import HARNESS, N8N

TAIL = 4000  # enough of a tool's output to act on


def _failed(label: str, result) -> list[str]:
    return [] if result.returncode == 0 else [f"{label} failed:\n{(result.stdout + result.stderr)[-TAIL:]}"]


def loader_problems(package: Path) -> list[str]:
    """n8n-core's PackageDirectoryLoader loads every node and credential package.json lists."""
    result = N8N.run(["node", str(HARNESS / "describe.js"), str(package)], package)
    if result.returncode != 0:
        return _failed("n8n-core's package loader", result)
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    listed = json.loads((package / "package.json").read_text(encoding="utf-8"))["n8n"]
    problems = []
    if len(loaded["nodes"]) != len(listed["nodes"]):
        problems.append(f"n8n-core loaded the nodes {sorted(loaded['nodes'])}, package.json lists {listed['nodes']}")
    if len(loaded["credentials"]) != len(listed["credentials"]):
        problems.append(f"n8n-core loaded the credentials {sorted(loaded['credentials'])}, "
                        f"package.json lists {listed['credentials']}")
    return problems


def package_problems(folder: Path) -> list[str]:
    """Every problem tsc --noEmit, n8n-node lint, n8n-node build and n8n's loader find in `folder`."""
    with tempfile.TemporaryDirectory(prefix="n8n-check-") as scratch:
        package = Path(scratch) / folder.name
        shutil.copytree(folder, package, ignore=shutil.ignore_patterns("node_modules", "dist"))
        (package / "node_modules").symlink_to(N8N.node_modules, target_is_directory=True)
        problems = _failed("tsc --noEmit", N8N.run([str(N8N.bin / "tsc"), "--noEmit", "-p", "."], package))
        problems += _failed("n8n-node lint", N8N.run([str(N8N.bin / "n8n-node"), "lint"], package))
        built = _failed("n8n-node build", N8N.run([str(N8N.bin / "n8n-node"), "build"], package))
        return problems + (built or loader_problems(package))
