"""The IML expression of one request value: an input as its param shapes it, or a constant.

Make hands a module only the parameters a user gave (an empty one is left out, so it reads as
undefined), and leaves an undefined value out of the query and the JSON body; a two-argument
`if` is undefined when its condition is false. So "sends nothing" is written as that `if`:
a transform applies only to a given value, a `map` sends the listed value or nothing, a
`default` is sent when the input is not given, a constant with `when` only when that input is.
Transforms are IML: `date_number` removes the dashes of the day and reads the number
(`2026-04-30` -> 20260430), `time_number` the colon (`09:30` -> 930; the parameter's validation
refused anything but `HH:mm` first), `boolean_number` is 1 or 0, and `next_day` adds a day to the
date read and written in UTC (a calendar day, which no time zone may move).
"""

from __future__ import annotations

import json
from typing import Any

from connector_core.spec.models import Param, schema_at
from make_blueprints import iml
from make_blueprints.unsupported import Unsupported

TIME_GUARD = r"(?=[0-9]{2}:[0-9]{2}$)"  # time_number reads `HH:mm` only, whatever the input's own pattern
LAST_DAY_GUARD = r"(?!9999-12-31)"  # next_day has no day after the last one


def input_schema(schema: dict[str, Any], dotted: str) -> dict[str, Any]:
    """The schema of the input at a dotted path (empty when it is not declared)."""
    return schema_at(schema, dotted) or {}


def input_type(schema: dict[str, Any], dotted: str) -> Any:
    """The input's one non-null JSON type (the first of several)."""
    return input_types(schema, dotted)[0] if input_types(schema, dotted) else None


def input_types(schema: dict[str, Any], dotted: str) -> list[str]:
    """The input's non-null JSON types."""
    kind = input_schema(schema, dotted).get("type")
    return [item for item in kind if item != "null"] if isinstance(kind, list) else [kind] if kind else []


def given(reference: str, kind: Any) -> str:
    """A condition true when the input at `reference` was given: Make leaves empty text out, so
    text is given when truthy; a boolean or number is given when it is one (false and 0 too)."""
    if kind == "boolean":
        return f"({reference} = true or {reference} = false)"
    if kind in ("integer", "number"):
        return f"({reference} >= 0 or {reference} < 0)"
    if kind == "string":
        return reference
    raise Unsupported("request", f"input of type {kind!r}", "Make has no test for a given value of this type")


def day(reference: str) -> str:
    """A date input's day: the first ten characters (a date input may be given as a date-time)."""
    return f"substring({reference}, 0, 10)"


TRANSFORMS = {
    "date_number": lambda ref: f"parseNumber(replace({day(ref)}, /-/g, ''), '.')",
    "time_number": lambda ref: f"parseNumber(replace({ref}, ':', ''), '.')",
    "boolean_number": lambda ref: f"if({ref}, 1, 0)",
    "next_day": lambda ref: f"formatDate(addDays(parseDate({day(ref)}, 'YYYY-MM-DD', 'UTC'), 1), 'YYYY-MM-DD', 'UTC')",
}


def value(param: Param, schema: dict[str, Any]) -> str:
    """The expression a param sends (undefined: nothing); `schema` is the operation's input."""
    if param.is_constant:
        if param.when is None:
            raise ValueError("a plain constant is written as itself, not as an expression")
        return f"if({given(f'parameters.{param.when}', input_type(schema, param.when))}, {iml.literal(param.value)})"
    reference = f"parameters.{param.source}"
    kind = input_type(schema, param.source)
    if param.transform is not None:
        shaped = TRANSFORMS[param.transform](reference)
    elif param.map is not None:
        shaped = mapped(reference, input_types(schema, param.source), param.map)
    elif input_schema(schema, param.source).get("format") == "date":
        shaped = day(reference)
    else:
        shaped = reference
    if param.default is not None:
        return f"if({given(reference, kind)}, {shaped}, {iml.literal(param.default)})"
    if shaped == reference or param.map is not None:
        return shaped
    return f"if({given(reference, kind)}, {shaped})"


def mapped(reference: str, kinds: list[str], table: dict[str, Any]) -> str:
    """Nested ifs: the value listed for the input's value (a non-text value's key is its JSON
    text), else undefined. A key no value of the input's types can have is left out."""
    expression = None
    for key, sent in reversed(list(table.items())):
        wanted = [f"{reference} = {literal}" for literal in _key_literals(key, kinds)]
        if not wanted:
            continue
        otherwise = "" if expression is None else f", {expression}"
        expression = f"if({' or '.join(wanted)}, {iml.literal(sent)}{otherwise})"
    return expression or f"if(false, {reference})"


def _key_literals(key: str, kinds: list[str]) -> list[str]:
    """The values of the input's types whose key is `key`: the text itself, or what it reads as JSON."""
    literals = [iml.string(key)] if "string" in kinds else []
    try:
        parsed = json.loads(key)
    except ValueError:
        return literals
    fits = {"boolean": isinstance(parsed, bool),
            "integer": isinstance(parsed, int) and not isinstance(parsed, bool),
            "number": isinstance(parsed, (int, float)) and not isinstance(parsed, bool)}
    return literals + ([iml.literal(parsed)] if any(fits.get(kind, False) for kind in kinds) else [])


def guard(param: Param) -> str:
    """The extra validation a transform needs of its input's text (a lookahead), or ''."""
    return {"time_number": TIME_GUARD, "next_day": LAST_DAY_GUARD}.get(param.transform or "", "")
