"""Make's custom-app best practices, checked on a generated app (docs/checklists/make.md).

Each check reads the app's files (and the runtime document for what the spec asks), so a
generator change that breaks a convention fails `connectors check`, not a reviewer at Make:
sentence-case labels, `actionCrud` on every action, one universal module that refuses any URL but
a path, a Limit on every module that outputs many records, an epoch on every polling trigger,
derived timestamps output as dates, the connection's environment as a select of its choices and
an https rule on a typed base URL, a destructive action's warning in its description and at the
top of its form, every form in the shared layout (required first, additional ones advanced), a
512x512 PNG icon, and every operation a module or named, with the reason, among those not offered.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from typing import Any

from connector_core.document import connector_from_document
from connector_core.spec.layout import input_layout
from connector_core.spec.models import Connector, Operation, timestamp_annotations
from make_blueprints import universal
from make_blueprints.components import GeneratedApp
from make_blueprints.connection import HTTPS_OR_LOOPBACK
from make_blueprints.layout import GENERAL, ICON, ICON_SIZE
from make_blueprints.modules import modules
from make_blueprints.names import camel, connection_name, module_name
from make_blueprints.offer import declined_operations
from make_blueprints.render import MakeError, module_input

FOREIGN_URLS = ("https://attacker.invalid/steal", "//attacker.invalid/steal", "http://127.0.0.1:1/x", "x/../y")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def problems(document: dict[str, Any], files: dict[str, str | bytes]) -> list[str]:
    """Every convention the app breaks (an empty list when it keeps them all)."""
    connector, app = connector_from_document(document), GeneratedApp(files)
    checks = (_labels, _action_crud, _universal, _limits, _epochs, _dates, _connection, _destructive, _layout, _icon,
              _offered)
    return [problem for check in checks for problem in check(connector, app)]


def sentence_case(label: str) -> bool:
    """First letter capital, every other word lower case unless written in capitals (ID, URL)."""
    first, *rest = label.split()
    return first[:1].isupper() and all(word == word.lower() or re.sub(r"[^A-Za-z]", "", word).isupper()
                                       for word in rest)


def _labels(connector: Connector, app: GeneratedApp) -> Iterator[str]:
    for name, module in app.modules.items():
        if not sentence_case(module["label"]):
            yield f"module {name}: label {module['label']!r} is not in sentence case"


def _action_crud(connector: Connector, app: GeneratedApp) -> Iterator[str]:
    for name, module in app.modules.items():
        if module["moduleType"] == "action" and not module.get("actionCrud"):
            yield f"module {name}: an action without actionCrud"


def _universal(connector: Connector, app: GeneratedApp) -> Iterator[str]:
    found = [name for name, module in app.modules.items() if module["moduleType"] == "universal"]
    if found != [universal.NAME]:
        yield f"the app has universal modules {found}, not exactly one {universal.NAME!r}"
        return
    if not app.code("module", universal.NAME, "communication")["url"].startswith("/"):
        yield f"module {universal.NAME}: its url does not start with `/`, so it may not stay under the base URL"
    form = app.form(universal.NAME)
    for url in FOREIGN_URLS:
        try:
            module_input(form, {"url": url, "method": "GET"})
        except MakeError:
            continue
        yield f"module {universal.NAME}: the URL {url!r} is accepted, so the credentials could leave the API's host"


def _limits(connector: Connector, app: GeneratedApp) -> Iterator[str]:
    for name, module in app.modules.items():
        if module["moduleType"] not in ("search", "trigger"):
            continue
        limit = app.code("module", name, "communication")["response"].get("limit")
        integers = {p["name"] for p in app.form(name) if p.get("type") in ("integer", "uinteger")}
        if limit == 1 and module["moduleType"] == "search":
            continue  # a search for one record outputs at most one bundle
        read = re.fullmatch(r"\{\{ifempty\(parameters\.(\w+), \d+\)\}\}", str(limit))
        if read is None or read.group(1) not in integers:
            yield f"module {name}: its response limit {limit!r} reads no Limit parameter of the module"


def _modules(connector: Connector) -> Iterator[Operation]:
    """The operations that are modules (not the connection test, the connection's, nor what Make
    does not offer)."""
    return (module.operation for module in modules(connector))


def _offered(connector: Connector, app: GeneratedApp) -> Iterator[str]:
    """Nothing is left out silently: an operation without a module is one Make does not offer, and
    the README names it with the reason."""
    readme = app.files.get(GENERAL["readme"], "")
    left_out = declined_operations(connector)
    for key, operation in connector.operations.items():
        name = module_name(operation)
        if operation.kind == "test":
            continue
        if key not in left_out:
            if name not in app.modules:
                yield f"operation {key}: no module"
        elif name in app.modules:
            yield f"module {name}: not offered, yet in the app"
        elif f"({key}): {left_out[key]}" not in readme:
            yield f"operation {key}: not offered, and the README does not say why"


def _epochs(connector: Connector, app: GeneratedApp) -> Iterator[str]:
    """A trigger of dated items (a cursor) has an epoch; one of Make's `id` type has no date to start from."""
    for operation in _modules(connector):
        name = module_name(operation)
        if operation.polling is not None and operation.polling.cursor is not None \
                and not app.modules[name]["codeFiles"].get("epoch"):
            yield f"module {name}: a polling trigger without an epoch (Choose where to start)"


