"""publisher.toml -> a typed, validated Config.

Each table is a frozen dataclass; each key is documented beside its field (the
``doc`` metadata), and `load_config` reports every problem in the file at once.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from publisher.config_values import check_values
from publisher.problems import Problem, PublisherError, error
from publisher.reading import read_text
from publisher.schema import check_table, key, schema_keys, unreadable

CONFIG_NAME = "publisher.toml"


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
    stylesheet: bool = key(True, "Link `feed.xsl` from the XML feeds so browsers show a "
                           "readable page.")


PROFILES = ("smtp", "mailchimp", "buttondown", "listmonk", "kit")


@dataclass(frozen=True)
class EmailConfig:
    ledger: str = key("publisher.db", "The ledger of issues and announced posts (SQLite), "
                      "relative to this file. Commit it with your posts.")
    profile: str = key("smtp", "Mailing tool the issues are for: its unsubscribe "
                       "placeholder goes in every issue.", choices=PROFILES)
    sender: str = key("", "`From:` of the issues, e.g. `Ada <ada@example.org>`; default: "
                      "the `[author]`.", name="from")
    reply_to: str = key("", "`Reply-To:` of the issues.")
    to: str = key("", "The list's address: `To:` of the issues, where `--send` delivers.")
    subject: str = key("{series} #{number}: {title}", "Subject pattern: `{series}`, "
                       "`{number}`, `{title}` (the post's, or the first one's and how many "
                       "more), `{count}`, `{site}`, `{date}`.")
    series_fallback: str = key("none", "Series of a post without `series`: `none` (not "
                               "emailed), `categories`, or `default` (`email.default_series`).",
                               choices=("none", "categories", "default"))
    default_series: str = key("Newsletter", "The series of posts without one when "
                              "`series_fallback = \"default\"`.")
    full_content: bool = key(False, "Put whole posts in issues, not excerpts.")
    templates: str = key("templates", "Folder of your own `email/issue.html`, "
                         "`email/issue.txt` and `email/style.css`, relative to this file; "
                         "missing ones come from publisher.")
    utm_source: str = key("", "When set, links to the site get `utm_source`, `utm_medium` "
                          "and `utm_campaign` (existing parameters are kept).")
    utm_medium: str = key("email", "`utm_medium` of those links.")
    unsubscribe_url: str = key("", "smtp profile: the page where a subscriber unsubscribes.")
    unsubscribe_mailto: str = key("", "smtp profile: the address that unsubscribes whoever "
                                  "writes to it.")
    subscribe_url: str = key("", "The page where people sign up for the newsletter: linked "
                             "from each series' subscribe page.")


@dataclass(frozen=True)
class SmtpConfig:
    host: str = key("localhost", "SMTP server for `--send` and `--test-to`.")
    port: int = key(587, "Its port.")
    security: str = key("starttls", "`starttls`, `ssl` or `none`.",
                        choices=("starttls", "ssl", "none"))
    username: str = key("", "Login; or set `PUBLISHER_SMTP_USERNAME`.")
    password_env: str = key("PUBLISHER_SMTP_PASSWORD", "Name of the environment variable "
                            "that holds the password (never written in this file).")
    timeout: int = key(30, "Seconds to wait for the server (more than 0).")


@dataclass(frozen=True)
class SeriesConfig:
    """`[series."Name"]`: every key is optional; empty ones take `[email]`'s."""

    title: str = key("", "Title of the series in issues and feeds (default: its name).")
    description: str = key("", "One sentence under the title of each issue.")
    subject: str = key("", "Subject pattern for this series.")
    sender: str = key("", "`From:` for this series.", name="from")
    reply_to: str = key("", "`Reply-To:` for this series.")
    profile: str = key("", "Mailing tool for this series.", choices=("",) + PROFILES)
    to: str = key("", "List address for this series.")
    since: str = key("", "Posts dated before this (`2024-06-01`) are never announced.")
    subscribe_url: str = key("", "Sign-up page of this series' newsletter.")
    full_content: bool | None = key(None, "Whole posts (true) or excerpts (false).")


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
        problems = check_values(config, source, text, root)
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
