"""Make parameters (mappable params, static params, interface) from an operation's JSON Schema.

Nested input objects become Make `collection` parameters with the same field names, so a module's
`parameters` has exactly the shape of the spec's input (`parameters.contact.email` is the input
`contact.email`), and the request templates can address API fields by the spec's own paths.
The spec's input rules become Make's own parameter validation (`validate`: pattern, min, max,
minItems, maxItems), which Make applies before it sends anything. Dates stay text with a
YYYY-MM-DD pattern: Make's `date` type would send a full timestamp. A keyword Make cannot check
refuses the build (`Unsupported`), naming the operation and the input. A module's form follows
the shared layout (`connector_core.spec.layout`: required first, `x-group: additional` last and
advanced), opens with a banner when the action is destructive, and ends with Make's Limit when it
outputs many records. A derived timestamp (`x-timestamp`) is an output of type `date`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from connector_core.spec.layout import input_layout
from connector_core.spec.models import Operation, Param, RequestMapping, Resource
from make_blueprints import body, limits, values
from make_blueprints.unsupported import Unsupported

# A real calendar day, years 0001-9999 (leap years included), written YYYY-MM-DD.
DATE_PATTERN = (r"^(?:(?!0000)[0-9]{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)"
                r"|(?:0[13578]|1[02])-31)|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
                r"-02-29)$")
# A date-time after the day (`T09:30`, `T09:30:00.250Z`, `T23:30:00-05:00`): the template keeps the day.
DATE_TIME_SUFFIX = r"(?:T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]+)?)?(?:Z|[+-](?:[01][0-9]|2[0-3]):?[0-5][0-9])?)?"
# RFC 3339 with its UTC offset on a real day of years 0000-9999, sent as given: Make's own `date`
# type would send the instant in UTC, losing the offset the API keeps.
DATE_TIME_PATTERN = (DATE_PATTERN.replace("(?!0000)", "").replace("(?:0[48]|[2468][048]|[13579][26])00",
                                                                  "(?:0[048]|[2468][048]|[13579][26])00")[:-1]
                     + r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$")
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
# Guards every text of their kind must pass, as lookaheads in front of the field's own pattern:
# no lone UTF-16 surrogate (it has no UTF-8 form); only printable ASCII in a header value;
# a path value that is `.` or `..`, literally or percent-encoded (any case, `%` itself encoded
# any number of times: `%2e`, `%252E`), is refused, since URL parsers collapse such a segment.
DOT = r"(?:\.|%(?:25)*2[eE])"
NOT_A_DOT_SEGMENT = rf"(?!{DOT}{{1,2}}$)"
NO_LONE_SURROGATE = r"(?![\s\S]*(?:[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]))"
ONLY_PRINTABLE_ASCII = r"(?![\s\S]*[^ -~])"
_SCALARS = {"integer": "integer", "number": "number", "boolean": "boolean"}
# Keywords that only describe a field (labels, help, examples) or that the parameter's shape carries.
# (`x-group` and `x-search` are layout: the first makes a parameter advanced, the second has no Make
# counterpart beyond the RPC select an `x-options` ID input already is.)
_DESCRIPTIVE = {"type", "title", "description", "examples", "default", "properties", "required",
                "additionalProperties", "items", "enum", "x-options", "x-group", "x-search"}
_CHECKED = {"string": {"minLength", "maxLength", "pattern", "format"}, "integer": {"minimum", "maximum"},
            "number": {"minimum", "maximum"}, "boolean": set(), "object": set(), "array": {"minItems", "maxItems"}}
_FORMATS = {"date", "date-time", "email"}


@dataclass(frozen=True)
class Sending:
    """How the request sends some inputs, which their form and validation must know: the extra
    guard of an input sent in the path or a header or read by a transform, the date inputs that
    may be given as a date-time, the item params of an array input sent as a list of objects, and
    the keys of a merged key/value input that a param of their own sets."""

    guards: dict[str, str] = field(default_factory=dict)
    date_times: frozenset[str] = frozenset()
    item_params: dict[str, list[Param]] = field(default_factory=dict)
    covered: dict[str, list[str]] = field(default_factory=dict)


def sending(mapping: RequestMapping, schema: dict[str, Any]) -> Sending:
    """What the request mapping says about its inputs (see Sending); the item params of a list of
    one object read the operation's own input like any param."""
    reading = [item for param in mapping.params for item in (param.items if param.lists_own_input else [param])]
    inputs = [param for param in reading if not param.is_constant]
    return Sending(guards_for(reading),
                   frozenset(param.source for param in inputs if param.items is None
                             and values.input_schema(schema, param.source).get("format") == "date"),
                   {param.input: param.items for param in inputs if param.items is not None and param.input},
                   {param.source: body.covered_keys(mapping.params, param) for param in inputs if param.merge})


