"""Input preparation: strip empty values, coerce text, and validate against the schema.

No-code platforms send every field as text and send unfilled optional fields as empty strings;
the runtime accepts both, then holds the result to the operation's JSON Schema so that a broken
rule is reported by field before anything is sent. Every rule here is stated by a case of the
conformance corpus (docs/conformance.md), which the JS kernel passes too.
"""

from __future__ import annotations

import calendar
import functools
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from connector_core.runtime import ecma
from connector_core.runtime.errors import FieldProblem
from connector_core.runtime.jsontext import json_text, show
from connector_core.runtime.validity import Accepts, compile_schema

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

TRIMMED = " \t\r\n"
SAFE_INTEGER = 2**53 - 1  # beyond it a JavaScript number is no longer exact
INTEGER_TEXT = re.compile(r"[+-]?[0-9]+")
NUMBER_TEXT = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
DATE_TEXT = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
DATE_TIME_TEXT = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?"
                            r"(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?")
# RFC 3339: a real day, a valid time, and the offset that says which instant it is.
OFFSET_DATE_TIME_TEXT = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?"
                                   r"(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])")
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
FORMAT_NAMES = {"date": "a date in YYYY-MM-DD format", "email": "an email address",
                "date-time": "a date-time with a UTC offset, such as 2021-03-05T12:15:00-05:00"}
UNICODE_MESSAGE = "must be valid Unicode text (it holds a lone surrogate)"
KEY_UNICODE_MESSAGE = "is a field name that is not valid Unicode text (it holds a lone surrogate)"
NUMBER_MESSAGE = "must be a finite number"
MAX_DEPTH = 32
DEPTH_MESSAGE = f"is nested more than {MAX_DEPTH} levels deep"


def is_date(value: object) -> bool:
    """YYYY-MM-DD naming a real day, years 0001-9999 (no compact or short forms)."""
    return not isinstance(value, str) or _is_day(value, first_year=1)


def is_date_time(value: object) -> bool:
    """An RFC 3339 date-time with its UTC offset (without one, the instant depends on a time zone
    nobody stated) on a real day of years 0000-9999, the range derived timestamps are written in."""
    if not isinstance(value, str):
        return True
    match = OFFSET_DATE_TIME_TEXT.fullmatch(value)
    return match is not None and _is_day(match.group(1), first_year=0)


