"""The Zapier generator: one connector spec -> a Zapier CLI project, plus its verify platform."""

from __future__ import annotations

from connector_core.spec.models import Connector
from zapier_schema.definition import app_definition
from zapier_schema.errors import GenerationError
from zapier_schema.project import GITIGNORE, INDEX_JS, dump, package_json, readme, static_file
from zapier_schema.runtime_spec import runtime_spec


def generate(connector: Connector) -> dict[str, str]:
    """Relative path -> text of every file of the Zapier project (deterministic, no secrets)."""
    definition = app_definition(connector)
    return {
        "package.json": package_json(connector),
        "index.js": INDEX_JS,
        "definition.json": dump(definition),
        "lib/runtime.js": static_file("runtime.js"),
        "lib/connector.json": dump(runtime_spec(connector)),
        "test/app.test.js": static_file("app.test.js"),
        "README.md": readme(connector, definition),
        ".gitignore": GITIGNORE,
    }


__all__ = ["GenerationError", "generate"]
