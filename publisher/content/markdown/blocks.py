"""kramdown's block starts, where they differ from CommonMark's.

- Lists as kramdown reads them (lists.py).
- A link definition's address is the rest of its line; an ATX heading starts the line.
- A backslash escapes only kramdown's characters (`\\&` stays `\\&`).
- Fenced code in a list item keeps any indent past the item's content column.
- A rule (`***`, `___`) does not end a paragraph: the line is its text; an HTML block
  does. A setext heading is a single line over its underline.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.rules_block import StateBlock, fence, heading, hr, lheading
from markdown_it.rules_inline import StateInline

from publisher.content.markdown.lists import ial_ends_item, kramdown_list, lazy_indents


def _setext(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """kramdown's setext heading is one line of text over its `===`/`---` line; longer
    paragraphs keep the line as text."""
    following = start + 1
    if following >= end or state.sCount[following] - state.blkIndent >= 4:
        return False
    underline = state.src[state.bMarks[following] + state.tShift[following]:
                          state.eMarks[following]].rstrip()
    if not underline or underline.strip("=") and underline.strip("-"):
        return False
    return lheading(state, start, end, silent)


def _closed(state: StateBlock, start: int, end: int) -> bool:
    """Whether the fence opened at `start` has its closing fence in its container.
    kramdown's FENCED_CODEBLOCK_MATCH needs one: an unclosed fence is text (CommonMark
    runs it to the container's end). A scan that found none is remembered, so lines
    of unclosed fences cost one scan, not one each."""
    opener = state.src[state.bMarks[start] + state.tShift[start]:state.eMarks[start]]
    char = opener[0]
    length = len(opener) - len(opener.lstrip(char))
    failed = state.env.setdefault("_unclosed_fences", {})
    key = (char, state.blkIndent, end)
    if key in failed and failed[key][0] <= start < failed[key][1] and length >= failed[key][2]:
        return False
    line = start + 1
    while line < end:
        begin = state.bMarks[line] + state.tShift[line]
        if begin < state.eMarks[line] and state.sCount[line] < state.blkIndent:
            break  # the container ends
        text = state.src[begin:state.eMarks[line]].rstrip()
        if (len(text) >= length and not text.strip(char)
                and state.sCount[line] - state.blkIndent < 4):
            return True
        line += 1
    failed[key] = (start, line, length)
    return False


def _fence(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """kramdown's fence: closed in its container, or it is text. A fence indented past
    its list item's content keeps that indent in its lines: kramdown strips the item's
    indent only; CommonMark strips the fence's too."""
    if not fence(state, start, end, True) or not _closed(state, start, end):
        return False
    if silent:
        return True
    fence(state, start, end, False)
    token = state.tokens[-1]
    extra = state.sCount[start] - state.blkIndent
    lazy = lazy_indents(state)
    first, last = start + 1, state.line - 1  # without the closing fence
    if extra > 0 or any(line in lazy for line in range(first, last)):
        token.content = "".join(_code_line(state, line, lazy) for line in range(first, last))
    return True


def _code_line(state: StateBlock, line: int, lazy: dict[int, int]) -> str:
    """A fenced line stripped as kramdown strips it: of its container's indent, and a
    lazy line only of the items' indents it reaches."""
    if line not in lazy:
        return state.getLines(line, line + 1, state.blkIndent, True)
    return " " * lazy[line] + state.src[state.bMarks[line]:state.eMarks[line] + 1].lstrip(" \t")


def _atx_heading(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """kramdown's ATX_HEADER_START is anchored at the line's start: ` ## x` is text;
    a heading with no text (`###` alone) is a paragraph."""
    if state.sCount[start] > state.blkIndent:
        return False
    line = state.src[state.bMarks[start] + state.tShift[start]:state.eMarks[start]]
    if not line.lstrip("#").strip():
        return False
    return heading(state, start, end, silent)


# kramdown-parser-gfm's ESCAPED_CHARS_GFM: a backslash before any other character stays.
_ESCAPABLE = frozenset("\\.*_+`<>()[]{}#!:|\"'$=-~")
_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _escape(state: StateInline, silent: bool) -> bool:
    """`\\&`, `\\/`, `\\%`… keep their backslash in kramdown (CommonMark drops it)."""
    if state.src[state.pos] != "\\" or state.pos + 1 >= state.posMax:
        return False
    char = state.src[state.pos + 1]
    if char not in _PUNCTUATION or char in _ESCAPABLE:
        return False
    if not silent:
        state.pending += "\\" + char
    state.pos += 2
    return True


def kramdown_blocks(md: MarkdownIt) -> None:
    md.block.ruler.at("list", kramdown_list, {"alt": ["paragraph", "reference", "blockquote"]})
    md.block.ruler.at("hr", hr, {"alt": ["reference", "blockquote", "list"]})
    md.block.ruler.at("lheading", _setext)
    md.block.ruler.at("heading", _atx_heading, {"alt": ["paragraph", "reference", "blockquote"]})
    md.inline.ruler.before("escape", "kramdown_escape", _escape)
    md.block.ruler.at("fence", _fence, {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.block.ruler.before("reference", "kramdown_definition", _definition)
    md.block.ruler.before("paragraph", "kramdown_ial_ends_item", ial_ends_item,
                          {"alt": ["paragraph"]})


# kramdown's LINK_DEFINITION_START: the address is the rest of the line (an unbalanced
# `)` and all), no space needed after the colon, an optional title in quotes.
_DEFINITION = re.compile(
    r"""[ ]{0,3}\[([^\n\]^][^\n\]]*)\]:[ \t]*(?:<([^\n>]*)>|(\S+))"""
    r"""(?:[ \t]+(["'])(.+?)\4)?[ \t]*$""")


def _definition(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    line = state.src[state.bMarks[start]:state.eMarks[start]]
    m = _DEFINITION.fullmatch(line)
    if m is None or state.sCount[start] - state.blkIndent >= 4:
        return False
    label = normalizeReference(m.group(1))
    href = state.md.normalizeLink(m.group(2) if m.group(2) is not None else m.group(3))
    if not label or not state.md.validateLink(href):
        return False
    if silent:
        return True
    references = state.env.setdefault("references", {})
    references.setdefault(label, {"title": m.group(5) or "", "href": href,
                                  "map": [start, start + 1]})
    state.line = start + 1
    return True
