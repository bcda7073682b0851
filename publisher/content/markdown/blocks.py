"""kramdown's block starts, where they differ from CommonMark's.

- Only `1.`-style ordered lists (`1)` is text), and one may start under a paragraph
  line with any number (`PARAGRAPH_END_GFM` has `LIST_START`; CommonMark needs `1.`).
- A link definition's address is the rest of its line.
- Fenced code in a list item keeps any indent past the item's content column.
- A rule (`***`, `___`) does not end a paragraph: the line is its text; an HTML block
  does. A setext heading is a single line over its underline.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.rules_block import StateBlock, fence, hr, lheading, list_block

_PAREN_ITEM = re.compile(r"\d{1,9}\)")
_ORDERED_ITEM = re.compile(r"\d{1,9}\.[ \t]+\S")


def _list(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    begin = state.bMarks[start] + state.tShift[start]
    line = state.src[begin:state.eMarks[start]]
    if _PAREN_ITEM.match(line):
        return False
    if (silent and state.parentType == "paragraph" and _ORDERED_ITEM.match(line)
            and state.sCount[start] - state.blkIndent < 4):
        return True  # under a paragraph line: kramdown starts the list at any number
    return list_block(state, start, end, silent)


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


def _fence(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A fence indented past its list item's content keeps that indent in its lines:
    kramdown strips the item's indent only; CommonMark strips the fence's too."""
    if not fence(state, start, end, silent):
        return False
    if silent:
        return True
    token = state.tokens[-1]
    extra = state.sCount[start] - state.blkIndent
    if extra > 0 and token.map:
        first, last = token.map[0] + 1, token.map[1]
        if last > first and state.src[state.bMarks[last - 1] + state.tShift[last - 1]:
                                      state.eMarks[last - 1]].startswith(token.markup):
            last -= 1  # the closing fence
        token.content = state.getLines(first, last, state.blkIndent, True)
    return True


def kramdown_blocks(md: MarkdownIt) -> None:
    md.block.ruler.at("list", _list, {"alt": ["paragraph", "reference", "blockquote"]})
    md.block.ruler.at("hr", hr, {"alt": ["reference", "blockquote", "list"]})
    md.block.ruler.at("lheading", _setext)
    md.block.ruler.at("fence", _fence, {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.block.ruler.before("reference", "kramdown_definition", _definition)


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
