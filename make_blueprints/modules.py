"""Which Make component each spec operation becomes, and what it is called.

Triggers are polling triggers; actions are actions whose `actionCrud` follows from the request
(POST on a record in the path, such as archiving, is an update); searches that return a list are
searches, while a search for one record (Get Job) is a read action, as Make expects one bundle.
The connection test is not a module: it is the connection's own call.
"""

from __future__ import annotations

from dataclasses import dataclass

from connector_core.spec.models import Connector, Operation
from make_blueprints.names import module_label, module_name


@dataclass(frozen=True)
class Module:
    name: str
    label: str
    module_type: str
    crud: str | None
    operation: Operation


def module_kind(operation: Operation) -> tuple[str, str | None]:
    """(moduleType, actionCrud) of an operation."""
    if operation.kind == "trigger":
        return "trigger", None
    if operation.kind == "search" and operation.response.returns_list:
        return "search", None
    if operation.kind == "search":
        return "action", "read"
    return "action", _crud(operation)


def _crud(operation: Operation) -> str:
    method = operation.request.method
    if method == "GET":
        return "read"
    if method == "DELETE":
        return "delete"
    if method in ("PUT", "PATCH"):
        return "update"
    names_a_record = any(not param.is_constant for param in operation.request.params_in("path"))
    return "update" if names_a_record else "create"


def modules(connector: Connector) -> list[Module]:
    """Every operation except the connection test, in spec order."""
    found = []
    for operation in connector.operations.values():
        if operation.kind == "test":
            continue
        module_type, crud = module_kind(operation)
        found.append(Module(module_name(operation), module_label(operation), module_type, crud, operation))
    return found
