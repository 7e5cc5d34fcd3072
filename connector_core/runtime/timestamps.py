"""Derived timestamps: an output property annotated `x-timestamp: {from: <sibling>, unit: epoch_ms}`
holds the ISO 8601 UTC text of its sibling's epoch milliseconds.

No-code users expect dates, not epoch numbers; the API's own value stays beside the derived one. The
text is exactly what JavaScript's `new Date(ms).toISOString()` writes, so both runtimes agree to the
character, and is written only for an integer both can place in years 0000-9999 (else the derived
property is left out). Derived properties sit beside their source at any depth of the output
schema's `properties` tree; records inside arrays are not stamped (docs/conformance.md).
"""

from __future__ import annotations

from typing import Any

#: 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the range toISOString writes with four-digit years.
EARLIEST_MS, LATEST_MS = -62_167_219_200_000, 253_402_300_799_999
DAY_MS = 86_400_000


def iso_text(epoch_ms: Any) -> str | None:
    """The ISO 8601 UTC text of an epoch-milliseconds integer (`7.0` is one), or None."""
    if isinstance(epoch_ms, bool) or not isinstance(epoch_ms, (int, float)):
        return None
    if isinstance(epoch_ms, float) and not epoch_ms.is_integer():
        return None
    if not EARLIEST_MS <= epoch_ms <= LATEST_MS:
        return None
    days, in_day = divmod(int(epoch_ms), DAY_MS)
    year, month, day = civil_date(days)
    seconds, milliseconds = divmod(in_day, 1000)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}.{milliseconds:03d}Z"


def civil_date(days: int) -> tuple[int, int, int]:
    """The proleptic Gregorian (year, month, day) `days` after 1970-01-01, year 0 included (which
    Python's datetime cannot hold): H. Hinnant's civil_from_days."""
    shifted = days + 719_468  # days since 0000-03-01
    era = shifted // 146_097
    day_of_era = shifted - era * 146_097
    year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36_524 - day_of_era // 146_096) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    month_from_march = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * month_from_march + 2) // 5 + 1
    month = month_from_march + 3 if month_from_march < 10 else month_from_march - 9
    return year_of_era + era * 400 + (month <= 2), month, day


def stamped(schema: dict[str, Any], record: Any) -> Any:
    """A copy of `record` with each derived timestamp `schema` declares set from its sibling, or
    removed when the sibling is no epoch-ms integer; `record` stays as the API sent it (dedupe keys
    and fingerprints read that)."""
    properties = schema.get("properties")
    if not isinstance(record, dict) or not isinstance(properties, dict):
        return record
    copy = dict(record)
    for name, sub in properties.items():
        derived = sub.get("x-timestamp") if isinstance(sub, dict) else None
        if isinstance(derived, dict):
            source = derived.get("from")
            text = iso_text(record.get(source)) if isinstance(source, str) else None
            if text is None:
                copy.pop(name, None)
            else:
                copy[name] = text
        elif isinstance(sub, dict) and isinstance(record.get(name), dict):
            copy[name] = stamped(sub, record[name])
    return copy
