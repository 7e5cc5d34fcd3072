"""Example scenario blueprints that chain the app's modules, derived from the spec.

Two patterns, each used when the spec allows it: a trigger followed by the search that finds
the record one of its fields names (a field that actions pick from an option source, and a
search of the same collection, by request path, whose exact match covers that source's value
field: "find the job's assignee"), and a
trigger followed by the update action whose required inputs the trigger's output carries
("archive the completed job"). Triggers the request narrows most (the most fixed params, such
as `progress=success`) come first: a specific event reads best.
"""

from __future__ import annotations

from typing import Any

from connector_core.spec.models import Connector, Operation, options_annotations
from make_blueprints.modules import Module, modules


def blueprints(connector: Connector, app: str) -> dict[str, dict[str, Any]]:
    """File name (without folder) -> blueprint."""
    found = {}
    app_modules = modules(connector)
    for pattern in (_find_referenced_record, _update_the_record):
        chain = pattern(connector, app_modules)
        if chain is not None:
            name, steps = chain
            found[f"{_slug(name)}.json"] = _blueprint(name, app, steps)
    return found


Step = tuple[Module, dict[str, str]]


def _triggers(app_modules: list[Module]) -> list[Module]:
    triggers = [module for module in app_modules if module.module_type == "trigger"]
    return sorted(triggers, key=lambda module: -sum(param.is_constant for param in module.operation.request.params))


def _find_referenced_record(connector: Connector, app_modules: list[Module]) -> tuple[str, list[Step]] | None:
    sources = {path: source for operation in connector.operations.values()
               for path, source in options_annotations(operation.input)}
    searches = [module for module in app_modules if module.module_type == "search" and module.operation.response.match]
    for trigger in _triggers(app_modules):
        for field, schema in trigger.operation.output.get("properties", {}).items():
            if field not in sources:
                continue
            source = connector.option_source(sources[field])
            for search in searches:
                match = search.operation.response.match
                if source.value in match.fields and search.operation.request.path == source.request.path \
                        and set(search.operation.input.get("required", [])) <= {match.input}:
                    name = f"{trigger.label}: {search.label} for its {schema.get('title', field)}"
                    return name, [(trigger, {}), (search, {match.input: "{{1." + field + "}}"})]
    return None


def _update_the_record(connector: Connector, app_modules: list[Module]) -> tuple[str, list[Step]] | None:
    updates = sorted((module for module in app_modules if module.crud == "update"),
                     key=lambda module: len(module.operation.input.get("properties", {})))
    for trigger in _triggers(app_modules):
        fields = set(trigger.operation.output.get("properties", {}))
        for action in updates:
            required = _required(action.operation)
            if required and set(required) <= fields:
                mapper = {name: "{{1." + name + "}}" for name in required}
                return f"{trigger.label}: {action.label}", [(trigger, {}), (action, mapper)]
    return None


def _required(operation: Operation) -> list[str]:
    return list(operation.input.get("required", []))


def _blueprint(name: str, app: str, steps: list[Step]) -> dict[str, Any]:
    flow = [{"id": number, "module": f"{app}:{module.name}", "version": 1,
             "parameters": {"__IMTCONN__": None}, "mapper": mapper,
             "metadata": {"designer": {"x": 300 * (number - 1), "y": 0}}}
            for number, (module, mapper) in enumerate(steps, start=1)]
    return {"name": name, "flow": flow, "metadata": {
        "version": 1, "designer": {"orphans": []},
        "scenario": {"roundtrips": 1, "maxErrors": 3, "autoCommit": True, "autoCommitTriggerLast": True,
                     "sequential": False, "confidential": False, "dataloss": False, "dlq": False}}}


def _slug(name: str) -> str:
    return "-".join("".join(char if char.isalnum() else " " for char in name.lower()).split())
