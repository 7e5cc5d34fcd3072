"""Make parameters (mappable params, static params, interface) from an operation's JSON Schema.

Nested input objects become Make `collection` parameters with the same field names, so a module's
`parameters` has exactly the shape of the spec's input (`parameters.contact.email` is the input
`contact.email`), and the request templates can address API fields by the spec's own paths.
Dates stay text with a YYYY-MM-DD pattern: Make's `date` type would send a full timestamp.
"""

from __future__ import annotations

from typing import Any

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
_SCALARS = {"integer": "integer", "number": "number", "boolean": "boolean"}


def input_parameters(schema: dict[str, Any], rpcs: dict[str, str]) -> list[dict[str, Any]]:
    """Mappable (or static) parameters: labels, help, types, required flags, validation rules."""
    required = set(schema.get("required", []))
    return [_input_parameter(name, sub, name in required, rpcs) for name, sub in schema.get("properties", {}).items()]


def interface(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The output fields a scenario can map from later modules."""
    return [_output_parameter(name, sub) for name, sub in schema.get("properties", {}).items()]


def _input_parameter(name: str, schema: dict[str, Any], required: bool, rpcs: dict[str, str]) -> dict[str, Any]:
    parameter: dict[str, Any] = {"name": name, "label": schema.get("title", name), "required": required}
    if schema.get("description"):
        parameter["help"] = schema["description"]
    kind = _type_of(schema)
    if "x-options" in schema:
        parameter.update(type="select", options=f"rpc://{rpcs[schema['x-options']]}")
    elif "enum" in schema:
        parameter.update(type="select", options=[{"label": str(value), "value": value} for value in schema["enum"]])
    elif kind == "object":
        parameter.update(type="collection", spec=input_parameters(schema, rpcs))
    elif kind == "string":
        parameter["type"] = "email" if schema.get("format") == "email" else "text"
    elif kind in _SCALARS:
        parameter["type"] = _SCALARS[kind]
    else:
        raise ValueError(f"input {name!r}: no Make parameter type for JSON Schema type {kind!r}")
    validate = _validation(schema, kind)
    if validate:
        parameter["validate"] = validate
    if "default" in schema:
        parameter["default"] = schema["default"]
    return parameter


def _validation(schema: dict[str, Any], kind: str) -> dict[str, Any]:
    """Make's `validate`: a pattern, and min/max (a length for text, a value for numbers)."""
    rules: dict[str, Any] = {}
    pattern = schema.get("pattern") or (DATE_PATTERN if schema.get("format") == "date" else None)
    if pattern:
        rules["pattern"] = pattern
    low, high = ("minLength", "maxLength") if kind == "string" else ("minimum", "maximum")
    if low in schema:
        rules["min"] = schema[low]
    if high in schema:
        rules["max"] = schema[high]
    return rules


def _output_parameter(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    parameter: dict[str, Any] = {"name": name, "label": schema.get("title", name)}
    kind = _type_of(schema)
    if kind == "object":
        parameter.update(type="collection", spec=interface(schema))
    elif kind == "array":
        parameter["type"] = "array"
        items = schema.get("items")
        if isinstance(items, dict) and "type" in items:
            parameter["spec"] = _output_parameter("value", items)
    elif kind == "string":
        parameter["type"] = "text"
    elif kind in _SCALARS:
        parameter["type"] = _SCALARS[kind]
    else:
        raise ValueError(f"output {name!r}: no Make interface type for JSON Schema type {kind!r}")
    return parameter


def _type_of(schema: dict[str, Any]) -> str:
    """The schema's one non-null type (`[object, "null"]` is an optional object)."""
    kind = schema.get("type", "string")
    if isinstance(kind, list):
        kinds = [item for item in kind if item != "null"]
        if len(kinds) != 1:
            raise ValueError(f"cannot map the union type {kind} to one Make type")
        kind = kinds[0]
    return kind
