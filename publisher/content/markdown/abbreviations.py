"""kramdown's abbreviations: `*[HTML]: Hyper Text Markup Language` lines are taken out
and every HTML in the post's text becomes `<abbr title="…">HTML</abbr>`."""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_DEFINITION = re.compile(r"^ {0,3}\*\[([^\]\n]+)\]:(.*)$", re.MULTILINE)


def take_definitions(text: str) -> tuple[str, dict[str, str]]:
    """The text without its abbreviation lines, and the abbreviations they define."""
    if "*[" not in text:
        return text, {}
    found = {m.group(1).strip(): m.group(2).strip() for m in _DEFINITION.finditer(text)}
    return _DEFINITION.sub("", text), found


def _split(token: Token, pattern: re.Pattern[str], titles: dict[str, str]) -> list[Token]:
    parts: list[Token] = []
    pos = 0
    for m in pattern.finditer(token.content):
        if m.start() > pos:
            parts.append(_text(token.content[pos:m.start()]))
        title = titles[m.group(0)]
        tag = Token("html_inline", "", 0)
        attr = f' title="{html.escape(title, quote=True)}"' if title else ""
        tag.content = f"<abbr{attr}>{html.escape(m.group(0))}</abbr>"
        parts.append(tag)
        pos = m.end()
    if pos < len(token.content):
        parts.append(_text(token.content[pos:]))
    return parts


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _rule(state: StateCore) -> None:
    titles = state.env.get("abbreviations")
    if not titles:
        return
    names = sorted(titles, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)")
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        children: list[Token] = []
        in_link = 0
        for child in token.children:
            in_link += child.type == "link_open"
            in_link -= child.type == "link_close"
            if child.type == "text" and not in_link and pattern.search(child.content):
                children.extend(_split(child, pattern, titles))
            else:
                children.append(child)
        token.children = children


def kramdown_abbreviations(md: MarkdownIt) -> None:
    """Needs env["abbreviations"] from take_definitions."""
    md.core.ruler.push("kramdown_abbreviations", _rule)
