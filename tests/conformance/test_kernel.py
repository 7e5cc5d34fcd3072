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
        "  const windowed = await kernel.drive(kernel.windowPlan(doc, 'new_item', {}, resolved.connection,\n"
        "    { nowMs: 0, windowMs: 60000 }), answer, () => undefined);\n"
        "  const latest = await kernel.drive(kernel.latestPlan(doc, 'new_item', {}, resolved.connection), answer,\n"
        "    () => undefined);\n"
        "  const walk = polled.ok && polled.state.walk ? polled.state.walk.skip : 0;\n"
        "  if (windowed.ok && latest.ok) return String(windowed.events.length + latest.events.length + walk);\n"
        "  return polled.ok ? String(polled.state.cursor) : kernel.redact(resolved.connection, polled.error.message);\n"
        "}\n", encoding="utf-8")
    run = N8N_TOOLCHAIN.run([str(N8N_TOOLCHAIN.bin / "tsc"), "--strict", "--noEmit", "--target", "es2019", "--module", "commonjs",
                   "--types", "node", "--typeRoots", str(N8N_TOOLCHAIN.node_modules / "@types"), str(probe)], cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr


def test_fingerprints_are_the_same_in_python_and_javascript() -> None:
    """docs/polling.md: FNV-1a over the UTF-16LE bytes of the canonical text, in both languages,
    for records with unicode keys (astral and BMP above the surrogates sort differently by code
    point and by code unit), lone surrogates, numbers JavaScript writes its own way, deep nesting."""
    import json
    import random

    from connector_core.runtime.polling import canonical_text, fingerprint

    generator = random.Random(20261201)
    pieces = ["a", "B", "\u00e9", "\U0001f600", "\uffff", "\ud800", "\u2028", "\"", "\\", "\n", "\x7f", "z"]

    def value(depth: int):
        kind = generator.randrange(7 if depth < 4 else 4)
        if kind == 0:
            return "".join(generator.choice(pieces) for _ in range(generator.randrange(4)))
        if kind == 1:
            return generator.choice([0, -1, 7, 2.5, 1e21, 1e-7, -1e-7, 123456789012, 0.1, 1.0])
        if kind == 2:
            return generator.choice([True, False, None])
        if kind == 3:
            return generator.randrange(-10**6, 10**6)
        if kind == 4:
            return [value(depth + 1) for _ in range(generator.randrange(3))]
        return {"".join(generator.choice(pieces) for _ in range(1 + generator.randrange(3))): value(depth + 1)
                for _ in range(generator.randrange(4))}

    records = [{"id": f"j{n}", "body": value(0), "extra": value(0)} for n in range(300)]
    records.append(json.loads('{"a":' * 900 + "1" + "}" * 900))  # about as deep as Python's json module reads
    text = json.dumps(records)  # lone surrogates travel as \\udXXX escapes, read back alike
    script = ("const { fingerprint, canonicalText } = require(" + json.dumps(str(KERNEL / "src" / "pollstate.js")) + ");"
              "let input = ''; process.stdin.on('data', (c) => { input += c; });"
              "process.stdin.on('end', () => { const records = JSON.parse(input);"
              "process.stdout.write(JSON.stringify(records.map((r, i) => [fingerprint(r), i < 300 ? canonicalText(r) : ''])));"
              "});")
    run = subprocess.run([shutil.which("node") or "node", "-e", script], input=text, capture_output=True, text=True,
                         timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    expected = [[fingerprint(record), canonical_text(record) if index < 300 else ""]
                for index, record in enumerate(json.loads(text))]
    assert json.loads(run.stdout) == expected
    assert len({digest for digest, _ in expected}) > 290  # the hash tells records apart


def test_derived_timestamps_are_the_same_in_python_and_javascript() -> None:
    """docs/conformance.md, typed timestamps: Python writes what `new Date(ms).toISOString()` writes,
    across years 0000-9999 (Python's datetime has no year 0), and both leave out the same values."""
    import json
    import random

    from connector_core.runtime.timestamps import EARLIEST_MS, LATEST_MS, stamped

    generator = random.Random(20261201)
    schema = {"type": "object", "properties": {
        "at": {"type": "integer"}, "atIso": {"type": "string", "format": "date-time", "x-timestamp": {"from": "at"}}}}
    values: list[object] = [EARLIEST_MS, EARLIEST_MS - 1, LATEST_MS, LATEST_MS + 1, 0, -1, 1.0, 1.5, -0.0, "7",
                            True, None, 2**53, 1e300]
    values += [generator.randint(EARLIEST_MS, LATEST_MS) for _ in range(5000)]
    values += [generator.randint(-86_400_000 * 800, 86_400_000 * 800) for _ in range(2000)]  # around 1970
    records = [{"at": value} for value in values]
    script = ("const { stamped } = require(" + json.dumps(str(KERNEL / "src" / "timestamps.js")) + ");"
              "let input = ''; process.stdin.on('data', (c) => { input += c; });"
              "process.stdin.on('end', () => { const [schema, records] = JSON.parse(input);"
              "process.stdout.write(JSON.stringify(records.map((r) => stamped(schema, r).atIso || null))); });")
    run = subprocess.run([shutil.which("node") or "node", "-e", script], input=json.dumps([schema, records]),
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    expected = [stamped(schema, record).get("atIso") for record in records]
    assert json.loads(run.stdout) == expected
    assert expected[:4] == ["0000-01-01T00:00:00.000Z", None, "9999-12-31T23:59:59.999Z", None]
