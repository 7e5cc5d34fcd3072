"""The JS kernel: its own suite (every corpus case) passes, and it stays host-neutral.

The Zapier app and the n8n node ship `connector_core/kernel/src/` unchanged, so its files may
require only each other and may use no Node built-in, no I/O and no timer: the hosts differ in
all of those, and the kernel decides, it never performs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from connector_core.toolchains import Toolchain

KERNEL = Path(__file__).resolve().parents[2] / "connector_core" / "kernel"
SOURCES = sorted((KERNEL / "src").glob("*.js"))
N8N_TOOLCHAIN = Toolchain("n8n")  # pins the TypeScript the n8n package compiles with, and acorn

# Host facilities: Node's globals and modules, browser I/O, clocks and timers.
FORBIDDEN = ("process", "Buffer", "global", "globalThis", "window", "self", "__dirname", "__filename",
             "console", "fetch", "XMLHttpRequest", "btoa", "atob", "setTimeout", "setInterval",
             "setImmediate", "clearTimeout", "clearInterval", "queueMicrotask", "TextEncoder",
             "TextDecoder", "URL", "URLSearchParams", "import", "eval", "Function")
REQUIRE = re.compile(r"\brequire\s*\(\s*(['\"])([^'\"]*)\1\s*\)")
TOKEN = re.compile(r"/\*.*?\*/|//[^\n]*|'(?:\\.|[^'\\\n])*'|\"(?:\\.|[^\"\\\n])*\"|`(?:\\.|[^`\\])*`", re.S)


def code_only(text: str) -> str:
    """The source with comments removed and string literals emptied (their quotes kept)."""
    def blank(match: re.Match[str]) -> str:
        token = match.group(0)
        return " " if token.startswith("/") else token[0] + token[-1]
    return TOKEN.sub(blank, text)


def test_kernel_suite_passes() -> None:
    node = shutil.which("node")
    assert node, "node is not on PATH"
    run = subprocess.run([node, "--test", str(KERNEL / "test")], cwd=KERNEL, capture_output=True, text=True,
                         timeout=300, check=False)
    assert run.returncode == 0, f"node --test failed:\n{run.stdout}\n{run.stderr}"
    assert re.search(r"^# pass [1-9]", run.stdout, re.M), run.stdout


def test_kernel_has_sources() -> None:
    assert {path.name for path in SOURCES} >= {"index.js", "values.js", "schema.js", "input.js", "request.js",
                                               "response.js", "errors.js", "retry.js", "polling.js"}


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.name)
def test_kernel_requires_only_its_own_files(source: Path) -> None:
    text = source.read_text(encoding="utf-8")
    required = [match.group(2) for match in REQUIRE.finditer(text)]
    calls = len(re.findall(r"\brequire\s*\(", code_only(text)))
    assert calls == len(required), f"{source.name}: a require() whose argument is not a plain string"
    for name in required:
        assert re.fullmatch(r"\./[a-z_]+(\.js)?", name), f"{source.name} requires {name!r}, not a kernel file"
        target = KERNEL / "src" / (name[2:] if name.endswith(".js") else name[2:] + ".js")
        assert target.is_file(), f"{source.name} requires {name!r}, which is not in src/"


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.name)
def test_kernel_uses_no_host_facility(source: Path) -> None:
    code = code_only(source.read_text(encoding="utf-8"))
    used = sorted({name for name in FORBIDDEN if re.search(rf"(?<![.\w$]){re.escape(name)}(?![\w$])", code)})
    assert not used, f"{source.name} uses host facilities {used}"
    assert not re.search(r"\bDate\.now\b|\bnew Date\s*\(\s*\)|\bMath\.random\b", code), \
        f"{source.name} reads a clock or randomness (the host passes nowMs)"


def test_kernel_is_strict_es2019_commonjs(tmp_path: Path) -> None:
    """Every source parses as an ES2019 script (acorn), starting with 'use strict'."""
    N8N_TOOLCHAIN.require()
    for source in SOURCES:
        assert source.read_text(encoding="utf-8").startswith("'use strict';"), f"{source.name} is not strict"
    parse = ("const acorn = require('acorn'); const fs = require('fs');"
             "for (const file of process.argv.slice(1)) {"
             "  try { acorn.parse(fs.readFileSync(file, 'utf8'), {ecmaVersion: 2019, sourceType: 'script'}); }"
             "  catch (error) { console.log(`${file}: ${error.message}`); process.exitCode = 1; } }")
    run = N8N_TOOLCHAIN.run(["node", "-e", parse, *map(str, SOURCES)], cwd=tmp_path)
    assert run.returncode == 0, f"not ES2019 scripts:\n{run.stdout}{run.stderr}"


def test_kernel_types_compile_strict(tmp_path: Path) -> None:
    """index.d.ts is valid under `tsc --strict`, and a typical adapter's calls type-check against it."""
    N8N_TOOLCHAIN.require()
    probe = tmp_path / "probe.ts"
    probe.write_text(
        f"import * as kernel from {str(KERNEL / 'src' / 'index')!r};\n"
        "import type { RuntimeDocument, KernelResponse } from " + repr(str(KERNEL / "src" / "index")) + ";\n"
        "declare const doc: RuntimeDocument;\n"
        "export async function probe(): Promise<string> {\n"
        "  const resolved = kernel.resolveConnection(doc, { api_key: 'k' }, { env: {} });\n"
        "  if (!resolved.ok) return kernel.errorText('whoami', resolved.error);\n"
        "  const answer = (): KernelResponse => ({ status: 200, headers: {}, body: '' });\n"
        "  const polled = await kernel.drive(kernel.pollPlan(doc, 'new_item', {}, resolved.connection, null,\n"
        "    { nowMs: 0, retries: false }), answer, () => undefined);\n"
        "  return polled.ok ? String(polled.state.cursor) : kernel.redact(resolved.connection, polled.error.message);\n"
        "}\n", encoding="utf-8")
    run = N8N_TOOLCHAIN.run([str(N8N_TOOLCHAIN.bin / "tsc"), "--strict", "--noEmit", "--target", "es2019", "--module", "commonjs",
                   "--types", "node", "--typeRoots", str(N8N_TOOLCHAIN.node_modules / "@types"), str(probe)], cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