def operation_parameters(operation: Operation, resource: Resource, rpcs: dict[str, str],
                         sending: Sending = Sending()) -> list[dict[str, Any]]:
    """A module's form: the destructive action's warning banner, the inputs in the shared layout
    (the additional group advanced), then the Limit of a module that outputs many."""
    where = f"operation {operation.key}"
    form = [warning_banner(operation.warning)] if operation.warning else []
    for field in input_layout(operation):
        parameter = _input_parameter(field.name, field.schema, field.required, rpcs, where, sending)
        form.append({**parameter, "advanced": True} if field.group == "additional" else parameter)
    limit = limits.parameter(operation, resource)
    return form + ([limit] if limit else [])


def warning_banner(warning: str) -> dict[str, Any]:
    """Make's banner parameter: a notice at the top of the form, not a value."""
    return {"type": "banner", "title": "Warning", "text": warning}


def input_parameters(schema: dict[str, Any], rpcs: dict[str, str], where: str,
                     sending: Sending = Sending(), prefix: str = "") -> list[dict[str, Any]]:
    """Mappable (or static) parameters: labels, help, types, required flags, validation rules;
    `where` names the operation in refusals."""
    required = set(schema.get("required", []))
    return [_input_parameter(f"{prefix}{name}", sub, name in required, rpcs, where, sending)
            for name, sub in schema.get("properties", {}).items()]


def guards_for(params: list[Param]) -> dict[str, str]:
    """The extra guard of each input a request sends in its path or a header, or transforms."""
    extra = {"path": NOT_A_DOT_SEGMENT, "header": ONLY_PRINTABLE_ASCII}
    return {param.source: extra.get(param.location, "") + values.guard(param) for param in params
            if not param.is_constant and (param.location in extra or values.guard(param))}


def interface(schema: dict[str, Any], where: str, nested: bool = False) -> list[dict[str, Any]]:
    """The output fields a scenario can map from later modules; a derived timestamp is a date, and
    is left out below the top level, where the module does not output it (communication.record_output)."""
    return [_output_parameter(name, sub, where) for name, sub in schema.get("properties", {}).items()
            if not (nested and "x-timestamp" in sub)]


def _input_parameter(path: str, schema: dict[str, Any], required: bool, rpcs: dict[str, str], where: str,
                     sending: Sending) -> dict[str, Any]:
    name = path.rpartition(".")[2]
    kind = _input_type(schema, where, path)
    parameter: dict[str, Any] = {"name": name, "label": schema.get("title", name), "required": required}
    if schema.get("description"):
        parameter["help"] = schema["description"]
    if "x-options" in schema:
        parameter.update(type="select", options=f"rpc://{rpcs[schema['x-options']]}")
    elif "enum" in schema:
        parameter.update(type="select", options=[{"label": str(value), "value": value} for value in schema["enum"]])
    elif kind == "object" and body.is_free_object(schema):
        parameter.update(type="array", spec=key_value_fields(sending.covered.get(path, [])))
    elif kind == "object":
        parameter.update(type="collection", spec=input_parameters(schema, rpcs, where, sending, f"{path}."))
    elif kind == "array" and path in sending.item_params:
        parameter.update(type="array", spec=item_fields(sending.item_params[path], schema.get("items", {}), rpcs,
                                                        f"{where}: input {path}"))
    elif kind == "array":
        parameter.update(type="array", spec=_array_item(schema, rpcs, where, path))
    elif kind == "string":
        parameter["type"] = "email" if schema.get("format") == "email" else "text"
    else:
        parameter["type"] = _SCALARS[kind]
    validate = _validation(schema, kind, sending.guards.get(path, ""), path in sending.date_times)
    if validate:
        parameter["validate"] = validate
    if "default" in schema:
        parameter["default"] = schema["default"]
    return parameter


