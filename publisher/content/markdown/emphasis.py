"""kramdown's emphasis delimiters: `*` opens before any non-space and closes after any
non-space; `_` does the same but neither opens after a letter nor closes before one.

CommonMark's flanking rules also look at punctuation: `**Gaussian processes (GPs)**는`
(a closing `**` between `)` and a letter) stays literal there, and kramdown, so every
Jekyll site written in Korean or Chinese, makes it bold.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter


def _tokenize(state: StateInline, silent: bool) -> bool:
    start = state.pos
    marker = state.src[start]
    if silent or marker not in ("_", "*"):
        return False
    end = start
    while end < state.posMax and state.src[end] == marker:
        end += 1
    before = state.src[start - 1] if start > 0 else " "
    after = state.src[end] if end < state.posMax else " "
    can_open = not after.isspace()
    can_close = not before.isspace() and start > 0
    if marker == "_":
        can_open = can_open and not before.isalpha()
        can_close = can_close and not after.isalnum()
    for _ in range(end - start):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(Delimiter(marker=ord(marker), length=end - start,
                                          token=len(state.tokens) - 1, end=-1,
                                          open=can_open, close=can_close))
    state.pos = end
    return True


def kramdown_emphasis(md: MarkdownIt) -> None:
    md.inline.ruler.at("emphasis", _tokenize)
