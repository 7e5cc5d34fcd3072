"""The n8n generator: a community node package (credentials, a declarative node, a polling trigger)
derived from a connector spec, plus the `n8n` column of `connectors verify`."""

from __future__ import annotations

from importlib import resources

from connector_core.spec.models import Connector
from n8n_bridge.action_node import action_node_file
from n8n_bridge.credentials import credentials_file
from n8n_bridge.names import credential_class, node_class, package_directory, trigger_class
from n8n_bridge.operations_data import operations_module
from n8n_bridge.package_files import ESLINT_CONFIG, TSCONFIG, codex, dump, icon, package_json, readme
from n8n_bridge.trigger_node import trigger_node_file

SHARED_SOURCES = ("types.ts", "values.ts", "validation.ts", "http.ts", "records.ts", "routing.ts", "polling.ts")

__all__ = ["generate", "package_directory"]


def generate(connector: Connector) -> dict[str, str]:
    """Every file of the package, by path relative to `n8n-nodes-<connector>/`."""
    nodes = f"nodes/{node_class(connector)}"
    files = {
        "package.json": package_json(connector),
        "tsconfig.json": dump(TSCONFIG),
        "eslint.config.mjs": ESLINT_CONFIG,
        "README.md": readme(connector),
        f"icons/{connector.name}.svg": icon(connector),
        f"icons/{connector.name}.dark.svg": icon(connector, dark=True),
        f"credentials/{credential_class(connector)}.credentials.ts": credentials_file(connector),
        f"{nodes}/{node_class(connector)}.node.ts": action_node_file(connector),
        f"{nodes}/{node_class(connector)}.node.json": codex(connector),
        f"{nodes}/{trigger_class(connector)}.node.ts": trigger_node_file(connector),
        f"{nodes}/{trigger_class(connector)}.node.json": codex(connector),
        f"{nodes}/shared/operations.ts": operations_module(connector),
    }
    for name in SHARED_SOURCES:
        files[f"{nodes}/shared/{name}"] = resources.files("n8n_bridge").joinpath("ts", name).read_text(encoding="utf-8")
    return files
