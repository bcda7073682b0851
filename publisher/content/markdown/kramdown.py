"""Jekyll's Markdown: kramdown with its GFM parser (`input: GFM`, Jekyll's default),
built on markdown-it-py (CommonMark) plus kramdown's extras as rules of our own.

Measured against kramdown 2.4 on the Jekyll corpora (benchmarks/PARITY.md): CommonMark
block rules already read lists under a paragraph line, fenced code in list items and
2-space nested lists as kramdown's GFM parser does; what CommonMark lacks is here.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from publisher.content.markdown.abbreviations import kramdown_abbreviations, take_definitions
from publisher.content.markdown.attributes import kramdown_attributes
from publisher.content.markdown.blocks import kramdown_blocks
from publisher.content.markdown.codespans import kramdown_codespans
from publisher.content.markdown.emphasis import kramdown_emphasis
from publisher.content.markdown.footnotes import footnotes
from publisher.content.markdown.headings import gfm_id, heading_attributes, heading_ids
from publisher.content.markdown.html_blocks import kramdown_html
from publisher.content.markdown.html_spans import kramdown_html_spans
from publisher.content.markdown.links import kramdown_links
from publisher.content.markdown.math import kramdown_math
from publisher.content.markdown.protect import outside_fences
from publisher.content.markdown.tables import kramdown_tables
from publisher.content.markdown.toc import kramdown_toc
from publisher.content.markdown.typography import kramdown_typography

# kramdown extensions: {::comment}…{:/comment} is dropped, {::options … /} sets parser
# options (none we honour), {::nomarkdown}…{:/nomarkdown} keeps its content.
EXTENSION = re.compile(r"\{::(?!toc\})\w+[^}\n]{0,500}\}|\{:/\w*\}")
_TOC_EXTENSION = re.compile(r"^[ \t]*\{::toc\}[ \t]*$", re.MULTILINE)
# kramdown reads a link whose address goes on over line breaks; a browser drops the
# break from the address (the URL standard strips newlines), CommonMark keeps the text.
_BROKEN_ADDRESS = re.compile(r"\]\([^\s()<>]*(?:\n[ \t]*[^\s()<>]*)+\)")


def build(site_math: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "typographer": True})
    md.enable(["table", "strikethrough", "smartquotes"])
    kramdown_html(md)
    kramdown_links(md)
    kramdown_html_spans(md)
    kramdown_blocks(md)
    kramdown_tables(md)
    kramdown_emphasis(md)
    kramdown_codespans(md)
    kramdown_math(md, site_math)
    footnotes(md, "kramdown")
    md.use(deflist_plugin)
    md.use(tasklists_plugin)
    kramdown_attributes(md)
    kramdown_typography(md)
    heading_attributes(md, id_only=True)
    heading_ids(md, gfm_id)
    kramdown_toc(md)
    kramdown_abbreviations(md)
    # kramdown writes GFM's strike-through as <del>, as GitHub does.
    md.add_render_rule("s_open", lambda *a: "<del>")
    md.add_render_rule("s_close", lambda *a: "</del>")
    return md


def without_comments(text: str) -> str:
    """`{::comment}…{:/comment}` (or `{:/}`) taken out, scanning once."""
    out, pos = [], 0
    while (start := text.find("{::comment}", pos)) >= 0:
        close = text.find("{:/", start)
        end = text.find("}", close) if close >= 0 else -1
        if end < 0:
            break  # no end: kramdown shows it as text, so do we
        out.append(text[pos:start])
        pos = end + 1
    out.append(text[pos:])
    return "".join(out)


def _prepare_part(text: str, abbreviations: dict[str, str]) -> str:
    if "{::" in text:
        text = EXTENSION.sub("", _TOC_EXTENSION.sub("* TOC\n{:toc}", without_comments(text)))
    if "](" in text:
        text = _BROKEN_ADDRESS.sub(lambda m: re.sub(r"\n[ \t]*", "", m.group(0)), text)
    text, found = take_definitions(text)
    abbreviations.update(found)
    return text


def prepare(text: str) -> tuple[str, dict]:
    """The text markdown-it reads, and the env its kramdown rules need; fenced code is
    left exactly as written."""
    abbreviations: dict[str, str] = {}
    parts = [part if code else _prepare_part(part, abbreviations)
             for code, part in outside_fences(text)]
    return "".join(parts), {"abbreviations": abbreviations}
