"""ECMA-262 regular expressions (JSON Schema's `pattern`) on Python's `re`.

The two dialects read the same pattern differently: Python's `$` also matches before a final
newline, its `\\d` and `\\w` match every script's digits and letters, and its `.` matches
CR and the Unicode line separators. `translate` rewrites those tokens so Python searches
exactly what JavaScript's RegExp with the `u` flag (code points, as the kernel
compiles patterns) would.
"""

from __future__ import annotations

import functools
import re

ECMA_SPACE = "\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
_CLASS_ESCAPES = {"d": "0-9", "w": "A-Za-z0-9_", "s": ECMA_SPACE}
_OUTSIDE = {
    "d": "[0-9]", "D": "[^0-9]", "w": "[A-Za-z0-9_]", "W": "[^A-Za-z0-9_]",
    "s": f"[{ECMA_SPACE}]", "S": f"[^{ECMA_SPACE}]",
}


def translate(pattern: str) -> str:
    """The Python pattern that matches what `new RegExp(pattern)` matches."""
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            escaped = pattern[index + 1]
            if in_class and escaped in _CLASS_ESCAPES:
                out.append(_CLASS_ESCAPES[escaped])
            elif not in_class and escaped in _OUTSIDE:
                out.append(_OUTSIDE[escaped])
            else:
                out.append(char + escaped)
            index += 2
            continue
        if in_class:
            in_class = char != "]"
            out.append(char)
        elif pattern.startswith("[]", index):
            out.append("(?!)")  # ECMA's empty class matches nothing
            index += 1
        elif pattern.startswith("[^]", index):
            out.append("(?s:.)")  # and its negation matches any character
            index += 2
        elif char == "[":
            in_class = True
            out.append(char)
            if pattern.startswith("[^", index):
                out.append("^")
                index += 1
        elif char == "$":
            out.append(r"\Z")
        elif char == ".":
            out.append("[^\\n\\r\\u2028\\u2029]")
        else:
            out.append(char)
        index += 1
    return "".join(out)


@functools.lru_cache(maxsize=256)
def compile_ecma(pattern: str) -> re.Pattern[str]:
    return re.compile(translate(pattern))


def search(pattern: str, text: str) -> bool:
    """Whether the ECMA-262 pattern matches anywhere in `text`, as JSON Schema asks."""
    return compile_ecma(pattern).search(text) is not None
