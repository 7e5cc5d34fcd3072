"""Case plans (what to record) and the recorded index (what was recorded, and the outcome).

A case is one operation run with one input, after optional setup steps, possibly with a fault
injected into the sandbox (a case that needs the sandbox is skipped against a live API, and the
index says so); triggers are polled more than once so the cassette shows the cursor
advancing. A trigger case has a `mode`: `poll` (a host that keeps state: the first poll sets the
baseline), `window` (a stateless host such as Zapier) or `latest` (the manual "test trigger"). Setup results can be named (`save_as`) and referred to in later inputs as
`{{name.field}}`, so a plan also works against a live API whose ids are not predictable.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from connector_core.apis import CASES_FILE, api_dir
from connector_core.spec.loader import SpecError, describe_errors

INDEX_FILE = "index.json"


#: How a trigger case is polled: with state, stateless (window) or as a manual test (latest).
PollMode = Literal["poll", "window", "latest"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Step(_Model):
    """Unrecorded preparation: run an operation, or call the sandbox's control plane."""

    operation: str | None = None
    input: dict[str, Any] = Field(default_factory=dict)
    sandbox: str | None = Field(default=None, description="a control-plane path under /_sandbox/, e.g. /_sandbox/faults")
    body: dict[str, Any] = Field(default_factory=dict)
    save_as: str | None = None
    repeat: int = Field(default=1, ge=1, description="run this many times; `{{step.n}}` counts from 1")


class Fault(_Model):
    status: int
    count: int = 1
    retryAfter: int | None = None
    message: str | None = None


class Case(_Model):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    operation: str
    description: str = ""
    input: dict[str, Any] = Field(default_factory=dict)
    setup: list[Step] = Field(default_factory=list)
    fault: Fault | None = None
    mode: PollMode = "poll"
    polls: int = Field(default=1, ge=1)
    between_polls: list[Step] = Field(default_factory=list)
    api_key: str | None = Field(default=None, description="a different key, e.g. a wrong one for 401")
    sandbox_only: bool = Field(default=False, description="needs the sandbox (faults), not a live API")

    def needs_sandbox(self) -> str | None:
        """Why only the sandbox can record this case (a fault, a control-plane step), or None.

        A live API has no `/_sandbox` control plane, so such a case is skipped there, not failed.
        """
        if self.fault is not None:
            return f"injects a fault (HTTP {self.fault.status})"
        if self.sandbox_only:
            return "marked sandbox_only"
        for step in [*self.setup, *self.between_polls]:
            if step.sandbox:
                return f"a step calls the sandbox's control plane ({step.sandbox})"
        return None


class CasePlan(_Model):
    connector: str
    clock_ms: int = Field(description="the runtime's clock for trigger polls, pinned for replay")
    poll_interval_ms: int = 60000
    cases: list[Case]


class Outcome(_Model):
    """What a case produced: an output (per poll for triggers) or an error."""

    status: Literal["ok", "error"]
    output: Any = None
    error: dict[str, Any] | None = None


class RecordedCase(_Model):
    name: str
    operation: str
    cassette: str
    input: dict[str, Any]
    clock_ms: int
    poll_interval_ms: int
    mode: PollMode = "poll"
    polls: int
    api_key_valid: bool
    interactions: int
    poll_interactions: list[int] = Field(description="interactions each poll used (one entry per poll; "
                                                     "one entry for other operations)")
    outcome: Outcome


class SkippedCase(_Model):
    """A case of the plan that was not recorded, and why (so its absence is not taken for a pass)."""

    name: str
    operation: str
    reason: str


class CassetteIndex(_Model):
    connector: str
    recorded_against: str
    base_path: str = Field(description="path of the recorded base URL, e.g. /v1; replay serves under it")
    cases: list[RecordedCase]
    skipped: list[SkippedCase] = Field(default_factory=list, description="cases of the plan not recorded")

    def for_operation(self, key: str) -> list[RecordedCase]:
        return [case for case in self.cases if case.operation == key]


def load_plan(connector: str) -> CasePlan:
    """The recording cases of a bundled connector (`apis/<name>/cases.yaml`)."""
    path = api_dir(connector) / CASES_FILE
    if not path.is_file():
        raise SpecError(f"no case plan for connector {connector!r} at {path}")
    try:
        plan = CasePlan.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except ValidationError as error:
        raise SpecError(describe_errors(path, error)) from None
    if plan.connector != connector:
        raise SpecError(f"{path}: the plan is for connector {plan.connector!r}, not {connector!r}")
    return plan


def load_index(directory: Path) -> CassetteIndex:
    path = directory / INDEX_FILE
    if not path.is_file():
        raise SpecError(f"no recorded cassettes at {directory} (run `connectors record`)")
    return CassetteIndex.model_validate_json(path.read_text(encoding="utf-8"))


def write_index(directory: Path, index: CassetteIndex) -> None:
    text = json.dumps(index.model_dump(mode="json"), indent=2, sort_keys=True, ensure_ascii=False)
    (directory / INDEX_FILE).write_text(text + "\n", encoding="utf-8")


_REFERENCE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z0-9_.]+)\s*\}\}")


def render(value: Any, saved: dict[str, Any]) -> Any:
    """Replace `{{name.field}}` in strings (at any depth) with values saved by setup steps."""
    if isinstance(value, dict):
        return {key: render(item, saved) for key, item in value.items()}
    if isinstance(value, list):
        return [render(item, saved) for item in value]
    if not isinstance(value, str):
        return value

    def lookup(match: re.Match[str]) -> str:
        item: Any = saved[match.group(1)]
        for part in match.group(2).split("."):
            item = item[part]
        return str(item)

    return _REFERENCE.sub(lookup, value)