def _is_day(text: str, *, first_year: int) -> bool:
    """YYYY-MM-DD naming a day of the proleptic Gregorian calendar from `first_year` on."""
    match = DATE_TEXT.fullmatch(text)
    if not match:
        return False
    year, month, day = (int(part) for part in match.groups())
    february = 29 if calendar.isleap(year) else 28
    days = (31, february, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    return year >= first_year and 1 <= month <= 12 and 1 <= day <= days[month - 1]


def is_email(value: object) -> bool:
    return not isinstance(value, str) or ecma.search(EMAIL_PATTERN, value)


FORMATS = {"date": is_date, "date-time": is_date_time, "email": is_email}


@functools.lru_cache(maxsize=1)
def _jsonschema() -> tuple[Any, Any]:
    """jsonschema's draft 2020-12 validator with ECMA patterns, and a checker of our formats.

    Imported on first need only: a value the compiled check accepts never needs it, and importing
    it costs about 0.1 s of every command's start.
    """
    from jsonschema import Draft202012Validator, FormatChecker, validators
    from jsonschema.exceptions import ValidationError

    def ecma_pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Any:
        if isinstance(instance, str) and not ecma.search(pattern, instance):
            yield ValidationError(f"{instance!r} does not match {pattern!r}")

    checker = FormatChecker(formats=())
    for name, test in FORMATS.items():
        checker.checks(name)(test)
    return validators.extend(Draft202012Validator, {"pattern": ecma_pattern}), checker


@dataclass(frozen=True, eq=False)
class _Compiled:
    """A schema's fast yes-or-no (None: jsonschema decides alone), and its jsonschema validator,
    built the first time a value is not a plain yes."""

    accepts: Accepts | None
    schema: dict[str, Any]

    @functools.cached_property
    def validator(self) -> Any:
        return jsonschema_validator(self.schema)


def jsonschema_validator(schema: dict[str, Any]) -> Any:
    """jsonschema's judgement of `schema`: the reference the compiled check must agree with."""
    validator_class, checker = _jsonschema()
    return validator_class(schema, format_checker=checker)


class _Same:
    """A schema keyed by identity: an operation's schemas are built once with its frozen spec, so
    the same dict is the same schema, and holding it here keeps its id from being reused."""

    __slots__ = ("schema",)

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema

    def __hash__(self) -> int:
        return id(self.schema)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.schema is self.schema


@functools.lru_cache(maxsize=1024)
def _compiled(key: _Same) -> _Compiled:
    """Compiled once per schema (per operation input and output), not once per value."""
    return _Compiled(compile_schema(key.schema, FORMATS), key.schema)


def strip_empty(value: Any) -> Any:
    """Drop nulls, empty strings and objects left empty, at every depth, also in each object of a
    list (a list keeps its items, so a problem names the item the user filled in)."""
    if isinstance(value, dict):
        cleaned = {key: strip_empty(item) for key, item in value.items()}
        return {key: item for key, item in cleaned.items() if not _is_empty(item)}
    if isinstance(value, list):
        return [strip_empty(item) if isinstance(item, dict) else item for item in value]
    return value


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == {}


def coerce(schema: dict[str, Any], value: Any) -> Any:
    """Turn text into the schema's integer, number or boolean where that loses nothing, and a
    date-time into its date where a date is wanted."""
    wanted = schema.get("type")
    if isinstance(value, dict) and wanted == "object":
        properties = schema.get("properties", {})
        return {key: coerce(properties.get(key, {}), item) for key, item in value.items()}
    if isinstance(value, list) and wanted == "array":
        return [coerce(schema.get("items", {}), item) for item in value]
    if wanted == "integer" and isinstance(value, float) and value.is_integer() and abs(value) <= SAFE_INTEGER:
        return int(value)
    if not isinstance(value, str):
        return value
    text = value.strip(TRIMMED)
    if wanted == "integer" and INTEGER_TEXT.fullmatch(text) and _short(text) and abs(int(text)) <= SAFE_INTEGER:
        return int(text)
    if wanted == "number" and NUMBER_TEXT.fullmatch(text) and math.isfinite(float(text)):
        number = float(text)
        return int(number) if number.is_integer() else number
    if wanted == "boolean" and text.lower() in ("true", "false"):
        return text.lower() == "true"
    if schema.get("format") == "date":
        match = DATE_TIME_TEXT.fullmatch(value)
        if match and is_date(match.group(1)):
            return match.group(1)
    return value


def _short(text: str) -> bool:
    """At most 16 significant digits: no safe integer has more, and int() refuses 4,300 digits."""
    return len(text.lstrip("+-").lstrip("0")) <= 16


def deeper(value: Any, limit: int) -> bool:
    """Whether objects and arrays nest more than `limit` levels in `value` (without recursion: any
    depth). Every other rule walks the input recursively, so a deeper one is refused first."""
    pending = [(value, 0)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, (dict, list)):
            if level == limit:
                return True
            pending.extend((inner, level + 1) for inner in (item.values() if isinstance(item, dict) else item))
    return False


def js_numbers(value: Any) -> Any:
    """Numbers as JavaScript holds them: an integer beyond 2^53 - 1 becomes the nearest double
    (infinite past its range), as JSON.parse reads it in the kernel's hosts."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > SAFE_INTEGER:
        try:
            return float(value)
        except OverflowError:
            return math.inf if value > 0 else -math.inf
    if isinstance(value, dict):
        return {key: js_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [js_numbers(item) for item in value]
    return value


def prepare_input(schema: dict[str, Any], raw: Any, *, strip: bool) -> tuple[Any, list[FieldProblem]]:
    """Return the cleaned input and every rule it breaks (an empty list when valid)."""
    if not isinstance(raw, dict):
        return raw, [FieldProblem("(input)", "type", "must be a JSON object")]
    too_deep = [FieldProblem(str(key), "depth", DEPTH_MESSAGE) for key, item in raw.items() if deeper(item, MAX_DEPTH)]
    if too_deep:
        return raw, ordered(too_deep)
    value = js_numbers(raw)
    if strip:
        value = strip_empty(value)
    value = coerce(schema, value)
    return value, ordered(check(schema, value, root="(input)") + value_problems(value) + inexact_integers(schema, value))


def _is_integral(value: Any) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, float) and value.is_integer())


def inexact_integers(schema: dict[str, Any], value: Any, path: str = "") -> list[FieldProblem]:
    """An integral number past 2^53 - 1 where an integer is wanted is no exact integer in
    JavaScript (it would be sent as 9007199254740992 or 1e+21): a `type` problem, as its text is."""
    wanted = schema.get("type")
    if isinstance(value, dict) and wanted == "object":
        properties = schema.get("properties", {})
        return [problem for key, item in value.items()
                for problem in inexact_integers(properties.get(key, {}), item, _join(path, str(key)))]
    if isinstance(value, list) and wanted == "array":
        return [problem for index, item in enumerate(value)
                for problem in inexact_integers(schema.get("items", {}), item, _index(path, index))]
    if wanted == "integer" and _is_integral(value) and abs(value) > SAFE_INTEGER:
        return [FieldProblem(path or "(input)", "type", f"must be of type integer, got {show(value)}")]
    return []


def value_problems(value: Any, path: str = "") -> list[FieldProblem]:
    """A problem for every string or field name holding a lone UTF-16 surrogate (it has no UTF-8
    form) and every number that is not finite (JSON cannot carry it)."""
    if isinstance(value, str):
        return [FieldProblem(path or "(input)", "unicode", UNICODE_MESSAGE)] if LONE_SURROGATE.search(value) else []
    if isinstance(value, float) and not math.isfinite(value):
        return [FieldProblem(path or "(input)", "number", NUMBER_MESSAGE)]
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    problems = []
    for key, item in items:
        field = _index(path, key) if isinstance(key, int) else _join(path, key)
        if isinstance(key, str) and LONE_SURROGATE.search(key):
            problems.append(FieldProblem(field, "unicode", KEY_UNICODE_MESSAGE))
        problems += value_problems(item, field)
    return problems


def check(schema: dict[str, Any], value: Any, *, root: str = "(root)") -> list[FieldProblem]:
    """Every violation of `schema`, one problem per field and rule, in field order."""
    compiled = _compiled(_Same(schema))
    if compiled.accepts is not None and compiled.accepts(value):
        return []
    return ordered([problem for error in compiled.validator.iter_errors(value) for problem in _describe(error, root)])


def ordered(problems: list[FieldProblem]) -> list[FieldProblem]:
    """Sorted by field then rule; `format` and `pattern` on one field say the same thing once."""
    first: dict[tuple[str, str], FieldProblem] = {}
    for problem in sorted(problems, key=lambda problem: (problem.field, problem.rule)):
        rule = "value" if problem.rule in ("format", "pattern") else problem.rule
        first.setdefault((problem.field, rule), problem)
    return list(first.values())


def _describe(error: ValidationError, root: str) -> list[FieldProblem]:
    path = ""
    for part in error.absolute_path:
        path = _index(path, part) if isinstance(part, int) else _join(path, part)
    rule = str(error.validator)
    limit = error.validator_value
    if rule == "required":
        return [FieldProblem(_join(path, name), rule, "is required") for name in limit if name not in error.instance]
    if rule == "additionalProperties":
        extras = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return [FieldProblem(_join(path, name), rule, "is not a known field") for name in extras]
    got = show(error.instance)
    schema = error.schema if isinstance(error.schema, dict) else {}
    messages = {
        "type": f"must be of type {' or '.join(map(str, limit)) if isinstance(limit, list) else limit}, got {got}",
        "minimum": f"must be at least {json_text(limit)}, got {got}",
        "maximum": f"must be at most {json_text(limit)}, got {got}",
        "minLength": "must not be empty" if limit == 1 else f"must be at least {limit} characters long",
        "maxLength": f"must be at most {limit} characters long",
        "minItems": f"must have at least {limit} items",
        "maxItems": f"must have at most {limit} items",
        "enum": f"must be one of {json_text(limit)}, got {got}",
        "format": f"must be {FORMAT_NAMES.get(str(limit), limit)}, got {got}",
        "pattern": _pattern_message(schema, got),
    }
    return [FieldProblem(path or root, rule, messages.get(rule, error.message))]


def _pattern_message(schema: dict[str, Any], got: str) -> str:
    if schema.get("format") in FORMAT_NAMES:
        return f"must be {FORMAT_NAMES[schema['format']]}, got {got}"
    examples = schema.get("examples")
    hint = f" (for example {json_text(examples[0])})" if examples else ""
    return f"must match the pattern {schema.get('pattern')}{hint}, got {got}"


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _index(path: str, index: int) -> str:
    """An item of a list, named as a user reads it: `jobs[2].date`."""
    return f"{path}[{index}]"
