"""Make names derived from spec keys: component ids, parameter names and file paths.

Make wants component ids of letters and digits (`^[a-zA-Z][0-9a-zA-Z]{2,63}$` for modules and
RPCs) and the VS Code extension stores each component in a kebab-case folder; both come from the
spec's snake_case keys so that a second API gets sensible names too.
"""

from __future__ import annotations

import re

from connector_core.spec.models import Connector, Operation


def camel(key: str) -> str:
    """`new_job` -> `newJob`."""
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def kebab(name: str) -> str:
    """`listMembers` -> `list-members`, as the extension names component folders."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", name).lower()


def module_name(operation: Operation) -> str:
    return camel(operation.key)


def rpc_name(source_key: str) -> str:
    return camel(f"list_{source_key}")


def connection_name(connector: Connector) -> str:
    """Make's connection id: letters, digits and dashes (`acme_tasks` -> `acmeTasks`)."""
    return camel(connector.name)


def app_id(connector: Connector) -> str:
    """The app id the manifest's origin and the blueprints use until the user sets theirs."""
    return connector.name.replace("_", "-")
