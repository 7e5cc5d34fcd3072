"""The leak oracle: every form a secret can take in a text, and which of them some texts hold.

A secret leaves a client raw, percent-encoded (upper- or lower-case hex), form-encoded (`+` for a
space, either hex case), JSON-escaped, or in base64 (alone, or as a Basic auth `user:secret`
token). A check that looks for the raw form only passes a client that leaks the others, so every
judge of a leak reads all of them from here. It is written apart from any runtime's redaction, so
that a gap in theirs is found, not shared. Engine code: it names no API and no platform.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

BASIC_USERS = ("api", "user")  # the user part of a Basic auth token that carries the secret as its password


def secret_forms(secret: str, basic_users: Iterable[str] = BASIC_USERS) -> dict[str, str]:
    """Every form of `secret` a request, a log line or an error may carry, by name (a form that
    spells the same as an earlier one is left out, so each value appears once)."""
    percent, form = quote(secret, safe=""), quote_plus(secret)
    named = [("raw", secret), ("url-encoded", percent), ("url-encoded lower", _lower_hex(percent)),
             ("form-encoded", form), ("form-encoded lower", _lower_hex(form)),
             ("json-escaped", json.dumps(secret)[1:-1]),
             ("json-escaped unicode", json.dumps(secret, ensure_ascii=False)[1:-1]),
             ("base64", _base64(secret))]
    named += [(f"base64 {user}:", _base64(f"{user}:{secret}")) for user in basic_users]
    forms: dict[str, str] = {}
    for name, value in named:
        if value and value not in forms.values():
            forms[name] = value
    return forms


def leaked_forms(texts: str | Iterable[str], secrets: str | Iterable[str]) -> list[str]:
    """The names of the forms of `secrets` found in `texts` (a text or several), in the order
    `secret_forms` names them; empty when nothing leaked."""
    texts = [texts] if isinstance(texts, str) else list(texts)
    secrets = [secrets] if isinstance(secrets, str) else list(secrets)
    found: list[str] = []
    for secret in secrets:
        for name, value in secret_forms(secret).items():
            if name not in found and any(value in text for text in texts):
                found.append(name)
    return found


def _lower_hex(text: str) -> str:
    return re.sub("%[0-9A-F]{2}", lambda escape: escape.group().lower(), text)


def _base64(text: str) -> str:
    """Unpadded, so that it is found whether or not a writer kept the `=` padding."""
    return base64.b64encode(text.encode()).decode().rstrip("=")
