"""Dates as writers type them -> timezone-aware datetimes.

YAML loading keeps dates as text (see matter.py) so that every date, whatever the
front-matter format, goes through this one parser and gets one kind of error.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

_ISO = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?)?)?"
    r"\s*(?P<tz>Z|z|UTC|GMT|[+-]\d{2}:?\d{2}|[+-]\d{2})?$"
)
# Human-readable dates seen in real blogs ("November 20, 2021", "20 Nov 2021").
_HUMAN_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y",
                  "%B %d, %Y %H:%M", "%b %d, %Y %H:%M")


class DateError(ValueError):
    """A value that is not a date; the message says what was expected."""


def _offset(text: str) -> tzinfo:
    if text.upper() in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise DateError(f"time zone offset {text!r} is out of range")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def parse_date(value: object, zone: tzinfo) -> datetime:
    """Parse a front-matter date; date-only and naive values are in `zone`."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=zone)
    if not isinstance(value, str):
        raise DateError(f"expected a date like 2024-03-02 or 2024-03-02T10:00:00+01:00, "
                        f"not {type(value).__name__} {value!r}")
    text = value.strip()
    if not text:
        raise DateError("is empty; write a date like 2024-03-02 or remove the key")
    match = _ISO.match(text)
    if match:
        g = match.groupdict()
        try:
            return datetime(int(g["y"]), int(g["m"]), int(g["d"]), int(g["H"] or 0),
                            int(g["M"] or 0), int(g["S"] or 0),
                            int((g["f"] or "0")[:6].ljust(6, "0")),
                            tzinfo=_offset(g["tz"]) if g["tz"] else zone)
        except ValueError as exc:
            raise DateError(f"{text!r} is not a real date or time ({exc})") from None
    for fmt in _HUMAN_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=zone)
        except ValueError:
            continue
    raise DateError(f"{text!r} is not a date; write it as 2024-03-02, "
                    "2024-03-02 10:00:00 +0100 or 2024-03-02T10:00:00Z")


def name_date(text: str | None, zone: tzinfo) -> tuple[datetime | None, str | None]:
    """The date a file name gives (`2024-3-5`, midnight in `zone`), or why it is none."""
    if text is None:
        return None, None
    try:
        y, m, d = (int(part) for part in text.split("-"))
        return datetime(y, m, d, tzinfo=zone), None
    except ValueError:
        return None, f"the file name starts with {text!r}, which is not a real date"


def waiting_time(now: datetime, due: datetime) -> str:
    """`in 3 days`, `in 5 hours`, `in 12 minutes`: how long until `due`."""
    seconds = int((due - now).total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"in {count} {unit}{'s' if count != 1 else ''}"
    return "in less than a minute"
