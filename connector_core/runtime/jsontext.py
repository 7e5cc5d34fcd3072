"""Values as JSON text and JSON equality: how every runtime writes, shows and compares values.

JSON text is written as JavaScript's `JSON.stringify` writes it: compact, numbers as
`Number.prototype.toString` writes them (`7` for 7.0, `1e-7`, `1e+21`), text unescaped except
where JSON requires, and lone surrogates as `\\udXXX`. Messages cut it to 60 code points so an
emoji is never split.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

SHOWN_LENGTH = 60
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def plain(value: Any) -> Any:
    """The value with every integral float below 1e21 as an int (`7.0` -> `7`), as JavaScript
    holds and writes it."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return int(value)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def js_number(number: float) -> str:
    """`Number.prototype.toString`: the shortest round-trip digits, laid out as ECMA-262 says."""
    if not math.isfinite(number):
        return "null"  # as JSON.stringify writes NaN and Infinity
    if number == 0:
        return "0"
    sign = "-" if number < 0 else ""
    mantissa, _, exponent = repr(abs(number)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction.rstrip("0")).lstrip("0") or "0"
    point = len(whole.lstrip("0")) if whole.strip("0") else -(len(fraction) - len(fraction.lstrip("0")))
    point += int(exponent or 0)  # the decimal point sits after `point` digits
    count = len(digits)
    if count <= point <= 21:
        text = digits + "0" * (point - count)
    elif 0 < point <= 21:
        text = f"{digits[:point]}.{digits[point:]}"
    elif -6 < point <= 0:
        text = "0." + "0" * -point + digits
    else:
        power = point - 1
        text = (f"{digits[0]}.{digits[1:]}" if count > 1 else digits) + f"e{'+' if power > 0 else '-'}{abs(power)}"
    return sign + text


def json_text(value: Any) -> str:
    """Compact JSON text, byte for byte as JSON.stringify writes it."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return js_number(value)
    if isinstance(value, str):
        return _LONE_SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", json.dumps(value, ensure_ascii=False))
    if isinstance(value, dict):
        return "{" + ",".join(f"{json_text(str(key))}:{json_text(item)}" for key, item in value.items()) + "}"
    return "[" + ",".join(json_text(item) for item in value) + "]"


def show(value: Any) -> str:
    """A value as shown in a message: JSON text, cut to 60 code points."""
    text = json_text(value)
    return text if len(text) <= SHOWN_LENGTH else text[:SHOWN_LENGTH - 3] + "..."


def json_equal(left: Any, right: Any) -> bool:
    """Same JSON type and value: `1` equals `1.0`, `true` does not equal `1`."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        return left == right
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(json_equal(left[key], right[key]) for key in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(json_equal(a, b) for a, b in zip(left, right))
    return type(left) is type(right) and left == right
