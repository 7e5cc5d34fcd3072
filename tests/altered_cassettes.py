"""Copies of the recorded cassettes with one value changed: in a recorded response, or a request.

The case is found, not named, so the copies follow the recordings: for a response, the first
single-request case whose output is a record with an integer field that its response body holds
exactly once (replayed, the case's output differs in exactly that field); for a request, the
first single-request case whose recorded URL has a query (replayed, the sent request differs
from the recorded one in that parameter).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import yaml

from connector_core.cassettes.cases import load_index

from tests.conftest import CASSETTES


@dataclass(frozen=True)
class Alteration:
    directory: Path
    operation: str
    case: str
    field: str
    recorded: int | str
    replayed: int | str


def alter_one_integer(target: Path) -> Alteration:
    shutil.copytree(CASSETTES, target)
    for case in load_index(target).cases:
        output = case.outcome.output
        if case.interactions != 1 or case.outcome.status != "ok" or not isinstance(output, dict):
            continue
        cassette = target / case.cassette
        text = cassette.read_text(encoding="utf-8")
        for field, value in output.items():
            needle = f'"{field}":{value}'
            if type(value) is int and text.count(needle) == 1:
                cassette.write_text(text.replace(needle, f'"{field}":{value + 1}'), encoding="utf-8")
                return Alteration(target, case.operation, case.name, field, value, value + 1)
    raise AssertionError(f"no recorded case in {CASSETTES} has an integer field to change")


def alter_one_query_value(target: Path) -> Alteration:
    """`recorded` and `replayed` are the parameter's value in the copy's cassette and as sent."""
    shutil.copytree(CASSETTES, target)
    for case in load_index(target).cases:
        cassette = target / case.cassette
        text = cassette.read_text(encoding="utf-8")
        interactions = yaml.safe_load(text)["interactions"]
        if case.interactions != 1 or len(interactions) != 1:
            continue
        uri = interactions[0]["request"]["uri"]
        query = parse_qsl(urlsplit(uri).query)
        if query and text.count(uri) == 1:
            name, value = query[0]
            changed = uri.replace(f"{name}={value}", f"{name}={value}0", 1)
            cassette.write_text(text.replace(uri, changed), encoding="utf-8")
            return Alteration(target, case.operation, case.name, name, f"{value}0", value)
    raise AssertionError(f"no recorded case in {CASSETTES} sends a query to change")
