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
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise PublisherError(f"{path}: cannot read it: {exc}") from None
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
    # One pattern for the site: the main section's, as Hugo's tokens (they are the hugo
    # dialect's own); else Hugo's default, the page's folder and its slug or file name.
    section = next((s for s in ("posts", "post", "blog") if (content / s).is_dir()), "")
    links = top.get("permalinks") if isinstance(top.get("permalinks"), dict) else {}
    tables = [links.get("page"), links] if isinstance(links.get("page"), dict) else [links]
    names = [section] if section else []
    names += [n for n in ("posts", "post", "blog") if n not in names]
    given = next((one_line(t[n]) for n in names for t in tables if one_line(t.get(n))), "")
    permalink = given or DEFAULT_PERMALINK
    permalink = permalink if permalink.startswith("/") else "/" + permalink
    values["site.permalink"] = permalink
    if not given:
        notes += (f"site.permalink: {source} sets none; Hugo's default is used "
                  f"({permalink}: the page's folder, then its slug or file name)",)
    notes += zone_notes + permalink_notes(permalink, source)
    return Settings(values, notes)


