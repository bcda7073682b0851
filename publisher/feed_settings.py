"""`[feed]`: the keys of publisher.toml that shape the feeds, and their value checks.

Kept beside config.py (which imports it) so that the feed keys, which are many, do not
push the config module over its size.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from publisher.problems import Problem, error
from publisher.schema import key, line_of

FIVE_MB = 5_000_000  # under CommaFeed's 5 MB cap, whichever megabyte it means


@dataclass(frozen=True)
class FeedConfig:
    limit: int = key(20, "Newest posts in each feed; 0 means every post.")
    full_content: bool = key(True, "Put the whole post in each entry; `false` gives the "
                             "excerpt only.")
    series: bool = key(True, "Write feeds for each series under `series/<slug>/`.")
    tags: bool = key(False, "Write feeds for each tag under `tags/<slug>/`.")
    categories: bool = key(False, "Write feeds for each category under `categories/<slug>/`.")
    category_feeds: tuple[str, ...] = key((), "`jekyll`: categories that also get a feed where "
                                          "jekyll-feed writes one, `feed/<category>.xml`, "
                                          "with the posts in exactly that category (what "
                                          "`publish init --from-jekyll` copies from "
                                          "`feed.collections.posts.categories`).")
    stylesheet: bool = key(True, "Link `feed.css` from the XML feeds, so a browser that "
                           "shows the XML shows it readably.")
    page: bool = key(True, "Write a readable HTML page beside each feed (`feed.html` "
                     "beside `feed.xml`) and link it from the feed.")
    archive: bool = key(False, "Also write the whole history as archive pages (RFC 5005), "
                        "linked from each feed, so a reader can fetch every post.")
    archive_size: int = key(50, "Entries per archive page.")
    max_bytes: int = key(FIVE_MB, "Largest size of a feed file; over it, the oldest entries "
                         "carry their summary only. 0: no limit.")
    websub_hub: str = key("", "WebSub hub the feeds name (`<link rel=\"hub\">`) and "
                          "`publish feed --ping` notifies.")
    image_in_content: bool = key(False, "Put the header image at the top of each entry's "
                                 "HTML, for readers that show only the content.")


def feed_problems(feed: FeedConfig, source: str, text: str) -> list[Problem]:
    """The `[feed]` values no type can rule out."""
    problems = []

    def bad(where: str, message: str) -> None:
        problems.append(error(source, line_of(text, where), where, message))

    if feed.limit < 0:
        bad("feed.limit", "must be 0 (every post) or more")
    if feed.archive_size < 1:
        bad("feed.archive_size", "must be 1 or more")
    if feed.max_bytes < 0:
        bad("feed.max_bytes", "must be 0 (no limit) or more")
    hub = urlsplit(feed.websub_hub)
    if feed.websub_hub and (hub.scheme not in ("http", "https") or not hub.netloc
                            or any(c.isspace() or ord(c) < 32 for c in feed.websub_hub)):
        bad("feed.websub_hub", f"must be an absolute http(s) URL, not {feed.websub_hub!r}")
    return problems
