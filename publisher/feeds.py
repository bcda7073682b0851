"""Posts -> Atom, RSS 2.0 and JSON Feed 1.1 bytes.

Atom and RSS go through feedgen; every date it would stamp with "now" is set from the
posts, so the same posts always give the same bytes. JSON Feed is a plain dict.
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from .config import Config
from .content import Rendered
from .posts import Post
from .problems import PublisherError
from .urls import has_scheme, site_url

GENERATOR = "publisher"
GENERATOR_URI = "https://github.com/publisher-feeds/publisher"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FEED_FILES = ("feed.xml", "rss.xml", "feed.json")


@dataclass(frozen=True)
class FeedSpec:
    """One feed: where it lives, what it is called, which posts it shows."""

    folder: str  # "" for the site feed, "series/<slug>" for a series
    title: str
    description: str
    posts: tuple[Post, ...]  # newest first, already limited
    home: str  # the HTML page the feed stands for
    name: str = ""  # the series, tag or category it follows; "" for the site feed

    def url(self, config: Config, file_name: str) -> str:
        return site_url(config.base_url, f"{self.folder}/{file_name}" if self.folder
                        else file_name)

    def updated(self, fallback: datetime) -> datetime:
        """The newest entry's update time: never the clock."""
        return max((p.updated for p in self.posts), default=fallback)


RenderFn = Callable[[Post], Rendered]
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


def _asset(config: Config, value: str) -> str:
    return value if has_scheme(value) else site_url(config.base_url, value)


def _image_type(url: str) -> str:
    return mimetypes.guess_type(url.split("?", 1)[0])[0] or "image/jpeg"


def _new_feed(spec: FeedSpec, config: Config, file_name: str, fallback: datetime,
              rel_type: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.register_extension("header", _MediaExtension, _HeaderImage, atom=True, rss=True)
    self_url = spec.url(config, file_name)
    fg.id(self_url)
    fg.title(spec.title)
    fg.subtitle(spec.description or spec.title)  # RSS requires a description
    fg.link(href=self_url, rel="self", type=rel_type)
    fg.link(href=spec.home, rel="alternate", type="text/html")
    fg.language(config.site.language)
    fg.generator(GENERATOR, uri=GENERATOR_URI)  # no version: upgrades keep the bytes
    fg.updated(spec.updated(fallback))
    # Atom requires an author for the feed unless every entry has one: the site stands in.
    fg.author(name=config.author.name or config.site.title, email=config.author.email or None,
              uri=config.author.uri or None)
    if config.site.icon:
        fg.icon(_asset(config, config.site.icon))
    if config.site.logo:
        fg.logo(_asset(config, config.site.logo))
    return fg


def _add_entry(fg: FeedGenerator, post: Post, rendered: Rendered, config: Config) -> None:
    """One post -> one entry, shared by Atom and RSS; where they differ, feedgen maps."""
    fe = fg.add_entry(order="append")
    # A guid that is not a URL must say so, or readers open it as a link.
    fe.guid(post.id, permalink=post.id == post.url)
    fe.title(post.title)
    fe.link(href=post.url, rel="alternate", type="text/html")
    fe.published(post.date)
    fe.updated(post.updated)
    for author in post.authors:
        fe.author(name=author.name, email=author.email or None, uri=author.uri or None)
    for term in dict.fromkeys(post.tags + post.categories):
        fe.category(term=term)
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
    depth = spec.folder.count("/") + 1 if spec.folder else 0
    return "../" * depth + "feed.xsl"


def _xml_feed(spec: FeedSpec, config: Config, render: RenderFn, fallback: datetime,
              kind: str) -> bytes:
    """One XML feed: `kind` is "atom" or "rss". One at a time keeps memory to one tree."""
    name, media = ("feed.xml", "application/atom+xml") if kind == "atom" else \
        ("rss.xml", "application/rss+xml")
    fg = _new_feed(spec, config, name, fallback, media)
    for post in spec.posts:
        _add_entry(fg, post, render(post), config)
    try:
        xml = fg.atom_str(pretty=True) if kind == "atom" else fg.rss_str(pretty=True)
    except ValueError as exc:  # feedgen's anonymous "Required fields not set"
        raise PublisherError(f"{spec.folder or 'site'} feed: cannot be written: {exc}") \
            from None
    return _with_stylesheet(xml, _stylesheet_href(spec, config))


def _json_feed(spec: FeedSpec, config: Config, render: RenderFn) -> bytes:
    feed: dict[str, object] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": spec.title,
        "home_page_url": spec.home,
        "feed_url": spec.url(config, "feed.json"),
    }
    if spec.description:
        feed["description"] = spec.description
    if config.site.logo or config.site.icon:
        feed["icon"] = _asset(config, config.site.logo or config.site.icon)
    if config.site.icon:
        feed["favicon"] = _asset(config, config.site.icon)
    if config.author.name:
        feed["authors"] = [_json_author(config.author.name, config.author.uri)]
    feed["language"] = config.site.language
    items = []
    for post in spec.posts:
        rendered = render(post)
        item: dict[str, object] = {"id": post.id, "url": post.url, "title": post.title}
        if config.feed.full_content:
            item["content_html"] = rendered.html
        else:
            item["content_html"] = rendered.excerpt_html or f'<p><a href="{post.url}">' \
                f"{post.url}</a></p>"
        if rendered.excerpt_html:
            item["summary"] = rendered.excerpt_html
        if post.image:
            item["image"] = post.image
        item["date_published"] = post.date.isoformat()
        item["date_modified"] = post.updated.isoformat()
        if post.authors:
            item["authors"] = [_json_author(a.name, a.uri) for a in post.authors]
        tags = list(dict.fromkeys(post.tags + post.categories))
        if tags:
            item["tags"] = tags
        items.append(item)
    feed["items"] = items
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _json_author(name: str, uri: str) -> dict[str, str]:
    return {"name": name, "url": uri} if uri else {"name": name}


def feed_files(spec: FeedSpec) -> tuple[str, ...]:
    prefix = f"{spec.folder}/" if spec.folder else ""
    return tuple(prefix + name for name in FEED_FILES)


def render_feeds(spec: FeedSpec, config: Config, render: RenderFn,
                 fallback: datetime = EPOCH) -> Iterator[tuple[str, bytes]]:
    """The three files of one feed, by path in the output folder, one at a time."""
    atom, rss, json_feed = feed_files(spec)
    yield atom, _xml_feed(spec, config, render, fallback, "atom")
    yield rss, _xml_feed(spec, config, render, fallback, "rss")
    yield json_feed, _json_feed(spec, config, render)


def newest(posts: Sequence[Post], limit: int) -> tuple[Post, ...]:
    return tuple(posts if limit == 0 else posts[:limit])
