"""Which posts are new for which series, and the issues that announce them.

Pure planning: the ledger's answers come in as data, plans go out. Nothing here
writes a file or changes the ledger.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from publisher.config import Config
from publisher.newsletter.ledger import Entry
from publisher.problems import Problem, warning
from publisher.series import Series, series_settings
from publisher.site.load import Site
from publisher.site.post import Post


def email_series(post: Post, config: Config) -> tuple[str, ...]:
    """The series a post is announced in: its own, or the configured fallback."""
    if post.series:
        return post.series
    fallback = config.email.series_fallback
    if fallback == "categories":
        return post.categories
    if fallback == "default":
        return (config.email.default_series,)
    return ()


def new_posts(posts: Iterable[Post], config: Config, announced: Callable[[str], set[str]],
              since: datetime | None = None) -> dict[str, tuple[Post, ...]]:
    """series name -> its published posts that no sent issue announced, oldest first.

    `posts` must already be the published ones (no drafts, nothing in the future);
    `since` (`publish email --since`) leaves out posts dated before it, in every series.
    """
    by_series: dict[str, list[Post]] = {}
    for post in posts:
        if not post.in_newsletter:  # `newsletter: false` / `email: false`
            continue
        for name in email_series(post, config):
            by_series.setdefault(name, []).append(post)
    result: dict[str, tuple[Post, ...]] = {}
    for name in sorted(by_series):
        settings = series_settings(config, name)
        done = announced(name)
        fresh = [p for p in by_series[name] if p.id not in done
                 and (settings.since is None or p.date >= settings.since)
                 and (since is None or p.date >= since)]
        if fresh:
            result[name] = tuple(sorted(fresh, key=lambda p: (p.date.timestamp(), p.id)))
    return result


@dataclass(frozen=True)
class Renamed:
    """A new id whose title and date are those of a post announced before: a renamed file."""

    post: Post
    series: str
    old: Entry
    number: int  # the issue that announced `old`


def held_renamed(fresh: dict[str, tuple[Post, ...]],
                 announced: Callable[[str], dict[tuple[str, str], tuple[Entry, int]]]
                 ) -> tuple[dict[str, tuple[Post, ...]], list[Renamed]]:
    """`fresh` without the posts that look renamed, and those posts."""
    kept: dict[str, tuple[Post, ...]] = {}
    held: list[Renamed] = []
    for name, posts in fresh.items():
        known = announced(name)
        left = []
        for post in posts:
            match = known.get((post.title, post.date.isoformat()))
            if match is None:
                left.append(post)
            else:
                held.append(Renamed(post, name, *match))
        if left:
            kept[name] = tuple(left)
    return kept, held


def ordered(posts: Iterable[Post], order: str) -> tuple[Post, ...]:
    """Posts as an issue lists them: `newest` or `oldest` first (ties by id)."""
    return tuple(sorted(posts, key=lambda p: (p.date.timestamp(), p.id),
                        reverse=order == "newest"))


@dataclass(frozen=True)
class Section:
    series: Series
    posts: tuple[Post, ...]
    # Announced in this series by the issue but listed under another of a digest's
    # sections: a post in two series appears once.
    also: tuple[Post, ...] = ()


@dataclass(frozen=True)
class IssuePlan:
    """One issue to draft: the ledger key (a series name, or DIGEST), number, posts."""

    settings: Series
    number: int
    created: datetime
    sections: tuple[Section, ...]

    @property
    def key(self) -> str:
        return self.settings.name

    @property
    def posts(self) -> tuple[Post, ...]:
        return tuple(p for s in self.sections for p in s.posts)

    @property
    def folder(self) -> str:
        return f"email/{self.settings.slug}/{self.number}"

    def entries(self) -> tuple[Entry, ...]:
        return tuple(Entry(s.series.name, p.id, p.url, p.title, p.date.isoformat())
                     for s in self.sections for p in (*s.posts, *s.also))


def subject(plan: IssuePlan, config: Config) -> str:
    """The subject from its pattern; one line, whatever the titles hold."""
    posts = plan.posts
    newest = config.email.order == "newest"
    lead = (max if newest else min)(posts, key=lambda p: (p.date.timestamp(), p.id)) \
        if posts else None
    first = lead.title if lead else ""
    title = first if len(posts) <= 1 else f"{first} and {len(posts) - 1} more"
    values = {"series": plan.settings.title, "number": str(plan.number), "title": title,
              "count": str(len(posts)), "site": config.site.title,
              "date": plan.created.strftime("%Y-%m-%d")}
    text = re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)),
                  plan.settings.subject)
    return " ".join(text.split())  # no CR/LF can reach a header


def unknown_series(site: Site) -> list[Problem]:
    """Posts naming a series the config does not describe (when it describes any)."""
    config = site.config
    if not config.series:
        return []
    known = set(config.series)
    return [warning(post.source, None, "series",
                    f"{name!r} is not in publisher.toml; add [series.\"{name}\"] with its "
                    "title and list, or fix the name")
            for post in site.posts for name in post.series if name not in known]
