"""The runtime document: one connector serialised as JSON, the only thing read downstream.

Generators (Zapier, Make, n8n) and the JS kernel read a connector through this document and
nothing else, so every platform sees the same, fully defaulted spec. It is the spec language's
own models dumped as JSON (every default written out, `null` where a key is unset), with a
`format` key naming its version; `connector_from_document` reads one back with the same checks
the spec loader applies, and `document_schema` is its JSON Schema (exported in `dist/`).
"""

from __future__ import annotations

import json
from typing import Any

from connector_core.spec.models import Connector

DOCUMENT_FORMAT = "connectors.runtime/1"


def runtime_document(connector: Connector) -> dict[str, Any]:
    """The connector as the runtime document (a JSON-ready dict)."""
    return {"format": DOCUMENT_FORMAT, **connector.model_dump(mode="json", by_alias=True)}


def connector_from_document(document: dict[str, Any]) -> Connector:
    """Read a runtime document back into the spec models (validated as a spec is)."""
    if document.get("format") != DOCUMENT_FORMAT:
        raise ValueError(f"not a runtime document of format {DOCUMENT_FORMAT!r}: format is {document.get('format')!r}")
    return Connector.model_validate({key: value for key, value in document.items() if key != "format"})


def document_schema() -> dict[str, Any]:
    """The JSON Schema of a runtime document (draft 2020-12)."""
    schema = Connector.model_json_schema(by_alias=True, mode="serialization")
    schema["properties"] = {"format": {"const": DOCUMENT_FORMAT}, **schema["properties"]}
    schema["required"] = ["format", *schema.get("required", [])]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://connectors.dev/schemas/runtime-document-1.json",
            "title": "Connector runtime document", **schema}


def dump_document(document: dict[str, Any]) -> str:
    """Deterministic text of a document: keys in the spec's order (field order is part of a form,
    so `properties` must not be sorted), two-space indent, trailing newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
