"""The input fields of an operation as n8n parameters: which parameter holds each one, whether it
is required, and whether it sits on the form or in the "Additional Fields" collection.

Order and groups are the spec's (`input_layout`: required first, the `additional` group last);
an object input is one parameter per leaf. One rule is n8n's own: an optional field n8n cannot
leave blank (a number, a boolean, a fixed list of choices, a list of values: their parameters
always hold a value, which would be sent) goes into the collection, where it is sent only once
the user adds it.

Two inputs are one parameter holding entries (n8n's fixed collection with multiple values): a list
of objects (`shape` "list", each entry a form of the item's own fields, laid out by the same
rules) and a free key/value object (`shape` "pairs", each entry a name and a value).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from connector_core.spec.layout import input_layout
from connector_core.spec.models import Operation, input_paths, param_inputs
from n8n_bridge.names import parameter_name

Shape = Literal["value", "list", "pairs"]
PAIRS_SUFFIX = "Ui"  # n8n's name for a parameter of name/value entries (`customFieldsUi`)


def shape_of(schema: dict[str, Any]) -> Shape:
    """How n8n holds an input: a list of objects and a free key/value object are entries; the rest one value."""
    items = schema.get("items")
    if schema.get("type") == "array" and isinstance(items, dict) and items.get("type") == "object":
        return "list"
    if schema.get("type") == "object" and schema.get("additionalProperties") is True and not schema.get("properties"):
        return "pairs"
    return "value"


@dataclass(frozen=True)
class Field:
    path: str
    schema: dict[str, Any]
    required: bool
    additional: bool  # an entry of the "Additional Fields" collection, not a parameter of its own
    items: tuple[Field, ...] = ()  # a list's item fields, relative to one item

    @property
    def shape(self) -> Shape:
        return shape_of(self.schema)

    @property
    def parameter(self) -> str:
        name = parameter_name(self.path)
        return name + PAIRS_SUFFIX if self.shape == "pairs" else name

    @property
    def locator(self) -> bool:
        """An ID with a dropdown source and a search that finds it: n8n's resource locator."""
        return "x-options" in self.schema and "x-search" in self.schema


def may_stay_blank(schema: dict[str, Any]) -> bool:
    """Whether n8n's parameter for the schema can be left empty (free text, a dynamic choice, entries)."""
    return ("x-options" in schema or shape_of(schema) != "value"
            or (schema.get("type") == "string" and "enum" not in schema))


def item_fields(schema: dict[str, Any]) -> tuple[Field, ...]:
    """The fields of one item of a list input, laid out as an operation's input would be (each sent)."""
    return tuple(_fields(Operation.model_construct(input=schema), None))


def input_fields(operation: Operation) -> list[Field]:
    """Leaf input properties in the layout's order; required only when every level is required. A
    field the request does not send (one only a dropdown's source reads) stays on the form whatever
    its type: the value n8n holds in it is never sent."""
    return _fields(operation, param_inputs(operation.request) if operation.kind != "test" else None)


def _fields(operation: Operation, sent: set[str] | None) -> list[Field]:
    paths = input_paths(operation.input)
    fields = []
    for placed in input_layout(operation):
        for path in paths:
            if path != placed.name and not path.startswith(placed.name + "."):
                continue
            schema, required = _locate(operation.input, path)
            shape = shape_of(schema)
            if schema.get("type") == "object" and shape == "value":
                continue
            held = not required and not may_stay_blank(schema) and (sent is None or path in sent)
            additional = placed.group == "additional" or held
            items = item_fields(schema["items"]) if shape == "list" else ()
            fields.append(Field(path, schema, required, additional, items))
    return fields


def _locate(schema: dict[str, Any], path: str) -> tuple[dict[str, Any], bool]:
    required = True
    for part in path.split("."):
        required = required and part in schema.get("required", [])
        schema = schema["properties"][part]
    return schema, required
