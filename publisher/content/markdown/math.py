"""Math that Markdown never touches: TeX reaches MathJax or KaTeX byte for byte.

kramdown's rules, which Jekyll sites are written against: `$$…$$` that starts a block
and ends it is display math, written `\\[…\\]`; `$$…$$` anywhere else is inline math,
written `\\(…\\)` (kramdown's default math engine, MathJax, writes both that way). Where
the site turns math on (`mathjax`, `katex` or `math` in front matter or the site's
config), `$…$` is inline math too, and `\\[…\\]`, `\\(…\\)` are kept as written: without
this rule Markdown eats their backslashes, underscores and braces.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

_CLOSE_DOUBLE = re.compile(r"\$\$")
_DELIMITED = {"\\[": "\\]", "\\(": "\\)"}


def _block_math(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """`$$` at a block's start whose closing `$$` ends the block (blank line or end)."""
    if state.is_code_block(start):
        return False
    begin = state.bMarks[start] + state.tShift[start]
    src = state.src
    if not src.startswith("$$", begin):
        return False
    close = _CLOSE_DOUBLE.search(src, begin + 2)
    if close is None:
        return False
    line_end = src.find("\n", close.end())
    line_end = len(src) if line_end < 0 else line_end
    if src[close.end():line_end].strip():
        return False  # text after the closing $$: inline math in a paragraph
    last = start
    while last < end and state.eMarks[last] < close.end():
        last += 1
    if last + 1 < end and not state.isEmpty(last + 1):
        return False  # the paragraph goes on: kramdown reads inline math
    if silent:
        return True
    token = state.push("math_block", "math", 0)
    token.content = src[begin + 2:close.start()].strip()
    token.meta["raw"] = src[begin:close.end()]  # byte for byte, for passthrough
    token.map = [start, last + 1]
    state.line = last + 1
    return True


def _inline_double(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("$$", state.pos):
        return False
    close = state.src.find("$$", state.pos + 2)
    if close < 0 or close >= state.posMax:
        return False
    if not silent:
        state.push("math_inline", "math", 0).content = state.src[state.pos + 2:close].strip()
    state.pos = close + 2
    return True


def _inline_single(state: StateInline, silent: bool) -> bool:
    """`$…$` kept as written, for sites whose MathJax/KaTeX reads single dollars."""
    src = state.src
    if src[state.pos] != "$" or src.startswith("$$", state.pos):
        return False
    close = src.find("$", state.pos + 1)
    if close < 0 or close >= state.posMax or close == state.pos + 1:
        return False
    if src[state.pos + 1].isspace() or src[close - 1].isspace():
        return False  # "$5 and $6" are prices, not math
    if not silent:
        state.push("math_verbatim", "math", 0).content = src[state.pos:close + 1]
    state.pos = close + 1
    return True


def _delimited(state: StateInline, silent: bool) -> bool:
    """`\\[…\\]` and `\\(…\\)` kept as written."""
    opener = state.src[state.pos:state.pos + 2]
    closer = _DELIMITED.get(opener)
    if closer is None:
        return False
    close = state.src.find(closer, state.pos + 2)
    if close < 0 or close >= state.posMax:
        return False
    if not silent:
        state.push("math_verbatim", "math", 0).content = state.src[state.pos:close + 2]
    state.pos = close + 2
    return True


def _math_rules(md: MarkdownIt, site_math: bool, block: str, inline: str) -> None:
    """The rules, and how blocks and `$$` spans are written (`{}`: the escaped TeX)."""
    md.block.ruler.before("table", "math_block", _block_math)
    md.inline.ruler.before("escape", "math_inline", _inline_double)
    if site_math:
        md.inline.ruler.before("escape", "math_delimited", _delimited)
        md.inline.ruler.after("math_inline", "math_single", _inline_single)
    raw = block == "raw"
    md.add_render_rule("math_block", lambda self, tokens, idx, options, env: (
        f"<p>{escapeHtml(tokens[idx].meta['raw'])}</p>\n" if raw
        else block.format(escapeHtml(tokens[idx].content))))
    md.add_render_rule("math_inline", lambda self, tokens, idx, options, env:
                       inline.format(escapeHtml(tokens[idx].content)))
    md.add_render_rule("math_verbatim", lambda self, tokens, idx, options, env:
                       escapeHtml(tokens[idx].content))


def kramdown_math(md: MarkdownIt, site_math: bool = False) -> None:
    """kramdown's `$$` math, as its MathJax engine writes it; with `site_math`, also
    `$…$`, `\\[…\\]`, `\\(…\\)` verbatim."""
    _math_rules(md, site_math, "\\[{}\\]\n", "\\({}\\)")


def passthrough_math(md: MarkdownIt, site_math: bool = False) -> None:
    """Goldmark's passthrough extension as Hugo documents it for math: `$$…$$` kept as
    written, delimiters and all; with `site_math`, `\\[…\\]`, `\\(…\\)` and `$…$` too."""
    _math_rules(md, site_math, "raw", "$${}$$")
