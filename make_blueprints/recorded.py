"""What Make must give for a recorded answer, written apart from the templates that give it.

The runtimes' rules narrowed to what the generated app renders (approximations.py says why): the
message is the first text found at the spec's message paths, on one line (a list there reads as
JavaScript writes an array as text, an object as `[object Object]`; a plain-text body is no
message), followed by the spec's advice for its status; a 2xx answer whose body status is not ok
is the error of its code's kind, "<meaning> (status <code>)" or "status <code>".
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from connector_core.runtime.response import dig
from connector_core.spec.models import Connector
from make_blueprints.communication import NO_MESSAGE, STATUS_TYPES
from make_blueprints.evaluator import equal, js_string, to_text

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def interactions(cassette: Path) -> list[dict[str, Any]]:
    return yaml.load(cassette.read_text(encoding="utf-8"), Loader=_LOADER)["interactions"]


def answer_body(interaction: dict[str, Any]) -> Any:
    """A recorded answer's body as Make reads it: JSON, else its text (None when empty)."""
    text = interaction["response"]["body"]["string"]
    text = text.decode() if isinstance(text, bytes) else text
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def message(connector: Connector, status: int, body: Any) -> str:
    """The message of an error answer, with the advice for its status."""
    found = None
    if isinstance(body, dict):
        found = next((value for path in connector.errors.message_paths
                      if (value := dig(body, path)) not in (None, "")), None)
    text = re.sub(r"\s+", " ", js_string(found)).strip() or NO_MESSAGE
    advice = next((advice.message for advice in connector.errors.advice if advice.status == status), None)
    return f"{text}; {advice}" if advice else text


def status_error(connector: Connector, status: int, body: Any) -> dict[str, Any] | None:
    """The Make error of a 2xx answer whose body status is not ok (None when it is ok or unread)."""
    rule = connector.errors.body_status
    if rule is None or not isinstance(body, dict):
        return None
    code = dig(body, rule.field)
    if any(equal(code, ok) for ok in rule.ok):
        return None
    listed = next((listed for listed in rule.codes if equal(listed.code, code)), None)
    text = f"{listed.message} (status {listed.code})" if listed else f"status {to_text(code)}"
    kind = STATUS_TYPES.get(listed.kind if listed else "api", "RuntimeError")
    return {"type": kind, "status": status, "message": text}
