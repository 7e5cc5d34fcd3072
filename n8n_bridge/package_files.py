"""The package around the nodes: package.json (n8n's community package rules), tsconfig (`allowJs`:
the kernel ships as plain JS beside its typings), lint config, codex files, the icon and the README."""

from __future__ import annotations

import json
from typing import Any

from connector_core.spec.models import Connector
from n8n_bridge.action_node import node_operations
from n8n_bridge.names import credential_class, node_class, package_directory, trigger_class
from n8n_bridge.trigger_node import trigger_operations

NODE_CLI_VERSION = "0.48.3"
TYPESCRIPT_VERSION = "5.9.3"

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


def package_json(connector: Connector) -> str:
    data = {
        "name": package_directory(connector),
        "version": connector.version,
        "description": connector.description.strip(),
        "license": "MIT",
        "author": {"name": connector.label, "email": f"{connector.name}-connector@example.com"},
        "homepage": connector.docs_url or "",
        "keywords": ["n8n-community-node-package", connector.name],
        "scripts": {"build": "n8n-node build", "lint": "n8n-node lint", "prepublishOnly": "n8n-node prerelease"},
        "files": ["dist"],
        "n8n": {
            "n8nNodesApiVersion": 1,
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


def icon(connector: Connector, *, dark: bool = False) -> str:
    """A plain, deterministic mark: the connector's initial on a rounded square (lighter for dark themes)."""
    fill = "#58a6ff" if dark else "#1f6feb"
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="60" viewBox="0 0 60 60">\n'
        f'  <rect width="60" height="60" rx="12" fill="{fill}"/>\n'
        '  <text x="30" y="41" font-family="Arial, Helvetica, sans-serif" font-size="30" font-weight="bold" '
        f'text-anchor="middle" fill="#ffffff">{connector.label[:1].upper()}</text>\n'
        "</svg>\n"
    )


def polling_notes(connector: Connector) -> str:
    """What the trigger does on activation, on each poll, on re-activation and in a test, in n8n's terms."""
    return (
        "### How the trigger polls\n\n"
        "- **First activation**: the trigger notes what already exists and starts from there. The backlog is "
        "not replayed; the first events are the changes made after the workflow was activated.\n"
        f"- **Each poll** asks {connector.label} only for what changed since the last complete poll (re-reading "
        "a short lookback for late writes), resumes where a long poll stopped, and emits every event once. "
        "The trigger's state is the workflow's static data, written only after a successful poll: a failed "
        "poll leaves it as it was, and the next poll starts from there.\n"
        "- **Deactivated and activated again**: n8n keeps the workflow's static data, so the trigger resumes "
        "where it stopped. The poll n8n runs on activation delivers what changed while the workflow was "
        "inactive, each event once. To start afresh instead, rename the trigger node (n8n keeps static data "
        "per node name): the next activation is a first activation again.\n"
        "- **Fetch Test Event** (in the editor) shows the newest real record (looking back an hour, then a day, "
        "then further), and the example record only when the account has none. It changes no state."
    )


def readme(connector: Connector) -> str:
    actions = "\n".join(f"- **{op.label}**: {op.description.strip()}" for op in node_operations(connector))
    triggers = "\n".join(f"- **{op.label}**: {op.description.strip()}" for op in trigger_operations(connector))
    fields = "\n".join(f"- **{field.label}**{' (optional)' if not field.required else ''}: {field.description}"
                       for field in connector.connection.fields)
    return (
        f"# {package_directory(connector)}\n\n"
        f"An n8n community node for {connector.label}: {connector.description.strip()}\n\n"
        "Generated from the connector spec; do not edit by hand.\n\n"
        "## Installation\n\n"
        "Follow the [community nodes installation guide](https://docs.n8n.io/integrations/community-nodes/installation/) "
        f"and install `{package_directory(connector)}`.\n\n"
        f"## Credentials\n\n{fields}\n\n"
        f"## Operations ({connector.label} node)\n\n{actions}\n\n"
        f"## Triggers ({connector.label} Trigger node, polling)\n\n{triggers}\n\n"
        f"{polling_notes(connector)}\n\n"
        "## Development\n\n"
        "```\nnpm install\nnpm run lint\nnpm run build\n```\n"
    )
