"""`publish init --from-hugo`: publisher.toml values from a Hugo config (hugo.toml, config.*)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from publisher.config import Config
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


def _lower_deep(data: Any) -> Any:
    if isinstance(data, dict):
        return {str(k).lower(): _lower_deep(v) for k, v in data.items()}
    return [_lower_deep(v) for v in data] if isinstance(data, list) else data


def _read_any(path: Path) -> dict[str, Any]:
    """A TOML, YAML or JSON config file; {} when it cannot be read (Hugo itself would fail
    on it, and publisher.toml, not this file, decides the feeds)."""
    try:
        if path.suffix == ".toml":
            return tomllib.loads(path.read_text(encoding="utf-8-sig"))
        if path.suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8-sig"))
            return data if isinstance(data, dict) else {}
        return read_yaml(path)
    except (OSError, UnicodeDecodeError, ValueError, PublisherError):
        return {}


_EXTS = ("toml", "yaml", "yml", "json")


def _first(folder: Path, stems: tuple[str, ...]) -> Path | None:
    return next((folder / f"{stem}.{ext}" for stem in stems for ext in _EXTS
                 if (folder / f"{stem}.{ext}").is_file()), None)


def _merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        both = isinstance(value, dict) and isinstance(out.get(key), dict)
        out[key] = _merged(out[key], value) if both else value
    return out


def hugo_root(config: Config) -> Path:
    """The Hugo site's own folder: where its config is, beside `content/` (the posts
    folder `publish init --from-hugo` sets), else publisher.toml's folder."""
    for folder in (config.posts_dir.parent, config.root):
        if _first(folder, ("hugo", "config")) or _first(folder / "config" / "_default",
                                                         ("hugo", "config", "params")):
            return folder
    return config.root


def hugo_shortcode_data(root: Path) -> tuple[dict[str, Any], dict[str, Any], frozenset[str],
                                              frozenset[str]]:
    """What the site's shortcodes read: its `params` and `privacy` (keys in lower case:
    Hugo's are case-insensitive); the names of the shortcodes it or its theme define
    (`layouts/shortcodes/NAME.html`, `layouts/_shortcodes/` since Hugo 0.146), and those
    of them whose template renders its inner content as Markdown."""
    default = root / "config" / "_default"
    top: dict[str, Any] = {}
    for path in (_first(default, ("hugo", "config")), _first(root, ("hugo", "config"))):
        if path is not None:  # the file at the root wins over config/_default/
            top = _merged(top, _lower_deep(_read_any(path)))
    extra = _first(default, ("params",))
    params = top.get("params") if isinstance(top.get("params"), dict) else {}
    if extra is not None:
        params = _merged(_lower_deep(_read_any(extra)), params)
    theme = top.get("theme") or []
    names: dict[str, bool] = {}
    for folder in [root] + [root / "themes" / str(name) for name in
                            (theme if isinstance(theme, list) else [theme])]:
        for sub in ("shortcodes", "_shortcodes"):
            for path in sorted((folder / "layouts" / sub).glob("**/*")):
                if path.is_file():
                    name = path.relative_to(folder / "layouts" / sub).as_posix().split(".")[0]
                    names.setdefault(name, _renders_inner(path))
    privacy = top.get("privacy") if isinstance(top.get("privacy"), dict) else {}
    return (params, privacy, frozenset(names),
            frozenset(name for name, markdown in names.items() if markdown))


def _renders_inner(template: Path) -> bool:
    try:
        text = template.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return ".Inner" in text and ("markdownify" in text or "RenderString" in text)


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