def _input_type(schema: dict[str, Any], where: str, path: str) -> str:
    """The input's Make-checkable type; any keyword Make cannot check refuses the build."""
    if "type" not in schema:
        raise Unsupported(where, f"input {path}", "an input without a JSON Schema type has no Make parameter type")
    if "enum" in schema and isinstance(schema["type"], list):
        return "select"  # a select of its values, whatever their types
    kind = _type_of(schema, where, f"input {path}")
    if kind not in _CHECKED:
        raise Unsupported(where, f"input {path}", f"no Make parameter type for JSON Schema type {kind!r}")
    unknown = sorted(set(schema) - _DESCRIPTIVE - _CHECKED[kind])
    if unknown:
        raise Unsupported(where, f"input {path}: {', '.join(unknown)}",
                          f"Make's parameter validation has no rule for these keywords on a {kind}")
    if schema.get("format", "date") not in _FORMATS:
        raise Unsupported(where, f"input {path}: format", f"Make cannot check format {schema['format']!r}")
    if kind == "object" and schema.get("additionalProperties", False) is not False and not body.is_free_object(schema):
        raise Unsupported(where, f"input {path}: additionalProperties",
                          "a Make collection has only the fields it declares")
    return kind


def key_value_fields(covered: list[str]) -> list[dict[str, Any]]:
    """Make's key/value editor: each entry a key (not one a field of its own sets) and a value."""
    refused = "(?!(?:" + "|".join(re.escape(key) for key in covered) + ")$)" if covered else ""
    return [{"name": body.KEY, "label": "Key", "type": "text", "required": True,
             "validate": {"pattern": "^" + NO_LONE_SURROGATE + refused}},
            {"name": body.VALUE, "label": "Value", "type": "any"}]


# What the API takes where an item param transforms its input: the item field asks for that.
_ITEM_TRANSFORMS: dict[str, dict[str, Any]] = {
    "date_number": {"type": "integer", "hint": "A number YYYYMMDD: 2026-04-30 is 20260430."},
    "time_number": {"type": "integer", "hint": "A number HHMM: 09:30 is 930."},
    "boolean_number": {"type": "select", "options": [{"label": "Yes", "value": 1}, {"label": "No", "value": 0}]},
}


def item_fields(items: list[Param], schema: dict[str, Any], rpcs: dict[str, str], where: str) -> list[dict[str, Any]]:
    """The fields of one item of an array sent as a list of objects, named (and nested) as the API
    names them: Make sends the array as filled in, since IML cannot rename or transform the fields
    of each item (approximations.ITEM_FIELDS). A transformed field asks for the API's value; a
    mapped one is a select of the values sent; a default fills each new item; a constant is a
    hidden field."""
    fields: list[dict[str, Any]] = []
    for item in items:
        if item.transform == "next_day":
            raise Unsupported(where, f"item param {item.name}", "a Make array sends each item as the user fills "
                              "it: no next day can be computed in it")
        _place_field(fields, item.name.split("."), _item_field(item, schema, rpcs, where))
    return fields


def _item_field(item: Param, schema: dict[str, Any], rpcs: dict[str, str], where: str) -> dict[str, Any]:
    if item.is_constant:
        return {"name": item.name, "type": "hidden", "default": item.value}
    sub = schema.get("properties", {}).get(item.source, {})
    parameter = _input_parameter(item.name, sub, item.source in schema.get("required", []), rpcs, where, Sending())
    parameter["label"] = sub.get("title", item.source)
    if item.transform is not None:
        shape = dict(_ITEM_TRANSFORMS[item.transform])
        hint = shape.pop("hint", "")
        parameter.pop("validate", None)
        parameter.update(shape)
        if hint:
            parameter["help"] = " ".join(part for part in (parameter.get("help"), hint) if part)
    if item.map is not None:
        parameter.pop("validate", None)
        parameter.update(type="select", options=[{"label": key, "value": sent} for key, sent in item.map.items()])
    if item.default is not None:
        parameter["default"] = item.default
    return parameter


