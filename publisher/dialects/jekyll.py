"""Jekyll's rules: its permalink placeholders and styles, and reading its _config.yml."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from publisher.dialects.imported import (
    PLACEHOLDER,
    Settings,
    author_settings,
    one_line,
    read_yaml,
    relative_path,
    site_address,
    time_zone,
)
from publisher.problems import PublisherError
from publisher.urls import slugify

# Jekyll's named permalink styles (jekyllrb.com/docs/permalinks/#built-in-formats).
JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}

def expand_permalink(pattern: str, *, date: datetime, slug: str, title_slug: str,
                     categories: Sequence[str]) -> str:
    """Jekyll permalink placeholders -> a site path starting and (usually) ending with '/'."""
    values = {
        "year": f"{date.year:04d}", "month": f"{date.month:02d}", "day": f"{date.day:02d}",
        "i_month": str(date.month), "i_day": str(date.day),
        "short_year": f"{date.year % 100:02d}", "hour": f"{date.hour:02d}",
        "minute": f"{date.minute:02d}", "second": f"{date.second:02d}",
        "title": title_slug, "slug": slug,
        "categories": "/".join(slugify(c) for c in categories),
        "output_ext": ".html",
    }
    names = sorted(values, key=len, reverse=True)  # ':i_month' before ':month'
    placeholder = re.compile(":(" + "|".join(names) + r")(?![A-Za-z0-9_])")
    path = placeholder.sub(lambda m: values[m.group(1)], pattern)
    # An empty ':categories' must not leave '//' behind; '..' must not climb out.
    segments = [s for s in path.split("/") if s not in ("", ".", "..")]
    trailing = "/" if path.endswith("/") or not segments else ""
    return "/" + "/".join(segments) + (trailing if segments else "")


def supported_placeholder(name: str) -> bool:
    """Does `expand_permalink` replace `:name`? Asked, not hard-coded."""
    probe = f"/x:{name}/"
    return expand_permalink(probe, date=datetime(2000, 1, 1, tzinfo=UTC), slug="s",
                            title_slug="s", categories=("c",)) != probe


def permalink_notes(pattern: str, source: str) -> tuple[str, ...]:
    unknown = [n for n in dict.fromkeys(PLACEHOLDER.findall(pattern))
               if not supported_placeholder(n)]
    if not unknown:
        return ()
    shown_names = " ".join(f":{n}" for n in unknown)
    return (f"site.permalink {pattern!r} (from {source}) uses {shown_names}, which publisher "
            "does not replace: post URLs will differ from the site's; edit site.permalink",)


def jekyll_settings(site: Path, config_dir: Path) -> Settings:
    """publisher.toml values for the Jekyll site in `site`, read from its _config.yml."""
    path = site / "_config.yml"
    if not path.is_file():
        raise PublisherError(f"{path}: not found; --from-jekyll needs the folder of a "
                             "Jekyll site (the one with _config.yml and _posts/)")
    data = read_yaml(path)
    source = "_config.yml"
    url, notes = site_address(one_line(data.get("url")).rstrip("/"), source)
    baseurl = one_line(data.get("baseurl")).strip("/")
    values: dict[str, Any] = {"site.url": url.rstrip("/") + ("/" + baseurl if baseurl else "")}
    for name, key in (("title", "site.title"), ("description", "site.description"),
                      ("excerpt_separator", "site.excerpt_separator")):
        if one_line(data.get(name)):
            values[key] = str(data[name]) if key == "site.excerpt_separator" else \
                one_line(data[name])
    language = one_line(data.get("lang") or data.get("locale"))
    if language:
        values["site.language"] = language.replace("_", "-")
    values.update(author_settings(data.get("author")))
    zone, zone_notes = time_zone(one_line(data.get("timezone")), source)
    values.update(zone)
    # Without a permalink, Jekyll uses its 'date' style.
    permalink = one_line(data.get("permalink")) or "date"
    permalink = JEKYLL_STYLES.get(permalink, permalink)
    permalink = permalink if permalink.startswith("/") else "/" + permalink
    values["site.permalink"] = permalink
    posts = site.resolve() / "_posts"
    values["site.posts"] = relative_path(posts, config_dir)
    notes += zone_notes + permalink_notes(permalink, source)
    if not posts.is_dir():
        notes += (f"site.posts: {posts} does not exist; point site.posts at your posts",)
    if config_dir.is_relative_to(site.resolve()):
        notes += ("Jekyll copies files it does not know into _site: add publisher.toml, "
                  "publisher.db, templates and out to `exclude:` in _config.yml",)
    return Settings(values, notes)


