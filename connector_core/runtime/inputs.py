"""Input preparation: strip empty values, coerce strings, and validate against the schema.

No-code platforms send every field as text and send unfilled optional fields as empty strings;
the runtime accepts both, then holds the result to the operation's JSON Schema so that a broken
rule is reported by field before anything is sent.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from connector_core.runtime.errors import FieldProblem

FORMAT_CHECKER = FormatChecker()
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@FORMAT_CHECKER.checks("date", raises=ValueError)
def _is_calendar_date(value: object) -> bool:
    """Strictly YYYY-MM-DD and a real day (Python alone also accepts `20260510`)."""
    if not isinstance(value, str):
        return True
    if not DATE_PATTERN.match(value):
        return False
    dt.date.fromisoformat(value)
    return True


@FORMAT_CHECKER.checks("email")
def _is_email(value: object) -> bool:
    return not isinstance(value, str) or bool(EMAIL_PATTERN.match(value))


FORMAT_NAMES = {"date": "a date in YYYY-MM-DD format", "email": "an email address"}


def strip_empty(value: Any) -> Any:
    """Drop nulls, empty strings and objects left empty, at every depth."""
    if isinstance(value, dict):
        cleaned = {key: strip_empty(item) for key, item in value.items()}
        return {key: item for key, item in cleaned.items() if not _is_empty(item)}
    return value


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == {}


def coerce(schema: dict[str, Any], value: Any) -> Any:
    """Turn text into the schema's integer, number or boolean where that loses nothing."""
    if isinstance(value, dict) and schema.get("type") == "object":
        properties = schema.get("properties", {})
        return {key: coerce(properties.get(key, {}), item) for key, item in value.items()}
    if not isinstance(value, str):
        return value
    wanted = schema.get("type")
    text = value.strip()
    if wanted == "integer" and re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if wanted == "number" and re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text):
        return float(text) if any(c in text for c in ".eE") else int(text)
    if wanted == "boolean" and text.lower() in ("true", "false"):
        return text.lower() == "true"
    return value


def prepare_input(schema: dict[str, Any], raw: Any, *, strip: bool) -> tuple[Any, list[FieldProblem]]:
    """Return the cleaned input and every rule it breaks (an empty list when valid)."""
    if not isinstance(raw, dict):
        return raw, [FieldProblem("(input)", "type", "must be a JSON object")]
    value = copy.deepcopy(raw)
    if strip:
        value = strip_empty(value)
    value = coerce(schema, value)
    return value, check(schema, value)


def check(schema: dict[str, Any], value: Any) -> list[FieldProblem]:
    """Every violation of `schema`, one problem per field and rule, in field order."""
    validator = Draft202012Validator(schema, format_checker=FORMAT_CHECKER)
    problems = sorted((_describe(error) for error in validator.iter_errors(value)),
                      key=lambda problem: (problem.field, problem.rule))
    first_per_field: dict[str, FieldProblem] = {}
    for problem in problems:  # `format` and `pattern` on one field say the same thing once
        if problem.rule in ("format", "pattern"):
            first_per_field.setdefault(f"{problem.field}\0value", problem)
        else:
            first_per_field[f"{problem.field}\0{problem.rule}"] = problem
    return list(first_per_field.values())


def _describe(error: ValidationError) -> FieldProblem:
    path = ".".join(str(part) for part in error.absolute_path)
    rule = str(error.validator)
    got = _show(error.instance)
    if rule == "required":
        missing = error.message.split("'")[1]
        return FieldProblem(_join(path, missing), rule, "is required")
    if rule == "additionalProperties":
        extras = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return FieldProblem(_join(path, extras[0]) if len(extras) == 1 else path or "(input)", rule,
                            "is not a known field" if len(extras) == 1 else f"unknown fields {extras}")
    field = path or "(input)"
    schema = error.schema if isinstance(error.schema, dict) else {}
    messages = {
        "type": f"must be of type {error.validator_value}, got {got}",
        "minimum": f"must be at least {error.validator_value}, got {got}",
        "maximum": f"must be at most {error.validator_value}, got {got}",
        "minLength": "must not be empty" if error.validator_value == 1 else
                     f"must be at least {error.validator_value} characters long",
        "maxLength": f"must be at most {error.validator_value} characters long",
        "enum": f"must be one of {error.validator_value}, got {got}",
        "format": f"must be {FORMAT_NAMES.get(str(error.validator_value), error.validator_value)}, got {got}",
        "pattern": _pattern_message(schema, got),
    }
    return FieldProblem(field, rule, messages.get(rule, error.message))


def _pattern_message(schema: dict[str, Any], got: str) -> str:
    examples = schema.get("examples")
    if schema.get("format") in FORMAT_NAMES:
        return f"must be {FORMAT_NAMES[schema['format']]}, got {got}"
    hint = f" (for example {examples[0]!r})" if examples else ""
    return f"must match the pattern {schema.get('pattern')}{hint}, got {got}"


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
