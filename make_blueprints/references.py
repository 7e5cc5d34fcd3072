"""Checks the schemas cannot make: the files of one app refer to each other correctly.

Each module's and RPC's connection exists, every `rpc://` option names an RPC of the app,
groups list existing modules, the manifest names every file and every file is named, component
ids follow Make's rules, and each blueprint's flow uses existing modules and maps only from
modules that run before it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from make_blueprints.layout import BLUEPRINTS, ICON

ID_RULES = {  # the VS Code extension's own rules for local component ids
    "module": r"^[a-zA-Z][0-9a-zA-Z]{2,63}$",
    "rpc": r"^[a-zA-Z][0-9a-zA-Z]{2,63}$",
    "connection": r"^[a-zA-Z][0-9a-zA-Z-]{1,33}[0-9a-zA-Z]$",
}
MAPPING = re.compile(r"\{\{(\d+)\.([A-Za-z0-9_.]+)\}\}")


def problems(files: dict[str, str | bytes]) -> list[str]:
    """Every broken reference in a generated app (an empty list when all hold)."""
    manifest = json.loads(files["makecomapp.json"])
    components = manifest["components"]
    found = list(_ids(components))
    found += list(_connections(components))
    found += list(_rpc_options(files, components))
    found += list(_groups(files, manifest))
    found += list(_named_files(files, manifest))
    found += list(_blueprints(files, manifest))
    return found


def _ids(components: dict[str, Any]) -> Iterator[str]:
    for kind, rule in ID_RULES.items():
        for name in components[kind]:
            if not re.match(rule, name):
                yield f"{kind} id {name!r} breaks Make's rule {rule}"


def _connections(components: dict[str, Any]) -> Iterator[str]:
    for kind in ("module", "rpc"):
        for name, metadata in components[kind].items():
            for key in ("connection", "altConnection"):
                target = metadata.get(key)
                if target is not None and target not in components["connection"]:
                    yield f"{kind} {name}: {key} {target!r} is not a connection of the app"
            if metadata.get("connection") is None:
                yield f"{kind} {name} has no connection"


def _rpc_options(files: dict[str, str], components: dict[str, Any]) -> Iterator[str]:
    for path, text in files.items():
        if path.endswith(".iml.json"):
            for target in re.findall(r"rpc://([A-Za-z0-9]+)", text):
                if target not in components["rpc"]:
                    yield f"{path}: rpc://{target} is not an RPC of the app"


def _groups(files: dict[str, str], manifest: dict[str, Any]) -> Iterator[str]:
    modules = manifest["components"]["module"]
    listed = [name for group in json.loads(files[manifest["generalCodeFiles"]["groups"]]) for name in group["modules"]]
    for name in listed:
        if name not in modules:
            yield f"groups list {name!r}, which is not a module of the app"
    for name in modules:
        if listed.count(name) != 1:
            yield f"module {name} is in {listed.count(name)} groups, not one"


def _named_files(files: dict[str, str], manifest: dict[str, Any]) -> Iterator[str]:
    named = {path for path in manifest["generalCodeFiles"].values() if path}
    for components in manifest["components"].values():
        for metadata in components.values():
            named.update(path for path in metadata["codeFiles"].values() if path)
    present = {path for path in files if path != "makecomapp.json" and not path.startswith(BLUEPRINTS) and path != ICON}
    for path in sorted(named - present):
        yield f"the manifest names {path}, which is not generated"
    for path in sorted(present - named):
        yield f"{path} is generated but the manifest does not name it"


def _blueprints(files: dict[str, str], manifest: dict[str, Any]) -> Iterator[str]:
    app = manifest["origins"][0]["appId"]
    modules = manifest["components"]["module"]
    for path in sorted(p for p in files if p.startswith(BLUEPRINTS)):
        yield from (f"{path}: {problem}" for problem in blueprint_problems(json.loads(files[path]), app, modules, files))


def blueprint_problems(blueprint: dict[str, Any], app: str, modules: dict[str, Any], files: dict[str, str]) -> list[str]:
    """Unique ids, existing modules, and mappings only from earlier modules' output fields."""
    found: list[str] = []
    earlier: dict[int, set[str]] = {}
    for step in blueprint["flow"]:
        number, (prefix, _, name) = step["id"], step["module"].partition(":")
        if number in earlier:
            found.append(f"module id {number} is used twice")
        if prefix != app or name not in modules:
            found.append(f"module {step['module']!r} is not a module of app {app!r}")
            fields: set[str] = set()
        else:
            fields = {field["name"] for field in json.loads(files[modules[name]["codeFiles"]["interface"]])}
        for value in step["mapper"].values():
            for source, field in MAPPING.findall(value):
                if int(source) not in earlier:
                    found.append(f"module {number} maps from module {source}, which does not run before it")
                elif field.split(".")[0] not in earlier[int(source)]:
                    found.append(f"module {number} maps {source}.{field}, which module {source} does not output")
        earlier[number] = fields
    return found
