"""lib/connector.json: the part of the spec the app's runtime interprets at run time.

Only what decides the requests and the results: connection fields and templates, error
mapping, and per operation its input and output schemas, request, response and polling. Labels,
help texts and samples live in the Zapier definition instead.
"""

from __future__ import annotations

from typing import Any

from connector_core.spec.models import Connector
from zapier_schema.schemas import check_supported

OPERATION_PARTS = {"key", "kind", "input", "output", "request", "response", "polling"}
SOURCE_PARTS = {"request", "response", "value", "label_field"}


def runtime_spec(connector: Connector) -> dict[str, Any]:
    for operation in connector.operations.values():
        check_supported(operation.input, f"operation {operation.key!r}: input")
        check_supported(operation.output, f"operation {operation.key!r}: output")
    dump = connector.model_dump(mode="json", by_alias=True, exclude_none=True)
    connection = dump["connection"]
    return {
        "connection": {
            "base_url": connection["base_url"],
            "auth": connection["auth"],
            "test": connection["test"],
            "fields": [{name: field[name] for name in ("key", "secret", "default") if name in field}
                       for field in connection["fields"]],
        },
        "errors": dump["errors"],
        "operations": {key: {part: value for part, value in operation.items() if part in OPERATION_PARTS}
                       for key, operation in dump["operations"].items()},
        "option_sources": {name: {part: value for part, value in source.items() if part in SOURCE_PARTS}
                           for name, source in dump["option_sources"].items()},
    }
