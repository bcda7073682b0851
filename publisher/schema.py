"""A TOML table checked against a frozen dataclass: every problem at once, with its line.

The dataclass is the schema: a field's type says what a value must be, its `key()`
metadata the sentence the README shows, the allowed values and the name in the file.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
import reprlib
import tomllib
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


_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_KEY = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_HEADER = re.compile(rf"^\s*\[\[?\s*({_KEY})\s*\]\]?\s*(?:#.*)?$")
_ASSIGN = re.compile(rf"^\s*({_KEY})\s*=")
_PARTS = re.compile(_KEY_PART)


def quoted(name: str) -> str:
    """A table or key name as TOML writes it quoted: `"C:\\x"` (valid for any name)."""
    return json.dumps(name, ensure_ascii=False)


def key_path(dotted: str) -> tuple[str, ...]:
    """`series."A.B".subject` -> ("series", "A.B", "subject"), quoted parts decoded as
    TOML decodes them."""
    parts = []
    for part in _PARTS.findall(dotted):
        if part[0] in "\"'":
            try:
                part = tomllib.loads(f"k = {part}")["k"]
            except tomllib.TOMLDecodeError:  # not TOML after all: keep the text
                part = part[1:-1]
        parts.append(part)
    return tuple(parts)


@functools.lru_cache(maxsize=8)
def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The line of every table header and key in TOML `text`, by its full path.

    A key is known by its table: `subject` under `[email]` and under `[series."A"]` are
    two keys with two lines. Lines inside multi-line strings are not keys.
    """
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    quote = ""  # the delimiter of a multi-line string we are inside
    for number, line in enumerate(text.splitlines(), 1):
        if quote:
            if line.count(quote) % 2:
                quote = ""
            continue
        header = _HEADER.match(line)
        if header:
            table = key_path(header.group(1))
            for end in range(1, len(table) + 1):  # [series."A"] also opens `series`
                lines.setdefault(table[:end], number)
            continue
        assign = _ASSIGN.match(line)
        if assign:
            path = table + key_path(assign.group(1))
            for end in range(len(table) + 1, len(path) + 1):  # `a.b = 1` also defines `a`
                lines.setdefault(path[:end], number)
            # Only a value that opens with a triple quote and does not close it on this
            # line is a multi-line string ("it's ''' odd" is not).
            rest = line[assign.end():].strip()
            quote = next((q for q in ('"""', "'''") if rest.startswith(q)
                          and q not in rest[3:]), "")
    return lines


def line_of(text: str, where: str) -> int | None:
    """The line of the key or table at dotted path `where` (`feed.limit`), if written."""
    return key_lines(text).get(key_path(where))


_short = reprlib.Repr()
_short.maxstring = _short.maxother = 60


def show(value: Any) -> str:
    """A short repr for messages: never walks a deep or huge value."""
    return _short.repr(value)


_LONG_NUMBER = re.compile(r"[-+]?\d[\d_]{4299,}")
_DEEP = re.compile(r"(?:\[\s*){32,}|(?:\{\s*){32,}")


_YAML_KEY = re.compile(r"""^\s*["']?([^\s"':]+)["']?\s*:""")


def unreadable(text: str, source: str, exc: Exception, kind: str = "toml") -> Problem:
    """The problem with TOML (or YAML) that parses but that Python cannot hold: a number
    of more than 4,300 digits (ValueError) or nesting deeper than the recursion limit."""
    pattern, message = (_DEEP, "nested too deeply to read; write values, lists and "
                        "tables a few levels deep") if isinstance(exc, RecursionError) else \
        (_LONG_NUMBER, "a number of more than 4,300 digits, which Python does not read")
    found = pattern.search(text)
    line = text.count("\n", 0, found.start()) + 1 if found else None
    if kind == "yaml" and line:
        key = _YAML_KEY.match(text.split("\n")[line - 1])
        where = key.group(1) if key else ""
    else:
        where = next((".".join(path) for path, number in key_lines(text).items()
                      if number == line), "") if line else ""
    return error(source, line, where, message)


def _type_name(tp: Any) -> str:
    if typing.get_origin(tp) is tuple:
        return 'a list of strings, like ["a", "b"]'
    return {str: "a string", int: "a whole number", bool: "true or false"}.get(tp, str(tp))


def _is(value: Any, tp: Any) -> bool:
    """Is `value` of type `tp`: exactly (bool is an int subclass), or a list of strings for
    a `tuple[str, ...]` field."""
    if typing.get_origin(tp) is tuple:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return type(value) is tp


def _check(value: Any, tp: Any, f: Any, where: str, line: int | None, source: str,
           problems: list[Problem]) -> bool:
    """Is `value` of type `tp` (or None for an optional) and one of the field's choices?"""
    options = [t for t in typing.get_args(tp) if t is not type(None)] if \
        isinstance(tp, types.UnionType) else [tp]
    if not any(_is(value, t) for t in options):
        problems.append(error(source, line, where,
                              f"must be {_type_name(options[0])}, not {show(value)}"))
        return False
    choices = f.metadata.get("choices")
    if choices and value not in choices:
        shown = ", ".join(repr(c) for c in choices if c)
        problems.append(error(source, line, where, f"must be one of {shown}, not {show(value)}"))
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
        line = line_of(text, where)
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
            item_type = typing.get_args(tp)[1]  # [series."Name"] tables, [permalinks] text
            items = {}
            for item_name, item in value.items():
                item_where = f"{where}.{quoted(item_name)}"
                if item_type is str:
                    if isinstance(item, str):
                        items[item_name] = item
                    else:
                        problems.append(error(source, line_of(text, item_where), item_where,
                                              f"must be a string, not {show(item)}"))
                    continue
                if not isinstance(item, dict):
                    problems.append(error(source, line, item_where, "must be a table: write "
                                          f"[{item_where}] on its own line"))
                    continue
                items[item_name] = check_table(item_type, item, f"{item_where}.", source,
                                               text, problems)
            values[f.name] = items
        elif _check(value, tp, f, where, line, source, problems):
            values[f.name] = tuple(value) if isinstance(value, list) else value
    for name, f in known.items():
        if f.name not in values and f.default is MISSING and f.default_factory is MISSING:
            problems.append(error(source, None, f"{prefix}{name}", "required"))
    return cls(**values)


def schema_keys(schema: type) -> list[tuple[str, Any, str]]:
    """(dotted key, default, doc) for every key of a schema of tables, in order."""
    rows: list[tuple[str, Any, str]] = []
    hints = typing.get_type_hints(schema)
    for table in fields(schema):
        if table.metadata.get("internal"):
            continue
        cls = hints[table.name]
        prefix = table.name
        if typing.get_origin(cls) is dict and typing.get_args(cls)[1] is str:
            rows.append((f'{table.name}."SECTION"', "", table.metadata["doc"]))
            continue
        if typing.get_origin(cls) is dict:
            cls, prefix = typing.get_args(cls)[1], f'{table.name}."NAME"'
        for f in fields(cls):
            rows.append((f"{prefix}.{toml_name(f)}", f.default, f.metadata["doc"]))
    return rows
