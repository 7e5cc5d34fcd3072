"""What a Make user enters for an input given in the spec's terms (a case's input, a cassette's).

Two of Make's forms differ from the input's shape: a free key/value object is Make's key/value
editor (an array of `{key, value}` entries), and an array sent as a list of objects asks for
each item in the API's terms, since IML cannot rename or transform the fields of each item
(approximations.ITEM_FIELDS): the item is entered as the API takes it, built by the item params
(the runtimes' placement). Everything else is entered as given.
"""

from __future__ import annotations

from typing import Any

from connector_core.runtime.request import build_body
from connector_core.spec.models import Operation, Param
from make_blueprints import body


def form_values(operation: Operation, raw: dict[str, Any]) -> dict[str, Any]:
    """`raw` (the input in the spec's terms) as the module's form holds it."""
    entered = dict(raw)
    for param in operation.request.params:
        given = entered.get(param.source) if not param.is_constant and "." not in param.source else None
        if param.items is not None and param.input and isinstance(given, list):
            entered[param.source] = [_as_api_takes(param.items, item) for item in given]
        elif body.is_free_object(_schema(operation, param.source)) and isinstance(given, dict):
            entered[param.source] = [{body.KEY: key, body.VALUE: value} for key, value in given.items()]
    return entered


def _as_api_takes(items: list[Param], item: Any) -> Any:
    """One item as the API takes it, field by field; a value its param cannot turn into the API's
    is entered as given (where Make's own validation of that field meets it)."""
    if not isinstance(item, dict):
        return item
    entered: dict[str, Any] = {}
    for param in items:
        try:
            built = build_body([param], item) or {}
        except ValueError:
            built = build_body([param.model_copy(update={"transform": None})], item) or {}
        _merge(entered, built)
    return entered


def _merge(into: dict[str, Any], placed: dict[str, Any]) -> None:
    for key, value in placed.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def form_field(operation: Operation, field: str, raw: dict[str, Any]) -> str:
    """A refused field's name as the module's form has it: an item field of an array sent as a
    list of objects is named as the API names it (`jobs[1].date` -> `jobs[1].day`), a key of a
    free key/value object by its entry in the editor (`more.title` -> `more[0].key`); `raw` is
    the input in the spec's terms."""
    owner, dot, key = field.partition(".")
    given = raw.get(owner)
    if dot and isinstance(given, dict) and key in given and body.is_free_object(_schema(operation, owner)):
        return f"{owner}[{list(given).index(key)}].{body.KEY}"
    head, bracket, rest = field.partition("[")
    index, _, inner = rest.partition("].")
    for param in operation.request.params:
        if bracket and inner and param.items is not None and param.input == head:
            named = next((item.name for item in param.items if item.input == inner or item.name == inner), inner)
            return f"{head}[{index}].{named}"
    return field


def _schema(operation: Operation, name: str) -> dict[str, Any]:
    return operation.input.get("properties", {}).get(name, {})
