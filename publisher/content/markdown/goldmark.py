"""Hugo's Markdown: Goldmark with Hugo's default extensions (CommonMark, GFM tables,
strike-through, linkify and task lists, footnotes, definition lists, typographer,
heading ids and `{#id .class}` heading attributes), built on markdown-it-py.

Hugo leaves raw HTML out unless the site sets `markup.goldmark.renderer.unsafe`
(`markdown.raw_html` in publisher.toml, which `init --from-hugo` writes)."""

from __future__ import annotations

import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from publisher.content.markdown.footnotes import footnotes
from publisher.content.markdown.goldmark_quotes import goldmark_quotes
from publisher.content.markdown.headings import goldmark_id, heading_attributes, heading_ids
from publisher.content.markdown.math import passthrough_math
from publisher.content.markdown.typography import kramdown_typography

OMITTED = "<!-- raw HTML omitted -->"
# Goldmark's linkify (GFM's autolink literals): a scheme or `www.`, or an email address;
# never a bare `github.com/x` or `errors.Is`, which linkify-it's fuzzy links would take.
_GOLDMARK_LINK = re.compile(r"(?:https?://|ftp://|www\.)|[^\s@]+@", re.IGNORECASE)


class _GoldmarkLinks:
    """linkify-it, keeping only the links Goldmark's linkify makes."""

    def __init__(self, linkify: Any) -> None:
        self._linkify = linkify

    def __getattr__(self, name: str) -> Any:
        return getattr(self._linkify, name)

    def match(self, text: str) -> list[Any] | None:
        found = [m for m in self._linkify.match(text) or [] if _GOLDMARK_LINK.match(m.raw)]
        for m in found:
            if m.raw.lower().startswith("www."):
                m.url = "https://" + m.raw  # Hugo's markup.goldmark.extensions.linkifyProtocol
        return found or None

    def pretest(self, text: str) -> bool:
        # Goldmark links only these, and linkify-it's own pretest is a slow regex.
        return ("://" in text or "@" in text or "www." in text.lower()) \
            and bool(self._linkify.pretest(text))

    def test(self, text: str) -> bool:
        # linkify-it's own test is cheap; the filtering match only where it found a link.
        return bool(self._linkify.test(text)) and bool(self.match(text))


def _omit_html(state: StateCore) -> None:
    """Hugo without `unsafe`: raw HTML is left out, and what it wrapped is plain text
    (Goldmark still links a URL between an omitted <a> and </a>)."""
    for token in state.tokens:
        if token.type == "html_block":
            token.type = "html_omitted_block"
        for child in token.children or ():
            if child.type == "html_inline":
                child.type = "html_omitted"


def build(raw_html: bool, math: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "typographer": True, "linkify": True})
    md.enable(["table", "strikethrough", "smartquotes", "linkify"])
    passthrough_math(md, math)
    footnotes(md, "goldmark")
    md.use(deflist_plugin)
    md.use(tasklists_plugin)
    kramdown_typography(md)  # Goldmark's typographer has kramdown's set of symbols
    goldmark_quotes(md)
    heading_attributes(md)
    heading_ids(md, goldmark_id, empty="heading")
    md.linkify = _GoldmarkLinks(md.linkify)
    md.add_render_rule("s_open", lambda *a: "<del>")  # Goldmark's strike-through
    md.add_render_rule("s_close", lambda *a: "</del>")
    if not raw_html:
        md.core.ruler.before("linkify", "omit_html", _omit_html)
        md.add_render_rule("html_omitted_block", lambda *a: OMITTED + "\n")
        md.add_render_rule("html_omitted", lambda *a: OMITTED)
    return md
