"""Small builders for the IML text the generator writes, so every template has one spelling.

IML in app files is `{{expression}}` inside JSON strings; functions take comma-separated
arguments; strings are single-quoted; operators are Make's (`=`, `!=`, `>=`, `and`, `or`).
Everything built here is what `evaluator` implements, and nothing more.
"""

from __future__ import annotations

from connector_core.spec.models import template_fields

HTTP_DATE_FORMAT = "ddd, DD MMM YYYY HH:mm:ss [GMT]"   # an HTTP `Date` header (RFC 9110's IMF-fixdate)

# What Python's quote(safe="") escapes but encodeURL (JavaScript's encodeURIComponent) leaves.
_LEFT_BY_ENCODE_URL = {"!": "%21", "'": "%27", "(": "%28", ")": "%29", "*": "%2A"}


def wrap(expression: str) -> str:
    return "{{" + expression + "}}"


def string(value: str) -> str:
    """A single-quoted IML string literal."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def literal(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return string(value)
    raise ValueError(f"no IML literal for {value!r}")


def path_segment(expression: str) -> str:
    """An expression that percent-encodes a value as one path segment: unreserved characters stay,
    everything else is `%XX` of its UTF-8 bytes. encodeURL leaves `!'()*` alone; the replacements
    finish the job. A value that is a dot segment never gets here: the parameter's validation
    pattern refuses it (see `parameters.NOT_A_DOT_SEGMENT`), since no encoding of `..` is safe.
    """
    encoded = f"encodeURL({expression})"
    for char, escape in _LEFT_BY_ENCODE_URL.items():
        pattern = "\\" + char if char in "()*" else char
        encoded = f"replace({encoded}, /{pattern}/g, {string(escape)})"
    return encoded


def field_template(template: str, source: dict[str, str]) -> str:
    """A `{field}` template (base URL, auth value) as IML; `source` maps a field to its expression."""
    text = template
    for field in template_fields(template):
        text = text.replace("{" + field + "}", wrap(source[field]))
    return text
