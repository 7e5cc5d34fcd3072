"""n8n's own verdict on a written package: tsc, `n8n-node lint` and `build`, n8n-core's loader, the
community-node publishing checklist (`publishing.py`) and the community package scanner's lint.

The folder under dist/ stays as generated: tsc and lint run on a scratch copy with the pinned
toolchain linked in, as `npm install` would; the build is the one `built_files` caches by content,
so a check and a run of the same sources build once; the loader and the scanner read that build.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

from connector_core.build import read_folder
from connector_core.document import connector_from_document
from n8n_bridge.publishing import publishing_problems
from n8n_bridge.toolchain import HARNESS, N8N, BuildFailed, built_files

TAIL = 4000  # enough of a tool's output to act on
REDRAW = re.compile(r"\x1b\[\d*D\x1b\[J")  # a spinner redrawing its line
ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
FRAME = re.compile(r"^[│┌└■◇]\s{0,2},?")  # n8n-node's box drawing before each line
SPINNER = tuple("◒◐◓◑")
SCANNER = Path(__file__).resolve().parent / "scan_package.mjs"
NOT_SOURCES = ("node_modules", "dist")  # what an install and a build add


def _failed(label: str, result) -> list[str]:
    return [] if result.returncode == 0 else [f"{label} failed:\n{readable(result.stdout + result.stderr)}"]


def readable(output: str) -> str:
    """A tool's output as a reader wants it: no colours, no spinner frames, no box drawing; its end."""
    lines = [FRAME.sub("", line).rstrip() for line in ESCAPE.sub("", REDRAW.sub("\n", output)).splitlines()]
    return "\n".join(line for line in lines if line.strip() and not line.startswith(SPINNER))[-TAIL:]


def loaded_package(package: Path) -> tuple[dict[str, Any], list[str]]:
    """What n8n-core's PackageDirectoryLoader loads (node and credential descriptions), and its problems:
    it must load every node and credential package.json lists."""
    result = N8N.run(["node", str(HARNESS / "describe.js"), str(package)], package)
    if result.returncode != 0:
        return {}, _failed("n8n-core's package loader", result)
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    listed = json.loads((package / "package.json").read_text(encoding="utf-8"))["n8n"]
    problems = []
    if len(loaded["nodes"]) != len(listed["nodes"]):
        problems.append(f"n8n-core loaded the nodes {sorted(loaded['nodes'])}, package.json lists {listed['nodes']}")
    if len(loaded["credentials"]) != len(listed["credentials"]):
        problems.append(f"n8n-core loaded the credentials {sorted(loaded['credentials'])}, "
                        f"package.json lists {listed['credentials']}")
    return loaded, problems


def scanner_problems(package: Path) -> list[str]:
    """@n8n/scan-community-package's lint of the built package: its sources and its dist/ (n8n's
    verification gate; the scanner's provenance check needs a published version, see the docs)."""
    result = N8N.run(["node", str(SCANNER), str(package), str(package)], package)
    if result.returncode != 0:
        return _failed("the n8n community package scanner", result)
    return [f"the n8n community package scanner ({leg['leg']}): {leg['message']}"
            + (f"\n{leg['details'].replace(str(package) + '/', '').strip()}" if leg.get("details") else "")
            for leg in json.loads(result.stdout) if not leg["passed"]]


def package_problems(folder: Path, document: dict[str, Any]) -> list[str]:
    """Every problem tsc --noEmit, n8n-node lint and build, n8n's loader, the publishing checklist
    (`publishing.py`) and the scanner find in `folder`, the package generated from `document`."""
    N8N.require()
    files = read_folder(folder, skip=NOT_SOURCES)
    with tempfile.TemporaryDirectory(prefix="n8n-check-") as scratch:
        package = N8N.write_package(files, Path(scratch) / folder.name)
        problems = _failed("tsc --noEmit", N8N.run([str(N8N.bin / "tsc"), "--noEmit", "-p", "."], package))
        problems += _failed("n8n-node lint", N8N.run([str(N8N.bin / "n8n-node"), "lint"], package))
    try:
        built = built_files(files, folder.name)
    except BuildFailed as failed:
        return problems + [f"n8n-node build failed:\n{readable(str(failed))}"]
    loaded, problems_loading = loaded_package(built)
    if loaded:
        problems_loading += publishing_problems(connector_from_document(document), built, loaded)
    return problems + problems_loading + scanner_problems(built)
