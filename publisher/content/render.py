"""A post's Markdown -> HTML that reads the same anywhere: feeds and emails.

Body templates run first (liquid.py), then Markdown in the generator's flavour
(markdown/); ids get the post's prefix (ids.py) and every relative URL becomes
absolute against the post's own URL.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from publisher.config import Config
from publisher.content.ids import id_prefix, unique_ids
from publisher.content.intrasite import intrasite_links, resolve_intrasite
from publisher.content.liquid import LiquidContext, LiquidResult, convert, liquid_engine
from publisher.content.markdown import Engine
from publisher.content.shortcodes import expand, site_for
from publisher.dialects import dialect_for
from publisher.problems import Problem, warning
from publisher.site.post import Post, clean_text
from publisher.urls import absolute

# For the python-markdown flavour only (the others read kramdown's syntax themselves):
# kramdown's table of contents marker: "* TOC" (or any list item) followed by {:toc}.
_KRAMDOWN_TOC = re.compile(r"^[*+-][ \t]+[^\n]*\n\{:\s*toc\s*\}[ \t]*$", re.MULTILINE)
# A kramdown attribute list after a blank line belongs to no block Python-Markdown knows;
# one right under a paragraph is kept: attr_list applies it to that paragraph.
_KRAMDOWN_LINE = re.compile(r"(^|\n[ \t]*\n)[ \t]*\{:[^}\n]*\}[ \t]*(?=\n|$)")
_KRAMDOWN_LEFTOVER = re.compile(r"\{:[^}\n]*\}")
_CODE_OPEN = re.compile(r"<(pre|code)\b", re.IGNORECASE)
_TAG = re.compile(r"<[A-Za-z][^<>]*>")
_URL_ATTR = re.compile(
    r"""(?P<name>\s(?:href|src|poster|srcset))(?P<eq>\s*=\s*)"""
    r"""(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<uq>[^\s"'=<>`]+))""", re.IGNORECASE)
# Python-Markdown renders about half a megabyte a second; a post larger than this
# reaches feeds and emails as its excerpt and a link, so one huge post cannot stall
# every build (and no reader wants megabytes in an entry).
LARGE_BODY = 1_000_000
# Front matter that turns MathJax/KaTeX on for a post (minimal-mistakes' `mathjax`,
# Hugo themes' `math`, `katex`): its `$…$` and `\[…\]` are then math.
MATH_FIELDS = ("math", "mathjax", "katex")


def _head(text: str, limit: int = 20_000) -> str:
    """The start of `text`, cut at a blank line: enough to find a first paragraph."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n\n", 0, limit)
    return text[:cut if cut > 0 else limit]


@dataclass(frozen=True)
class Rendered:
    """A post's HTML and its excerpt's HTML, both with absolute URLs."""

    html: str
    excerpt_html: str
    caption_html: str = ""  # the header image's caption


def _unchanged(markup: str) -> str:
    return markup


def _absolute_urls(markup: str, base: str, local: str = "\0") -> str:
    """Make every href/src/srcset/poster in every tag absolute against `base`, but for
    links to this post's own ids (`#` + `local` prefix), which stay in the document."""

    def fix_attr(m: re.Match[str]) -> str:
        raw = next(v for v in (m.group("dq"), m.group("sq"), m.group("uq")) if v is not None)
        value = html.unescape(raw)
        if value.startswith("#" + local):
            return m.group(0)
        if m.group("name").strip().lower() == "srcset":
            candidates = []
            for candidate in value.split(","):
                words = candidate.split()
                if words:
                    candidates.append(" ".join([absolute(words[0], base), *words[1:]]))
            value = ", ".join(candidates)
        else:
            value = absolute(value, base)
        return f'{m.group("name")}{m.group("eq")}"{html.escape(value, quote=True)}"'

    return _TAG.sub(lambda tag: _URL_ATTR.sub(fix_attr, tag.group(0)), markup)


def _outside_code(markup: str, fix: Callable[[str], str]) -> str:
    """`fix` applied to the markup outside <pre> and <code> elements; each is found with
    one scan forward (a regex with `.*?` would rescan the rest for every unclosed tag)."""
    parts: list[str] = []
    pos = 0
    lower = markup.lower()
    while (m := _CODE_OPEN.search(markup, pos)) is not None:
        close = lower.find(f"</{m.group(1).lower()}>", m.end())
        if close < 0:
            break
        close += len(m.group(1)) + 3
        parts.append(fix(markup[pos:m.start()]))
        parts.append(markup[m.start():close])
        pos = close
    parts.append(fix(markup[pos:]))
    return "".join(parts)


def _first_paragraph(markup: str) -> str:
    """The inner HTML of the first <p> that has words, found with one scan forward."""
    pos = 0
    while (start := markup.find("<p>", pos)) >= 0:
        end = markup.find("</p>", start + 3)
        if end < 0:
            return ""
        inner = markup[start + 3:end]
        if re.sub(r"<[^>]+>", "", inner).strip():
            return inner.strip()
        pos = end + 4
    return ""


class Renderer:
    """Renders posts of one site; reuses one Markdown instance (building one is slow)."""

    def __init__(self, config: Config, resolve: Callable[[str], str | None]) -> None:
        self.config = config
        self.resolve = resolve
        self.site = {"url": config.base_url, "baseurl": config.base_path,
                     "title": html.escape(config.site.title),
                     "description": html.escape(config.site.description)}
        self.dialect = dialect_for(config)
        self.engine = Engine(self.dialect.markdown, raw_html=config.site.raw_html,
                             math=config.site.math)
        self.shortcodes = site_for(config)
        # Pelican resolves {filename}, {static}… links in a post's HTML.
        self.intrasite = config.site.generator == "pelican"
        # A Jekyll site's Liquid (python-liquid; None for other sites): `markdownify` is
        # the site's own Markdown.
        self.jekyll_liquid = liquid_engine(config, self.dialect.body_templates,
                                           self.engine.render)

    def liquid(self, post: Post) -> LiquidResult:
        """What the body templates leave (for warnings: `publish check`)."""
        return self.templates(post)[0]

    def templates(self, post: Post) -> tuple[LiquidResult, Callable[[str], str]]:
        """The body with its templates run, and what puts the HTML of its `{{< >}}`
        shortcodes back into the rendered Markdown (kept out of it, as Hugo does: a
        Markdown that drops raw HTML must not drop theirs)."""
        page = dict(post.fields)
        page.update(title=post.title, url=post.url, date=post.date, slug=post.slug)
        kinds, text, held = self.dialect.body_templates, post.body, None
        if "shortcodes" in kinds and ("{{<" in text or "{{%" in text):
            held = expand(text, post.body_line, page, self.config.base_url, self.resolve,
                          self.shortcodes, markdown=self.engine.render, hold=True)
            kinds, text = kinds - {"shortcodes"}, held.text
        context = LiquidContext(self.site, page, self.resolve, self.jekyll_liquid, post)
        result = convert(text, post.body_line, context, kinds)
        if held is None:
            return result, _unchanged
        result.removed[:0] = held.removed
        result.unresolved[:0] = held.unresolved
        return result, held.restore

    def problems(self, post: Post, result: LiquidResult) -> list[Problem]:
        """One warning per kind of construct we removed or could not resolve."""
        found: list[Problem] = []
        by_kind: dict[str, list[int]] = {}
        for line, what in result.removed:
            by_kind.setdefault(what, []).append(line)
        for what, lines in by_kind.items():
            times = f" ({len(lines)} times)" if len(lines) > 1 else ""
            found.append(warning(post.source, lines[0], "body",
                                 f"{what} removed{times}: publisher does not run templates; "
                                 "replace it with Markdown or HTML"))
        for line, what in result.unresolved:
            found.append(warning(post.source, line, "body",
                                 f"{what}: no post by that name; the link points to the "
                                 "home page"))
        for line, message in result.messages:
            found.append(warning(post.source, line, "body", message))
        if self.intrasite:
            for line, link in intrasite_links(post.body, post.body_line):
                if resolve_intrasite(f'<a href="{link}">', post.name, self.config.base_url,
                                     self.resolve)[1]:
                    found.append(warning(post.source, line, "body",
                                         f"{link}: no article in that file; the link is "
                                         "left as written"))
        if len(post.body) > LARGE_BODY:
            found.append(warning(post.source, post.body_line, "body",
                                 f"{len(post.body) / 1e6:.1f} MB of Markdown: feeds and emails "
                                 "carry its excerpt and a link to it, not the whole post"))
        return found

    def markdown(self, text: str, base: str, math: bool = False, prefix: str = "",
                 restore: Callable[[str], str] | None = None, source: str = "") -> str:
        """Markdown -> HTML with absolute URLs, ids that start with `prefix`, no kramdown
        leftovers, XML-safe; `restore` puts held shortcode HTML back."""
        python_markdown = self.dialect.markdown.engine == "python-markdown"
        if python_markdown:
            if "{:" in text:
                # kramdown flavour's own scans: linear on an unclosed {::comment}; imported
                # here, as a site without kramdown syntax never needs markdown-it (80 ms).
                from publisher.content.markdown.kramdown import EXTENSION, without_comments

                text = EXTENSION.sub("", without_comments(text))
            text = _KRAMDOWN_TOC.sub("[TOC]", text)
            text = _KRAMDOWN_LINE.sub(r"\1", text)
        markup = self.engine.render(text, math)
        if restore is not None:
            markup = restore(markup)
        if python_markdown and "{:" in markup:
            markup = _outside_code(markup, lambda part: _KRAMDOWN_LEFTOVER.sub("", part))
        if self.intrasite and source:
            markup = resolve_intrasite(markup, source, self.config.base_url, self.resolve)[0]
        if prefix:
            markup = unique_ids(markup, prefix)
        return clean_text(_absolute_urls(markup, base, prefix or "\0"))

    def inline(self, text: str, base: str) -> str:
        """Markdown of one field (a caption, an excerpt) without the wrapping <p>."""
        markup = self.markdown(text, base).strip()
        if markup.startswith("<p>") and markup.endswith("</p>") and markup.count("<p>") == 1:
            markup = markup[3:-4]
        return markup

    def render(self, post: Post) -> Rendered:
        result, restore = self.templates(post)
        body = result.text
        separator = post.fields.get("excerpt_separator") or self.config.site.excerpt_separator
        large = len(body) > LARGE_BODY
        math = any(post.fields.get(name) is True for name in MATH_FIELDS)
        prefix = id_prefix(post.id, post.slug)
        body_html = "" if large else self.markdown(body, post.url, math, prefix, restore,
                                                   post.name)
        if post.excerpt:
            excerpt = self.inline(post.excerpt, post.url)
        elif isinstance(separator, str) and separator and separator in body:
            excerpt = self.markdown(_head(body.split(separator, 1)[0], LARGE_BODY), post.url,
                                    math, prefix, restore, post.name)
        else:
            first = body_html or self.markdown(_head(body), post.url, math, prefix, restore,
                                               post.name)
            excerpt = _first_paragraph(first)
        if large:
            lead = excerpt if excerpt.startswith("<") else f"<p>{excerpt}</p>"
            body_html = (f'{lead}\n<p><a href="{html.escape(post.url)}">Read the whole post '
                         "on the site</a></p>")
        caption = self.inline(post.image_caption, post.url) if post.image_caption else ""
        return Rendered(body_html, excerpt, caption)
