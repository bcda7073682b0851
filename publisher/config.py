"""publisher.toml -> a typed, validated Config: a frozen dataclass per table, each key
documented beside its field (``doc``); `load_config` reports every problem at once."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from publisher import CONFIG_NAME as CONFIG_NAME  # its home is publisher/__init__.py
from publisher.config_email import (
    EmailConfig,
    SeriesConfig,
    SmtpConfig,
    email_problems,
)
from publisher.config_values import check_values
from publisher.feed_settings import FeedConfig, feed_problems
from publisher.problems import Problem, PublisherError, error
from publisher.reading import read_text
from publisher.schema import check_table, key, schema_keys, unreadable

GENERATORS = ("publisher", "jekyll", "hugo", "pelican")


@dataclass(frozen=True)
class SiteConfig:
    generator: str = key("publisher", "Whose rules the posts follow: `jekyll`, `hugo` or "
                         "`pelican` "
                         "reproduce that generator's posts, URLs, ids and feed paths (what "
                         "`publish init --from-*` sets); `publisher` takes both spellings.",
                         choices=GENERATORS)
    title: str = key("My blog", "The site's name: the title of the site-wide feeds.")
    url: str = key("", "The public address of the site, e.g. `https://example.org/blog` "
                   "(required). Every link in a feed is made absolute against it, so it has "
                   "no `?` query, `#` fragment or space.")
    description: str = key("", "One sentence about the site: the feeds' subtitle.")
    language: str = key("en", "Language tag of the posts (`en`, `fr-CA`, `ko`).")
    timezone: str = key("UTC", "IANA time zone for dates written without an offset "
                        "(`Europe/Paris`).")
    posts: str = key("posts", "Folder of posts, relative to this file. Sub-folders are read "
                     "too; `_drafts/` holds drafts.")
    output: str = key("out", "Folder the feeds are written to, relative to this file; "
                      "never the file system's root, the posts folder, or a folder that "
                      "holds them or this file.")
    permalink: str = key("", "URL pattern of a post, in the generator's placeholders "
                         "(`publisher` and `jekyll`: `:year :month :day :title :slug "
                         ":categories :output_ext`... ; `hugo`: its tokens; `pelican`: `/` "
                         "then ARTICLE_URL's `{slug}` `{date:%Y}` `{category}`...). Empty: "
                         "the generator's default (publisher `/:year/:month/:day/:slug/`, "
                         "Jekyll's `date` style, Hugo's folder and slug, Pelican's "
                         "`{slug}.html`).")
    image_base: str = key("/images/", "Where a header image given as a bare file name lives: "
                          "a path on the site or an absolute URL.")
    excerpt_separator: str = key("<!--more-->", "Text that ends a post's excerpt when the "
                                 "post has no `excerpt` field.")
    math: bool = key(False, "Keep `$…$`, `\\[…\\]` and `\\(…\\)` as written for MathJax/KaTeX in "
                     "every post (a post's `math`, `mathjax` or `katex: true` does it for it).")
    raw_html: bool = key(True, "`hugo`: `false` leaves raw HTML out of posts, as Hugo does unless "
                         "`markup.goldmark.renderer.unsafe` is set (`init --from-hugo` copies it).")
    icon: str = key("", "Small square image for the feeds (URL or path on the site).")
    logo: str = key("", "Wide image for the feeds (URL or path on the site).")
    # Pelican's settings that decide which files are articles, their URLs and the feed's
    # path (`publish init --from-pelican` copies them from pelicanconf.py).
    article_paths: tuple[str, ...] = key(("",), "`pelican`: folders of the posts folder "
                                         "that hold articles (ARTICLE_PATHS; `\"\"` is all "
                                         "of it).")
    article_excludes: tuple[str, ...] = key(("pages",), "`pelican`: folders never read for "
                                            "articles (ARTICLE_EXCLUDES and PAGE_PATHS); each is a "
                                            "folder's path from the posts folder.")
    folder_category: bool = key(True, "`pelican`: a post without `Category:` is in the "
                                "category of its folder (USE_FOLDER_AS_CATEGORY).")
    default_category: str = key("misc", "`pelican`: the category of a post that has none "
                                "(DEFAULT_CATEGORY).")
    filename_metadata: str = key(r"(?P<date>\d{4}-\d{2}-\d{2}).*", "`pelican`: what a "
                                 "file name says: a regular expression with named groups "
                                 "(`date`, `slug`...) matched on its name (FILENAME_METADATA).")
    lang_permalink: str = key("/{slug}-{lang}.html", "`pelican`: URL pattern of a post whose "
                              "`Lang:` is not `site.language` (`/` then ARTICLE_LANG_URL).")
    feed_file: str = key("", "`pelican`: the site feed's Atom file in the output folder "
                         "(FEED_ALL_ATOM; empty: `feeds/all.atom.xml`); RSS and JSON Feed "
                         "are beside it, `all.rss.xml` and `all.json`.")


@dataclass(frozen=True)
class AuthorConfig:
    name: str = key("", "Default author of every post.")
    email: str = key("", "Author's email (shown in RSS `author`).")
    uri: str = key("", "Author's home page.")




@dataclass(frozen=True)
class Config:
    site: SiteConfig = field(default_factory=SiteConfig)
    author: AuthorConfig = field(default_factory=AuthorConfig)
    feed: FeedConfig = field(default_factory=FeedConfig)
    email: EmailConfig = field(default_factory=EmailConfig)
    smtp: SmtpConfig = field(default_factory=SmtpConfig)
    series: dict[str, SeriesConfig] = field(default_factory=dict)
    # `[permalinks]`: section = pattern, for the posts of that section (Hugo's sections).
    permalinks: dict[str, str] = field(default_factory=dict, metadata={
        "doc": "Per section (the first folder under the posts folder): its URL pattern, "
               "in place of `site.permalink` (Hugo's `[permalinks]`, as `publish init "
               "--from-hugo` copies them)."})
    # Where the config file lives; relative folders are resolved against it.
    root: Path = field(default=Path("."), metadata={"internal": True})

    @property
    def posts_dir(self) -> Path:
        return (self.root / self.site.posts).resolve()

    @property
    def output_dir(self) -> Path:
        return (self.root / self.site.output).resolve()

    @property
    def base_url(self) -> str:
        """The site URL without a trailing slash."""
        return self.site.url.rstrip("/")

    @property
    def base_path(self) -> str:
        """Jekyll's `site.baseurl`: the path part of the site URL, '' at the root."""
        return urlsplit(self.site.url).path.rstrip("/")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.site.timezone)

    @property
    def ledger_path(self) -> Path:
        return (self.root / self.email.ledger).resolve()

    @property
    def templates_dir(self) -> Path:
        return (self.root / self.email.templates).resolve()


