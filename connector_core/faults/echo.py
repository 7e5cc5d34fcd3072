"""What an echoing server sends back: the credentials it received, in the encodings APIs use.

A credential header is one whose name says it carries a credential (Authorization, Cookie, any
name with key, token, secret or auth in it) or whose value holds one of the secrets the test names.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping, Sequence
from urllib.parse import quote

CREDENTIAL_NAMES = ("authorization", "cookie", "key", "token", "secret", "auth")


def credentials(headers: Mapping[str, str], secrets: Sequence[str]) -> list[tuple[str, str]]:
    """The (name, value) pairs of the credential headers, in the order received."""
    return [(name, value) for name, value in headers.items()
            if any(part in name.lower() for part in CREDENTIAL_NAMES) or any(s and s in value for s in secrets)]


def raw(value: str) -> str:
    return value


def url_encoded(value: str) -> str:
    return quote(value, safe="")


def base64_form(value: str) -> str:
    """Basic auth's token as the header carries it (base64 of user:password); any other value
    base64-encoded whole."""
    scheme, _, token = value.partition(" ")
    if scheme.lower() == "basic" and token:
        return token
    return base64.b64encode(value.encode("utf-8")).decode("ascii")


ENCODINGS: dict[str, Callable[[str], str]] = {"raw": raw, "urlencoded": url_encoded, "base64": base64_form}


def echo_message(found: list[tuple[str, str]], encoding: str) -> str:
    """An error message that quotes every credential received, in one encoding."""
    encode = ENCODINGS[encoding]
    quoted = "; ".join(f"{name}={encode(value)}" for name, value in found) or "none"
    return f"credentials refused ({encoding}): {quoted}"