def _place_field(fields: list[dict[str, Any]], parts: list[str], parameter: dict[str, Any]) -> None:
    """Put a field at its dotted name: each segment before the last is a collection."""
    for part in parts[:-1]:
        group = next((field for field in fields if field["name"] == part and field["type"] == "collection"), None)
        if group is None:
            group = {"name": part, "label": part, "type": "collection", "spec": []}
            fields.append(group)
        fields = group["spec"]
    fields.append({**parameter, "name": parts[-1]})


def _array_item(schema: dict[str, Any], rpcs: dict[str, str], where: str, path: str) -> dict[str, Any]:
    """The parameter each array item is (Make's `spec` of an `array` parameter)."""
    items = schema.get("items")
    if not isinstance(items, dict):
        raise Unsupported(where, f"input {path}: items", "a Make array needs one item schema")
    item = _input_parameter(f"{path}.value", items, True, rpcs, where, Sending())
    item.pop("required")
    return item


def _validation(schema: dict[str, Any], kind: str, guard: str, date_time: bool) -> dict[str, Any]:
    """Make's `validate`: a pattern (the guards, then the field's own pattern or format searched
    in the text), and min/max (a length for text, a value for numbers) or minItems/maxItems."""
    rules: dict[str, Any] = {}
    if kind == "select":
        return rules
    if kind == "string" and "enum" not in schema:  # an RPC select may be mapped: its text is checked
        own = schema.get("pattern") or {"date": date_pattern(date_time), "date-time": DATE_TIME_PATTERN,
                                        "email": EMAIL_PATTERN}.get(schema.get("format", ""))
        rules["pattern"] = "^" + NO_LONE_SURROGATE + guard + (rf"[\s\S]*?(?:{own})" if own else "")
    bounds = {"string": ("minLength", "maxLength"), "array": ("minItems", "maxItems")}.get(kind, ("minimum", "maximum"))
    names = ("minItems", "maxItems") if kind == "array" else ("min", "max")
    for keyword, rule in zip(bounds, names):
        if keyword in schema:
            rules[rule] = schema[keyword]
    return rules


def date_pattern(date_time: bool) -> str:
    """A real day, optionally followed by a date-time's time (for a date the template cuts to the day)."""
    return DATE_PATTERN[:-1] + DATE_TIME_SUFFIX + "$" if date_time else DATE_PATTERN


def _output_parameter(name: str, schema: dict[str, Any], where: str) -> dict[str, Any]:
    parameter: dict[str, Any] = {"name": name, "label": schema.get("title", name)}
    kind = _output_type(schema, where, name)
    if "x-timestamp" in schema:
        parameter["type"] = "date"
    elif kind == "object":
        parameter.update(type="collection", spec=interface(schema, where, nested=True))
    elif kind == "array":
        parameter["type"] = "array"
        items = schema.get("items")
        if isinstance(items, dict) and "type" in items:
            parameter["spec"] = _output_parameter("value", items, where)
    elif kind == "string":
        parameter["type"] = "text"
    elif kind in _SCALARS or kind == "any":
        parameter["type"] = _SCALARS.get(kind, "any")
    else:
        raise Unsupported(where, f"output {name}", f"no Make interface type for JSON Schema type {kind!r}")
    return parameter


def _output_type(schema: dict[str, Any], where: str, name: str) -> str:
    """An output's one type; `any` when it has none or may be one of several (Make's `any` holds each)."""
    kinds = schema.get("type", [])
    if isinstance(kinds, list) and len([kind for kind in kinds if kind != "null"]) != 1:
        return "any"
    return _type_of(schema, where, f"output {name}")


def _type_of(schema: dict[str, Any], where: str, key: str) -> str:
    """The schema's one non-null type (`[object, "null"]` is an optional object)."""
    kind = schema["type"]
    if isinstance(kind, list):
        kinds = [item for item in kind if item != "null"]
        if len(kinds) != 1:
            raise Unsupported(where, key, f"cannot map the union type {kind} to one Make type")
        kind = kinds[0]
    return kind
