"""What a config's values must be beyond their types: checked once, all at once."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from publisher.problems import Problem, error
from publisher.schema import line_of

SUBJECT_FIELDS = ("series", "number", "title", "count", "site", "date")


def check_values(config: Any, source: str, text: str, root: Path) -> list[Problem]:
    """Problems with values of the right type: a URL that is no site, a folder that
    must not be written to, a pattern that does not parse... (`config` is a Config;
    `root` the config file's folder)."""
    problems: list[Problem] = []
    site = config.site
    parts = urlsplit(site.url)
    if not site.url:
        problems.append(error(source, None, "site.url",
                              "required: the public address of your site, "
                              "e.g. url = \"https://example.org\""))
    elif parts.scheme not in ("http", "https") or not parts.netloc:
        problems.append(error(source, line_of(text, "site.url"), "site.url",
                              f"must be an absolute http(s) URL, not {site.url!r}"))
    elif "?" in site.url or "#" in site.url or any(c.isspace() or ord(c) < 0x20
                                                   for c in site.url):
        # Every link is the site's address followed by a path: `?` or `#` would turn
        # those paths into a query or a fragment of one page.
        problems.append(error(source, line_of(text, "site.url"), "site.url",
                              f"{site.url!r} has a query ('?'), a fragment ('#') or a space; "
                              "give the site's address only, e.g. "
                              "'https://example.org/blog'"))
    problems.extend(_folder_problems(config, source, text, root))
    try:
        ZoneInfo(site.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(error(source, line_of(text, "site.timezone"), "site.timezone",
                              f"unknown time zone {site.timezone!r}; use an IANA name "
                              "such as 'UTC' or 'Europe/Paris'"))
    if site.permalink and not site.permalink.startswith("/"):
        problems.append(error(source, line_of(text, "site.permalink"), "site.permalink",
                              "must start with '/', e.g. '/:year/:month/:slug/'"))
    try:
        re.compile(site.filename_metadata)
    except re.error as exc:
        problems.append(error(source, line_of(text, "site.filename_metadata"),
                              "site.filename_metadata", f"not a regular expression: {exc}"))
    feed_file = site.feed_file.replace("\\", "/")
    if feed_file and (feed_file.startswith("/") or ".." in feed_file.split("/")
                      or not feed_file.endswith(".xml")):
        problems.append(error(source, line_of(text, "site.feed_file"), "site.feed_file",
                              "must be a path in the output folder ending in .xml, e.g. "
                              "'feeds/all.atom.xml'"))
    if config.smtp.timeout <= 0:
        problems.append(error(source, line_of(text, "smtp.timeout"), "smtp.timeout",
                              f"must be a number of seconds above 0, not "
                              f"{config.smtp.timeout}; 30 is a good value"))
    if not 0 < config.smtp.port < 65536:
        problems.append(error(source, line_of(text, "smtp.port"), "smtp.port",
                              f"must be a port number (1 to 65535), not {config.smtp.port}"))
    return problems


def _folder_problems(config: Any, source: str, text: str, root: Path) -> list[Problem]:
    """The output folder is emptied of our files and written over: it must not be the
    file system's root, the posts folder, or a folder that holds the posts or the config."""
    root = root.resolve()
    posts = (root / config.site.posts).resolve()
    output = (root / config.site.output).resolve()
    reason = ("the file system's root" if output == Path(output.anchor) else
              "the posts folder" if output == posts else
              "a folder that holds the posts folder" if posts.is_relative_to(output) else
              "a folder that holds publisher.toml" if root.is_relative_to(output) else "")
    if not reason:
        return []
    return [error(source, line_of(text, "site.output"), "site.output",
                  f"{config.site.output!r} is {reason}; feeds must go in a folder of their "
                  "own, e.g. output = \"out\"")]
