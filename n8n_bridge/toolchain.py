"""The pinned n8n toolchain (toolchains/n8n) and built copies of generated packages, cached.

`n8n-node build` is the slow step, so a built package is kept in `.cache/n8n/<hash>/` (ignored by
git), keyed by the generated files and the toolchain's lock file: the same sources on the same
toolchain are built once and reused by every test and run.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path
from typing import Any

from connector_core.toolchains import Toolchain, cache_dir
from n8n_bridge import generate, package_folder

N8N = Toolchain(
    "n8n",
    # n8n reads its settings from a user folder: a scratch one, with telemetry off.
    environment={"N8N_USER_FOLDER": "{home}", "N8N_ENCRYPTION_KEY": "connectors-verify-only",
                 "N8N_DIAGNOSTICS_ENABLED": "false", "CI": "1"},
)
HARNESS = Path(__file__).resolve().parent / "harness"
BUILT = ".built"  # written last: a folder without it is an interrupted build


def sources_hash(files: dict[str, str]) -> str:
    """What a build depends on: every generated file and the toolchain's locked versions."""
    digest = hashlib.sha256(N8N.lock_file.read_bytes())
    for path, text in sorted(files.items()):
        digest.update(f"\0{path}\0{len(text.encode())}\0".encode())
        digest.update(text.encode())
    return digest.hexdigest()[:24]


class BuildFailed(RuntimeError):
    """`n8n-node build` rejected the sources; the message holds its output."""


def build(files: dict[str, str], folder: Path) -> Path:
    """Write the package to `folder`, link the toolchain and run `n8n-node build`; raises when it fails."""
    package = N8N.write_package(files, folder)
    result = N8N.run([str(N8N.bin / "n8n-node"), "build"], package)
    if result.returncode != 0:
        raise BuildFailed(f"n8n-node build failed:\n{result.stdout}\n{result.stderr}")
    return package


def built_package(document: dict[str, Any]) -> Path:
    """The generated package after `n8n-node build` (reused from the cache when its sources are unchanged)."""
    return built_files(generate(document), package_folder(document))


def built_files(files: dict[str, str], name: str) -> Path:
    """The package of these sources, in a folder called `name`, after `n8n-node build` (cached)."""
    N8N.require()
    cache = cache_dir("n8n")
    entry = cache / sources_hash(files)
    package = entry / name
    if (entry / BUILT).is_file():
        return package
    cache.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="building-", dir=cache))
    try:
        build(files, scratch / name)
        (scratch / BUILT).write_text("", encoding="utf-8")
        if entry.exists() and not (entry / BUILT).is_file():
            shutil.rmtree(entry)  # an interrupted build of the same sources
        scratch.rename(entry)
    except OSError:
        if not (entry / BUILT).is_file():  # not a concurrent build that finished first
            raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return package
