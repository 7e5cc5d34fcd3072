"""The JSON body directive of a request: every body param nested at its dotted name.

A digit segment is a list index (`data.jobs.0.title` is the first object of the list `jobs`). A
container that mirrors an input object is sent as that collection. An `items` param without an
input is a list of one object built from the operation's own input; with an input, it sends
that array parameter as the user filled it: its Make form has one field per item param, named
as the API names it (IML cannot rename or transform the fields of each item of an array:
approximations.ITEM_FIELDS). A `merge` param's key/value array becomes an object
(`toCollection`) spread into its container under Make's merge key `{{...}}`, before the
container's own fields. A free key/value input sent whole is that object.
"""

from __future__ import annotations

from typing import Any

from connector_core.spec.models import Param, input_paths
from make_blueprints import iml, values

SPREAD = "{{...}}"
KEY, VALUE = "key", "value"  # the fields of one entry of Make's key/value array


def body(params: list[Param], schema: dict[str, Any]) -> dict[str, Any]:
    """The `body` directive of these body params; `schema` is the operation's input."""
    return _node(_tree(params), schema)


def _tree(params: list[Param]) -> dict[str, Any]:
    """Params at their dotted names; a merge param sits in its container under SPREAD."""
    tree: dict[str, Any] = {}
    for param in params:
        parts = param.name.split(".")
        node = tree
        for part in parts[:-1] if not param.merge else parts:
            node = node.setdefault(part, {})
        node[SPREAD if param.merge else parts[-1]] = param
    return tree


def _node(node: Param | dict[str, Any], schema: dict[str, Any]) -> Any:
    if isinstance(node, Param):
        return _leaf(node, schema)
    if node and all(key.isdigit() for key in node):
        listed: list[Any] = [None] * (max(int(key) for key in node) + 1)
        for key, child in node.items():
            listed[int(key)] = _node(child, schema)
        return listed
    if SPREAD in node:
        return {SPREAD: iml.wrap(collection(f"parameters.{node[SPREAD].source}")),
                **{name: _node(child, schema) for name, child in node.items() if name != SPREAD}}
    mirrored = _mirrored_input(node, schema)
    if mirrored:
        return iml.wrap(f"parameters.{mirrored}")
    return {name: _node(child, schema) for name, child in node.items()}


def _leaf(param: Param, schema: dict[str, Any]) -> Any:
    if param.items is not None:
        if param.input is not None:
            return iml.wrap(f"parameters.{param.input}")
        return [_node(_tree(param.items), schema)]
    if param.is_constant and param.when is None:
        return param.value
    if not param.is_constant and is_free_object(values.input_schema(schema, param.source)):
        reference = f"parameters.{param.source}"
        return iml.wrap(f"if({reference}, {collection(reference)})")
    return iml.wrap(values.value(param, schema))


def collection(reference: str) -> str:
    """A Make key/value array as the object it stands for."""
    return f"toCollection({reference}, {iml.string(KEY)}, {iml.string(VALUE)})"


def is_free_object(schema: dict[str, Any]) -> bool:
    """An input of free keys and values (`type: object, additionalProperties: true`)."""
    return schema.get("type") == "object" and schema.get("additionalProperties") is True


def covered_keys(params: list[Param], merged: Param) -> list[str]:
    """The keys of a merged object that another param places inside its container."""
    prefix = merged.name + "."
    return sorted({param.name[len(prefix):].split(".")[0] for param in params
                   if param is not merged and param.location == "body" and param.name.startswith(prefix)})


def _mirrored_input(node: dict[str, Any], schema: dict[str, Any]) -> str | None:
    """The input object whose every field this body container sends, under the same names (and
    none of them shaped by its param or a date, which its own template cuts to the day)."""
    leaves = dict(_leaves(node))
    if not leaves or any(not _plain(param) for param in leaves.values()):
        return None
    name, param = next(iter(leaves.items()))
    if not param.source.endswith(f".{name}"):
        return None
    source = param.source[: -len(name) - 1]
    same_names = all(p.source == f"{source}.{n}" for n, p in leaves.items())
    if any(values.input_schema(schema, p.source).get("format") == "date" for p in leaves.values()):
        return None
    declared = {path[len(source) + 1:] for path in input_paths(schema) if path.startswith(f"{source}.")}
    return source if same_names and declared == set(leaves) else None


def _plain(param: Param) -> bool:
    """A param that sends its input's value as it is."""
    return not param.is_constant and param.items is None and not param.merge and param.transform is None \
        and param.map is None and param.default is None


def _leaves(node: dict[str, Any], prefix: str = "") -> list[tuple[str, Param]]:
    found: list[tuple[str, Param]] = []
    for name, child in node.items():
        if isinstance(child, Param):
            found.append((f"{prefix}{name}", child))
        else:
            found.extend(_leaves(child, f"{prefix}{name}."))
    return found
