"""Where the shortcodes of a body are: each one's name, form, arguments and extent.

Hugo's lexer rules (0.168): `{{<` or `{{%`, an optional `/` (a closing tag), the name,
then arguments, each positional or `name=value`, bare, "quoted" (`\\"` inside) or
`raw` (may span lines), then `>}}` or `%}}`, `/>}}` for one that closes itself.
`{{</*` ... `*/>}}` is a shortcode written out: it prints as `{{<` ... `>}}`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from publisher.content.shortcode_html import Args

MAX_DEPTH = 32  # shortcodes nested deeper are read as having no inner content
MAX_TAG = 10_000  # characters from `{{<` to `>}}`: further is text, not a shortcode

_CLOSERS = {"<": ">", "%": "%"}
_OPEN = re.compile(r"\{\{([<%])")
_NAME = re.compile(r"[ \t\r\n]*(/)?[ \t\r\n]*([\w.-]+(?:/[\w.-]+)*)")
_ENDS = {d: re.compile(r"\s*(/)?\s*" + re.escape(c) + r"\}\}") for d, c in _CLOSERS.items()}
_ARGS = {d: re.compile(r'\s+(?:(\w[\w-]*)=)?(?:"((?:[^"\\\n]|\\.)*)"|`([^`]*)`'
                       r"|([^\s\"`]+?))(?=\s|/?" + re.escape(c) + r"\}\})")
         for d, c in _CLOSERS.items()}
_COMMENT_ENDS = {d: re.compile(r"\*/" + re.escape(c) + r"\}\}") for d, c in _CLOSERS.items()}
_FENCE_OPEN = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")


@dataclass(frozen=True)
class Tag:
    start: int
    end: int
    name: str = ""
    percent: bool = False  # {{% %}}: its output is Markdown
    closing: bool = False
    self_closing: bool = False
    args: Args = field(default_factory=Args)
    literal: str | None = None  # {{</* x */>}} prints this


@dataclass
class _Reading:
    """What the tags of one body share: a `{{<` among another's arguments reads the same
    arguments from where it starts. Without this, 1,500 of them before an unclosed quote
    read 1,500 argument lists each (4 s per 9 KB)."""

    args: dict[int, re.Match[str] | None] = field(default_factory=dict)  # by position
    dead: dict[int, int] = field(default_factory=dict)  # position -> where reading failed

    def arg(self, text: str, pos: int, delim: str) -> re.Match[str] | None:
        if pos not in self.args:  # unbounded: the same answer for every tag's reach
            self.args[pos] = _ARGS[delim].match(text, pos)
        return self.args[pos]


def _tag_at(text: str, start: int, delim: str, reading: _Reading | None = None
            ) -> Tag | None:
    """The shortcode whose `{{<` or `{{%` is at `start`, or None: text."""
    pos, limit = start + 3, min(len(text), start + MAX_TAG)
    if text.startswith("/*", pos):
        end = _COMMENT_ENDS[delim].search(text, pos + 2, limit)
        if end is None:
            return None
        written = text[pos + 2:end.start()]
        return Tag(start, end.end(), literal=f"{{{{{delim}{written}{_CLOSERS[delim]}}}}}")
    name = _NAME.match(text, pos, limit)
    if name is None:
        return None
    positional: list[str] = []
    named: dict[str, str] = {}
    pos = name.end()
    memo = reading or _Reading()
    walked: list[int] = []
    skipped = False
    while (end := _ENDS[delim].match(text, pos, limit)) is None:
        walked.append(pos)
        if reading is not None and reading.dead.get(pos, pos) != pos:
            pos, skipped = reading.dead[pos], True  # where an earlier tag stopped
            continue
        arg = memo.arg(text, pos, delim)
        if arg is None or arg.end() > limit:
            memo.dead.update(dict.fromkeys(walked, pos))
            return None
        quoted, raw, bare = arg.group(2), arg.group(3), arg.group(4)
        value = quoted.replace('\\"', '"') if quoted is not None else \
            raw if raw is not None else bare
        if arg.group(1):
            named[arg.group(1)] = value
        else:
            positional.append(value)
        pos = arg.end()
    if skipped:  # a shortcode after all: read the arguments it jumped over, once
        return _tag_at(text, start, delim, _Reading(memo.args))
    return Tag(start, end.end(), name.group(2), delim == "%", bool(name.group(1)),
                bool(end.group(1)), Args(tuple(positional), named))


def scan(text: str) -> list[Tag]:
    tags: list[Tag] = []
    pos = 0
    # Where the next `>}}` / `%}}` is: a tag whose closer is past MAX_TAG is text, known
    # without reading its arguments (each unclosed `{{<` read up to 10,000 characters of
    # them: 6,000 unclosed tags took a minute, issue 14).
    closers = {d: text.find(c + "}}") for d, c in _CLOSERS.items()}
    readings = {d: _Reading() for d in _CLOSERS}
    while (m := _OPEN.search(text, pos)) is not None:
        delim = m.group(1)
        if closers[delim] != -1 and closers[delim] < m.start() + 3:
            closers[delim] = text.find(_CLOSERS[delim] + "}}", m.start() + 3)
        if closers[delim] == -1 or closers[delim] + 3 > m.start() + MAX_TAG:
            pos = m.start() + 1
            continue
        tag = _tag_at(text, m.start(), delim, readings[delim])
        if tag is None:
            pos = m.start() + 1
            continue
        tags.append(tag)
        pos = tag.end
    return tags


def code_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of fenced code blocks and code spans: where a shortcode's output is code."""
    spans: list[tuple[int, int]] = []
    pos = 0
    fence: tuple[str, int] | None = None
    for line in text.splitlines(keepends=True):
        stripped = line.rstrip("\n")
        if fence is None:
            opened = _FENCE_OPEN.match(stripped)
            if opened and not (opened.group(2)[0] == "`" and "`" in opened.group(3)):
                fence = (opened.group(2), pos)
            else:
                spans.extend((pos + m.start(), pos + m.end())
                             for m in _CODE_SPAN.finditer(stripped))
        elif stripped.strip().startswith(fence[0]) and not stripped.strip().strip(fence[0][0]):
            spans.append((fence[1], pos + len(line)))
            fence = None
        pos += len(line)
    if fence is not None:
        spans.append((fence[1], len(text)))
    return spans


def pairs(tags: list[Tag], leaves: Callable[[str], bool]) -> dict[int, int]:
    """Index of each opening tag -> index of its closing tag. `leaves(name)`: a shortcode
    that never has inner content (Hugo's `figure`); tags nested deeper than MAX_DEPTH
    are leaves too, and a closing tag with no opening is matched to nothing."""
    found: dict[int, int] = {}
    stack: list[int] = []
    for i, tag in enumerate(tags):
        if tag.literal is not None:
            continue
        if tag.closing:
            for depth in range(len(stack) - 1, -1, -1):
                if tags[stack[depth]].name == tag.name:
                    found[stack[depth]] = i
                    del stack[depth:]
                    break
        elif not tag.self_closing and not leaves(tag.name) and len(stack) < MAX_DEPTH:
            stack.append(i)
    return found
