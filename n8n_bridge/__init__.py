"""The n8n generator: a community node package (credentials, an action node, a polling trigger)
from a connector's runtime document, plus the `n8n` column of `connectors verify`.

The package ships the runtime document (`shared/connector.json`) and the shared JS kernel
(`shared/kernel/`, copied unchanged); the nodes are a thin TypeScript adapter (`n8n_bridge/ts/`)
that reads n8n's parameters and credentials, lets the kernel decide every request and answer,
and raises n8n's errors. Only n8n's own mapping (`shared/parameters.ts`) is generated code.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from connector_core.document import connector_from_document, dump_document
from connector_core.kernel import kernel_files
from n8n_bridge.action_node import action_node_file
from n8n_bridge.credentials import credentials_file, icon_file
from n8n_bridge.mapping import parameters_module
from n8n_bridge.names import credential_class, node_class, package_directory, trigger_class
from n8n_bridge.package_files import ESLINT_CONFIG, TSCONFIG, codex, dump, package_json
from n8n_bridge.publish_workflow import PUBLISH_WORKFLOW, PUBLISH_WORKFLOW_PATH
from n8n_bridge.readme import readme
from n8n_bridge.trigger_node import trigger_node_file

ADAPTER_SOURCES = ("types.ts", "document.ts", "input.ts", "connection.ts", "errors.ts", "failures.ts", "transport.ts",
                   "simplify.ts", "execute.ts", "polling.ts", "options.ts")

__all__ = ["generate", "package_folder"]


def package_folder(document: dict[str, Any]) -> str:
    """The package's folder (and npm name), `n8n-nodes-<connector>`."""
    return package_directory(connector_from_document(document))


def generate(document: dict[str, Any]) -> dict[str, str]:
    """Every file of the package, by path relative to `n8n-nodes-<connector>/`."""
    connector = connector_from_document(document)
    nodes = f"nodes/{node_class(connector)}"
    files = {
        "package.json": package_json(connector),
        "tsconfig.json": dump(TSCONFIG),
        "eslint.config.mjs": ESLINT_CONFIG,
        "README.md": readme(connector),
        PUBLISH_WORKFLOW_PATH: PUBLISH_WORKFLOW,
        icon_file(connector): connector.logo.svg,
        f"credentials/{credential_class(connector)}.credentials.ts": credentials_file(connector),
        f"{nodes}/{node_class(connector)}.node.ts": action_node_file(connector),
        f"{nodes}/{node_class(connector)}.node.json": codex(connector),
        f"{nodes}/{trigger_class(connector)}.node.ts": trigger_node_file(connector),
        f"{nodes}/{trigger_class(connector)}.node.json": codex(connector),
        f"{nodes}/shared/connector.json": dump_document(document),
        f"{nodes}/shared/parameters.ts": parameters_module(connector),
    }
    for name in ADAPTER_SOURCES:
        files[f"{nodes}/shared/{name}"] = resources.files("n8n_bridge").joinpath("ts", name).read_text(encoding="utf-8")
    files.update(kernel_files(f"{nodes}/shared/kernel"))
    return files
