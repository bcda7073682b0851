"""Scheduled posts: a post dated later than now waits, and the writer needs to know when
it becomes due, so a run (by hand, or a scheduled CI job) publishes it on time."""

from __future__ import annotations

from datetime import datetime

from publisher.site.load import Site
from publisher.site.post import Post


def next_due(site: Site, now: datetime, *, drafts: bool = False) -> Post | None:
    """The next post that becomes due after `now` and would then be in the feeds."""
    waiting = [p for p in site.posts if p.date > now and p.listed and p.in_feeds
               and (drafts or not p.draft) and (p.expires is None or p.expires > p.date)]
    return min(waiting, key=lambda p: (p.date, p.id), default=None)


def waiting_time(now: datetime, due: datetime) -> str:
    """`in 3 days`, `in 5 hours`, `in 12 minutes`: how long until `due`."""
    seconds = int((due - now).total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"in {count} {unit}{'s' if count != 1 else ''}"
    return "in less than a minute"
