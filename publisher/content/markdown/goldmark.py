"""Hugo's Markdown: Goldmark with Hugo's default extensions (CommonMark, GFM tables,
strike-through, linkify and task lists, footnotes, definition lists, typographer,
heading ids and `{#id .class}` heading attributes), built on markdown-it-py.

Hugo leaves raw HTML out unless the site sets `markup.goldmark.renderer.unsafe`
(`markdown.raw_html` in publisher.toml, which `init --from-hugo` writes)."""

from __future__ import annotations

from markdown_it import MarkdownIt
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from publisher.content.markdown.footnotes import footnotes
from publisher.content.markdown.headings import goldmark_id, heading_attributes, heading_ids
from publisher.content.markdown.math import passthrough_math
from publisher.content.markdown.typography import kramdown_typography

OMITTED = "<!-- raw HTML omitted -->"


def build(raw_html: bool, math: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "typographer": True, "linkify": True})
    md.enable(["table", "strikethrough", "smartquotes", "linkify"])
    if math:
        passthrough_math(md)
    footnotes(md, "goldmark")
    md.use(deflist_plugin)
    md.use(tasklists_plugin)
    kramdown_typography(md)  # Goldmark's typographer has kramdown's set of symbols
    heading_attributes(md)
    heading_ids(md, goldmark_id, empty="heading")
    if not raw_html:
        md.add_render_rule("html_block", lambda *a: OMITTED + "\n")
        md.add_render_rule("html_inline", lambda *a: OMITTED)
    return md
