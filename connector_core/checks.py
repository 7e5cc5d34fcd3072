"""`connectors check`: every platform's own validators on every connector's artifact.

Each platform generates its artifact from the runtime document into a folder keyed by content,
`.cache/check/<platform>/<key>/<directory>/`, and checks it there (`Platform.check`: schemas, tsc,
linters, scanners). A pass is remembered by keeping that folder; the key covers the document, the
generated files, the platform package's own code and the tools it declares (`Tooled.check_tools`:
a toolchain's lock file, a schema folder), so a change to any of them checks again. A failure is
never remembered. The tools are asked for first: one that is missing stops everything with one
line saying how to install it (ToolchainMissing), before any check runs or any pass is trusted.
`connectors verify` runs the same checks, so a green matrix means publishable.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from connector_core.build import FileContent, write_folder
from connector_core.document import dump_document, runtime_document
from connector_core.platforms import Platform, Tooled, platform, platform_names
from connector_core.spec import bundled_connectors, load_connector
from connector_core.toolchains import cache_dir

PASSED = ".passed"  # written last into a cache entry: its artifact passed every check
CODE_SUFFIXES = (".py", ".js", ".mjs", ".ts")


@dataclass(frozen=True)
class Result:
    connector: str
    platform: str
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def check(connectors: list[str] | None = None, platforms: list[str] | None = None,
          progress: Callable[[str], None] | None = None) -> list[Result]:
    """Every (connector, platform) pair's problems, connectors in order, platforms in column order."""
    chosen = {name: platform(name) for name in platforms or platform_names()}
    tools = {name: tools_of(plugin) for name, plugin in chosen.items()}  # raises ToolchainMissing first
    results = []
    for name in connectors or bundled_connectors():
        document = runtime_document(load_connector(name))
        for platform_name, plugin in chosen.items():
            if progress:
                progress(f"checking {name} on {platform_name}")
            results.append(Result(name, platform_name, tuple(check_document(plugin, document, tools[platform_name]))))
    return results


def tools_of(plugin: Platform) -> list[Path]:
    return plugin.check_tools() if isinstance(plugin, Tooled) else []


def check_document(plugin: Platform, document: dict[str, Any], tools: list[Path] | None = None) -> list[str]:
    """The platform's problems with the artifact it generates from `document` (a pass is remembered)."""
    files = plugin.generate(document)
    key = cache_key(plugin, document, files, tools_of(plugin) if tools is None else tools)
    entries = cache_dir("check") / plugin.name
    if (entries / key / PASSED).is_file():
        return []
    entries.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="checking-", dir=entries))
    try:
        folder = scratch / plugin.directory(document)
        write_folder(folder, files)
        problems = plugin.check(document, folder)
        if not problems:
            (scratch / PASSED).write_text("", encoding="utf-8")
            _keep(scratch, entries / key)
        return problems
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _keep(scratch: Path, entry: Path) -> None:
    """Move a passed scratch folder to its entry; a concurrent check that got there first is as good."""
    if entry.exists() and not (entry / PASSED).is_file():
        shutil.rmtree(entry, ignore_errors=True)  # an interrupted entry
    try:
        scratch.rename(entry)
    except OSError:
        if not (entry / PASSED).is_file():
            raise


def cache_key(plugin: Platform, document: dict[str, Any], files: dict[str, FileContent], tools: list[Path]) -> str:
    """What a check's verdict depends on: the document, the artifact, the checking code, the tools."""
    digest = hashlib.sha256(plugin.name.encode())
    parts = [("document", dump_document(document).encode())]
    parts += [(f"file:{path}", content if isinstance(content, bytes) else content.encode())
              for path, content in sorted(files.items())]
    parts += [(f"code:{path}", path.read_bytes()) for path in _code_files(plugin)]
    parts += [(f"tool:{path}", path.read_bytes() if path.is_file() else b"") for path in tools]
    for label, data in parts:
        digest.update(f"\0{label}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()[:24]


def _code_files(plugin: Platform) -> list[Path]:
    """The platform package's own sources (its generator, checks and their scripts)."""
    package = Path(sys.modules[type(plugin).__module__].__file__ or "").resolve().parent
    return sorted(path for path in package.rglob("*")
                  if path.suffix in CODE_SUFFIXES and "__pycache__" not in path.parts)


def render_table(results: list[Result]) -> str:
    """Connectors down, platforms across (`ok` or `N problems`); every problem listed below."""
    platforms = list(dict.fromkeys(result.platform for result in results))
    connectors = list(dict.fromkeys(result.connector for result in results))
    by_pair = {(result.connector, result.platform): result for result in results}
    cell = {key: "ok" if result.ok else f"{len(result.problems)} problem{'s' * (len(result.problems) != 1)}"
            for key, result in by_pair.items()}
    first = max([len("connector"), *map(len, connectors)])
    widths = {name: max([len(name), *(len(cell[(c, name)]) for c in connectors)]) for name in platforms}
    lines = ["  ".join(["connector".ljust(first), *(name.ljust(widths[name]) for name in platforms)]).rstrip()]
    lines += ["  ".join([c.ljust(first), *(cell[(c, name)].ljust(widths[name]) for name in platforms)]).rstrip()
              for c in connectors]
    failing = [result for result in results if not result.ok]
    lines += ["", f"{len(results) - len(failing)} passed, {len(failing)} failed"]
    for result in failing:
        lines.append(f"{result.connector} on {result.platform}:")
        lines += ["  - " + problem.replace("\n", "\n    ") for problem in result.problems]
    return "\n".join(lines)


def render_json(results: list[Result]) -> str:
    return json.dumps({"results": [{**asdict(result), "problems": list(result.problems), "ok": result.ok}
                                   for result in results]}, indent=2)


def with_check_problems(cells: list[Any], results: list[Result]) -> list[Any]:
    """verify's cells (dataclasses with connector, platform, status, detail) where a platform's
    artifact fails its checks: every cell of that column fails, the check's problems first."""
    found = {(result.connector, result.platform): result.problems for result in results if not result.ok}

    def failed(cell: Any) -> Any:
        problems = found.get((cell.connector, cell.platform))
        if not problems:
            return cell
        detail = f"{cell.platform} check: " + "; ".join(problems)
        return replace(cell, status="fail", detail=detail + ("; " + cell.detail if cell.status == "fail" else ""))

    return [failed(cell) for cell in cells]
