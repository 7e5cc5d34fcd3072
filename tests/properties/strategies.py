"""Inputs for an operation, generated from its input schema and mixed with hostile values.

Reusable outside the tests: `operation_inputs(schema)` is a hypothesis strategy for the raw
input a platform could hand the runtime for an operation with that input schema (a JSON Schema
of the spec language). Most values are of the declared shape; the rest are the inputs that once
broke a runtime: lone surrogates, text ending in a newline, other scripts' digits, huge text,
floats for integers, 5,000-digit numbers, odd and non-ASCII keys, nested junk, dot segments and
URL delimiters meant for a path.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

LONE_SURROGATES = ["\ud800", "\udfff", "a\udc00b", "\ud83d"]
URL_TEXT = [".", "..", "%2e", "%2E%2e", ".%2E", "%252e%252e", "%2%65", "a/b", "a?b=1", "a#b", "%", "%zz", "/", "?", "#",
            "..%2f..", " ", "+", "&x=1", "a b"]
NUMBER_TEXT = ["7", " 7 ", "+7", "-0", "7.0", "7.5", "1e3", "\u0667", "\uff17", "\u0967", "7\n", "0x10", "Infinity", "NaN",
               "9007199254740993", "1" * 5000, "1" * 400 + ".5"]
LINE_ENDINGS = ["\n", "\r\n", "\r", "\u2028", "\x00", "\x1c"]
ODD_KEYS = ["__proto__", "constructor", "toString", "", "a.b", "0", "\u00e9t\u00e9", "\u0000", "\ud800", "key\n",
            "\U0001f600"]
HUGE = [8001, 9000, 70000]


def targeted_values() -> list[Any]:
    """Each hostile value once, for a run that puts every one into every field."""
    endings = ["09:00\n", "a@b.co\n", "2026-05-10\n", "7\n"]
    numbers = [7.0, 7.5, -0.0, 1e21, 1e300, float("nan"), float("inf"), 2**53 + 1, 10**5000, 10**400, True]
    shapes: list[Any] = [{"a": 1}, [1, 2], [], {}, None, "", {"\ud800": 1}, [[["\ud800"]]]]
    huge = ["x" * 9000, "\u00e9" * 3000, "/" * 3000, "%" * 2700]
    return LONE_SURROGATES + URL_TEXT + NUMBER_TEXT + endings + numbers + shapes + huge + [nested(32), nested(33), nested(300)]


def nested(levels: int) -> Any:
    """A value `levels` arrays and objects deep."""
    value: Any = "x"
    for level in range(levels):
        value = [value] if level % 2 else {"a": value}
    return value


def baseline(schema: dict[str, Any]) -> dict[str, Any]:
    """The smallest input holding every required property, each with a plain valid value."""
    plain = {"integer": lambda sub: sub.get("minimum", 1), "number": lambda sub: sub.get("minimum", 1),
             "boolean": lambda sub: True, "object": baseline}
    texts = {"date": "2026-05-10", "email": "a@b.co"}
    properties = schema.get("properties", {})
    return {name: plain[properties[name].get("type")](properties[name]) if properties[name].get("type") in plain
            else texts.get(properties[name].get("format"), "a1")
            for name in schema.get("required", []) if name in properties}


def huge_text() -> st.SearchStrategy[str]:
    """Text long enough to push a URL past any limit (built, not drawn: drawing is slow)."""
    return st.builds(lambda size, char: char * size, st.sampled_from(HUGE), st.sampled_from(["a", "\u00e9", "/", "%"]))


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(LONE_SURROGATES + URL_TEXT + NUMBER_TEXT),
        st.builds(lambda text, end: text + end, st.text(max_size=12), st.sampled_from(LINE_ENDINGS)),
        huge_text(),
        st.text(),
    )


def hostile_number() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from([7.0, 7.5, -0.0, 1e21, 1e300, 2.0**53, 2**53 + 1, 10**5000, -(10**4999), 10**400]),
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(),
        st.booleans(),
    )


def junk(depth: int = 2) -> st.SearchStrategy[Any]:
    """Any JSON-like value, a few levels deep, with odd keys."""
    scalars = st.one_of(st.none(), st.booleans(), hostile_number(), hostile_text())
    if depth <= 0:
        return scalars
    inner = junk(depth - 1)
    keys = st.one_of(st.sampled_from(ODD_KEYS), st.text(max_size=8))
    return st.one_of(scalars, st.lists(inner, max_size=3), st.dictionaries(keys, inner, max_size=3))


def hostile() -> st.SearchStrategy[Any]:
    return st.one_of(hostile_text(), hostile_number(), junk())


def well_formed(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """A value of the schema's declared type (near its bounds), often but not always valid."""
    kind = schema.get("type")
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if kind == "object":
        return object_of(schema)
    if kind == "array":
        return st.lists(value_for(schema.get("items", {})), max_size=3)
    if kind == "integer":
        low, high = schema.get("minimum"), schema.get("maximum")
        numbers = st.integers(None if low is None else int(low) - 2, None if high is None else int(high) + 2)
        return st.one_of(numbers, numbers.map(str), numbers.map(float))
    if kind == "number":
        return st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.integers().map(str))
    if kind == "boolean":
        return st.one_of(st.booleans(), st.sampled_from(["true", "FALSE", " true ", "yes", "1"]))
    if schema.get("format") == "date":
        dates = st.dates().map(lambda day: day.isoformat())
        return st.one_of(dates, st.datetimes().map(lambda moment: moment.isoformat(timespec="minutes")),
                         dates.map(lambda text: text + "\n"), st.sampled_from(["2026-02-30", "0000-01-01", "20260510"]))
    if schema.get("format") == "email":
        return st.one_of(st.emails(), st.emails().map(lambda text: text + "\n"), st.sampled_from(["a@b", "a@b.co\n"]))
    return st.one_of(st.text(min_size=1, max_size=20), st.from_regex(r"[A-Za-z0-9_-]{1,12}", fullmatch=True))


def value_for(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Mostly the declared shape, sometimes hostile, sometimes empty (a field left blank)."""
    shaped = well_formed(schema)
    return st.one_of(shaped, shaped, shaped, shaped, shaped, hostile(), st.sampled_from(["", None]))


def object_of(schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """The schema's required properties and some others, now and then with an odd extra key."""
    properties = schema.get("properties", {})
    chosen = {name: value_for(sub if isinstance(sub, dict) else {}) for name, sub in properties.items()}
    required = {name: item for name, item in chosen.items() if name in schema.get("required", [])}
    known = st.one_of(st.fixed_dictionaries(required, optional={name: item for name, item in chosen.items()
                                                                 if name not in required}),
                      st.fixed_dictionaries({}, optional=chosen))
    extra = st.dictionaries(st.one_of(st.sampled_from(ODD_KEYS), st.text(max_size=6)), junk(1), max_size=2)
    return st.one_of(known, known, known, known, st.builds(lambda given, more: {**more, **given}, known, extra))


def operation_inputs(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """The raw input of an operation: an object shaped by `schema`, rarely not an object at all."""
    return st.one_of(object_of(schema), object_of(schema), object_of(schema), object_of(schema), junk(1))
