"""Posts -> Atom, RSS 2.0 and JSON Feed 1.1 bytes.

Atom and RSS go through feedgen; every date it would stamp with "now" is set from the
posts, so the same posts always give the same bytes. JSON Feed is a plain dict.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from functools import cache
from importlib.metadata import PackageNotFoundError, metadata

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator

from publisher.config import Config
from publisher.content.render import Rendered
from publisher.feeds.budget import Fitted, fit
from publisher.feeds.jsonfeed import json_feed
from publisher.feeds.media import FeedExtras, HeaderImage, with_image
from publisher.feeds.pieces import EntryPieces
from publisher.feeds.spec import EPOCH, FeedSpec, RenderFn, asset_url, feed_files, page_file
from publisher.problems import PublisherError
from publisher.site.post import Post
from publisher.urls import site_url

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


def _new_feed(spec: FeedSpec, config: Config, file_name: str, fallback: datetime,
              rel_type: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.register_extension("header", FeedExtras, HeaderImage, atom=True, rss=True)
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
    fg.header.links = _links(spec, config, 0 if rel_type == "application/atom+xml" else 1)
    fg.header.archive = spec.is_archive
    return fg


def _links(spec: FeedSpec, config: Config, kind: int) -> list[dict[str, str]]:
    """The feed's links besides self and alternate: its hub and web page (a feed readers
    subscribe to), and its neighbours in the archive (RFC 5005), in the same format."""
    links = []
    if not spec.is_archive and config.feed.websub_hub:
        links.append({"rel": "hub", "href": config.feed.websub_hub})
    if not spec.is_archive and config.feed.page:
        # "related", not a second "alternate": Atom allows one alternate per type, and
        # the site's home page is that one.
        links.append({"rel": "related", "type": "text/html",
                      "href": site_url(config.base_url, page_file(spec)),
                      "title": "This feed as a web page"})
    history = spec.history
    for rel, urls in (("current", history.current), ("prev-archive", history.prev),
                      ("next-archive", history.next)):
        if urls:
            links.append({"rel": rel, "href": urls[kind]})
    return links


def _add_entry(fg: FeedGenerator, post: Post, rendered: Rendered, spec: FeedSpec,
               config: Config, full: bool) -> FeedEntry:
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
    summary, content = rendered.excerpt_html, rendered.html if full else ""
    if config.feed.image_in_content:  # on top of what a reader shows: content, else summary
        if content:
            content = with_image(content, post.image, rendered.caption_html)
        else:
            summary = with_image(summary, post.image, rendered.caption_html)
    if summary:
        # RSS: summary -> <description>; content -> <content:encoded>.
        fe.summary(summary, type="html")
    if content:
        fe.content(content, type="html")
    if post.image:
        fe.header.set(post.image, rendered.caption_html)
    return fe


def _with_stylesheet(xml: bytes, href: str | None) -> bytes:
    if href is None:
        return xml
    declaration_end = xml.index(b"?>") + 2
    pi = f'\n<?xml-stylesheet href="{href}" type="text/css"?>'.encode()
    whole = memoryview(xml)  # one copy of a full archive's feed, not three
    return b"".join((whole[:declaration_end], pi, whole[declaration_end:]))


def _stylesheet_href(spec: FeedSpec, config: Config) -> str | None:
    if not config.feed.stylesheet:
        return None
    # Relative, so it works wherever the site is served, and from file:// too.
    depth = feed_files(spec)[0].count("/")  # Pelican's feeds are in feeds/ of the folder
    return "../" * depth + "feed.css"


def _xml_feed(spec: FeedSpec, config: Config, render: RenderFn, fallback: datetime,
              kind: str, full: int) -> Iterator[bytes]:
    """One XML feed, `kind` "atom" or "rss", its newest `full` entries with their full
    text, in pieces: the feed without entries, then one entry at a time (a full archive
    of 10,000 posts is never one tree), the bytes feedgen would write for the whole."""
    atom = kind == "atom"
    name, media = (spec.files[0], "application/atom+xml") if atom else \
        (spec.files[1], "application/rss+xml")
    fg = _new_feed(spec, config, name, fallback, media)
    try:
        empty = fg.atom_str(pretty=True) if atom else fg.rss_str(pretty=True)
        pieces = EntryPieces(empty, "feed" if atom else "rss/channel")
        yield _with_stylesheet(pieces.head, _stylesheet_href(spec, config))
        for index, post in enumerate(spec.posts):
            entry = _add_entry(fg, post, render(post), spec, config, index < full)
            yield pieces.entry(entry.atom_entry() if atom else entry.rss_entry())
            fg.remove_entry(entry)
    except ValueError as exc:  # feedgen's anonymous "Required fields not set"
        raise PublisherError(f"{spec.folder or 'site'} feed: cannot be written: {exc}") \
            from None
    yield pieces.tail


def render_feeds(spec: FeedSpec, config: Config, render: RenderFn,
                 fallback: datetime = EPOCH, notes: list[str] | None = None
                 ) -> Iterator[tuple[str, Iterable[bytes]]]:
    """The three files of one feed, by path in the output folder, one at a time, each
    in pieces to be written in one pass.

    Each fits in `feed.max_bytes`, shedding the full text of its oldest entries if it
    must; what was shed is said in `notes`. Without a budget, a file is made as it is
    written, never held whole.
    """
    makers = {"atom": lambda full: _xml_feed(spec, config, render, fallback, "atom", full),
              "rss": lambda full: _xml_feed(spec, config, render, fallback, "rss", full),
              "json": lambda full: json_feed(spec, config, render, full)}
    for name, make in zip(feed_files(spec), makers.values(), strict=True):
        fitted: Fitted = fit(make, len(spec.posts), config.feed.max_bytes,
                             config.feed.full_content)
        note = fitted.note(name)
        if note and notes is not None:
            notes.append(note)
        yield name, fitted.chunks
