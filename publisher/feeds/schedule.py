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


def next_change(site: Site, now: datetime) -> int | None:
    """When the feeds change by the clock alone (ns): a post falls due, or one expires."""
    moments = [moment for post in site.posts for moment in (post.date, post.expires)
               if moment is not None and moment > now]
    return int(min(moments).timestamp() * 1e9) if moments else None