def _dates(connector: Connector, app: GeneratedApp) -> Iterator[str]:
    for operation in _modules(connector):
        name = module_name(operation)
        interface = {field["name"]: field for field in app.code("module", name, "interface")}
        output = app.code("module", name, "communication")["response"]["output"]
        for parent, derived, _ in timestamp_annotations(operation.output):
            if parent != ():
                continue
            if interface.get(derived, {}).get("type") != "date":
                yield f"module {name}: the derived timestamp {derived} is not a date in its interface"
            if not isinstance(output, dict) or derived not in output:
                yield f"module {name}: its output does not write the derived timestamp {derived}"


def _connection(connector: Connector, app: GeneratedApp) -> Iterator[str]:
    params = {p["name"]: p for p in app.code("connection", connection_name(connector), "params")}
    for field in connector.connection.fields:
        parameter = params.get(camel(field.key), {})
        if field.choices:
            options = [(option.get("label"), option.get("value")) for option in parameter.get("options", [])]
            if parameter.get("type") != "select" or options != [(c.label, c.value) for c in field.choices]:
                yield f"connection {field.key}: not a select of exactly its choices, so a host can be typed"
        elif connector.connection.base_url.startswith("{" + field.key + "}") \
                and parameter.get("validate", {}).get("pattern") != HTTPS_OR_LOOPBACK:
            yield f"connection {field.key}: a typed base URL without the https rule"
        if field.help_url and f"]({field.help_url})" not in parameter.get("help", ""):
            yield f"connection {field.key}: its help does not link to {field.help_url}"


def _destructive(connector: Connector, app: GeneratedApp) -> Iterator[str]:
    for operation in connector.operations.values():
        if not operation.destructive:
            continue
        name = module_name(operation)
        if operation.warning not in app.modules[name].get("description", ""):
            yield f"module {name}: a destructive action whose description does not warn"
        form = app.form(name)
        if not form or form[0].get("type") != "banner" or form[0].get("text") != operation.warning:
            yield f"module {name}: a destructive action whose form does not open with its warning"


def _layout(connector: Connector, app: GeneratedApp) -> Iterator[str]:
    for operation in _modules(connector):
        name = module_name(operation)
        layout = input_layout(operation)
        shown = [p for p in app.form(name) if p.get("name") in operation.input.get("properties", {})]
        if [p["name"] for p in shown] != [field.name for field in layout]:
            yield f"module {name}: inputs not in the shared layout (required first, additional last)"
        for parameter, field in zip(shown, layout):
            if bool(parameter.get("advanced")) != (field.group == "additional"):
                yield f"module {name}: input {field.name} is {'not ' if field.group == 'additional' else ''}advanced"


def _icon(connector: Connector, app: GeneratedApp) -> Iterator[str]:
    icon = app.files.get(ICON)
    if not isinstance(icon, bytes) or not icon.startswith(PNG_SIGNATURE) or icon[12:16] != b"IHDR":
        yield f"{ICON}: not a PNG"
    elif struct.unpack(">II", icon[16:24]) != (ICON_SIZE, ICON_SIZE):
        yield f"{ICON}: {'x'.join(map(str, struct.unpack('>II', icon[16:24])))} pixels, not {ICON_SIZE}x{ICON_SIZE}"
