"""`Key: value` metadata lines (Python-Markdown's meta format, which Pelican reads) ->
fields, body and line numbers.

The format, as Python-Markdown's MetaPreprocessor reads it: an optional first line of
`---`; then lines `Key: value` (a key of letters, digits, `_` and `-`, up to three spaces
before it), a line indented four spaces or more continuing the key above; the metadata
ends at a blank line or a line of `---` or `...`, and a line that is none of these ends
it too and is the body's first line. Keys are case-insensitive. What each key's values
mean is the dialect's `meta_value`. Never raises for bad input.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from publisher.problems import Problem, error, warning
from publisher.site.matter import Matter, ReadResult, decode

# markdown.extensions.meta's patterns (BSD licence), matched on lines whose tabs are
# expanded to 4 columns, as Markdown's NormalizeWhitespace leaves them.
META_RE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
META_MORE_RE = re.compile(r"^[ ]{4,}(?P<value>.*)")
BEGIN_RE = re.compile(r"^-{3}(\s.*)?")
END_RE = re.compile(r"^(-{3}|\.{3})(\s.*)?")
_YAML_LOOKING = ('"', "'", "[", "{")

MetaValue = Callable[[str, list[str]], tuple[Any, str]]


def _no_metadata(path: str, number: int, line: str) -> Problem:
    """The first line Pelican would read metadata from is not metadata."""
    why = "a blank line" if not line.strip() else "a line that is not `Key: value`"
    return error(path, number, "metadata", f"{why} where the metadata should start: "
                 "Pelican reads none and skips the file (it has no Title:); start it with "
                 "lines such as `Title: My post` and `Date: 2024-03-02`")


def read_meta(data: bytes, path: str, meta_value: MetaValue) -> ReadResult:
    """Split and read one file's `Key: value` lines; every problem has its line."""
    text, problem = decode(data, path)
    if text is None:
        return ReadResult(None, (problem,) if problem else ())
    if not text.strip():
        return ReadResult(None, (error(path, 1, "file", "is empty; start it with a "
                                       "`Title:` line, or delete the file"),))
    lines = text.replace("\x02", "").replace("\x03", "").split("\n")
    fenced = bool(BEGIN_RE.match(lines[0].expandtabs(4)))
    index = 1 if fenced else 0
    found: dict[str, tuple[str, int, list[str]]] = {}  # key -> (as written, line, values)
    problems: list[Problem] = []
    key = None
    body_index = len(lines)
    while index < len(lines):
        line = lines[index].expandtabs(4)
        if not line.strip() or END_RE.match(line):
            body_index = index + 1
            break
        named = META_RE.match(line)
        more = None if named else META_MORE_RE.match(line)
        if named:
            key = named.group("key").lower().strip()
            entry = found.setdefault(key, (named.group("key").strip(), index + 1, []))
            entry[2].append(named.group("value").strip())
            if fenced and named.group("value").strip().startswith(_YAML_LOOKING):
                problems.append(warning(path, index + 1, entry[0], "between `---` lines "
                                        "Pelican reads `Key: value` text, not YAML: the "
                                        "quotes or brackets are part of the value"))
        elif more and key:
            found[key][2].append(more.group("value").strip())
        elif not found:
            return ReadResult(None, (_no_metadata(path, index + 1, line),))
        else:
            problems.append(warning(path, index + 1, "metadata", "not a `Key: value` line: "
                                    "Pelican's metadata ends here and the body starts with "
                                    "this line; put a blank line before the body, or write "
                                    "the line as `Key: value`"))
            body_index = index
            break
        index += 1
    if not found:
        at = min(body_index, len(lines)) - 1 if body_index else 0
        return ReadResult(None, (_no_metadata(path, at + 1, lines[at]),))
    fields: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    for name, (written, line_number, values) in found.items():
        try:
            value, note = meta_value(name, values)
        except ValueError as exc:
            problems.append(error(path, line_number, written, str(exc)))
            continue
        if note:
            problems.append(warning(path, line_number, written, note))
        if value is not None:
            fields[written] = value
            key_lines[written] = line_number
    body = "\n".join(lines[body_index:]) if body_index < len(lines) else ""
    if any(p.is_error for p in problems):
        return ReadResult(None, tuple(problems))
    return ReadResult(Matter(fields, body, body_index + 1, key_lines, "meta"),
                      tuple(problems))
