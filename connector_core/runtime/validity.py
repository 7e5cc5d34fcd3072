"""A compiled yes-or-no to "does this value satisfy this schema?", for the keywords specs allow.

jsonschema walks a schema afresh for every value and builds a validator for every property it
descends into: holding each record of a poll page to the output schema cost about 300 us a
record that way. The spec loader refuses every keyword outside `SCHEMA_KEYWORDS`, so a schema
here is small and known, and compiles once into nested closures that answer in microseconds.

Only a "yes" is final. On "no", `inputs.check` runs jsonschema as before to say which rule
broke and how, so every message is unchanged; a schema holding anything this module does not
know compiles to None and is always checked by jsonschema. A "yes" must therefore never be
given where jsonschema would report a problem: each test below mirrors its keyword in draft
2020-12 (a keyword constrains only the JSON type it is about, `true` is no number, `1.0` is an
integer).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from connector_core.runtime import ecma
from connector_core.runtime.jsontext import json_equal

Accepts = Callable[[Any], bool]
ANNOTATIONS = frozenset({"examples", "title", "description", "default", "x-options"})


class _Unsupported(Exception):
    """Raised while compiling a schema that jsonschema alone must judge."""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


TYPES: dict[str, Accepts] = {
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, list),
    "string": lambda value: isinstance(value, str),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
    "number": _is_number,
    "integer": lambda value: (isinstance(value, int) and not isinstance(value, bool))
    or (isinstance(value, float) and value.is_integer()),
}


def compile_schema(schema: Any, formats: Mapping[str, Accepts]) -> Accepts | None:
    """The schema as one predicate, or None when it holds something only jsonschema may judge."""
    try:
        return _compile(schema, formats)
    except _Unsupported:
        return None


def _compile(schema: Any, formats: Mapping[str, Accepts]) -> Accepts:
    if not isinstance(schema, dict):
        raise _Unsupported
    tests = [_keyword(keyword, limit, schema, formats) for keyword, limit in schema.items()
             if keyword not in ANNOTATIONS]
    if len(tests) == 1:
        return tests[0]

    def accepts(value: Any) -> bool:
        for test in tests:
            if not test(value):
                return False
        return True
    return accepts


def _keyword(keyword: str, limit: Any, schema: dict[str, Any], formats: Mapping[str, Accepts]) -> Accepts:
    if keyword == "type":
        names = limit if isinstance(limit, list) else [limit]
        if not all(isinstance(name, str) and name in TYPES for name in names):
            raise _Unsupported
        kinds = [TYPES[name] for name in names]
        return kinds[0] if len(kinds) == 1 else lambda value: any(kind(value) for kind in kinds)
    if keyword == "properties":
        if not isinstance(limit, dict):
            raise _Unsupported
        return _properties({name: _compile(sub, formats) for name, sub in limit.items()})
    if keyword == "required":
        names = list(limit)
        return lambda value: not isinstance(value, dict) or all(name in value for name in names)
    if keyword == "additionalProperties":
        if limit is True:
            return lambda value: True
        if limit is not False:
            raise _Unsupported
        known = frozenset(schema.get("properties", {}))
        return lambda value: not isinstance(value, dict) or known.issuperset(value)
    if keyword == "items":
        each = _compile(limit, formats)
        return lambda value: not isinstance(value, list) or all(each(item) for item in value)
    if keyword == "enum":
        options = list(limit)
        return lambda value: any(json_equal(value, option) for option in options)
    if keyword == "pattern":
        regex = ecma.compile_ecma(limit)
        return lambda value: not isinstance(value, str) or regex.search(value) is not None
    if keyword == "format":
        if limit not in formats:
            raise _Unsupported
        return formats[limit]
    return _bound(keyword, limit)


def _properties(inner: dict[str, Accepts]) -> Accepts:
    def accepts(value: Any) -> bool:
        if isinstance(value, dict):
            for name, item in value.items():
                test = inner.get(name)
                if test is not None and not test(item):
                    return False
        return True
    return accepts


def _bound(keyword: str, limit: Any) -> Accepts:
    """minimum, maximum and the length and size limits, each on its own JSON type."""
    if not _is_number(limit):
        raise _Unsupported
    if keyword == "minimum":
        return lambda value: not _is_number(value) or value >= limit
    if keyword == "maximum":
        return lambda value: not _is_number(value) or value <= limit
    if keyword == "minLength":
        return lambda value: not isinstance(value, str) or len(value) >= limit
    if keyword == "maxLength":
        return lambda value: not isinstance(value, str) or len(value) <= limit
    if keyword == "minItems":
        return lambda value: not isinstance(value, list) or len(value) >= limit
    if keyword == "maxItems":
        return lambda value: not isinstance(value, list) or len(value) <= limit
    raise _Unsupported
