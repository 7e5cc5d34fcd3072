"""Run operations of a generated Zapier app in zapier-platform-core, many in one Node process."""

from __future__ import annotations

import json
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from connector_core.build import FileContent
from connector_core.runtime.connection import values_for_base_url
from connector_core.spec.models import Connector, Operation
from zapier_schema.definition import SECTIONS
from zapier_schema.keys import flatten_input, options_trigger_key
from zapier_schema.project_dir import project_dir
from zapier_schema.toolchain import HARNESS, ZAPIER


@dataclass(frozen=True)
class ZapierRun:
    """One call of the app: which function, with which connection and input, at which time
    (`meta` is Zapier's bundle.meta, e.g. `{"isLoadingSample": True}` in the Zap editor's test;
    a `clock_ms` of None runs on the real clock, so that a deadline can pass)."""

    name: str
    method: str
    authData: dict[str, str]  # noqa: N815 - Zapier's bundle names
    inputData: dict[str, Any]  # noqa: N815
    clock_ms: int | None
    meta: dict[str, Any] = field(default_factory=dict)
    dump: bool = False  # the error's outcome also holds everything the error holds, as text


def method_path(operation: Operation) -> str:
    """Where Zapier finds the operation's function in the app definition."""
    if operation.kind == "test":
        return "authentication.test"
    return f"{SECTIONS[operation.kind]}.{operation.key}.operation.perform"


def options_method(source: str) -> str:
    return f"triggers.{options_trigger_key(source)}.operation.perform"


def auth_data(connector: Connector, base_url: str, api_key: str) -> dict[str, str]:
    """The connection a user would enter to reach `base_url` with this key: the credential, and
    the fields the connection's base URL template reads, taken from the URL."""
    return values_for_base_url(connector, base_url, {connector.connection.credential.key: api_key})


def operation_run(connector: Connector, name: str, operation: Operation, value: dict[str, Any], *,
                  base_url: str, api_key: str, clock_ms: int | None, meta: dict[str, Any] | None = None) -> ZapierRun:
    """A run with the input as Zapier sends it: nested values as flat `a__b` keys, line items as lists."""
    return ZapierRun(name, method_path(operation), auth_data(connector, base_url, api_key),
                     flatten_input(value, operation.input), clock_ms, meta or {})


def run_in_zapier(document: dict[str, Any], runs: list[ZapierRun],
                  files: dict[str, FileContent] | None = None) -> dict[str, dict[str, Any]]:
    """Every run's result ({status, output} or {status, error}) by name, from one Node process."""
    with project_dir(document, files) as app, tempfile.TemporaryDirectory(prefix="zapier-runs-") as scratch:
        runs_file, results_file = Path(scratch) / "runs.json", Path(scratch) / "results.json"
        runs_file.write_text(json.dumps([asdict(run) for run in runs]), encoding="utf-8")
        done = ZAPIER.run([ZAPIER.node(), str(HARNESS / "run_cases.js"), str(runs_file), str(results_file)], cwd=app)
        if done.returncode != 0 or not results_file.is_file():
            raise RuntimeError(f"the Zapier harness failed (exit {done.returncode}): {done.stderr[-2000:]}")
        return json.loads(results_file.read_text(encoding="utf-8"))


def validate_definition(definition_file: Path) -> dict[str, list[str]]:
    """validateAppDefinition problems for the whole app and each operation (empty lists = valid)."""
    done = ZAPIER.run([ZAPIER.node(), str(HARNESS / "validate.js"), str(definition_file)], cwd=definition_file.parent)
    if done.returncode != 0:
        raise RuntimeError(f"the schema validation harness failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout)
