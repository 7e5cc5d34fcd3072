"""Each operation's form on each platform that can show one (`Preview`), in column order."""

from __future__ import annotations

from typing import Any

from connector_core.document import connector_from_document
from connector_core.platforms import FormField, Preview, platforms

#: operation key -> platform name -> its fields, or None when that platform has no form for it
Forms = dict[str, dict[str, list[FormField] | None]]


def operation_forms(document: dict[str, Any]) -> Forms:
    previewing = {name: plugin for name, plugin in platforms().items() if isinstance(plugin, Preview)}
    return {key: {name: plugin.form(document, key) for name, plugin in previewing.items()}
            for key in connector_from_document(document).operations}
