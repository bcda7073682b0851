"""Heading ids as the generator makes them, so in-post links and tables of contents
land: kramdown's GFM parser (GitHub's rule) and Goldmark's auto heading ids."""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_NON_WORD = re.compile(r"[^\w\- \t]")


def gfm_id(text: str) -> str:
    """kramdown-parser-gfm's generate_gfm_header_id, before de-duplication."""
    return _NON_WORD.sub("", text.lower()).replace(" ", "-").replace("\t", "-")


def goldmark_id(text: str) -> str:
    """Goldmark's default (GitHub-like) ids, as Hugo's `autoHeadingIDType = "github"`."""
    out = []
    for ch in text.lower():
        if ch.isalnum() or ch in "_-":
            out.append(ch)
        elif ch.isspace():
            out.append("-")
    return "".join(out)


def plain_text(inline: Token) -> str:
    """A heading's text as the reader sees it (code, entities and symbols included)."""
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline", "math_inline", "math_verbatim"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(plain_text(child))
    return "".join(parts)


def heading_ids(md: MarkdownIt, make_id: Callable[[str], str], empty: str = "") -> None:
    """Give every heading without an id one; repeats get -1, -2 as both generators do."""

    def rule(state: StateCore) -> None:
        seen: dict[str, int] = {}
        tokens = state.tokens
        for i, token in enumerate(tokens):
            if token.type != "heading_open":
                continue
            if token.attrGet("id"):
                seen.setdefault(str(token.attrGet("id")), 0)
                continue
            base = make_id(plain_text(tokens[i + 1])) or empty
            if not base:
                continue
            count = seen.get(base, -1) + 1
            seen[base] = count
            token.attrSet("id", f"{base}-{count}" if count else base)

    md.core.ruler.push("heading_ids", rule)


_TRAILING_ATTRS = re.compile(
    r"""[ \t]*\{((?:[ \t]*(?:[.#][\w:-]+|[\w-]+=(?:"[^"]*"|'[^']*'|\S+)))+)[ \t]*\}[ \t]*$""")


_TRAILING_ID = re.compile(r"[ \t]+\{(#[A-Za-z][\w:-]*)\}[ \t]*$")


def heading_attributes(md: MarkdownIt, id_only: bool = False) -> None:
    """Goldmark's `## Title {#id .class}` (Hugo's `parser.attribute.title`, on by default);
    with `id_only`, kramdown's header ids: `## Title {#id}`."""
    from publisher.content.markdown.attributes import apply, parse

    def rule(state: StateCore) -> None:
        tokens = state.tokens
        for i, token in enumerate(tokens):
            if token.type != "heading_open":
                continue
            inline = tokens[i + 1]
            if not inline.content.rstrip().endswith("}"):
                continue
            m = (_TRAILING_ID if id_only else _TRAILING_ATTRS).search(inline.content)
            if not m:
                continue
            last = (inline.children or [None])[-1]
            pattern = _TRAILING_ID if id_only else _TRAILING_ATTRS
            if last is None or last.type != "text" or not pattern.search(last.content):
                continue  # the braces are split over tokens (code, emphasis): keep them
            apply(token, parse(m.group(1))[0])
            last.content = pattern.sub("", last.content)
            inline.content = inline.content[:m.start()]

    md.core.ruler.after("inline", "heading_attributes", rule)
