"""One feed: where it lives, what it is called, which posts it shows."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from publisher.config import Config
from publisher.content.render import Rendered
from publisher.site.post import Post
from publisher.urls import fold, has_scheme, site_url

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class History:
    """A feed document's place in its archive (RFC 5005 section 4): the URLs of the Atom,
    RSS and JSON files of the pages it links to; empty tuples for none."""

    page: int = 0  # 0: the subscription feed; n: archive page n (1 holds the oldest posts)
    prev: tuple[str, ...] = ()  # the archive page of the posts just older
    next: tuple[str, ...] = ()  # archive pages only: the page just newer
    current: tuple[str, ...] = ()  # archive pages only: the subscription feed


@dataclass(frozen=True)
class FeedSpec:
    """One feed: where it lives, what it is called, which posts it shows."""

    folder: str  # "" for the site feed, "series/<slug>" for a series
    title: str
    description: str
    posts: tuple[Post, ...]  # newest first, already limited
    home: str  # the HTML page the feed stands for
    files: tuple[str, str, str]  # the Atom, RSS and JSON Feed file names (the dialect's)
    # Every tag and category, folded, -> the one spelling shown (the oldest post's).
    spelling: Mapping[str, str] = field(compare=False, repr=False)
    name: str = ""  # the series, tag or category it follows; "" for the site feed
    history: History = History()

    @property
    def is_archive(self) -> bool:
        return self.history.page > 0

    @property
    def is_site(self) -> bool:
        """The site-wide subscription feed (not one of its archive pages)."""
        return self.folder == "" and not self.is_archive

    def terms(self, post: Post) -> tuple[str, ...]:
        """A post's tags and categories as entry labels: each once, spelt one way."""
        return tuple(dict.fromkeys(self.spelling.get(fold(t), t)
                                   for t in post.tags + post.categories))

    @property
    def key(self) -> str:
        """What tells feeds apart: the path of the Atom file (folders may be shared)."""
        return feed_files(self)[0]

    def urls(self, config: Config) -> tuple[str, ...]:
        """The public URLs of its Atom, RSS and JSON files."""
        return tuple(self.url(config, name) for name in self.files)

    def url(self, config: Config, file_name: str) -> str:
        return site_url(config.base_url, f"{self.folder}/{file_name}" if self.folder
                        else file_name)

    def updated(self, fallback: datetime) -> datetime:
        """The newest entry's update time: never the clock."""
        return max((p.updated for p in self.posts), default=fallback)


RenderFn = Callable[[Post], Rendered]


def asset_url(config: Config, value: str) -> str:
    return value if has_scheme(value) else site_url(config.base_url, value)


def feed_files(spec: FeedSpec) -> tuple[str, ...]:
    prefix = f"{spec.folder}/" if spec.folder else ""
    return tuple(prefix + name for name in spec.files)


def newest(posts: Sequence[Post], limit: int) -> tuple[Post, ...]:
    return tuple(posts if limit == 0 else posts[:limit])


def page_file(spec: FeedSpec) -> str:
    """The HTML page beside the feed, in the output folder: the Atom file's name with
    `.html` (`feed.xml` -> `feed.html`; Hugo's `atom.xml` -> `atom.html`, never its
    `index.html`)."""
    atom = feed_files(spec)[0]
    stem = atom[:-4] if atom.endswith(".xml") else atom
    return stem + ".html"