def parse_config(text: str, source: str, root: Path) -> Config:
    """Parse config text; raise PublisherError listing every problem at once."""
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"at line (\d+)", str(exc))
        problem = error(source, int(line.group(1)) if line else None, "",
                        f"not valid TOML: {exc}")
        raise PublisherError(str(problem), (problem,)) from None
    except (RecursionError, ValueError) as exc:
        problem = unreadable(text, source, exc)
        raise PublisherError(str(problem), (problem,)) from None
    problems: list[Problem] = []
    config: Config = check_table(Config, table, "", source, text, problems)
    if not problems:
        problems = (check_values(config, source, text, root)
                    + feed_problems(config.feed, source, text)
                    + email_problems(config.email, config.series, source, text))
    if problems:
        raise PublisherError("\n".join(map(str, problems)), tuple(problems))
    return replace(config, root=root)


def load_config(path: Path) -> Config:
    if not path.is_file():
        raise PublisherError(
            f"{path}: no config file here; pass --config PATH to a publisher.toml, "
            "or run publish from the folder that has one")
    try:
        text = read_text(path)  # a regular file, of a sane size
    except (OSError, UnicodeDecodeError) as exc:
        raise PublisherError(f"{path}: cannot read the config: "
                             f"{getattr(exc, 'strerror', None) or exc}") from None
    return parse_config(text, str(path), path.parent.resolve())


def documented_keys() -> list[tuple[str, Any, str]]:
    """(dotted key, default, doc) for every key, in order: the README's reference."""
    return schema_keys(Config)
