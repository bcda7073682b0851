"""kramdown's block starts, where they differ from CommonMark's.

- Only `1.`-style ordered lists (`1)` is text), and one may start under a paragraph
  line with any number (`PARAGRAPH_END_GFM` has `LIST_START`; CommonMark needs `1.`).
- A rule (`***`, `___`) does not end a paragraph: the line is its text; an HTML block
  does. A setext heading is a single line over its underline.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock, hr, lheading, list_block

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


def kramdown_blocks(md: MarkdownIt) -> None:
    md.block.ruler.at("list", _list, {"alt": ["paragraph", "reference", "blockquote"]})
    md.block.ruler.at("hr", hr, {"alt": ["reference", "blockquote", "list"]})
    md.block.ruler.at("lheading", _setext)
