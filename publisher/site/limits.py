"""What front matter may hold beyond being valid YAML, TOML or JSON.

Parsers accept things that fail later, far from the file: a number of more than 4,300
digits (Python refuses to convert it), nesting deeper than the recursion limit, a
lone surrogate (`"\\ud800"` in JSON) that no text encoding can write. Each is found
here, right after parsing, and named with its file, line and field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from publisher.problems import Problem, error

MAX_DEPTH = 64  # real front matter nests a few levels; a deeper one is a mistake or an attack
_LONG_NUMBER = re.compile(r"[-+]?\d[\d_]{4299,}")
_SURROGATE = re.compile("[\ud800-\udfff]")
_KEY = re.compile(r"""^\s*["']?([^\s"'=:]+)["']?\s*[:=]""")


def _key_on(line: str) -> str:
    found = _KEY.match(line)
    return found.group(1) if found else "front matter"


def number_problem(text: str, path: str, offset: int, kind: str) -> Problem | None:
    """The line and key of a number too long to convert, if `text` has one."""
    found = _LONG_NUMBER.search(text)
    if found is None:
        return None
    start = text.rfind("\n", 0, found.start()) + 1
    line = text[start:text.find("\n", found.start()) if "\n" in text[found.start():] else None]
    return error(path, text.count("\n", 0, found.start()) + offset, _key_on(line),
                 f"a number of {len(found.group().lstrip('+-').replace('_', '')):,} digits "
                 f"({kind} numbers may have up to 4,300); put it in quotes to keep it as text")


def nesting_problem(path: str, line: int, kind: str) -> Problem:
    return error(path, line, "front matter", f"{kind} nested too deeply to read; front "
                 f"matter holds values, lists and tables a few levels deep")


def value_problems(fields: Mapping[Any, Any], lines: Mapping[str, int], path: str,
                   first_line: int) -> list[Problem]:
    """Nesting deeper than MAX_DEPTH and lone surrogates, one problem per top-level key.

    A loop with its own stack, not recursion: the depth it checks is the one that would
    make a recursive walk fail.
    """
    problems: list[Problem] = []
    for key, value in fields.items():
        name = str(key) if not _SURROGATE.search(str(key)) else "front matter"
        where = lines.get(str(key), first_line)
        stack: list[tuple[Any, int]] = [(key, 1), (value, 1)]
        while stack:
            item, depth = stack.pop()
            if depth > MAX_DEPTH:
                problems.append(error(path, where, name, f"nested more than {MAX_DEPTH} "
                                      "levels deep; front matter holds values, lists and "
                                      "tables a few levels deep"))
                break
            if isinstance(item, str):
                bad = _SURROGATE.search(item)
                if bad:
                    problems.append(error(path, where, name, f"holds \\u{ord(bad.group()):04x}, "
                                          "half of a surrogate pair and not a character "
                                          "(an escape in JSON?); remove it"))
                    break
            elif isinstance(item, Mapping):
                stack.extend((part, depth + 1) for pair in item.items() for part in pair)
            elif isinstance(item, (list, tuple, set, frozenset)):
                stack.extend((part, depth + 1) for part in item)
    return problems
