"""Param transforms: an input value in the user's terms turned into the form an API wants.

A date picker gives `2026-04-30` where an API wants the integer 20260430, a time field `09:30`
where it wants 930, a checkbox `true` where it wants 1, and an inclusive "to" date where the API's
bound is exclusive. The input schema holds the value to its format; a transform still refuses
what it cannot read (a request is built for the problems it finds too), and `time_number` refuses
on its own what is not `HH:mm`, since a pattern decides which times are valid.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from connector_core.runtime.inputs import is_date

TIME_TEXT = re.compile(r"[0-9]{2}:[0-9]{2}")
TIME_MESSAGE = "must be a time HH:mm"
DATE_MESSAGE = "must be a date in YYYY-MM-DD format"
BOOLEAN_MESSAGE = "must be true or false"
LAST_DAY_MESSAGE = "must be a day before 9999-12-31 (the next day is sent)"


class Untransformable(ValueError):
    """The value is not what the transform reads (its message is the input problem)."""


def _date_number(value: Any) -> int:
    return int(_date(value).replace("-", ""))


def _time_number(value: Any) -> int:
    if not isinstance(value, str) or not TIME_TEXT.fullmatch(value):
        raise Untransformable(TIME_MESSAGE)
    return int(value.replace(":", ""))


def _boolean_number(value: Any) -> int:
    if not isinstance(value, bool):
        raise Untransformable(BOOLEAN_MESSAGE)
    return 1 if value else 0


def _next_day(value: Any) -> str:
    try:
        return (dt.date.fromisoformat(_date(value)) + dt.timedelta(days=1)).isoformat()
    except OverflowError:
        raise Untransformable(LAST_DAY_MESSAGE) from None


def _date(value: Any) -> str:
    """The value when it is a date (the schema's format has said so, or is reporting it)."""
    if not is_date(value) or not isinstance(value, str):
        raise Untransformable(DATE_MESSAGE)
    return value


TRANSFORMS = {"date_number": _date_number, "time_number": _time_number, "boolean_number": _boolean_number,
              "next_day": _next_day}


def transformed(name: str | None, value: Any) -> Any:
    """`value` as transform `name` sends it (unchanged without one); Untransformable when it cannot be."""
    return value if name is None else TRANSFORMS[name](value)
