"""`publish init --from-hugo`: publisher.toml values from a Hugo config (hugo.toml, config.*)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from publisher.dialects.hugo import DEFAULT_PERMALINK, permalink_notes
from publisher.dialects.imported import (
    Settings,
    author_settings,
    one_line,
    read_yaml,
    relative_path,
    site_address,
    time_zone,
)
from publisher.problems import PublisherError
from publisher.reading import read_text
from publisher.schema import unreadable

HUGO_CONFIGS = ("hugo.toml", "config.toml", "hugo.yaml", "config.yaml", "hugo.yml",
                "config.yml")


def _lower_keys(data: Any) -> dict[str, Any]:
    """Hugo's config keys are case-insensitive (`baseURL`, `baseurl`)."""
    return {str(k).lower(): v for k, v in data.items()} if isinstance(data, dict) else {}


def hugo_settings(site: Path, config_dir: Path) -> Settings:
    """publisher.toml values for the Hugo site in `site`, from hugo.toml or config.*."""
    path = next((site / n for n in HUGO_CONFIGS if (site / n).is_file()), None)
    if path is None:
        raise PublisherError(f"{site}: no Hugo config here (looked for "
                             f"{', '.join(HUGO_CONFIGS)}); --from-hugo needs a Hugo site")
    if path.suffix == ".toml":
        text = ""
        try:
            text = read_text(path)
            data = tomllib.loads(text)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise PublisherError(f"{path}: cannot read it: "
                                 f"{getattr(exc, 'strerror', '') or exc}") from None
        except (RecursionError, ValueError) as exc:  # deep nesting, a 5,000-digit number
            raise PublisherError(str(unreadable(text, str(path), exc))) from None
    else:
        data = read_yaml(path)
    top, source = _lower_keys(data), path.name
    params = _lower_keys(top.get("params"))
    url, notes = site_address(one_line(top.get("baseurl")), source)
    values: dict[str, Any] = {"site.url": url}
    for key, value in (("site.title", top.get("title")),
                       ("site.description", params.get("description") or
                        top.get("description")),
                       ("site.language", top.get("languagecode"))):
        if one_line(value):
            values[key] = one_line(value)
    values.update(author_settings(params.get("author") or top.get("author")))
    zone, zone_notes = time_zone(one_line(top.get("timezone")), source)
    values.update(zone)
    content = site.resolve() / "content"
    values["site.posts"] = relative_path(content, config_dir)
    values["site.generator"] = "hugo"
    # Hugo's [permalinks], in both its forms (`section = pattern`, and by page kind),
    # kept as written: the hugo dialect has Hugo's tokens. Other sections take Hugo's
    # default, the page's folder and its slug or file name.
    links = top.get("permalinks") if isinstance(top.get("permalinks"), dict) else {}
    for table in (links, links.get("page") if isinstance(links.get("page"), dict) else {}):
        for section, pattern in table.items():
            if isinstance(pattern, str) and one_line(pattern) and section != "page":
                pattern = one_line(pattern)
                values[f"permalinks.{section}"] = pattern if pattern.startswith("/") \
                    else "/" + pattern
                notes += permalink_notes(values[f"permalinks.{section}"], source)
    permalink = DEFAULT_PERMALINK
    values["site.permalink"] = permalink
    if not any(key.startswith("permalinks.") for key in values):
        notes += (f"site.permalink: {source} sets no [permalinks]; Hugo's default is used "
                  f"({permalink}: the page's folder, then its slug or file name)",)
    notes += zone_notes + permalink_notes(permalink, source)
    return Settings(values, notes)


