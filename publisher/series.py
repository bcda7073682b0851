"""A series' settings: its own `[series."Name"]` table over `[email]`'s.

Shared by the feeds (a series' subscribe page) and the newsletter (its issues).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from publisher.config import Config, SeriesConfig
from publisher.dates import parse_date
from publisher.urls import term_slug

DIGEST = ""  # the `series` of a digest issue: no real series has an empty name


@dataclass(frozen=True)
class Series:
    """A series' email settings: its `[series."Name"]` table over `[email]`'s."""

    name: str
    title: str
    description: str
    subject: str
    sender: str
    reply_to: str
    profile: str
    to: str
    since: datetime | None
    full_content: bool
    intro: str  # a Markdown file, relative to publisher.toml

    @property
    def slug(self) -> str:
        return term_slug(self.name) if self.name != DIGEST else "_digest"


def series_settings(config: Config, name: str) -> Series:
    own = config.series.get(name, SeriesConfig())
    email = config.email
    default_sender = (f"{config.author.name} <{config.author.email}>"
                      if config.author.email else "")
    digest = name == DIGEST
    return Series(
        name=name,
        title=own.title or (f"{config.site.title} digest" if digest else name),
        description=own.description,
        subject=own.subject or email.subject,
        sender=own.sender or email.sender or default_sender,
        reply_to=own.reply_to or email.reply_to,
        profile=own.profile or email.profile,
        to=own.to or email.to,
        since=parse_date(own.since, ZoneInfo(config.site.timezone)) if own.since else None,
        full_content=email.full_content if own.full_content is None else own.full_content,
        intro=own.intro,
    )
