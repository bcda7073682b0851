"""`publish init --from-jekyll`: publisher.toml values read from a Jekyll _config.yml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from publisher.dialects.imported import (
    Settings,
    author_settings,
    one_line,
    read_yaml,
    relative_path,
    site_address,
    time_zone,
)
from publisher.dialects.jekyll import JEKYLL_STYLES, permalink_notes
from publisher.problems import PublisherError


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
    values["site.generator"] = "jekyll"
    # The posts folder is the site's source: posts are the dated files of its _posts/
    # folders (categories from the folders above them), drafts those of _drafts/.
    source_dir = (site / one_line(data.get("source"))).resolve() if one_line(
        data.get("source")) else site.resolve()
    values["site.posts"] = relative_path(source_dir, config_dir)
    notes += zone_notes + permalink_notes(permalink, source)
    if data.get("future") is True:
        notes += ("future: true in _config.yml: Jekyll publishes posts dated later than now; "
                  "run publish feed --future to do the same",)
    feed = data.get("feed") if isinstance(data.get("feed"), dict) else {}
    posts_feed = feed.get("collections", {}).get("posts", {}) if isinstance(
        feed.get("collections"), dict) else {}
    categories = posts_feed.get("categories") if isinstance(posts_feed, dict) else None
    if isinstance(categories, list) and categories:
        # jekyll-feed's category feeds, feed/<category>.xml: readers subscribed there.
        values["feed.category_feeds"] = [str(c) for c in categories]
    if not (source_dir / "_posts").is_dir():
        notes += (f"site.posts: {source_dir / '_posts'} does not exist; point site.posts at "
                  "the folder that holds your _posts/",)
    if config_dir.is_relative_to(site.resolve()):
        notes += ("Jekyll copies files it does not know into _site: add publisher.toml, "
                  "publisher.db, templates and out to `exclude:` in _config.yml",)
    return Settings(values, notes)


