"""Names n8n derives from a connector: package, classes, credential type, parameters."""

from __future__ import annotations

import re

from connector_core.spec.models import Connector


def package_directory(connector: Connector) -> str:
    """The npm package (and folder) name n8n requires for a community node: `n8n-nodes-<name>`."""
    return f"n8n-nodes-{connector.name.replace('_', '-')}"


def pascal(text: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", text) if part)


def camel(text: str) -> str:
    name = pascal(text)
    return name[:1].lower() + name[1:]


def node_class(connector: Connector) -> str:
    return pascal(connector.name)


def trigger_class(connector: Connector) -> str:
    return f"{node_class(connector)}Trigger"


def credential_class(connector: Connector) -> str:
    return f"{node_class(connector)}Api"


def credential_name(connector: Connector) -> str:
    return camel(credential_class(connector))


def parameter_name(dotted: str) -> str:
    """n8n parameter names are flat: `contact.email` becomes `contactEmail`."""
    return camel(dotted.replace(".", "_"))


def title(text: str) -> str:
    """n8n's title case for display names: `in progress` → `In Progress`."""
    return " ".join(word[:1].upper() + word[1:] for word in text.split(" "))


def help_text(text: str) -> str:
    """n8n's lint wants one-sentence help without a final period, and longer help with one (its
    lint does not count the first "e.g." as a sentence's end)."""
    text = " ".join(text.split())
    if ". " in text.replace("e.g.", "", 1):
        return text if text.endswith(".") else text + "."
    return text[:-1] if text.endswith(".") else text
