"""Secrets never reach a message, a log or a cassette, in any encoding a server may echo them in.

Each secret becomes one pattern that matches it character by character, every character as
itself, as `%XX` of its UTF-8 bytes (hex in either case: a URL or a form), `+` for a space (a
form) or as a JSON string escape (`\\/`, `\\"`, `\\\\`, `\\uXXXX`). So an echo with some characters
encoded and others not is caught too. The base64 of each secret (as a server may send back what
it decoded or encoded) is a secret of its own. The longest secret goes first: a secret inside
another must not leave the rest of the longer one behind. The JS kernel's `secrets.js` builds
the same patterns.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable

JSON_ESCAPES = {'"': '\\"', "\\": "\\\\", "/": "\\/"}


def _hex(number: int, width: int) -> str:
    """`number` as hex digits of either case (`2[Ff]`)."""
    return "".join(f"[{digit}{digit.lower()}]" if digit.isalpha() else digit for digit in f"{number:0{width}X}")


def _char_forms(char: str) -> list[str]:
    """Every pattern one character of a secret may take in an echo."""
    forms = [re.escape(char), "".join("%" + _hex(byte, 2) for byte in char.encode("utf-8", "surrogatepass"))]
    if char == " ":
        forms.append(r"\+")
    if char in JSON_ESCAPES:
        forms.append(re.escape(JSON_ESCAPES[char]))
    units = char.encode("utf-16-be", "surrogatepass")
    forms.append("".join(r"\\u" + _hex(int.from_bytes(units[i:i + 2], "big"), 4) for i in range(0, len(units), 2)))
    return forms


def _unit_pattern(unit: str) -> str:
    """A run of one character (only backslashes form runs) in one of its forms: a run of `\\` matched
    one at a time, raw or JSON-escaped, could split in exponentially many ways."""
    return "(?:" + "|".join(f"(?:{form}){{{len(unit)}}}" for form in _char_forms(unit[0])) + ")"


def _secret_pattern(secret: str) -> re.Pattern[str]:
    """A pattern that finds `secret` raw, percent-encoded, form-encoded or JSON-escaped."""
    return re.compile("".join(_unit_pattern(unit) for unit in re.findall(r"\\+|.", secret, re.S)))


def _longest_first(secret: str) -> tuple[int, bytes]:
    """Longer first, then by UTF-16 code units: the order the JS kernel sorts in."""
    units = secret.encode("utf-16-be", "surrogatepass")
    return -len(units), units


class Redactor:
    """Replaces every secret, in every encoding, by `replacement`."""

    def __init__(self, secrets: Iterable[str], replacement: str = "***") -> None:
        given = [secret for secret in secrets if secret]
        every = {*given, *(base64.b64encode(secret.encode("utf-8", "surrogatepass")).decode() for secret in given)}
        self._patterns = [_secret_pattern(secret) for secret in sorted(every, key=_longest_first)]
        self._replacement = replacement

    def __call__(self, text: str) -> str:
        for pattern in self._patterns:
            text = pattern.sub(lambda _: self._replacement, text)
        return text
