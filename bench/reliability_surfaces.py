"""Where else a key could leak: the CLI's output (log lines), cassettes, and generated files.

Each surface is produced for real with the bench's key (reliability_leaks.KEY): CLI runs against
fault servers that echo the key back (also with the key pasted with a trailing `\\r`, as from a
Windows `.env`), recordings with that key (against the sandbox, and against echoing stand-ins
through `--base-url`), a build with the key in the environment; and the committed cassettes are
read for a credential header that is not masked.
"""

from __future__ import annotations

import json
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from common import CONNECTORS, ENVIRONMENT, ROOT
from reliability_faults import valid_input
from reliability_leaks import KEY, file_leaks, leaks

from connector_core.cassettes.recording import record
from connector_core.faults import FAULT_KINDS, FaultServer, success_body

CLI_KINDS = [name for name, kind in FAULT_KINDS.items() if kind.category == "echo"] + \
    ["status_400", "status_500", "redirect_302_other_origin", "not_json_200"]
RECORDING_KINDS = [name for name, kind in FAULT_KINDS.items() if kind.category == "echo"]
PASTED = {"as typed": KEY, "ending in \\r": KEY + "\r", "in spaces and a line break": " " + KEY + "\n"}
MASK = "REDACTED"


@dataclass
class Surface:
    name: str
    tried: int = 0
    leaks: int = 0
    unit: str = "runs"
    examples: list[str] = field(default_factory=list)

    def count(self, leaked: bool, what: str) -> None:
        self.tried += 1
        if leaked:
            self.leaks += 1
            if len(self.examples) < 5:
                self.examples.append(what)


def cli_output(document: dict[str, Any], connector: str, quick: bool) -> Surface:
    """`connectors run` of a write and a search against each echoing or failing server: nothing
    the command prints (stdout or stderr) may hold the key."""
    surface = Surface("log lines (CLI stdout and stderr)")
    writes = [key for key, op in sorted(document["operations"].items()) if op["request"]["method"] == "POST"][:1]
    searches = [key for key, op in sorted(document["operations"].items()) if op["kind"] == "search"][:1]
    work = [(kind, operation, pasted) for kind in CLI_KINDS[:: 3 if quick else 1]
            for operation in writes + searches for pasted in list(PASTED)[: 1 if quick else None]]
    credential = _credential_env(document)

    def one(kind: str, operation: str, pasted: str) -> tuple[bool, str]:
        with FaultServer(kind, success=success_body(document, operation), secrets=[KEY]) as server:
            env = {**ENVIRONMENT, credential: PASTED[pasted]}
            given = json.dumps(valid_input(document["operations"][operation]))
            done = subprocess.run([*CONNECTORS, "run", connector, operation, "--input", given, "--base-url",
                                   server.base_url], cwd=ROOT, env=env,
                                  capture_output=True, text=True, timeout=120, check=False)
        return leaks(done.stdout + done.stderr), f"{kind} {operation}, the key {pasted}: exit {done.returncode}"

    with ThreadPoolExecutor(4) as pool:
        for leaked, what in pool.map(lambda item: one(*item), work):
            surface.count(leaked, what)
    return surface


def recorded_cassettes(document: dict[str, Any], connector: str, quick: bool, work: Path) -> Surface:
    """Cassettes recorded with the bench's key: against the sandbox, and with `--base-url` against
    stand-ins that echo the key in headers and bodies (a recording that fails part-way still
    counts what it wrote)."""
    surface = Surface("cassettes recorded with the key", unit="files")
    targets: list[str | None] = [None, *RECORDING_KINDS[:: 3 if quick else 1]]
    for index, kind in enumerate(targets):
        out = work / f"cassettes-{index}"
        try:
            if kind is None:
                record(connector, out, api_key=KEY)
            else:
                with FaultServer(kind, success=success_body(document, "test_connection"), secrets=[KEY]) as server:
                    record(connector, out, base_url=server.base_url, api_key=KEY)
        except Exception as error:  # a recording that stops still wrote files; the figures count those
            surface.examples.append(f"recording against {kind or 'the sandbox'} stopped: {type(error).__name__}")
        for name, leaked in file_leaks(out):
            surface.count(leaked, f"{kind or 'sandbox'}: {name}")
    return surface


def committed_cassettes(document: dict[str, Any], folder: Path) -> Surface:
    """The committed cassettes: the bench's key in any encoding, or a credential header that is not
    the mask (they were recorded with a key this run does not know)."""
    surface = Surface(f"cassettes under {_shown(folder)}", unit="files")
    header = (document["connection"].get("auth") or {}).get("header", "").lower()
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            surface.count(leaks(text) or _unmasked(text, header), str(path.relative_to(folder)))
    return surface


def generated_files(work: Path, document: dict[str, Any]) -> Surface:
    """`connectors build` with the key in the environment: no generated file may hold it."""
    surface = Surface("generated files (connectors build)", unit="files")
    credential = _credential_env(document)
    out = work / "dist"
    subprocess.run([*CONNECTORS, "build", "--out", str(out)], cwd=ROOT, env={**ENVIRONMENT, credential: KEY},
                   capture_output=True, text=True, timeout=600, check=True)
    for name, leaked in file_leaks(out):
        surface.count(leaked, name)
    return surface


def _unmasked(text: str, header: str) -> bool:
    """A cassette whose credential header holds anything but the mask."""
    if not header:
        return False
    try:
        cassette = yaml.safe_load(text)
    except yaml.YAMLError:
        return False
    for interaction in (cassette or {}).get("interactions", []) if isinstance(cassette, dict) else []:
        headers = (interaction.get("request") or {}).get("headers") or {}
        for name, values in headers.items():
            if name.lower() == header and any(value != MASK for value in values):
                return True
    return False


def _credential_env(document: dict[str, Any]) -> str:
    """The environment variable of the connection's key."""
    return next(field["env"] for field in document["connection"]["fields"] if field.get("secret"))


def _shown(folder: Path) -> str:
    try:
        return str(folder.resolve().relative_to(ROOT))
    except ValueError:
        return folder.name
