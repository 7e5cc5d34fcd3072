"""An evaluator for exactly the IML this generator writes, and nothing more.

Make has no offline runtime, so the checks render the generated templates here. Semantics are
Make's as documented (and JavaScript's where Make exposes it): a string that is one `{{...}}`
keeps its value's type, a mixed string is text, a missing property is undefined (None),
`encodeURL` is encodeURIComponent, `replace` takes a /regex/ with an optional g flag or a text
(every occurrence), `if(condition, then, else)` and `trim` are JavaScript's (a two-argument
`if` is undefined when false; only the branch taken is evaluated), `and`/`or` stop at the first
operand that decides, an ordering comparison with undefined is false (JavaScript's NaN),
`parseDate`/`formatDate` read and write epoch milliseconds ('x') and a day ('YYYY-MM-DD' in
UTC) (`parseDate` also an HTTP date in UTC), `addDays` moves a date by whole days, `join` writes an array's items as text, a date is a
point in epoch milliseconds written as ISO 8601 (`toISOString`) wherever it becomes text or
output, and an object key `{{...}}` spreads its value's properties into the object (Make's
merge syntax), undefined values left out. Anything outside the subset (another function,
variable, operator or regex) raises ImlError, so a change to the generator cannot slip past the
checks unevaluated.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from connector_core.runtime.timestamps import iso_text
from make_blueprints.iml import HTTP_DATE_FORMAT

VARIABLES = {"parameters", "connection", "body", "item", "now", "pagination", "temp", "statusCode", "headers", "data"}
TOKEN = re.compile(r"""\s*(?:
    (?P<number>\d+(?:\.\d+)?)
  | (?P<string>'(?:\\.|[^'\\])*')
  | (?P<regex>/(?:\\.|[^/\\])+/[a-z]*)
  | (?P<op>>=|<=|!=|=|>|<|\+|-|\*|\(|\)|,|\.)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
)""", re.VERBOSE)
EXPRESSION = re.compile(r"\{\{((?:(?!\{\{|\}\}).)*)\}\}")
SAFE_REGEX = re.compile(r"^\^?(?:\\[().*]|\\s\+|[A-Za-z0-9!'%_-])+\$?$")
SPREAD = "{{...}}"
DAY_FORMAT = "YYYY-MM-DD"
EPOCH_DAY = dt.date(1970, 1, 1)
KEYWORDS = ("true", "false", "emptyarray")


@dataclass(frozen=True)
class MakeDate:
    """A date as Make holds it: a point in time, epoch milliseconds (any year JavaScript can hold)."""

    ms: int

    def timestamp(self) -> float:
        return self.ms / 1000

    def __str__(self) -> str:
        text = iso_text(self.ms)
        if text is None:
            raise ImlError(f"the evaluator writes dates of years 0000-9999 only, not {self.ms} ms")
        return text


class ImlError(ValueError):
    """IML outside the supported subset, or an expression that cannot be evaluated."""


def render(value: Any, variables: dict[str, Any]) -> Any:
    """Evaluate every template string in a JSON value (objects and arrays recursively); in an
    object with a `{{...}}` key, that key's object comes first and undefined values are left out."""
    if isinstance(value, dict) and SPREAD in value:
        spread = render(value[SPREAD], variables)
        merged = dict(spread) if isinstance(spread, dict) else {}
        for key, item in value.items():
            if key != SPREAD and (rendered := render(item, variables)) is not None:
                merged[key] = rendered
        return merged
    if isinstance(value, dict):
        return {key: render(item, variables) for key, item in value.items()}
    if isinstance(value, list):
        return [render(item, variables) for item in value]
    if isinstance(value, str):
        return template(value, variables)
    return value


def template(text: str, variables: dict[str, Any]) -> Any:
    whole = EXPRESSION.fullmatch(text)
    if whole:
        return evaluate(whole.group(1), variables)
    return EXPRESSION.sub(lambda match: to_text(evaluate(match.group(1), variables)), text)


def to_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return js_number(value)
    if isinstance(value, MakeDate):
        return str(value)
    raise ImlError(f"cannot insert {type(value).__name__} into text")


def js_string(value: Any) -> str:
    """JavaScript's String(value), which a text function applies to what it is given: an array is
    its items' texts joined by commas (undefined ones empty), an object `[object Object]`."""
    if isinstance(value, list):
        return ",".join(js_string(item) for item in value)
    if isinstance(value, dict):
        return "[object Object]"
    return to_text(value)


