"""Math kept out of Python-Markdown's way (the pelican and publisher flavours): its TeX
is set aside before Markdown and put back after, byte for byte, HTML-escaped.

`$$…$$` always; `$…$`, `\\[…\\]` and `\\(…\\)` where the site or the post turns math on.
Code (fenced, indented by a fence's rules, or in backticks) is left alone: a `$` there
is shell, not TeX.
"""

from __future__ import annotations

import html
import re

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_MATH = re.compile(r"\$\$.+?\$\$", re.DOTALL)
_MATH_SINGLE = re.compile(r"\$\$.+?\$\$|\\\[.+?\\\]|\\\(.+?\\\)|\$(?=\S)[^$\n]+(?<=\S)\$",
                          re.DOTALL)
_MARK = "\ue000math{}\ue001"  # private use: Python-Markdown keeps \x02 \x03 for itself
_RESTORE = re.compile("\ue000math(\\d+)\ue001")


def outside_fences(text: str) -> list[tuple[bool, str]]:
    """(is_code, part) for the text split at fenced code blocks."""
    parts: list[tuple[bool, str]] = []
    pos = 0
    while True:
        opened = _FENCE.search(text, pos)
        if opened is None:
            parts.append((False, text[pos:]))
            return parts
        fence = opened.group(1)
        closer = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$",
                            re.MULTILINE)
        line_end = text.find("\n", opened.end())
        closed = closer.search(text, line_end + 1) if line_end >= 0 else None
        stop = closed.end() if closed else len(text)
        parts.append((False, text[pos:opened.start()]))
        parts.append((True, text[opened.start():stop]))
        pos = stop


def set_aside(text: str, single_dollars: bool) -> tuple[str, list[str]]:
    """The text with each math span replaced by a mark, and the spans."""
    if "$" not in text and "\\" not in text:
        return text, []
    pattern = _MATH_SINGLE if single_dollars else _MATH
    kept: list[str] = []

    def mark(m: re.Match[str]) -> str:
        kept.append(m.group(0))
        return _MARK.format(len(kept) - 1)

    out: list[str] = []
    for code, part in outside_fences(text):
        if code:
            out.append(part)
            continue
        pieces, pos = [], 0
        for span in _CODE_SPAN.finditer(part):
            pieces.append(pattern.sub(mark, part[pos:span.start()]))
            pieces.append(span.group(0))
            pos = span.end()
        pieces.append(pattern.sub(mark, part[pos:]))
        out.append("".join(pieces))
    return "".join(out), kept


def put_back(markup: str, kept: list[str]) -> str:
    if not kept:
        return markup
    return _RESTORE.sub(lambda m: html.escape(kept[int(m.group(1))], quote=True), markup)
