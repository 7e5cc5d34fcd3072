"""Which Make component each spec operation becomes, and what it is called.

Triggers are polling triggers; actions are actions whose `actionCrud` follows from the request
(POST on a record in the path, such as archiving, is an update); searches and lists are search
modules, since each may find nothing and a Make search outputs no bundle then (a search for one
record outputs at most one). Labels are Make's sentence case (`labels`), the module's group is
its resource. The connection test is not a module: it is the connection's own call, and a trigger
Make's state cannot keep is not offered (`offer`).
"""

from __future__ import annotations

from dataclasses import dataclass

from connector_core.spec.models import Connector, Operation
from make_blueprints.labels import module_label
from make_blueprints.limits import outputs_many
from make_blueprints.names import module_name
from make_blueprints.offer import declined


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
    if operation.kind in ("search", "list"):
        return "search", None
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
    """Every operation except the connection test and what Make does not offer, in spec order."""
    found = []
    for operation in connector.operations.values():
        if operation.kind == "test" or declined(operation) is not None:
            continue
        module_type, crud = module_kind(operation)
        label = module_label(operation, connector.resources[operation.resource], outputs_many(operation))
        found.append(Module(module_name(operation), label, module_type, crud, operation))
    return found
