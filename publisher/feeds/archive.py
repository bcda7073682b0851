"""Archived feeds (RFC 5005 section 4): the whole history of a feed in pages that stay put.

The subscription feed keeps its limit and links (`prev-archive`) the newest archive page.
Pages are cut from the oldest post on, `feed.archive_size` posts each, so a new post only
ever lands on the newest page: every older page is complete and its bytes never change
again (a page gains its `next-archive` link once, when the page after it appears).
"""

from __future__ import annotations

import posixpath
from dataclasses import replace

from publisher.config import Config
from publisher.feeds.spec import FeedSpec, History, newest


def page_files(spec: FeedSpec, page: int) -> tuple[str, ...]:
    """The Atom, RSS and JSON files of archive page `page`, in `archive/<page>/` beside
    the feed's own files (`feed.xml` -> `archive/3/feed.xml`)."""
    return tuple(posixpath.join(posixpath.dirname(name), "archive", str(page),
                                posixpath.basename(name)) for name in spec.files)


def paged(spec: FeedSpec, config: Config) -> list[FeedSpec]:
    """`spec` (holding every post it follows, newest first) as readers subscribe to it,
    limited, and with `feed.archive` its archive pages, oldest first."""
    current = replace(spec, posts=newest(spec.posts, config.feed.limit))
    if not config.feed.archive or not spec.posts:
        return [current]
    size = config.feed.archive_size
    oldest_first = spec.posts[::-1]
    chunks = [oldest_first[start:start + size] for start in range(0, len(oldest_first), size)]
    urls = [replace(spec, files=page_files(spec, n)).urls(config)
            for n in range(1, len(chunks) + 1)]
    pages = []
    for number, chunk in enumerate(chunks, 1):
        history = History(page=number, prev=urls[number - 2] if number > 1 else (),
                          next=urls[number] if number < len(chunks) else (),
                          current=spec.urls(config))
        pages.append(replace(spec, title=f"{spec.title} (archive {number})",
                             posts=chunk[::-1], files=page_files(spec, number),
                             history=history))
    return [replace(current, history=History(prev=urls[-1])), *pages]
