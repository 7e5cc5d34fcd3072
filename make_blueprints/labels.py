"""Module labels in Make's style: sentence case, with an article for one record.

Make's custom-app best practices name modules "Create a job", "Search jobs", "Watch new jobs",
"Get a job", "List jobs": a verb, then the resource in lower case, singular with "a"/"an" when
the module acts on one record and plural when it returns many. The spec's label is title case
("Create Job", "Find Job by ID", "New Job"); the resource (`resources.<key>`: label, plural) says
which of its words name the record, so no API's nouns are known here. Words written in capitals
(ID, URL, API) stay as they are.
"""

from __future__ import annotations

import re

from connector_core.spec.models import Operation, Resource

VOWELS = "aeio"  # "an item", "an order"; "a user", "a unit" (a leading u usually sounds like "you")
ARTICLES = {"a", "an", "the"}


def module_label(operation: Operation, resource: Resource, returns_list: bool) -> str:
    """The Make label of an operation's module (`returns_list`: the module outputs many bundles)."""
    words = operation.label.split()
    at = _noun_at(words, resource)
    noun = resource.plural if returns_list or operation.kind == "trigger" else resource.label
    if operation.kind == "trigger":
        return sentence(["Watch", *_without(words, at), *noun.split()] if at else ["Watch", *words])
    if operation.kind == "search" and returns_list:  # the verb becomes Search ("Find Jobs" -> "Search jobs")
        words = ["Search", *(words if at and at[0] == 0 else words[1:])]
        at = _noun_at(words, resource)
    if at is None:
        return sentence(words)
    start, end = at
    article = [] if returns_list or (start > 0 and words[start - 1].lower() in ARTICLES) else [_article(noun)]
    return sentence([*words[:start], *article, *noun.split(), *words[end:]])


def sentence(words: list[str]) -> str:
    """`Create a Job by ID` -> `Create a job by ID`: the first word capitalised, the rest lower case
    unless written in capitals."""
    shaped = [word if _acronym(word) else word.lower() for word in words]
    first = shaped[0]
    return " ".join([first[:1].upper() + first[1:], *shaped[1:]])


def _acronym(word: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", word)
    return len(letters) > 1 and letters.isupper()


def _article(noun: str) -> str:
    return "an" if noun[:1].lower() in VOWELS else "a"


def _noun_at(words: list[str], resource: Resource) -> tuple[int, int] | None:
    return _find(words, resource.label.split()) or _find(words, resource.plural.split())


def _find(words: list[str], noun: list[str]) -> tuple[int, int] | None:
    """Where the noun's words stand in the label (case-insensitive), first occurrence."""
    lowered, wanted = [word.lower() for word in words], [word.lower() for word in noun]
    for start in range(len(words) - len(noun) + 1):
        if lowered[start:start + len(noun)] == wanted:
            return start, start + len(noun)
    return None


def _without(words: list[str], at: tuple[int, int]) -> list[str]:
    return [*words[:at[0]], *words[at[1]:]]
