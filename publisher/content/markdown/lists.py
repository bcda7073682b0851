"""kramdown's lists, where they differ from CommonMark's.

- Only `1.`-style ordered lists (`1)` is text), and one may start under a paragraph
  line with any number (`PARAGRAPH_END_GFM` has `LIST_START`; CommonMark needs `1.`).
- A list item takes every following line that is not blank, not a new item and not
  an HTML tag or IAL line, however little it is indented, when the line before it is
  not blank (kramdown's lazy lines). CommonMark takes such a line only as the
  continuation of a paragraph: a fence, a `#` line or a quote under an item ends the
  list there, and kramdown shows it inside the item. So a fenced block under an item,
  not indented to its content, is the item's (unclosed, it is text and its `#` lines
  headings, as on the site).
"""

from __future__ import annotations

import re

from markdown_it.rules_block import StateBlock, list_block

_PAREN_ITEM = re.compile(r"\d{1,9}\)")
_ORDERED_ITEM = re.compile(r"\d{1,9}\.[ \t]+\S")
# kramdown's LIST_START_UL / LIST_START_OL: the marker, then a space or a tab.
_MARKER = re.compile(r"(?:([*+-])|\d{1,9}(\.))(?=[ \t]|$)([ \t]*)")
# kramdown's lazy_re refuses these: an IAL line, and a block-level HTML tag or end tag
# (paragraph.rb's LAZY_END_HTML_START / STOP: any tag but the span elements).
_NOT_LAZY = re.compile(
    r"\{:|</?(?!(?:a|abbr|acronym|b|big|bdo|br|button|cite|code|del|dfn|em|i|img|input"
    r"|ins|kbd|label|mark|option|q|rb|rbc|rp|rt|rtc|ruby|samp|select|small|span|strong"
    r"|sub|sup|tt|u|var|script)\b)[A-Za-z_:]")
_RULE = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_FENCE = re.compile(r"```|~~~")


def _content_column(indent: int, marker: re.Match[str]) -> int:
    """The column markdown-it gives the item's content (so a lazy line moved there
    joins the item): the marker's end plus 1 to 4 spaces."""
    spaces = len(marker.group(3).expandtabs(4))
    return indent + marker.end(2 if marker.group(2) else 1) + (spaces if 1 <= spaces <= 4 else 1)


def _take_lazy_lines(state: StateBlock, start: int, end: int) -> None:
    """Move each lazy line of the list starting at `start` to its item's content
    column (in `sCount`: the text itself is untouched), so markdown-it gives it to the
    innermost item, as kramdown does. One pass over the list's lines."""
    items: list[tuple[int, str]] = []  # (content column, list kind) of the open items
    blank = fenced = False
    for line in range(start, end):
        if state.isEmpty(line):
            blank = True
            continue
        indent = state.sCount[line]
        if indent < state.blkIndent:
            return  # out of the container the list is in (a list item, a quote)
        text = state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]
        if blank and (_RULE.match(text) or text == "^"):
            return  # kramdown: a rule after a blank line, or an end-of-block mark
        marker = None if fenced else _MARKER.match(text)
        if marker is not None:
            kind = "ul" if marker.group(1) else "ol"
            while items and indent < items[-1][0]:
                if indent < (items[-2][0] if len(items) > 1 else 0):
                    items.pop()  # an item of an outer list
                elif kind == items[-1][1] or blank:
                    items.pop()  # the next item of this list (or, after a blank, a new list)
                    break
                else:  # another kind of list right under an item: kramdown nests it
                    state.sCount[line] = indent = items[-1][0]
                    break
            items.append((_content_column(indent, marker), kind))
        else:
            lazy = not blank and not (indent <= 3 and _NOT_LAZY.match(text))
            if items and indent < items[-1][0] and lazy:
                state.sCount[line] = items[-1][0]
                # kramdown strips a lazy line only of the items it is indented to.
                reached = [column for column, _ in items if column <= indent]
                stripped = reached[-1] if reached else state.blkIndent
                lazy_indents(state).setdefault(line, indent - stripped)
            while items and indent < items[-1][0] and not lazy:
                items.pop()
            if not items:
                return  # the list has ended
        if _FENCE.match(text):
            fenced = not fenced
        blank = False


def lazy_indents(state: StateBlock) -> dict[int, int]:
    """The lazy lines this parse moved, each with the indent kramdown leaves it (a
    fenced block's lines keep it)."""
    found: dict[int, int] = state.__dict__.setdefault("kramdown_lazy_indents", {})
    return found


_IAL_LINE = re.compile(r"\{:(?!:)[^{}\n]*\}[ \t]*$")


def ial_ends_item(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """An IAL line under a list item, not indented to its content, is not the item's
    (kramdown's lazy_re refuses it): it ends the paragraph, so the list ends there
    and the IAL is the list's (`* TOC` over `{:toc}`)."""
    if not silent or state.sCount[start] >= state.blkIndent or state.parentType != "paragraph":
        return False
    begin = state.bMarks[start] + state.tShift[start]
    return bool(_IAL_LINE.match(state.src, begin, state.eMarks[start]))


def kramdown_list(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    begin = state.bMarks[start] + state.tShift[start]
    line = state.src[begin:state.eMarks[start]]
    if _PAREN_ITEM.match(line):
        return False
    if (silent and state.parentType == "paragraph" and _ORDERED_ITEM.match(line)
            and state.sCount[start] - state.blkIndent < 4):
        return True  # under a paragraph line: kramdown starts the list at any number
    if not silent and state.sCount[start] - state.blkIndent < 4 and _MARKER.match(line):
        _take_lazy_lines(state, start, end)
    return list_block(state, start, end, silent)
