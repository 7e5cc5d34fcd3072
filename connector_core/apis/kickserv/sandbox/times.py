"""Times as the API reads and writes them: ISO 8601 in, the account's zone out.

The API takes a date-time with an offset (`2021-03-05T12:15:00-05:00`), and one without an
offset in the account's own zone, as Rails does; it answers every time in the account's zone
with milliseconds (`2021-03-05T12:15:00.000-05:00`). Times are stored as epoch milliseconds.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Final

#: The account's time zone (the sandbox keeps one fixed offset, no daylight saving).
ACCOUNT_ZONE: Final = timezone(timedelta(hours=-5))

_DATE_TIME: Final = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?$")
_DATE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_time(text: str) -> int:
    """Epoch ms of an ISO 8601 date-time; without an offset, in the account's zone. ValueError if not one."""
    if not _DATE_TIME.match(text):
        raise ValueError(text)
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ACCOUNT_ZONE)
    return int(moment.timestamp() * 1000)


def render_time(epoch_ms: int | None) -> str | None:
    """The API's text for a stored time, in the account's zone."""
    if epoch_ms is None:
        return None
    moment = datetime.fromtimestamp(epoch_ms / 1000, ACCOUNT_ZONE)
    return moment.isoformat(timespec="milliseconds")


def day_start(text: str) -> int:
    """Epoch ms of midnight, in the account's zone, starting the day `YYYY-MM-DD`. ValueError if not a day."""
    if not _DATE.match(text):
        raise ValueError(text)
    day = date.fromisoformat(text)
    return int(datetime(day.year, day.month, day.day, tzinfo=ACCOUNT_ZONE).timestamp() * 1000)
