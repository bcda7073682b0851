"""One build of the preview, in memory: the feeds and email drafts as `publish feed` and
`publish email` would write them, and the problems found on the way.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from publisher.config import Config, load_config
from publisher.newsletter.ledger import MIGRATIONS, SCHEMA_VERSION, Ledger
from publisher.problems import PublisherError
from publisher.site.load import Site


@dataclass(frozen=True)
class Options:
    """What to build: as `publish feed`/`publish email` with the same flags."""

    drafts: bool = False
    future: bool = False
    digest: bool = False
    now: datetime | None = None  # None: the clock at each build


@dataclass(frozen=True)
class FeedView:
    title: str
    atom: str  # paths under /feed/
    rss: str
    json: str
    page: str  # the feed's web page, under /feed/ too
    entries: tuple[str, ...]  # entry titles, newest first


@dataclass(frozen=True)
class DraftView:
    path: str  # "<series-slug>/<number>", as under out/email/
    series: str
    number: int
    subject: str
    posts: tuple[str, ...]  # post titles
    text: str
    files: dict[str, bytes]  # "issue.html", "issue.txt", ... -> bytes


@dataclass(frozen=True)
class Snapshot:
    """One build: what every page shows until the next."""

    version: str
    title: str
    built: datetime
    fixed_now: datetime | None
    feeds: tuple[FeedView, ...]
    files: dict[str, bytes]  # path in the output folder -> bytes, as `publish feed` writes
    others: tuple[str, ...]  # the files built beside the feeds (pages, stylesheet)
    drafts: tuple[DraftView, ...]
    problems: tuple[str, ...]
    config: Config | None  # None when the config could not be read


class ReadOnlyLedger(Ledger):
    """The ledger as it is on disk, read-only: no lock, nothing created or migrated.

    A missing ledger reads as an empty one (an in-memory database with the schema).
    """

    @classmethod
    def open(cls, path: Path, *, create: bool = False) -> ReadOnlyLedger:
        if not path.exists():
            db = sqlite3.connect(":memory:")
            for script in MIGRATIONS:
                db.executescript(script)
            return cls(path, db, None)
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            db.close()
            raise PublisherError(f"{path}: not a readable publisher ledger ({exc})") from None
        if version != SCHEMA_VERSION:
            db.close()
            raise PublisherError(f"{path}: ledger schema {version}, this publisher reads "
                                 f"{SCHEMA_VERSION}; run 'publish email' once (or upgrade "
                                 "publisher)")
        return cls(path, db, None)


def _failure(what: str, exc: Exception) -> str:
    from jinja2 import TemplateError

    if isinstance(exc, PublisherError | TemplateError | sqlite3.Error | OSError):
        return f"{what}: {exc}"
    return f"{what}: internal error: {type(exc).__name__}: {exc}"


def _feeds(site: Site, now: datetime, options: Options
           ) -> tuple[tuple[FeedView, ...], dict[str, bytes]]:
    from publisher.feeds.build import build_feeds
    from publisher.feeds.plan import plan_feeds
    from publisher.feeds.spec import feed_files, page_file

    specs = plan_feeds(site, site.visible(now, drafts=options.drafts, future=options.future))
    # The XML links its stylesheet relatively: served under /feed/, it finds /feed/feed.css.
    files = build_feeds(site, now, drafts=options.drafts, future=options.future, pages=True)
    views = tuple(FeedView(spec.title, *feed_files(spec), page_file(spec),
                           tuple(p.title for p in spec.posts))
                  for spec in specs if not spec.is_archive)
    return views, files


def _drafts(site: Site, now: datetime, options: Options) -> tuple[DraftView, ...]:
    from publisher.newsletter.drafts import plan_drafts, render_drafts

    with ReadOnlyLedger.open(site.config.ledger_path) as ledger:
        plans = plan_drafts(site, ledger, now, digest=options.digest).plans
    views = []
    for draft in render_drafts(plans, site):
        plan = draft.plan
        prefix = f"{plan.folder}/"
        files = {name.removeprefix(prefix): data for name, data in draft.files.items()}
        views.append(DraftView(plan.folder.removeprefix("email/"), plan.settings.title,
                               plan.number, draft.issue.subject,
                               tuple(p.title for p in plan.posts), draft.issue.text, files))
    return tuple(views)


def build(config_path: Path, options: Options, version: str = "0") -> Snapshot:
    """Read the site and build its feeds and drafts in memory; never raises."""
    from publisher.site.load import load_site

    built = datetime.now(UTC)
    now = options.now or built
    try:
        config = load_config(config_path)
        site = load_site(config)
    except Exception as exc:  # a config to fix: the page says what, the server lives on
        return Snapshot(version, "publish preview", built, options.now, (), {}, (), (),
                        (_failure("config", exc),), None)
    # Named from the site's folder, as its writer knows them, wherever the server started.
    problems = [str(replace(p, path=os.path.relpath(os.path.abspath(p.path), config.root)))
                for p in site.problems]
    feeds: tuple[FeedView, ...] = ()
    files: dict[str, bytes] = {}
    drafts: tuple[DraftView, ...] = ()
    try:
        feeds, files = _feeds(site, now, options)
    except Exception as exc:
        problems.append(_failure("feeds", exc))
    try:
        drafts = _drafts(site, now, options)
    except Exception as exc:
        problems.append(_failure("email drafts", exc))
    others = set(files).difference(*((f.atom, f.rss, f.json, f.page) for f in feeds))
    return Snapshot(version, config.site.title, built, options.now, feeds, files,
                    tuple(sorted(others)), drafts, tuple(problems), config)
