"""Does a text hold the bench's API key, in any encoding a key can take on its way out?

The figures count a leak wherever the key shows up in any form connector_core.faults.secret_forms
names (raw, percent-encoded in either hex case, form-encoded, JSON-escaped, base64 alone or as
Basic auth's `user:key`): a client that masks only the raw form still leaks the others. That oracle
is written apart from the runtimes' own redaction, so that a gap in theirs is counted, not shared.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from connector_core.faults import leaked_forms, secret_forms
from connector_core.runtime.connection import values_for_base_url
from connector_core.spec.models import Connector

# The bench's key: every character class whose encodings differ (space, +, /, =, &, %, quotes).
KEY = 'bk-Bench Key+/=&%2F"q"'


def bench_connection(connector: Connector, base_url: str | None = None) -> dict[str, str]:
    """The connection values a bench run enters: the key in the connector's credential field, and the
    fields whose base URL template renders `base_url` when one is given."""
    values = {connector.connection.credential.key: KEY}
    return values if base_url is None else values_for_base_url(connector, base_url, values)


def leaks(text: str, secrets: Iterable[str] = (KEY,)) -> bool:
    """True when `text` holds any secret in any of its forms."""
    return bool(leaked_forms(text, secrets))


def masked(text: str, secrets: Iterable[str] = (KEY,)) -> str:
    """`text` with every form of every secret shown as `<key>`, for the examples the figures list."""
    for form in sorted({form for secret in secrets for form in secret_forms(secret).values()}, key=len, reverse=True):
        text = text.replace(form, "<key>")
    return text


def file_leaks(folder: Path, secrets: Iterable[str] = (KEY,)) -> list[tuple[str, bool]]:
    """Every file under `folder` (its path relative to `folder`) and whether it leaks."""
    files = sorted(path for path in folder.rglob("*") if path.is_file()) if folder.is_dir() else []
    return [(str(path.relative_to(folder)), leaks(path.read_bytes().decode("utf-8", "replace"), secrets))
            for path in files]
