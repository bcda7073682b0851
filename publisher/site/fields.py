"""One file's front matter read field by field, each problem collected with its line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from publisher.config import Config
from publisher.dates import DateError, parse_date
from publisher.problems import Problem, error, warning
from publisher.site.matter import Matter, show
from publisher.site.post import one_line


class Fields:
    """Collects problems while giving meaning to one file's fields."""

    def __init__(self, matter: Matter, source: str, folded: bool = False) -> None:
        self.matter = matter
        self.source = source
        self.problems: list[Problem] = []
        # Hugo: `Title` is `title`. Folded names -> the name as written (the first wins).
        self.written: dict[str, str] = {}
        if folded:
            for name in matter.fields:
                first = self.written.setdefault(str(name).lower(), name)
                if first != name:  # `Draft: false` then `draft: true`: one key to Hugo
                    self.problems.append(warning(
                        source, matter.line(name), str(name), f"{name!r} and {first!r} are "
                        f"one key here; the value of {first!r} is used, delete the other"))

    def _name(self, key: str) -> str:
        """The top-level name as written in the file, for `key` (dotted, lower case)."""
        head, dot, rest = key.partition(".")
        return self.written.get(head, head) + dot + rest

    def get(self, key: str) -> Any:
        if not self.written and "." not in key:  # the common case, 30 times a post
            return self.matter.fields.get(key)
        value: Any = self.matter.fields
        for index, part in enumerate(self._name(key).split(".")):
            if not isinstance(value, Mapping):
                return None
            if index and self.written:
                part = next((k for k in value if str(k).lower() == part), part)
            value = value.get(part)
        return value

    def error(self, key: str, message: str) -> None:
        name = self._name(key)
        self.problems.append(error(self.source, self.matter.line(name), name, message))

    def warn(self, key: str, message: str) -> None:
        name = self._name(key)
        self.problems.append(warning(self.source, self.matter.line(name), name, message))

    def text(self, key: str) -> str | None:
        value = self.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.error(key, f"must be text, not {type(value).__name__} {show(value)}")
            return None
        return str(value)

    def names(self, key: str, split: bool) -> tuple[str, ...]:
        """A list or a string of names; Jekyll splits a string of tags on spaces."""
        value = self.get(key)
        if value is None or value == "":
            return ()
        if isinstance(value, str):
            items: list[Any] = [v for v in re.split(r"\s*,\s*", value)] if "," in value \
                else (value.split() if split else [value])
        elif isinstance(value, list):
            items = value
        else:
            self.error(key, f"must be a list like [a, b] or a string, not "
                            f"{type(value).__name__} {show(value)}")
            return ()
        names: dict[str, None] = {}  # a dict, not a list: 40,000 tags stay linear
        for item in items:
            if item is None or isinstance(item, (dict, list)):
                self.error(key, f"each item must be a name, not {show(item)}")
                continue
            name = one_line(str(item))
            if name:
                names.setdefault(name)
        return tuple(names)

    def flag(self, key: str) -> bool | None:
        value = self.get(key)
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "yes", "false", "no"):
            self.warn(key, f"{value!r} is text; write {key}: {value.strip().lower()} "
                           "without quotes")
            return value.strip().lower() in ("true", "yes")
        self.error(key, f"must be true or false, not {show(value)}")
        return None

    def date(self, key: str, config: Config) -> datetime | None:
        try:
            return parse_date(self.get(key), config.zone)
        except DateError as exc:
            self.error(key, str(exc))
            return None
