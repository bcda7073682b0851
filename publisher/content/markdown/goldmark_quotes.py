"""Goldmark's typographer for quotes (extension/typographer.go), in place of
markdown-it's smartquotes.

markdown-it pairs quotes over the decoded text; Goldmark decides each `"` and `'` on
its own, from the source characters on either side (an entity is its `;`, a tag its
`>`), CommonMark's flanking rules and a count of quotes still open in the block. So in
`"&lt;b&gt;x&lt;/b&gt;"<br />` the second quote, between `;` and `<`, stays straight
on the site, where markdown-it curls it.
"""

from __future__ import annotations

import unicodedata

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

LEFT_DOUBLE, RIGHT_DOUBLE = "\u201c", "\u201d"
LEFT_SINGLE, RIGHT_SINGLE = "\u2018", "\u2019"
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


_ASCII_SPACE = frozenset(" \t\n\r\f\v")


def _space(c: str) -> bool:
    return c.isspace()


def _punct(c: str) -> bool:
    """util.IsPunctRune: ASCII punctuation or a Unicode punctuation mark."""
    return c in _ASCII_PUNCT or _unicode_punct(c)


def _unicode_punct(c: str) -> bool:
    """Go's unicode.IsPunct: category P only (`<`, `$` are symbols)."""
    return bool(c) and unicodedata.category(c).startswith("P")


def _byte_punct_or_space(c: str) -> bool:
    """util.IsPunct / util.IsSpace on one byte: ASCII only."""
    return c in _ASCII_PUNCT or c in _ASCII_SPACE


def _at(line: str, i: int) -> str:
    return line[i] if i < len(line) else ""


def _single(line: str, before: str, can_open: bool, can_close: bool,
            counts: dict[str, int]) -> str | None:
    after1, after2, after3 = _at(line, 1), _at(line, 2), _at(line, 3)
    if (can_open and not can_close and len(line) > 3 and after1.isdigit()
            and after2.isdigit() and after3 == "s"):
        after = _at(line, 4) or " "
        if _space(after) or _punct(after):
            return RIGHT_SINGLE  # '90s
    if after1 and (_unicode_punct(before) or _space(before)) and after1 in "tenl":
        return RIGHT_SINGLE  # 'twas, 'em, 'net
    if after1 and (before.isdigit() or before.isalpha()) and after1.isalpha():
        return RIGHT_SINGLE  # an apostrophe between letters
    if can_open and not can_close:
        if after1 in ("s", "m", "t", "d") and after1 and (
                not after2 or _byte_punct_or_space(after2)):
            return RIGHT_SINGLE  # Alice's, I'm
        if line[1:3] in ("ve", "ll", "re") and (not after3 or _byte_punct_or_space(after3)):
            return RIGHT_SINGLE  # I've, I'll
        counts["'"] += 1
        return LEFT_SINGLE
    if len(line) > 2 and not after1.isdigit():
        return RIGHT_SINGLE  # Smiths', doin' (Go's precedence makes this any quote)
    return _close(line, "'", RIGHT_SINGLE, can_open, can_close, counts)


def _close(line: str, quote: str, closing: str, can_open: bool, can_close: bool,
           counts: dict[str, int]) -> str | None:
    if counts[quote] <= 0:
        return None
    after1, after2 = _at(line, 1), _at(line, 2)
    maybe = (can_close and can_open and _unicode_punct(after1)
             and (len(line) == 2 or _byte_punct_or_space(after2)))
    if not (can_close and not can_open) and not maybe:
        return None
    counts[quote] -= 1
    return closing


def _quote(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    quote = src[pos]
    if quote not in "\"'" or silent:
        return False
    end = src.find("\n", pos, state.posMax)
    line = src[pos:state.posMax if end < 0 else end + 1]
    before = src[pos - 1] if pos > 0 else "\n"
    after = _at(line, 1) or " "
    can_open = not _space(after) and (not _punct(after) or _space(before) or _punct(before))
    can_close = not _space(before) and (not _punct(before) or _space(after) or _punct(after))
    found = None
    if can_open or can_close:
        # Quotes still open in this block (Goldmark resets the count per block).
        counts = state.__dict__.setdefault("goldmark_open_quotes", {"'": 0, '"': 0})
        if quote == "'":
            found = _single(line, before, can_open, can_close, counts)
        elif can_open and not can_close:
            counts['"'] += 1
            found = LEFT_DOUBLE
        elif not (after == '"' and before.isdigit()):  # "Monitor 21"" stays
            found = _close(line, '"', RIGHT_DOUBLE, can_open, can_close, counts)
    state.pending += found or quote
    state.pos += 1
    return True


def goldmark_quotes(md: MarkdownIt) -> None:
    md.disable("smartquotes")
    md.inline.add_terminator_char('"')
    md.inline.add_terminator_char("'")
    md.inline.ruler.before("text", "goldmark_quotes", _quote)
