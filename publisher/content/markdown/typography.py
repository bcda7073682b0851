"""kramdown's typographic symbols, in text only (never in code): `---` em dash,
`--` en dash, `...` ellipsis, `<<`/`>>` guillemets. markdown-it's own `replacements`
does more (`(c)`, `+-`, any run of dots) than kramdown, so Jekyll posts need these."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline

_KRAMDOWN = re.compile(r"---|--|\.\.\.|<< | >>|<<|>>")
_SYMBOLS = {"---": "\u2014", "--": "\u2013", "...": "\u2026", "<< ": "\u00ab\u00a0",
            " >>": "\u00a0\u00bb", "<<": "\u00ab", ">>": "\u00bb"}


def _rule(state: StateCore) -> None:
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        inside_link = 0
        for child in token.children:
            if child.type == "link_open" and child.info == "auto":
                inside_link += 1
            elif child.type == "link_close" and child.info == "auto":
                inside_link -= 1
            elif child.type == "text" and not inside_link:
                child.content = _KRAMDOWN.sub(lambda m: _SYMBOLS[m.group(0)], child.content)


def _guillemets(state: StateInline, silent: bool) -> bool:
    """`<<` is a guillemet before it can open an HTML tag (`<<word>>` is not `<word>`)."""
    if not state.src.startswith("<<", state.pos):
        return False
    if not silent:
        state.pending += "<<"
    state.pos += 2
    return True


def kramdown_typography(md: MarkdownIt) -> None:
    md.disable("replacements")
    md.inline.ruler.before("html_inline", "guillemets", _guillemets)
    md.core.ruler.before("smartquotes", "kramdown_typography", _rule)
