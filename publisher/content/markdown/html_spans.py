"""kramdown's HTML inside a paragraph: an end tag that does not close the innermost
open element is text.

kramdown's span parser reads `<x>` as an element running to its `</x>`; an end tag
with no element open, such as `</br>` written for `<br>`, it writes as the text
`&lt;/br&gt;`, which is what the site shows. CommonMark passes it through raw, and
a browser then reads `</br>` as a line break and drops `</div>`.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from publisher.content.markdown.html_blocks import EMPTY_ELEMENTS
from publisher.content.markdown.html_tags import is_tag

# Elements whose text a browser does not parse: an end tag of one may close a start tag
# an HTML block left open (`<div>…</div><script>` on one line, the script below).
_RAW_TEXT = frozenset({"script", "style", "textarea", "title"})
_END = re.compile(r"</([A-Za-z][\w:.-]*)\s*>")
_START = re.compile(r"<([A-Za-z][\w:.-]*)(?:\s[^>]*)?>", re.DOTALL)


def _stray_end_tags(state: StateCore) -> None:
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        open_tags: list[str] = []
        for token in block.children:
            if token.type != "html_inline":
                continue
            end = _END.fullmatch(token.content)
            if end is not None:
                name = end.group(1).lower()
                if open_tags and open_tags[-1] == name:
                    open_tags.pop()
                elif name not in _RAW_TEXT:  # kramdown closes only the innermost element
                    token.type, token.tag = "text", ""
                continue
            start = _START.fullmatch(token.content)
            if start is not None and not is_tag(token.content):
                token.type, token.tag = "text", ""  # html_tags.py: not a tag to kramdown
            elif start is not None and not token.content.endswith("/>") \
                    and start.group(1).lower() not in EMPTY_ELEMENTS:
                open_tags.append(start.group(1).lower())


def kramdown_html_spans(md: MarkdownIt) -> None:
    md.core.ruler.after("inline", "kramdown_stray_end_tags", _stray_end_tags)
