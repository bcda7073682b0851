"""kramdown's HTML blocks: a block-level tag at the start of a line opens a block that
runs to its matching end tag, blank lines and all, and its content is not Markdown
(unless it says `markdown="1"`).

CommonMark ends an HTML block at the first blank line and reads what follows as
Markdown: a Jupyter export (`<div>`, `<style>`, blank lines, indented CSS) then shows
its CSS as code. kramdown keeps the block whole, so Jekyll sites are written that way.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from publisher.content.markdown.html_tags import as_kramdown_reads

# kramdown's HTML_SPAN_ELEMENTS: a line that starts with one of these is a paragraph.
SPAN_ELEMENTS = frozenset({
    "a", "abbr", "acronym", "b", "big", "bdo", "br", "button", "cite", "code", "del",
    "dfn", "em", "i", "img", "input", "ins", "kbd", "label", "mark", "option", "q", "rb",
    "rbc", "rp", "rt", "rtc", "ruby", "samp", "select", "small", "span", "strong", "sub",
    "sup", "tt", "u", "var",
})
# kramdown's HTML_ELEMENTS_WITHOUT_BODY: the tag is the whole element.
EMPTY_ELEMENTS = frozenset({
    "area", "base", "br", "col", "command", "embed", "hr", "img", "input", "keygen",
    "link", "meta", "param", "source", "track", "wbr",
})
_NAME = r"[A-Za-z][\w:.-]*"
# No `<` in a name or a bare value: `<x\n<y\n…` fails at once instead of backtracking.
_ATTRS = r"""(?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"<]*"|'[^'<]*'|[^\s"'=<>`]+))?)*"""
_OPEN = re.compile(rf"<({_NAME})({_ATTRS})\s*(/?)>")
_COMMENT_END = "-->"
MAX_MARKDOWN_DEPTH = 8  # markdown="1" inside markdown="1"…: deeper ones stay raw HTML
_MARKDOWN_ATTR = re.compile(r"""\s+markdown\s*=\s*(?:"([^"]*)"|'([^']*)'|(\w+))""")


def _tags(name: str) -> re.Pattern[str]:
    # An end tag is `</name>` with nothing but spaces before its `>`: kramdown does not
    # read `</center` (no `>`) as one, and a `>` much later must not close it.
    return re.compile(rf"<(?:(/){re.escape(name)}\s*>|{re.escape(name)}(?=[\s/>])[^>]*?(/?)>)",
                      re.IGNORECASE)


def _matching_end(src: str, name: str, pos: int, limit: int) -> int:
    """Offset just past the end tag that closes an element opened before `pos`, looked
    for up to `limit` (the end of the container the block is in)."""
    depth = 1
    for m in _tags(name).finditer(src, pos, limit):
        if m.group(1):
            depth -= 1
            if depth == 0:
                return m.end()
        elif not m.group(2):
            depth += 1
    return limit  # kramdown auto-closes at the end of the text


def _line_of(state: StateBlock, offset: int, start: int, end: int) -> int:
    line = start
    while line < end and state.eMarks[line] < offset:
        line += 1
    return min(line, end - 1)


def kramdown_html_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.is_code_block(start):
        return False
    begin = state.bMarks[start] + state.tShift[start]
    src = state.src
    if not src.startswith("<", begin):
        return False
    if src.startswith("<!--", begin):
        limit = state.eMarks[end - 1]
        close = src.find(_COMMENT_END, begin + 4, limit)
        stop = limit if close < 0 else close + len(_COMMENT_END)
        markdown = None
    else:
        opened = _OPEN.match(src, begin)
        if opened is None or opened.group(1).lower() in SPAN_ELEMENTS:
            return False
        if silent:  # kramdown's LAZY_END: any block tag but <script> ends a paragraph
            return not src.startswith("<script", begin)
        name = opened.group(1)
        if opened.group(3) or name.lower() in EMPTY_ELEMENTS:
            stop = opened.end()
        else:
            stop = _matching_end(src, name, opened.end(), state.eMarks[end - 1])
        found = _MARKDOWN_ATTR.search(opened.group(2))
        markdown = next((g for g in found.groups() if g is not None), "") if found else None
    if silent:  # kramdown's LAZY_END: any block tag but <script> ends a paragraph
        return not src.startswith("<script", begin)
    last = _line_of(state, stop, start, end)
    state.line = last + 1
    block = src[begin:state.eMarks[last]]
    depth = state.env.get("_markdown_depth", 0)
    if markdown in ("1", "block", "span") and not src.startswith("<!--", begin) \
            and depth < MAX_MARKDOWN_DEPTH:
        state.env["_markdown_depth"] = depth + 1
        try:
            block = _markdown_inside(state.md, block, markdown, state.env)
        finally:
            state.env["_markdown_depth"] = depth
    elif not src.startswith("<!--", begin):
        block = as_kramdown_reads(block)
    token = state.push("html_block", "", 0)
    token.map = [start, state.line]
    token.content = block + "\n"
    return True


def _markdown_inside(md: MarkdownIt, block: str, mode: str, env: dict) -> str:
    """`<div markdown="1">…</div>`: the tags as written, without the attribute, and
    their content rendered as Markdown."""
    opened = _OPEN.match(block)
    assert opened is not None
    name = opened.group(1)
    close = block.lower().rfind(f"</{name.lower()}")
    inner = block[opened.end():close if close > 0 else len(block)]
    tail = block[close:] if close > 0 else ""
    tag = block[:opened.end()]
    tag = _MARKDOWN_ATTR.sub("", tag)
    rendered = md.renderInline(inner.strip(), env) if mode == "span" else md.render(inner, env)
    return f"{tag}\n{rendered}{tail}"


def kramdown_html(md: MarkdownIt) -> None:
    """Replace CommonMark's HTML blocks with kramdown's."""
    md.block.ruler.at("html_block", kramdown_html_block,
                      {"alt": ["paragraph", "reference", "blockquote"]})
