"""Posts -> Atom, RSS 2.0 and JSON Feed 1.1 bytes.

Atom and RSS go through feedgen; every date it would stamp with "now" is set from the
posts, so the same posts always give the same bytes. JSON Feed is a plain dict.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterator
from datetime import datetime
from functools import cache
from importlib.metadata import PackageNotFoundError, metadata

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from publisher.config import Config
from publisher.content.render import Rendered
from publisher.feeds.jsonfeed import json_feed
from publisher.feeds.spec import EPOCH, FeedSpec, RenderFn, asset_url, feed_files
from publisher.problems import PublisherError
from publisher.site.post import Post

GENERATOR = "publisher"


@cache
def generator_uri() -> str | None:
    """The project's home page from its package metadata (`[project.urls]`), or None:
    a `<generator uri>` must lead somewhere real, or be left out."""
    try:
        return home_page(metadata("publisher").get_all("Project-URL") or [])
    except PackageNotFoundError:
        return None


def home_page(project_urls: list[str]) -> str | None:
    """The home page among `Project-URL` metadata values ("Homepage, https://…")."""
    found = {label.strip().lower(): link.strip() for label, _, link in
             (url.partition(",") for url in project_urls) if link.strip()}
    return next((found[label] for label in ("homepage", "home", "source", "repository")
                 if label in found), None)


MEDIA_NS = "http://search.yahoo.com/mrss/"


class _MediaExtension(BaseExtension):
    def extend_ns(self) -> dict[str, str]:
        return {"media": MEDIA_NS}


class _HeaderImage(BaseEntryExtension):
    """`<media:content medium="image">` with the caption as `<media:description>`.

    feedgen's own media extension wraps content in `<media:group>` and has no
    description, so the rendered caption would have nowhere to go.
    """

    def __init__(self) -> None:
        self.url = self.caption = ""

    def set(self, url: str, caption: str) -> None:
        self.url, self.caption = url, caption

    def extend_atom(self, entry):  # type: ignore[no-untyped-def]
        if self.url:
            content = xml_elem(f"{{{MEDIA_NS}}}content", entry, url=self.url, medium="image",
                               type=_image_type(self.url))
            if self.caption:
                description = xml_elem(f"{{{MEDIA_NS}}}description", content, type="html")
                description.text = self.caption
        return entry

    extend_rss = extend_atom


def _image_type(url: str) -> str:
    return mimetypes.guess_type(url.split("?", 1)[0])[0] or "image/jpeg"


def _new_feed(spec: FeedSpec, config: Config, file_name: str, fallback: datetime,
              rel_type: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.register_extension("header", _MediaExtension, _HeaderImage, atom=True, rss=True)
    self_url = spec.url(config, file_name)
    fg.id(self_url)
    fg.title(spec.title)
    if spec.description:
        fg.subtitle(spec.description)
    elif rel_type == "application/rss+xml":
        # RSS requires a channel description; Atom's subtitle is optional and is left
        # out rather than repeating the title (Hugo's wording).
        fg.subtitle(f"Recent content on {spec.title}")
    fg.link(href=self_url, rel="self", type=rel_type)
    fg.link(href=spec.home, rel="alternate", type="text/html")
    fg.language(config.site.language)
    fg.generator(GENERATOR, uri=generator_uri())  # no version: upgrades keep the bytes
    fg.updated(spec.updated(fallback))
    # Atom requires an author for the feed unless every entry has one: the site stands in.
    fg.author(name=config.author.name or config.site.title, email=config.author.email or None,
              uri=config.author.uri or None)
    if config.site.icon:
        fg.icon(asset_url(config, config.site.icon))
    if config.site.logo:
        fg.logo(asset_url(config, config.site.logo))
    return fg


def _add_entry(fg: FeedGenerator, post: Post, rendered: Rendered, spec: FeedSpec,
               config: Config) -> None:
    """One post -> one entry, shared by Atom and RSS; where they differ, feedgen maps."""
    fe = fg.add_entry(order="append")
    # A guid that is not a URL must say so, or readers open it as a link.
    fe.guid(post.id, permalink=post.id == post.url)
    fe.title(post.title)
    fe.link(href=post.url, rel="alternate", type="text/html")
    fe.published(post.date)
    fe.updated(post.updated)
    # One call each, with the whole list: feedgen redoes its RSS mapping of every item
    # on each call, so 40,000 tags one by one took minutes.
    if post.authors:
        fe.author([{"name": a.name, "email": a.email or None, "uri": a.uri or None}
                   for a in post.authors])
    terms = [{"term": term} for term in spec.terms(post)]
    if terms:
        fe.category(terms)
    if rendered.excerpt_html:
        # RSS: summary -> <description>; content -> <content:encoded>.
        fe.summary(rendered.excerpt_html, type="html")
    if config.feed.full_content:
        fe.content(rendered.html, type="html")
    if post.image:
        fe.header.set(post.image, rendered.caption_html)


def _with_stylesheet(xml: bytes, href: str | None) -> bytes:
    if href is None:
        return xml
    declaration_end = xml.index(b"?>") + 2
    pi = f'\n<?xml-stylesheet href="{href}" type="text/xsl"?>'.encode()
    return xml[:declaration_end] + pi + xml[declaration_end:]


def _stylesheet_href(spec: FeedSpec, config: Config) -> str | None:
    if not config.feed.stylesheet:
        return None
    # Relative, so it works wherever the site is served, previews included.
    depth = feed_files(spec)[0].count("/")  # Pelican's feeds are in feeds/ of the folder
    return "../" * depth + "feed.xsl"


def _xml_feed(spec: FeedSpec, config: Config, render: RenderFn, fallback: datetime,
              kind: str) -> bytes:
    """One XML feed: `kind` is "atom" or "rss". One at a time keeps memory to one tree."""
    name, media = (spec.files[0], "application/atom+xml") if kind == "atom" else \
        (spec.files[1], "application/rss+xml")
    fg = _new_feed(spec, config, name, fallback, media)
    for post in spec.posts:
        _add_entry(fg, post, render(post), spec, config)
    try:
        xml = fg.atom_str(pretty=True) if kind == "atom" else fg.rss_str(pretty=True)
    except ValueError as exc:  # feedgen's anonymous "Required fields not set"
        raise PublisherError(f"{spec.folder or 'site'} feed: cannot be written: {exc}") \
            from None
    return _with_stylesheet(xml, _stylesheet_href(spec, config))


def render_feeds(spec: FeedSpec, config: Config, render: RenderFn,
                 fallback: datetime = EPOCH) -> Iterator[tuple[str, bytes]]:
    """The three files of one feed, by path in the output folder, one at a time."""
    atom, rss, json_file = feed_files(spec)
    yield atom, _xml_feed(spec, config, render, fallback, "atom")
    yield rss, _xml_feed(spec, config, render, fallback, "rss")
    yield json_file, json_feed(spec, config, render)


