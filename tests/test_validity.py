"""The compiled schema checks (runtime/validity.py) agree with jsonschema, their reference.

`inputs.check` trusts a compiled "yes" without asking jsonschema, so a "yes" where jsonschema says
no would let a broken value through silently. Every schema here is held to both on every value of
a pool chosen to sit on each keyword's edges (bool against number, 1.0 against integer, dates that
do not exist, astral characters, nested objects), plus a seeded spread of composed schemas.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from connector_core.runtime.inputs import FORMATS, jsonschema_validator
from connector_core.runtime.validity import compile_schema

VALUES: list[Any] = [
    None, True, False, 0, 1, -1, 1.0, 1.5, -0.5, 3, 10, 2**53, 1e300,
    "", "a", "ab", "abc", "abcdef", " ", "1", "true", "😀", "😀😀", "é",
    "2024-02-29", "2023-02-29", "2024-13-01", "20240229", "2024-02-29T10:00:00Z", "0000-01-01",
    "x@y.z", "x@y", "not an email", "a b@c.d", "ABC-123", "abc-123", "٣",
    [], [1], [1, 2, 3], ["a", 1], [None], [[1]], [{"id": "a"}],
    {}, {"id": "a"}, {"id": 1}, {"id": "a", "extra": True}, {"name": ""}, {"id": "a", "n": 2.0},
    {"nested": {"id": "a"}}, {"nested": {"id": 5}}, {"tags": ["a", "b"]}, {"tags": [1]},
]

LEAVES: list[dict[str, Any]] = [
    *({"type": name} for name in ("object", "array", "string", "number", "integer", "boolean", "null")),
    {"type": ["string", "null"]}, {"type": ["integer", "boolean"]},
    {"minimum": 1}, {"maximum": 1}, {"minimum": 1.5, "maximum": 3}, {"type": "integer", "minimum": 0},
    {"minLength": 1}, {"maxLength": 2}, {"minLength": 2, "maxLength": 3, "type": "string"},
    {"minItems": 1}, {"maxItems": 1}, {"enum": [1, "1", None]}, {"enum": [True]}, {"enum": [1.0, [1], {"id": "a"}]},
    {"pattern": "^[A-Z]+-[0-9]+$"}, {"pattern": "^\\d+$"}, {"pattern": "b"}, {"format": "date"},
    {"format": "email"}, {"type": "string", "format": "date"},
    {"title": "annotations only", "description": "d", "examples": ["x"], "default": 1, "x-options": {"source": "s"}},
]

OBJECTS: list[dict[str, Any]] = [
    {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
    {"type": "object", "properties": {"id": {"type": "string", "minLength": 1}}, "additionalProperties": False},
    {"type": "object", "properties": {"id": {}, "n": {"type": "integer"}}, "additionalProperties": True},
    {"required": ["name"], "properties": {"name": {"type": "string", "minLength": 1}}},
    {"type": "object", "properties": {"nested": {"type": "object", "properties": {"id": {"type": "string"}},
                                                 "required": ["id"]}}},
    {"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2}}},
    {"type": "array", "items": {"type": "object", "properties": {"id": {"enum": ["a"]}}, "required": ["id"]}},
    {"type": "array", "items": {"type": "integer", "minimum": 1}, "minItems": 1},
]

UNSUPPORTED: list[dict[str, Any]] = [
    {"oneOf": [{"type": "string"}]}, {"format": "uri"}, {"type": "object", "additionalProperties": {"type": "string"}},
    {"type": "strings"}, {"properties": {"id": True}}, {"minimum": "1"},
]


def composed(rng: random.Random, depth: int) -> dict[str, Any]:
    """A random schema of the supported keywords, nesting objects and arrays up to `depth`."""
    if depth == 0 or rng.random() < 0.4:
        return dict(rng.choice(LEAVES))
    if rng.random() < 0.5:
        names = rng.sample(["id", "n", "name", "nested", "tags", "extra"], k=rng.randint(1, 3))
        schema: dict[str, Any] = {"type": "object", "properties": {name: composed(rng, depth - 1) for name in names}}
        if rng.random() < 0.5:
            schema["required"] = rng.sample(names, k=rng.randint(1, len(names)))
        if rng.random() < 0.3:
            schema["additionalProperties"] = rng.random() < 0.5
        return schema
    schema = {"type": "array", "items": composed(rng, depth - 1)}
    if rng.random() < 0.4:
        schema[rng.choice(["minItems", "maxItems"])] = rng.randint(0, 2)
    return schema


SPREAD = [composed(random.Random(seed), depth=3) for seed in range(150)]


def disagreements(schema: dict[str, Any]) -> list[str]:
    accepts = compile_schema(schema, FORMATS)
    assert accepts is not None, f"every keyword here is supported, yet {schema} did not compile"
    reference = jsonschema_validator(schema)
    return [f"{value!r}: compiled {accepts(value)}, jsonschema {reference.is_valid(value)}"
            for value in VALUES if accepts(value) != reference.is_valid(value)]


@pytest.mark.parametrize("schema", LEAVES + OBJECTS, ids=repr)
def test_each_keyword_agrees_with_jsonschema(schema: dict[str, Any]) -> None:
    assert disagreements(schema) == []


def test_a_seeded_spread_of_composed_schemas_agrees_with_jsonschema() -> None:
    found = {repr(schema): problems for schema in SPREAD if (problems := disagreements(schema))}
    assert found == {}


def test_the_pool_and_spread_reach_both_answers() -> None:
    """Agreement means little if every value passed (or failed): count both answers."""
    answers = [jsonschema_validator(schema).is_valid(value) for schema in LEAVES + OBJECTS + SPREAD for value in VALUES]
    assert answers.count(True) > 1000 and answers.count(False) > 1000


@pytest.mark.parametrize("schema", UNSUPPORTED, ids=repr)
def test_what_it_does_not_know_is_left_to_jsonschema(schema: dict[str, Any]) -> None:
    assert compile_schema(schema, FORMATS) is None


def test_a_wrong_yes_would_be_caught() -> None:
    """The comparison can fail: a check that forgot `minLength` disagrees on the pool."""
    schema = {"type": "string", "minLength": 3}
    forgetful = compile_schema({"type": "string"}, FORMATS)
    reference = jsonschema_validator(schema)
    assert forgetful is not None
    assert [value for value in VALUES if forgetful(value) != reference.is_valid(value)] == ["", "a", "ab", " ", "1",
                                                                                           "😀", "😀😀", "é", "٣"]
