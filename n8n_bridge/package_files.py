"""The package around the nodes: package.json (n8n's community package rules and the publisher),
tsconfig (`allowJs`: the kernel ships as plain JS beside its typings), lint config and codex files."""

from __future__ import annotations

import json
from typing import Any

from connector_core.spec.models import Connector
from n8n_bridge.action_node import node_operations
from n8n_bridge.names import credential_class, node_class, package_directory, trigger_class
from n8n_bridge.trigger_node import trigger_operations

NODE_CLI_VERSION = "0.48.3"
TYPESCRIPT_VERSION = "5.9.3"
NODES_API_VERSION = 1
N8N_TESTED = "2.41.1"  # the n8n-core and n8n CLI versions the package is run in (toolchains/n8n, n8n-cli)
NODE_TESTED = ("20", "24")  # n8n-core's harness, the n8n CLI

TSCONFIG: dict[str, Any] = {
    "compilerOptions": {
        "strict": True, "allowJs": True, "module": "commonjs", "moduleResolution": "node", "target": "es2019",
        "lib": ["es2019", "es2020", "es2022.error"], "removeComments": True, "useUnknownInCatchVariables": False,
        "forceConsistentCasingInFileNames": True, "noImplicitAny": True, "noImplicitReturns": True,
        "noUnusedLocals": True, "strictNullChecks": True, "preserveConstEnums": True, "esModuleInterop": True,
        "resolveJsonModule": True, "incremental": True, "declaration": True, "sourceMap": True,
        "skipLibCheck": True, "outDir": "./dist/",
    },
    "include": ["credentials/**/*", "nodes/**/*", "nodes/**/*.json", "package.json"],
}

ESLINT_CONFIG = "import { config } from '@n8n/node-cli/eslint';\n\nexport default config;\n"


def dump(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def node_files(connector: Connector) -> list[str]:
    """The compiled node files, relative to the package root, as package.json lists them."""
    folder = f"dist/nodes/{node_class(connector)}"
    files = []
    if node_operations(connector):
        files.append(f"{folder}/{node_class(connector)}.node.js")
    if trigger_operations(connector):
        files.append(f"{folder}/{trigger_class(connector)}.node.js")
    return files


def repository_url(connector: Connector) -> str:
    """npm's form of the public source: `git+https://…/name.git` (what provenance is checked against)."""
    url = connector.publisher.repository.removesuffix("/").removesuffix(".git")
    return f"git+{url}.git"


def package_json(connector: Connector) -> str:
    """The community package rules, plus who publishes it and where its source and support are."""
    publisher = connector.publisher
    data = {
        "name": package_directory(connector),
        "version": connector.version,
        "description": connector.description.strip(),
        "license": "MIT",
        "author": {"name": publisher.name, "email": publisher.email, "url": publisher.homepage},
        "homepage": publisher.homepage,
        "repository": {"type": "git", "url": repository_url(connector)},
        "bugs": {"url": publisher.support, "email": publisher.email},
        "keywords": ["n8n-community-node-package", connector.name],
        "scripts": {"build": "n8n-node build", "lint": "n8n-node lint",
                    "prepublishOnly": "n8n-node lint && n8n-node build"},
        "files": ["dist"],
        "n8n": {
            "n8nNodesApiVersion": NODES_API_VERSION,
            "strict": True,
            "credentials": [f"dist/credentials/{credential_class(connector)}.credentials.js"],
            "nodes": node_files(connector),
        },
        "devDependencies": {"@n8n/node-cli": NODE_CLI_VERSION, "typescript": TYPESCRIPT_VERSION},
        "peerDependencies": {"n8n-workflow": "*"},
    }
    return dump(data)


def codex(connector: Connector) -> str:
    documentation = [{"url": connector.docs_url}] if connector.docs_url else []
    return dump({
        "node": package_directory(connector), "nodeVersion": "1.0", "codexVersion": "1.0",
        "categories": ["Productivity"],
        "resources": {"credentialDocumentation": documentation, "primaryDocumentation": documentation},
    })