def plain(value: Any) -> Any:
    """A rendered value as JSON holds it (what a bundle shows): dates as their ISO text."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return str(value) if isinstance(value, MakeDate) else value


def js_number(value: int | float) -> str:
    """JavaScript's Number#toString: the shortest digits that read back, in fixed notation from
    1e-7 up to 1e21 and as `1.5e-7` / `1e+21` outside that."""
    if value != value or value in (float("inf"), float("-inf")):
        raise ImlError(f"{value!r} has no JSON text")
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    exact = Decimal(repr(abs(value))) if isinstance(value, float) else Decimal(abs(value))
    _, digit_tuple, exponent = exact.normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    point = len(digits) + exponent  # the value is 0.<digits> x 10^point
    if len(digits) <= point <= 21:
        return sign + digits + "0" * (point - len(digits))
    if 0 < point <= 21:
        return sign + digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return sign + "0." + "0" * -point + digits
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{sign}{mantissa}e{'+' if point - 1 >= 0 else '-'}{abs(point - 1)}"


def evaluate(expression: str, variables: dict[str, Any]) -> Any:
    parser = _Parser(_tokens(expression), variables)
    value = parser.expression()
    if parser.peek() is not None:
        raise ImlError(f"unexpected {parser.peek()[1]!r} in {expression!r}")
    return value


def _tokens(expression: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while position < len(expression):
        if not expression[position:].strip():
            break
        match = TOKEN.match(expression, position)
        if not match:
            raise ImlError(f"unsupported IML at {expression[position:]!r}")
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class _Parser:
    """Recursive descent: or > and > comparison > sum > product > unary > primary."""

    def __init__(self, tokens: list[tuple[str, str]], variables: dict[str, Any]) -> None:
        self.tokens, self.position, self.variables = tokens, 0, variables

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self, text: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (text is not None and token[1] != text):
            raise ImlError(f"expected {text or 'more'} at token {self.position}")
        self.position += 1
        return token

    def accept(self, *texts: str) -> str | None:
        token = self.peek()
        if token is not None and token[1] in texts and token[0] in ("op", "name"):
            self.position += 1
            return token[1]
        return None

    def expression(self) -> Any:
        value = self.conjunction()
        while self.accept("or"):
            right = self.skipped(self.conjunction) if truthy(value) else self.conjunction()
            value = truthy(value) or truthy(right)
        return value

    def conjunction(self) -> Any:
        value = self.comparison()
        while self.accept("and"):
            right = self.comparison() if truthy(value) else self.skipped(self.comparison)
            value = truthy(value) and truthy(right)
        return value

    def skipped(self, operand: Callable[[], Any]) -> None:
        """Parse an operand that JavaScript would not evaluate (the left one decided)."""
        variables, self.variables = self.variables, None
        try:
            operand()
        finally:
            self.variables = variables

    def comparison(self) -> Any:
        left = self.sum()
        operator = self.accept("=", "!=", ">", ">=", "<", "<=")
        if operator is None:
            return left
        right = self.sum()
        if self.variables is None:
            return None
        if operator == "=":
            return equal(left, right)
        if operator == "!=":
            return not equal(left, right)
        if left is None or right is None:
            return False  # JavaScript: undefined is NaN to an ordering, which is never true
        compare = {">": lambda a, b: a > b, ">=": lambda a, b: a >= b, "<": lambda a, b: a < b,
                   "<=": lambda a, b: a <= b}[operator]
        return compare(_number(left), _number(right))

    def sum(self) -> Any:
        value = self.product()
        while (operator := self.accept("+", "-")) is not None:
            right = self.product()
            if self.variables is not None:
                value = _number(value) + _number(right) if operator == "+" else _number(value) - _number(right)
        return value

    def product(self) -> Any:
        value = self.unary()
        while self.accept("*"):
            right = self.unary()
            if self.variables is not None:
                value = _number(value) * _number(right)
        return value

    def unary(self) -> Any:
        if self.accept("-"):
            value = self.unary()
            return None if self.variables is None else -_number(value)
        return self.primary()

    def primary(self) -> Any:
        kind, text = self.take()
        if kind == "number":
            return float(text) if "." in text else int(text)
        if kind == "string":
            return re.sub(r"\\(.)", r"\1", text[1:-1])
        if kind == "regex":
            return _Regex(text)
        if text == "(":
            value = self.expression()
            self.take(")")
            return value
        if kind != "name":
            raise ImlError(f"unexpected {text!r}")
        if text in KEYWORDS:
            return [] if text == "emptyarray" else text == "true"
        if self.accept("("):
            return self.call(text)
        return self.path(text)

    def call(self, name: str) -> Any:
        if name == "if":
            return self.conditional()
        function = FUNCTIONS.get(name)
        if function is None:
            raise ImlError(f"the evaluator does not implement IML function {name!r}")
        arguments = []
        if not self.accept(")"):
            arguments.append(self.expression())
            while self.accept(","):
                arguments.append(self.expression())
            self.take(")")
        return None if self.variables is None else function(*arguments)

    def conditional(self) -> Any:
        """`if(condition, then[, else])`: only the branch taken is evaluated (the other's value
        would be dropped; Make's functions do not fail on an undefined value either)."""
        condition = self.expression()
        self.take(",")
        chosen = self.variables is not None and truthy(condition)
        then = self.expression() if chosen else self.skipped(self.expression)
        otherwise = None
        if self.accept(","):
            taken = self.variables is not None and not truthy(condition)
            otherwise = self.expression() if taken else self.skipped(self.expression)
        self.take(")")
        if self.variables is None:
            return None
        return then if chosen else otherwise

    def path(self, root: str) -> Any:
        if root not in VARIABLES:
            raise ImlError(f"the evaluator does not know the IML variable {root!r}")
        if self.variables is None:  # a skipped operand: parsed, not evaluated
            while self.accept("."):
                self.take()
            return None
        if root not in self.variables:
            raise ImlError(f"the variable {root!r} is not available here")
        value = self.variables[root]
        while self.accept("."):
            kind, part = self.take()
            if kind != "name":
                raise ImlError(f"unsupported property access .{part}")
            value = value.get(part) if isinstance(value, dict) else None
        return value


class _Regex:
    """A /pattern/flags literal, limited to escaped punctuation, anchors and plain characters."""

    def __init__(self, literal: str) -> None:
        pattern, _, flags = literal[1:].rpartition("/")
        if not SAFE_REGEX.match(pattern) or flags not in ("", "g"):
            raise ImlError(f"the evaluator does not implement the regex {literal}")
        self.pattern, self.count = re.compile(pattern), 0 if flags == "g" else 1


def truthy(value: Any) -> bool:
    """JavaScript truthiness: '', 0, None and false are false; every object and array is true."""
    if isinstance(value, (dict, list)):
        return True
    return bool(value)


def equal(left: Any, right: Any) -> bool:
    if isinstance(left, bool) != isinstance(right, bool):
        return False
    return left == right


def _number(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ImlError(f"expected a number, got {value!r}")
    return value


def _ifempty(value: Any, fallback: Any) -> Any:
    return fallback if value is None or value == "" else value


def _encode_url(value: Any) -> str:
    """JavaScript's encodeURIComponent."""
    return quote(to_text(value), safe="-_.!~*'()")


def _replace(text: Any, search: Any, replacement: Any) -> str:
    """Make's replace: a /regex/ (every match with g, else the first) or a plain text (every
    occurrence; an empty or missing search changes nothing); the replacement is plain text."""
    if not isinstance(replacement, str) or "$" in replacement:
        raise ImlError("replace() takes a plain replacement")
    text = js_string(text)
    if isinstance(search, _Regex):
        return search.pattern.sub(lambda match: replacement, text, count=search.count)
    if search is None or isinstance(search, str):
        return text.replace(search, replacement) if search else text
    raise ImlError("replace() takes a /regex/ or text to search for")


def _substring(value: Any, start: Any, end: Any) -> str:
    """JavaScript's substring: indexes clamped to the text (UTF-16 units; the texts here are ASCII)."""
    text = to_text(value)
    low, high = sorted(max(0, min(len(text), int(_number(index)))) for index in (start, end))
    return text[low:high]


def _trim(value: Any) -> str:
    """JavaScript's trim (whitespace and line terminators at both ends)."""
    return to_text(value).strip()


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _first(value: Any) -> Any:
    if value is None:
        return None
    if not isinstance(value, list):
        raise ImlError(f"first() takes an array, got {type(value).__name__}")
    return value[0] if value else None


def _length(value: Any) -> int | None:
    """The length of an array or text; undefined for anything else (an error object where a page
    of records was expected), which no comparison holds for."""
    if value is None:
        return 0
    if isinstance(value, dict):
        return None
    if not isinstance(value, (list, str)):
        raise ImlError(f"length() takes an array or text, got {type(value).__name__}")
    return len(value)


def _parse_date(value: Any, form: Any, zone: Any = None) -> MakeDate | None:
    """parseDate with the 'x' format: epoch milliseconds (a whole number, or its digits) as a date;
    with 'YYYY-MM-DD' in UTC: that day's midnight; with an HTTP date's format in UTC: that second;
    anything else is no date (undefined here: the templates only keep a date they checked)."""
    if (form, zone) == (DAY_FORMAT, "UTC"):
        try:
            day = dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
        except ValueError:
            day = None
        return None if day is None else MakeDate(round((day - EPOCH_DAY).total_seconds() * 1000))
    if (form, zone) == (HTTP_DATE_FORMAT, "UTC"):
        return _http_date(value)
    if form != "x" or zone is not None:
        raise ImlError(f"the evaluator implements parseDate only for 'x', and 'YYYY-MM-DD' or an HTTP date in UTC, "
                       f"not {form!r}")
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value):
        return MakeDate(int(value))
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not float(value).is_integer():
        return None
    return MakeDate(int(value))


def _http_date(value: Any) -> MakeDate | None:
    """An IMF-fixdate (`Tue, 01 Dec 2026 15:58:24 GMT`) as a date; other text is no date."""
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.strptime(value, "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=dt.timezone.utc)
    except ValueError:
        return None
    return MakeDate(round(moment.timestamp() * 1000))


def _format_date(value: Any, form: Any, zone: Any = None) -> str:
    if not isinstance(value, MakeDate):
        raise ImlError("formatDate() takes a date")
    if (form, zone) == (DAY_FORMAT, "UTC"):
        return str(value)[:10]
    if form != "x" or zone is not None:
        raise ImlError("the evaluator implements formatDate only for 'x' and 'YYYY-MM-DD' in UTC")
    return str(value.ms)


def _add_days(value: Any, days: Any) -> MakeDate:
    if not isinstance(value, MakeDate):
        raise ImlError("addDays() takes a date")
    return MakeDate(value.ms + round(_number(days) * 86_400_000))


def _join(array: Any, separator: Any) -> str:
    """Make's join: the items as text with the separator between (an undefined item is empty)."""
    if not isinstance(array, list):
        raise ImlError("join() takes an array")
    return to_text(separator).join(js_string(item) for item in array)


def _add_seconds(value: Any, seconds: Any) -> MakeDate:
    if not isinstance(value, MakeDate):
        raise ImlError("addSeconds() takes a date")
    return MakeDate(value.ms + round(_number(seconds) * 1000))


def _floor(value: Any) -> float:
    """Math.floor: a number rounded down; anything else is NaN here (it equals nothing)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return math.nan
    return math.floor(value)


def _add(array: Any, *values: Any) -> list[Any]:
    """Make's add: a copy of the array with the values appended."""
    if not isinstance(array, list):
        raise ImlError("add() takes an array")
    return [*array, *values]


def _to_collection(array: Any, key: Any, value: Any) -> dict[str, Any]:
    """Make's toCollection: an array of {key, value} items as one object (later keys win)."""
    if array is None:
        return {}
    if not isinstance(array, list) or not all(isinstance(item, dict) for item in array):
        raise ImlError("toCollection() takes an array of collections")
    return {to_text(item.get(key)): item.get(value) for item in array if item.get(key) not in (None, "")}


def _max(*values: Any) -> int | float:
    """Make's max over numbers given one by one."""
    return max(_number(value) for value in values)


def _parse_number(value: Any, separator: Any) -> int | float:
    """Make's parseNumber, for a plain number written with `.` as its decimal separator."""
    if separator != "." or not isinstance(value, str) or not re.fullmatch(r"-?[0-9]+(?:\.[0-9]+)?", value):
        raise ImlError(f"the evaluator implements parseNumber only for plain numbers with '.', not {value!r}")
    return float(value) if "." in value else int(value)


def _base64(value: Any) -> str:
    return base64.b64encode(to_text(value).encode()).decode()


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "ifempty": _ifempty, "encodeURL": _encode_url, "replace": _replace, "lower": _lower, "first": _first,
    "length": _length, "parseDate": _parse_date, "formatDate": _format_date, "addSeconds": _add_seconds,
    "base64": _base64, "trim": _trim, "substring": _substring, "max": _max, "parseNumber": _parse_number,
    "floor": _floor, "add": _add, "toCollection": _to_collection, "addDays": _add_days, "join": _join,
}
