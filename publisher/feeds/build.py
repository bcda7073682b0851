"""Which feeds a site has, and all their files: one linear build."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from publisher.config import Config
from publisher.content.rendering import render_key, render_posts, render_settings
from publisher.feeds.changes import FeedChanges, compare, read_entries
from publisher.feeds.discovery import link_tags, subscribe_page
from publisher.feeds.page import feed_page, stylesheet, template_digest
from publisher.feeds.plan import plan_feeds
from publisher.feeds.render import render_feeds
from publisher.feeds.spec import EPOCH, FeedSpec, RenderFn, feed_files, page_file
from publisher.output import Data, Staging, WriteReport, shown
from publisher.problems import PublisherError
from publisher.reading import read_regular
from publisher.site.cache import Cache, load_settings
from publisher.site.load import Site


def extras(specs: list[FeedSpec], config: Config) -> dict[str, bytes]:
    """The files around the feeds: stylesheet, autodiscovery tags, subscribe pages."""
    subscriptions = [spec for spec in specs if not spec.is_archive]
    files = {"feeds.html": link_tags(subscriptions, config)}
    for spec in subscriptions:
        if spec.folder.startswith("series/"):
            files[f"{spec.folder}/index.html"] = subscribe_page(spec, config, spec.name)
    if config.feed.stylesheet or config.feed.page:
        files["feed.css"] = stylesheet(config)
    return files


def outputs(spec: FeedSpec, config: Config) -> tuple[str, ...]:
    """Every file one feed writes: its three formats, and its web page."""
    page = (page_file(spec),) if config.feed.page and not spec.is_archive else ()
    return (*feed_files(spec), *page)


def feed_outputs(spec: FeedSpec, config: Config, render: RenderFn, fallback: datetime,
                 notes: list[str] | None = None, pages: bool | None = None
                 ) -> Iterator[tuple[str, Data]]:
    """A feed's files one at a time, each whole or in pieces: a full archive's Atom is
    written as it is made, an entry at a time, before its RSS is begun."""
    yield from render_feeds(spec, config, render, fallback, notes)
    if (config.feed.page if pages is None else pages) and not spec.is_archive:
        yield page_file(spec), feed_page(spec, config, render)


def build_feeds(site: Site, now: datetime, *, drafts: bool = False, future: bool = False,
                cache: Cache | None = None, pages: bool | None = None) -> dict[str, bytes]:
    """path in the output folder -> bytes, for every feed file (the whole build, in memory);
    `pages` overrides `feed.page` (the preview always shows them).

    Only the posts some feed shows are rendered, each once, from the cache when it can.
    """
    config: Config = site.config
    specs = plan_feeds(site, site.visible(now, drafts=drafts, future=future))
    rendered = render_posts(site, (post for spec in specs for post in spec.posts), cache)
    fallback = max((p.updated for p in site.posts), default=EPOCH)
    files: dict[str, bytes] = {}
    for spec in specs:
        files.update((name, data if isinstance(data, bytes) else b"".join(data))
                     for name, data in feed_outputs(spec, config, lambda post: rendered[post.id],
                                                    fallback, pages=pages))
    files.update(extras(specs, config))
    return files


def feed_key(spec: FeedSpec, site: Site, fallback: datetime) -> str:
    """Everything a feed's files depend on; equal keys mean equal bytes."""
    config = site.config
    render = render_settings(config)
    posts = [(p.id, render_key(p, render, site), p.updated.isoformat(),
              spec.terms(p)) for p in spec.posts]
    parts = (load_settings(config), render, config.feed, config.site.language,
             config.site.icon, config.site.logo, config.author, spec.folder, spec.files, spec.title,
             # The fallback dates only an empty feed: a new post elsewhere must not
             # rebuild every archive page.
             spec.description, spec.home, "" if spec.posts else fallback.isoformat(), posts,
             spec.history,
             template_digest(config) if config.feed.page else "")
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@dataclass(frozen=True)
class FeedReport:
    written: WriteReport | None  # None for a dry run
    changes: tuple[FeedChanges, ...]  # one per feed built, for the feeds that changed
    notes: tuple[str, ...] = ()  # feeds that shed full texts to fit feed.max_bytes
    topics: tuple[tuple[str, str], ...] = ()  # (file, public URL) of each subscription feed
    opted_out: tuple[str, ...] = ()  # files of the posts `feed: false` keeps out


