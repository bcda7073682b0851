"""A TOML table checked against a frozen dataclass: every problem at once, with its line.

The dataclass is the schema: a field's type says what a value must be, its `key()`
metadata the sentence the README shows, the allowed values and the name in the file.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import MISSING, field, fields, is_dataclass
from typing import Any

from publisher.problems import Problem, error


def key(default: Any, doc: str, *, choices: tuple[str, ...] = (), name: str = "") -> Any:
    """A config key with its default, the sentence the README shows, and its allowed values.

    `name` is the key in the file when it cannot be a Python name (`from`).
    """
    if isinstance(default, (list, dict)):
        raise TypeError("use tuples for defaults")
    return field(default=default, metadata={"doc": doc, "choices": choices, "name": name})


def toml_name(f: Any) -> str:
    return f.metadata.get("name") or f.name


def line_of(text: str, name: str) -> int | None:
    match = re.search(rf"^\s*(?:{re.escape(name)}\s*=|\[{re.escape(name)}[\].])", text,
                      re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _type_name(tp: Any) -> str:
    return {str: "a string", int: "a whole number", bool: "true or false"}.get(tp, str(tp))


def _check(value: Any, tp: Any, f: Any, where: str, line: int | None, source: str,
           problems: list[Problem]) -> bool:
    """Is `value` of type `tp` (or None for an optional) and one of the field's choices?"""
    options = [t for t in typing.get_args(tp) if t is not type(None)] if \
        isinstance(tp, types.UnionType) else [tp]
    if not any(type(value) is t for t in options):  # bool is an int subclass: exact match
        problems.append(error(source, line, where,
                              f"must be {_type_name(options[0])}, not {value!r}"))
        return False
    choices = f.metadata.get("choices")
    if choices and value not in choices:
        shown = ", ".join(repr(c) for c in choices if c)
        problems.append(error(source, line, where, f"must be one of {shown}, not {value!r}"))
        return False
    return True


def check_table(cls: type, table: dict[str, Any], prefix: str, source: str, text: str,
           problems: list[Problem]) -> Any:
    """Check `table` against dataclass `cls`, collecting problems; return an instance."""
    hints = typing.get_type_hints(cls)
    known = {toml_name(f): f for f in fields(cls) if not f.metadata.get("internal")}
    values: dict[str, Any] = {}
    for name, value in table.items():
        where = f"{prefix}{name}"
        line = line_of(text, name)
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else \
                f"known keys here: {', '.join(sorted(known))}"
            problems.append(error(source, line, where, f"unknown key; {hint}"))
            continue
        f = known[name]
        tp = hints[f.name]
        if is_dataclass(tp) or typing.get_origin(tp) is dict:
            if not isinstance(value, dict):
                problems.append(error(source, line, where,
                                      f"must be a table: write [{where}] on its own line"))
                continue
            if is_dataclass(tp):
                values[f.name] = check_table(tp, value, f"{where}.", source, text, problems)
                continue
            item_type = typing.get_args(tp)[1]  # [series."Name"] tables
            items = {}
            for item_name, item in value.items():
                item_where = f'{where}."{item_name}"'
                if not isinstance(item, dict):
                    problems.append(error(source, line, item_where, "must be a table: write "
                                          f"[{item_where}] on its own line"))
                    continue
                items[item_name] = check_table(item_type, item, f"{item_where}.", source,
                                               text, problems)
            values[f.name] = items
        elif _check(value, tp, f, where, line, source, problems):
            values[f.name] = value
    for name, f in known.items():
        if f.name not in values and f.default is MISSING and f.default_factory is MISSING:
            problems.append(error(source, None, f"{prefix}{name}", "required"))
    return cls(**values)
