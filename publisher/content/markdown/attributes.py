"""kramdown's attribute lists (`{: .class #id key="value"}`): applied to the block or
span they belong to, never shown.

A block IAL is a line of its own: directly under a block's last line it belongs to that
block (under a list item, not indented to its content, to the list: it ends the list,
lists.py; indented into the item, to the item's paragraph); after a blank line, to the
block that follows. A span IAL directly follows the span it belongs to (`![img](x){: .left}`).
`{:name: …}` defines an attribute list (dropped); `{:toc}` marks the list that kramdown
replaces with the table of contents (toc.py).
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_IAL = re.compile(r"\{:(?!:)([^{}\n]*)\}")
_IAL_LINE = re.compile(r"^[ \t]*\{:(?!:)([^{}\n]*)\}[ \t]*$", re.MULTILINE)
_PART = re.compile(r"""([.#])([\w:-]+)|([\w:-]+)=(?:"([^"]*)"|'([^']*)'|(\S+))|([\w-]+)""")
# Attributes an IAL may set on our HTML: no event handlers, nothing that loads.
SAFE = frozenset({"id", "class", "title", "lang", "dir", "width", "height", "align", "style",
                  "alt", "target", "rel"})
_SPAN_BEFORE = {"image", "link_close", "em_close", "strong_close", "code_inline", "s_close"}


def parse(ial: str) -> tuple[dict[str, str], set[str]]:
    """An IAL's body -> (attributes, references such as `toc`)."""
    attrs: dict[str, str] = {}
    refs: set[str] = set()
    if re.match(r"\s*[\w-]+:", ial):  # {:name: …} defines a reusable list
        return attrs, {"__definition__"}
    for m in _PART.finditer(ial):
        if m.group(1) == ".":
            attrs["class"] = f"{attrs['class']} {m.group(2)}" if "class" in attrs else m.group(2)
        elif m.group(1) == "#":
            attrs["id"] = m.group(2)
        elif m.group(3):
            value = next(v for v in m.group(4, 5, 6) if v is not None)
            if m.group(3).lower() in SAFE:
                attrs[m.group(3).lower()] = value
        elif m.group(7):
            refs.add(m.group(7))
    return attrs, refs


def apply(token: Token, attrs: dict[str, str]) -> None:
    for name, value in attrs.items():
        if name == "class" and token.attrGet("class"):
            token.attrSet("class", f"{token.attrGet('class')} {value}")
        else:
            token.attrSet(name, value)


def _opening(tokens: list[Token], close: int) -> int:
    """Index of the token that opens the block closed at `close`."""
    depth = 0
    for i in range(close, -1, -1):
        depth += tokens[i].nesting
        if depth == 0:
            return i
    return close


def _span_ials(inline: Token) -> None:
    children = inline.children or []
    for i, child in enumerate(children):
        if child.type != "text" or "{:" not in child.content:
            continue
        m = _IAL.match(child.content)
        if m and i > 0 and children[i - 1].type in _SPAN_BEFORE:
            target = children[i - 1]
            if target.type.endswith("_close"):
                target = children[_opening(children, i - 1)]
            apply(target, parse(m.group(1))[0])
        child.content = _IAL.sub("", child.content)


def _take_ial_lines(inline: Token) -> tuple[list[str], bool]:
    """Remove the lines of this paragraph that are IALs (from its tokens, so nothing is
    parsed twice); return their bodies and whether any other text is left."""
    children = inline.children or []
    lines: list[list[Token]] = [[]]
    for child in children:
        if child.type == "softbreak":
            lines.append([])
        else:
            lines[-1].append(child)
    found: list[str] = []
    kept: list[list[Token]] = []
    for line in lines:
        if line and all(t.type == "text" for t in line):
            m = _IAL_LINE.match("".join(t.content for t in line))
            if m:
                found.append(m.group(1))
                continue
        kept.append(line)
    if found:
        rebuilt: list[Token] = []
        for n, line in enumerate(kept):
            if n:
                rebuilt.append(Token("softbreak", "br", 0))
            rebuilt.extend(line)
        inline.children = rebuilt
        inline.content = "\n".join(line for line in inline.content.split("\n")
                                    if not _IAL_LINE.match(line))
    return found, any(kept)


def _block_ials(state: StateCore) -> None:
    tokens = state.tokens
    i = 0
    pending: dict[str, str] = {}
    while i < len(tokens):
        token = tokens[i]
        if token.type == "inline" and "{:" in token.content:
            found, text_left = _take_ial_lines(token)
            if found:
                attrs: dict[str, str] = {}
                refs: set[str] = set()
                for body in found:
                    more, more_refs = parse(body)
                    attrs.update(more)
                    refs |= more_refs
                if text_left:
                    owner = i - 1  # the paragraph: one under a list ended it
                    apply(tokens[owner], attrs)
                    tokens[owner].meta.setdefault("refs", set()).update(refs)
                else:  # a paragraph of IALs only: it belongs to a neighbour
                    start = i - 1  # paragraph_open, inline, paragraph_close
                    line = (tokens[start].map or [-1])[0]
                    adjacent = start > 0 and _ends_at(tokens, start - 1) == line
                    del tokens[start:i + 2]
                    if "__definition__" not in refs:
                        if adjacent:
                            target = _opening(tokens, start - 1)
                            apply(tokens[target], attrs)
                            tokens[target].meta.setdefault("refs", set()).update(refs)
                        else:
                            pending = attrs
                    i = start
                    continue
        if pending and token.nesting >= 0 and token.type != "inline" and token.level == 0:
            apply(token, pending)
            pending = {}
        i += 1


def _ends_at(tokens: list[Token], close: int) -> int | None:
    opener = tokens[_opening(tokens, close)]
    return opener.map[1] if opener.map else None


def _rule(state: StateCore) -> None:
    _block_ials(state)
    for token in state.tokens:
        if token.type == "inline" and token.children:
            _span_ials(token)


def kramdown_attributes(md: MarkdownIt) -> None:
    md.core.ruler.after("inline", "kramdown_ial", _rule)
