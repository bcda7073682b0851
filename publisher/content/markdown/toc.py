"""kramdown's table of contents: the list marked `{:toc}` becomes a nested list of the
post's headings, linking to their ids, as Jekyll writes it (`<ul id="markdown-toc">`)."""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_LISTS = ("bullet_list_open", "ordered_list_open")
# kramdown's fix_for_toc_entry: an entry keeps its heading's markup (code, emphasis)
# but not its links (their text stays) nor its footnote marks.
_NOT_IN_ENTRY = re.compile(r'<sup [^>]*role="doc-noteref"[^>]*>.*?</sup>|</?a\b[^>]*>')


def _headings(state: StateCore) -> list[tuple[int, str, str]]:
    found, tokens = [], state.tokens
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and "no_toc" not in str(token.attrGet("class") or ""):
            markup = state.md.renderer.renderInline(tokens[i + 1].children or [],
                                                    state.md.options, state.env)
            found.append((int(token.tag[1]), str(token.attrGet("id") or ""),
                          _NOT_IN_ENTRY.sub("", markup)))
    return found


def _tree(headings: list[tuple[int, str, str]]) -> list[tuple[str, str, list]]:
    """kramdown's nesting: a heading goes under the last one of a lower level."""
    root: list[tuple[str, str, list]] = []
    stack: list[tuple[int, list]] = [(0, root)]
    for level, ident, text in headings:
        while len(stack) > 1 and stack[-1][0] >= level:
            stack.pop()
        children: list = []
        stack[-1][1].append((ident, text, children))
        stack.append((level, children))
    return root


def _nest(items: list[tuple[str, str, list]], tag: str, top: bool = True) -> str:
    """The list; each entry's text is its heading's HTML."""
    opening = f'<{tag} id="markdown-toc">' if top else f"<{tag}>"
    out = [opening, "\n"]
    for ident, text, children in items:
        mark = html.escape(ident, quote=True)
        out.append(f'<li><a href="#{mark}" id="markdown-toc-{mark}">{text}</a>')
        if children:
            out.append("\n" + _nest(children, tag, top=False))
        out.append("</li>\n")
    out.append(f"</{tag}>\n")
    return "".join(out)


def _rule(state: StateCore) -> None:
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type in _LISTS and "toc" in token.meta.get("refs", ()):
            depth, j = 0, i
            while j < len(tokens):
                depth += tokens[j].nesting
                if depth == 0:
                    break
                j += 1
            block = Token("html_block", "", 0)
            block.meta["toc_tag"] = "ol" if token.type == "ordered_list_open" else "ul"
            tokens[i:j + 1] = [block]
    # The headings' ids are known only now: fill every table of contents in.
    headings = None
    for token in tokens:
        if token.type == "html_block" and "toc_tag" in token.meta:
            headings = _headings(state) if headings is None else headings
            token.content = _nest(_tree(headings), token.meta["toc_tag"])


def kramdown_toc(md: MarkdownIt) -> None:
    md.core.ruler.push("kramdown_toc", _rule)
