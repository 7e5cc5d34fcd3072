"""What the action node calls an operation: the Operation choice under its resource and that
choice's action text, from the spec's `resource` and label, in n8n's words.

n8n names an option by what it does to the resource (`Create`, `Get Many`) and its action as a
sentence with an article (`Create a job`, `Get many jobs`); a `list` operation is n8n's "Get Many"
(value `getAll`, as n8n's lint requires). The label's words around the resource's name are kept:
`Find Job by ID` is `Find by ID`, "Find a job by ID"; a label that does not name its resource is
used as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from connector_core.spec.models import Operation, Resource
from n8n_bridge.names import camel

GET_MANY = "Get Many"
GET_MANY_VALUE = "getAll"


@dataclass(frozen=True)
class OperationName:
    name: str  # the option's name: `Create`, `Get Many`
    value: str  # the option's value: `create`, `getAll`
    action: str  # the sentence n8n shows in its actions panel: `Create a job`


def _lower(words: list[str]) -> list[str]:
    """Words as they read inside a sentence; an all-capital word (`ID`, `URL`) stays as it is."""
    return [word if word.isupper() else word.lower() for word in words]


def _around(label: str, resource: Resource) -> tuple[list[str], list[str]] | None:
    """The label's words before and after the resource's name (singular or plural), if it names it."""
    words = label.split()
    folded = [word.lower() for word in words]
    for noun in (resource.label, resource.plural):
        wanted = noun.lower().split()
        for start in range(len(words) - len(wanted) + 1):
            if folded[start:start + len(wanted)] == wanted:
                return words[:start], words[start + len(wanted):]
    return None


def with_article(noun: str) -> str:
    """`a job`, `an item`: the indefinite article by the noun's first letter."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def _sentence(words: list[str]) -> str:
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def operation_name(operation: Operation, resource: Resource) -> OperationName:
    """The operation's option under its resource, before any clash with a sibling is resolved."""
    around = _around(operation.label, resource)
    if around is None:
        return OperationName(operation.label, camel(operation.label), _sentence(_lower(operation.label.split())))
    verb, rest = around
    if operation.kind == "list":
        name = " ".join([GET_MANY, *rest])
        value = GET_MANY_VALUE if not rest else camel(name)
        return OperationName(name, value, _sentence(["Get", "many", *_lower(resource.plural.split()), *_lower(rest)]))
    if not verb:
        return OperationName(operation.label, camel(operation.label), _sentence(_lower(operation.label.split())))
    noun = with_article(" ".join(_lower(resource.label.split())))
    return OperationName(" ".join(verb + rest), camel(" ".join(verb + rest)),
                         _sentence([verb[0], *_lower(verb[1:]), noun, *_lower(rest)]))


def resource_operation_names(operations: list[Operation], resource: Resource) -> dict[str, OperationName]:
    """Operation key -> its option, unique among the resource's operations: operations that would
    share a name or a value are named by their labels and keys instead."""
    names = {operation.key: operation_name(operation, resource) for operation in operations}
    clashing = [key for key, mine in names.items()
                if any(other != key and (names[other].name == mine.name or names[other].value == mine.value)
                       for other in names)]
    for key in clashing:
        label = next(operation.label for operation in operations if operation.key == key)
        names[key] = OperationName(label, camel(key), _sentence(_lower(label.split())))
    return names
