"""What a build is about to change for the people subscribed to each feed.

The feed already in the output folder is what readers have seen; the new one is what
they will see. An entry that keeps its link but gets a new id shows up as a new post
in every reader, and a post that vanishes from the middle of a feed was probably
unpublished by mistake: both deserve a loud warning before anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from types import MappingProxyType

from lxml import etree

from publisher.feeds.spec import FeedSpec

ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass(frozen=True)
class OldEntry:
    id: str
    link: str
    title: str
    updated: str
    published: str


@dataclass(frozen=True)
class FeedChanges:
    feed: str  # path of the Atom file, e.g. "series/notes/feed.xml"
    new: tuple[tuple[str, str], ...] = ()  # (title, link) of each entry
    updated: tuple[tuple[str, str], ...] = ()
    removed: tuple[tuple[str, str], ...] = ()
    unchanged: int = 0
    new_ids: tuple[tuple[str, str, str, str], ...] = ()  # (title, link, old id, new id)
    vanished: tuple[str, ...] = field(default=())  # titles gone from inside the feed
    first: bool = False  # there was no feed before this one
    kept_out: tuple[str, ...] = ()  # links of the removed entries `feed: false` keeps out

    @property
    def changed(self) -> bool:
        return bool(self.new or self.updated or self.removed)

    def summary(self) -> str:
        return (f"{self.feed}: {len(self.new)} new, {len(self.updated)} updated, "
                f"{len(self.removed)} removed, {self.unchanged} unchanged")

    def entries(self, most: int = 5) -> list[str]:
        """The entries that change, named with their links (a few of each kind); none
        for a feed readers never had, where every entry is new."""
        lines: list[str] = []
        if self.first:
            return lines
        for kind, entries in (("new", self.new), ("updated", self.updated),
                              ("removed", self.removed)):
            for title, link in entries[:most]:
                why = " (feed: false)" if kind == "removed" and link in self.kept_out else ""
                lines.append(f"  {kind}: “{title}” {link}".rstrip() + why)
            if len(entries) > most:
                lines.append(f"  ... and {len(entries) - most} more {kind}")
        return lines

    def refusal(self) -> str:
        """Why publishing would re-announce posts: each one whose id would change."""
        return "\n".join(f"{self.feed}: “{title}” ({link}) was published with id {old}; "
                         f"it would get {new}" for title, link, old, new in self.new_ids)

    def warnings(self) -> list[str]:
        lines = [f"{self.feed}: “{title}” keeps its link but its id changes from {old} to "
                 f"{new}: every reader will show it as a new post (set id: {old} in its "
                 "front matter to keep it)" for title, _, old, new in self.new_ids]
        lines += [f"{self.feed}: “{title}” was published and would disappear from the feed "
                  "(unpublished, drafted, renamed or dated in the future?)"
                  for title in self.vanished]
        return lines


def read_entries(feed: bytes) -> list[OldEntry] | None:
    """The entries of the Atom or RSS 2.0 feed readers have (ours, jekyll-feed's,
    Hugo's...); None when it cannot be read."""
    try:
        root = etree.fromstring(feed, parser=etree.XMLParser(resolve_entities=False,
                                                              no_network=True))
    except etree.XMLSyntaxError:
        return None
    if root.tag not in ("rss", f"{ATOM}feed"):  # RDF, HTML as XML...: not a feed we read
        return None
    if root.tag == "rss":  # RSS 2.0: the guid is the id (Hugo: the permalink)
        return [OldEntry(item.findtext("guid", "") or item.findtext("link", ""),
                         item.findtext("link", ""), item.findtext("title", ""), "",
                         _rss_date(item.findtext("pubDate", "")))
                for item in root.iter("item")]
    entries = []
    for entry in root.iter(f"{ATOM}entry"):
        link = next((e.get("href", "") for e in entry.iter(f"{ATOM}link")
                     if e.get("rel", "alternate") == "alternate"), "")
        entries.append(OldEntry(entry.findtext(f"{ATOM}id", ""), link,
                                entry.findtext(f"{ATOM}title", ""),
                                entry.findtext(f"{ATOM}updated", ""),
                                entry.findtext(f"{ATOM}published", "")))
    return entries


def compare(path: str, old: list[OldEntry] | None, spec: FeedSpec,
            kept_out: Mapping[str, object] = MappingProxyType({})) -> FeedChanges:
    """The difference between the entries readers have and the ones `spec` will give.

    `kept_out`: the ids of posts `feed: false` keeps out, whose leaving is intended."""
    posts = spec.posts
    if not old:
        return FeedChanges(path, new=tuple((p.title, p.url) for p in posts), first=True)
    before = {entry.id: entry for entry in old}
    by_link = {entry.link: entry for entry in old}
    now_ids = {post.id for post in posts}
    new: list[tuple[str, str]] = []
    updated: list[tuple[str, str]] = []
    new_ids: list[tuple[str, str, str, str]] = []
    unchanged = 0
    for post in posts:
        entry = before.get(post.id)
        if entry is None:
            moved = by_link.get(post.url)
            if moved is not None and moved.id not in now_ids:
                new_ids.append((post.title, post.url, moved.id, post.id))
            new.append((post.title, post.url))
        elif entry.updated != post.updated.isoformat() or entry.title != post.title:
            updated.append((post.title, post.url))
        else:
            unchanged += 1
    renamed = {old_id for _, _, old_id, _ in new_ids}
    gone = [entry for entry in old if entry.id not in now_ids and entry.id not in renamed]
    # A limited feed drops its oldest entries as new ones come: that is no surprise.
    # An entry newer than the oldest one still shown did not roll off: it vanished.
    oldest = min((p.date for p in posts), default=None)
    vanished = [entry.title for entry in gone if entry.id not in kept_out
                and oldest is not None and _after(entry.published, oldest)]
    return FeedChanges(path, tuple(new), tuple(updated),
                       tuple((e.title, e.link) for e in gone), unchanged, tuple(new_ids),
                       tuple(vanished),
                       kept_out=tuple(e.link for e in gone if e.id in kept_out))


def _rss_date(stamp: str) -> str:
    try:
        return parsedate_to_datetime(stamp).isoformat()
    except (TypeError, ValueError):
        return ""


def _after(stamp: str, moment: datetime) -> bool:
    try:
        return datetime.fromisoformat(stamp) > moment
    except ValueError:
        return False
