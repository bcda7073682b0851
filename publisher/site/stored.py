"""Posts and problems as plain data for the cache: JSON, never pickles.

Decoding runs no code from the stored text: every value is a JSON primitive or a
small tagged object naming one of a fixed set of types (a list, a date, a time
zone...), and each field of a Post is checked for its type. Anything else is refused
with `Unstorable`, and the cache then re-reads the file instead.
"""

from __future__ import annotations

import base64
import functools
import math
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from publisher.problems import Problem, Severity


class Unstorable(ValueError):
    """A value the cache cannot keep as data, or stored data that is not a Post."""


def zone_data(value: tzinfo | None) -> Any:
    """A time zone (or None) as JSON-ready data."""
    if value is None:
        return None
    if isinstance(value, ZoneInfo) and value.key:
        return {"zone": value.key}
    if isinstance(value, timezone):
        offset = value.utcoffset(None)
        name = value.tzname(None)  # a name given, or one made from the offset
        given = value is not UTC and name != timezone(offset).tzname(None)
        return {"offset": [offset.days, offset.seconds, offset.microseconds],
                "name": name if given else None}
    kind = f"{type(value).__module__}.{type(value).__name__}"
    if kind == "dateutil.tz.tz.tzutc":  # Pelican's dates, read by dateutil
        return {"dateutil": None}
    if kind == "dateutil.tz.tz.tzoffset":
        offset = value.utcoffset(None)
        return {"dateutil": [value.tzname(None), offset.total_seconds() if offset else 0]}
    raise Unstorable(f"time zone {type(value).__name__}")


def zone_from(data: Any) -> tzinfo | None:
    """`zone_data`'s output -> the time zone."""
    if data is None:
        return None
    if isinstance(data, dict) and isinstance(data.get("zone"), str):
        return _named_zone(data["zone"])
    if isinstance(data, dict) and "offset" in data:
        days, seconds, micro = data["offset"]
        return _offset_zone(days, seconds, micro, data.get("name") or None)
    if isinstance(data, dict) and "dateutil" in data:
        from dateutil import tz as dateutil_tz  # only Pelican's dates need it

        if data["dateutil"] is None:
            return dateutil_tz.tzutc()
        name, seconds = data["dateutil"]
        return dateutil_tz.tzoffset(name, seconds)
    raise Unstorable("not a time zone")


@functools.lru_cache(maxsize=64)
def _named_zone(key: str) -> ZoneInfo:
    return ZoneInfo(key)


@functools.lru_cache(maxsize=64)  # every post of a site has one or two: made once each
def _offset_zone(days: int, seconds: int, micro: int, name: str | None) -> timezone:
    offset = timedelta(days=days, seconds=seconds, microseconds=micro)
    return timezone(offset, name) if name else timezone(offset)


def encode(value: Any) -> Any:
    """A front-matter value (anything YAML, TOML or JSON gives) -> JSON-ready data.

    Every JSON object in the result is a tag, so no value can pass for another.
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value if abs(value) < 2 ** 53 else {"int": str(value)}
    if isinstance(value, float):
        return value if math.isfinite(value) else {"float": repr(value)}
    if isinstance(value, list):
        return {"list": [encode(v) for v in value]}
    if isinstance(value, tuple):
        return {"tuple": [encode(v) for v in value]}
    if isinstance(value, dict):
        return {"dict": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, (set, frozenset)):
        return {"set": [encode(v) for v in value]}
    if isinstance(value, datetime):
        return {"datetime": value.replace(tzinfo=None).isoformat(),
                "tz": zone_data(value.tzinfo), "fold": value.fold}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, time):
        return {"time": value.replace(tzinfo=None).isoformat(), "tz": zone_data(value.tzinfo)}
    if isinstance(value, bytes):
        return {"bytes": base64.b64encode(value).decode()}
    raise Unstorable(type(value).__name__)


def decode(data: Any) -> Any:
    if data is None or isinstance(data, (bool, str, int, float)):
        return data
    if not isinstance(data, dict) or not data:
        raise Unstorable("not stored data")
    tag = next(iter(data))
    value = data[tag]
    if tag == "list":
        return [decode(v) for v in value]
    if tag == "tuple":
        return tuple(decode(v) for v in value)
    if tag == "dict":
        return {decode(k): decode(v) for k, v in value}
    if tag == "set":
        return {decode(v) for v in value}
    if tag == "int":
        return int(value)
    if tag == "float":
        return float(value)
    if tag == "datetime":
        return datetime.fromisoformat(value).replace(tzinfo=zone_from(data["tz"]),
                                                     fold=data["fold"])
    if tag == "date":
        return date.fromisoformat(value)
    if tag == "time":
        return time.fromisoformat(value).replace(tzinfo=zone_from(data["tz"]))
    if tag == "bytes":
        return base64.b64decode(value, validate=True)
    raise Unstorable(f"unknown tag {tag!r}")


def problems_data(problems: tuple[Problem, ...]) -> list[list[Any]]:
    return [[p.path, p.line, p.field, p.message, p.severity.value] for p in problems]


def problems_from(data: Any) -> tuple[Problem, ...]:
    if not isinstance(data, list):
        raise Unstorable("not a list of problems")
    found = []
    for item in data:
        if not (isinstance(item, list) and len(item) == 5 and isinstance(item[0], str)
                and (item[1] is None or type(item[1]) is int)
                and isinstance(item[2], str) and isinstance(item[3], str)
                and item[4] in ("error", "warning")):
            raise Unstorable("not a problem")
        found.append(Problem(item[0], item[1], item[2], item[3], Severity(item[4])))
    return tuple(found)
