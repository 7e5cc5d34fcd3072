"""The spec language's keys, read off its models, and which corpus cases exercise each.

A key is a model field written as a dotted path from where it appears (`request.params.in`);
a field whose values are a closed set is one key per value (`request.params.in=path`), and
each JSON Schema keyword the runtimes implement is a `schema.<keyword>` key. Fields that only
document or name things (labels, descriptions, samples, keys) state no runtime rule and have no key.
"""

from __future__ import annotations

import types
import typing
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from connector_core.conformance import load_cases
from connector_core.spec.models import SCHEMA_FORMATS, SCHEMA_KEYWORDS, Connector

NO_RUNTIME_RULE = {
    "name", "label", "description", "version", "docs_url", "sample", "or_create", "key", "connection.fields.key",
    "connection.label", "connection.test", "connection.fields.label", "connection.fields.description",
    "option_sources.label", "option_sources.description", "option_sources.sample",
    # what a platform shows or publishes; the runtimes take any base URL that passes the base URL rule
    "publisher", "logo", "history", "resources", "resource", "destructive", "warning", "connection.fields.choices",
    "connection.fields.help_url",
}
SCHEMA_ANNOTATIONS = {"title", "description", "default", "x-options", "x-group", "x-search", "x-summary"}


def spec_keys() -> list[str]:
    """Every spec-language key with runtime meaning, in model order."""
    keys: list[str] = []
    _walk(Connector, "", keys, set())
    keys.extend(f"schema.{keyword}" for keyword in SCHEMA_KEYWORDS if keyword not in SCHEMA_ANNOTATIONS
                and keyword != "format")
    keys.extend(f"schema.format={name}" for name in SCHEMA_FORMATS)
    return keys


def _walk(model: type[BaseModel], prefix: str, keys: list[str], seen: set[type]) -> None:
    seen.add(model)
    fields = model.model_fields
    order = sorted(fields, key=lambda name: name == "option_sources")  # operations name request/response
    for name in order:
        info = fields[name]
        path = f"{prefix}{info.alias or name}"
        if path in NO_RUNTIME_RULE:
            continue
        models, literals = _parts(info.annotation)
        nested = [sub for sub in models if sub not in seen]
        if name == "operations":
            for sub in nested:
                _walk(sub, "", keys, seen)
            continue
        if literals:
            keys.extend(f"{path}={value}" for value in literals if f"{path}={value}" not in keys)
        elif (not models or model in models) and path not in keys:  # a model holding a list of its own kind
            keys.append(path)
        for sub in nested:
            _walk(sub, f"{path}.", keys, seen)


def _parts(annotation: Any) -> tuple[list[type[BaseModel]], list[Any]]:
    """The models and the literal values an annotation can hold, looking through containers."""
    origin = get_origin(annotation)
    if origin is Literal:
        return [], list(get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation], []
    if origin in (Union, types.UnionType, list, dict, typing.Annotated) or get_args(annotation):
        models: list[type[BaseModel]] = []
        literals: list[Any] = []
        for arg in get_args(annotation):
            sub_models, sub_literals = _parts(arg)
            models += [m for m in sub_models if m not in models]
            literals += [v for v in sub_literals if v not in literals]
        return models, literals
    return [], []


def coverage() -> tuple[dict[str, list[str]], list[str]]:
    """Case names per key, and the keys no case exercises."""
    covered: dict[str, list[str]] = {key: [] for key in spec_keys()}
    for case in load_cases():
        for key in case["keys"]:
            if key not in covered:
                raise ValueError(f"case {case['name']!r} names {key!r}, which is not a spec-language key")
            covered[key].append(case["name"])
    return covered, [key for key, names in covered.items() if not names]
