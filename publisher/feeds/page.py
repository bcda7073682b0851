"""The page a person sees: an HTML page beside each feed (no XSLT, which browsers are
removing), and the CSS the XML feeds link for browsers that show the XML itself.

Post text reaches the page only as text: titles and summaries are escaped by Jinja's
autoescape, and a summary is the plain text of the excerpt, so no markup a post holds
can become an element, an attribute or a script there.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from publisher import shipped
from publisher.config import Config
from publisher.content.text import text_of
from publisher.feeds.spec import FeedSpec, RenderFn, page_file
from publisher.urls import site_url

if TYPE_CHECKING:
    import jinja2

PAGE = "feed/page.html"
STYLESHEET = "feed/feed.css"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def in_words(moment: datetime) -> str:
    """`8 October 2024`, in the post's own time zone; the same in every locale."""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def stylesheet(config: Config) -> bytes:
    return _template_file(config.templates_dir, STYLESHEET)


def template_digest(config: Config) -> str:
    """Changes when the page's template or stylesheet does (a site's own, or ours)."""
    parts = (_template_file(config.templates_dir, name) for name in (PAGE, STYLESHEET))
    return hashlib.sha256(b"\0".join(parts)).hexdigest()


def _template_file(site_templates: Path, name: str) -> bytes:
    own = site_templates.joinpath(*name.split("/"))
    return own.read_bytes() if own.is_file() else shipped.read(name)


@cache
def _environment(site_templates: str) -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(site_templates),
                                    jinja2.FileSystemLoader(str(shipped.folder()))]),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
        lstrip_blocks=True, keep_trailing_newline=True)


def feed_page(spec: FeedSpec, config: Config, render: RenderFn) -> bytes:
    """`feed.html`: how to subscribe to this feed, and its latest entries."""
    name = page_file(spec)
    depth = name.count("/")
    formats = [{"label": label, "url": url} for label, url in
               zip(("Atom", "RSS", "JSON Feed"), spec.urls(config), strict=True)]
    entries = [{"title": post.title, "url": post.url, "iso": post.date.isoformat(),
                "date": in_words(post.date), "summary": text_of(render(post).excerpt_html)}
               for post in spec.posts]
    page = _environment(str(config.templates_dir)).get_template(PAGE).render(
        title=spec.title, description=spec.description, home=spec.home,
        language=config.site.language, formats=formats, entries=entries,
        archive=spec.history.prev[0] if spec.history.prev else "",
        stylesheet="../" * depth + "feed.css",
        url=site_url(config.base_url, name))
    return page.encode("utf-8")