def publish_feeds(site: Site, now: datetime, *, drafts: bool = False, future: bool = False,
                  cache: Cache | None = None, dry_run: bool = False,
                  previous: bytes | None = None, accept_new_ids: bool = False) -> FeedReport:
    """Write every feed into the output folder, all or nothing, one file at a time.

    A feed whose inputs did not change since the run that wrote it (same key in the
    cache, its files untouched on disk) is not built at all: its posts are not even
    loaded from the render cache. Each feed built is compared with the one readers
    have (or, for the site feed, with `previous`: the feed another generator wrote);
    a post that readers have would get a new id: nothing is written (PublisherError),
    unless `accept_new_ids`. `dry_run` reports and writes nothing.
    """
    config = site.config
    out = config.output_dir
    visible = site.visible(now, drafts=drafts, future=future)
    specs = plan_feeds(site, visible)
    kept_out = {p.id: p for p in visible if not p.in_feeds}
    fallback = max((p.updated for p in site.posts), default=EPOCH)
    keys = {spec.key: feed_key(spec, site, fallback) for spec in specs}
    known = cache.feeds() if cache else {}
    build = [spec for spec in specs
             if not _still_published(known.get(spec.key), keys[spec.key], out, spec, config)]
    if previous is not None:  # the site feed must be compared even when unchanged
        build += [spec for spec in specs if spec.is_site and spec not in build]
    notes: list[str] = []
    changes = tuple(change for change in (_changes(out, spec, previous, kept_out, notes)
                                          for spec in build)
                    if change.changed or change.warnings())
    refused = [change.refusal() for change in changes if change.new_ids]
    if refused and not accept_new_ids:
        raise PublisherError(
            "\n".join(refused) + "\nevery reader would show these as new posts, so nothing "
            "was written; give each post its old id (`id:` in its front matter), or run "
            "again with --accept-new-ids")
    rendered = render_posts(site, (post for spec in build for post in spec.posts), cache)
    with Staging(out) as staging:
        for spec in specs:
            if spec not in build:
                for name in outputs(spec, config):
                    staging.keep(name)
                continue
            for name, data in feed_outputs(spec, config, lambda p: rendered[p.id], fallback,
                                           notes):
                staging.add(name, data)
        for name, data in extras(specs, config).items():
            staging.add(name, data)
        topics = tuple((name, spec.url(config, base)) for spec in specs if not spec.is_archive
                       for name, base in zip(feed_files(spec), spec.files, strict=True))
        opted = tuple(sorted(p.source for p in kept_out.values()))
        if dry_run:
            staging.abort()
            return FeedReport(None, changes, tuple(notes), topics, opted)
        report = staging.commit()
    if cache:
        cache.store_feeds({spec.key: (keys[spec.key], _stats(out, spec, config))
                           for spec in build})
    return FeedReport(report, changes, tuple(notes), topics, opted)


def _changes(out: Path, spec: FeedSpec, previous: bytes | None,
             kept_out: dict[str, object], notes: list[str]) -> FeedChanges:
    """The feed compared with the one readers have: `previous` for the site feed when
    given, else the Atom file there (the RSS file when there is no Atom one: Hugo's).
    Only a regular file is read: a FIFO there would block the build forever, a device
    never end (a note says it is not compared, and the build replaces it)."""
    atom, rss, _ = feed_files(spec)
    if previous is not None and spec.is_site:
        entries = read_entries(previous)
        if entries is None:  # an unreadable file must not pass as "no feed before"
            raise PublisherError("--previous: not an Atom or RSS 2.0 feed; give the feed "
                                 "file readers subscribe to (feed.xml, index.xml)")
        return compare(atom, entries, spec, kept_out)
    for name in (atom, rss):
        try:
            return compare(name, read_entries(read_regular(out / name)[0]), spec, kept_out)
        except FileNotFoundError:
            continue
        except OSError as exc:
            notes.append(f"{shown(out / name)}: {exc.strerror}: not compared with the new "
                         "feed; the build replaces it")
    return compare(atom, None, spec, kept_out)


def _stats(out: Path, spec: FeedSpec, config: Config) -> dict[str, list[int]]:
    return {name: _stats_of(out / name) for name in outputs(spec, config)}


def _still_published(known: tuple[str, dict[str, list[int]]] | None, key: str, out: Path,
                     spec: FeedSpec, config: Config) -> bool:
    if known is None or known[0] != key:
        return False
    try:
        return all(_stats_of(out / name) == known[1].get(name)
                   for name in outputs(spec, config))
    except OSError:
        return False


def _stats_of(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]
