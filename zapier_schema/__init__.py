"""The Zapier generator: a runtime document -> a Zapier CLI project, plus its verify platform."""

from __future__ import annotations

from typing import Any

from connector_core.build import FileContent
from connector_core.document import connector_from_document, dump_document
from connector_core.kernel import kernel_files
from zapier_schema.definition import app_definition
from zapier_schema.errors import GenerationError
from zapier_schema.project import (GITIGNORE, INDEX_JS, KERNEL_DIR, LOGO_FILE, dump, logo, package_json, readme,
                                   static_file)


def generate(document: dict[str, Any]) -> dict[str, FileContent]:
    """Relative path -> text (bytes for the logo) of every file of the Zapier project (deterministic,
    no secrets)."""
    connector = connector_from_document(document)
    definition = app_definition(connector)
    return {
        "package.json": package_json(connector),
        "index.js": INDEX_JS,
        "definition.json": dump(definition),
        "lib/adapter.js": static_file("adapter.js"),
        "lib/connector.json": dump_document(document),
        **kernel_files(KERNEL_DIR),
        "test/app.test.js": static_file("app.test.js"),
        "README.md": readme(connector, definition),
        LOGO_FILE: logo(connector),
        ".gitignore": GITIGNORE,
    }


__all__ = ["GenerationError", "generate"]
