"""Settings read from another generator's config, for `publish init --from-*`.

The helpers every generator's reader shares: a value as one line of text, the site URL,
the time zone, the author, and notes for what cannot be mapped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from publisher.problems import PublisherError
from publisher.reading import read_text
from publisher.schema import unreadable

EXAMPLE_URL = "https://example.org"


@dataclass(frozen=True)
class Settings:
    """Values for publisher.toml (dotted key -> value) and what the user should know."""

    values: Mapping[str, Any]
    notes: tuple[str, ...] = ()


PLACEHOLDER = re.compile(r":([A-Za-z_]+)")


def unknown_placeholders(pattern: str, source: str, known: set[str], who: str
                         ) -> tuple[str, ...]:
    """A note for the placeholders of `pattern` (`:name`) that `who` does not know."""
    unknown = [n for n in dict.fromkeys(PLACEHOLDER.findall(pattern))
               if n not in known and n.removesuffix("_") not in known]
    if not unknown:
        return ()
    return (f"site.permalink {pattern!r} (from {source}) uses "
            f"{' '.join(':' + n for n in unknown)}, which {who} does not know: post URLs will "
            "differ from the site's; edit site.permalink",)


def one_line(value: Any) -> str:
    """One line of text from a config value; '' for a missing or non-scalar one."""
    if value is None or isinstance(value, dict | list | bool):
        return ""
    return " ".join(str(value).split())


def site_address(url: str, source: str) -> tuple[str, tuple[str, ...]]:
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return url, ()
    return EXAMPLE_URL, (f"site.url: {source} gives no absolute address ({url!r}); set it to "
                         f"your site's public address (now {EXAMPLE_URL})",)


def time_zone(zone: str, source: str) -> tuple[dict[str, str], tuple[str, ...]]:
    if not zone:
        return {}, ()
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return {}, (f"site.timezone: {zone!r} (from {source}) is not an IANA time zone; "
                    "UTC is used until you set it",)
    return {"site.timezone": zone}, ()


def author_settings(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        found = {"author.name": one_line(value.get("name")),
                 "author.email": one_line(value.get("email")),
                 "author.uri": one_line(value.get("uri") or value.get("url"))}
        return {k: v for k, v in found.items() if v}
    return {"author.name": one_line(value)} if one_line(value) else {}


def relative_path(path: Path, start: Path) -> str:
    """`path` relative to `start` (the config's folder), absolute across drives.

    `path` is not resolved: a `_posts` that is a symlink stays `../blog/_posts`.
    """
    try:
        return Path(os.path.relpath(path, start)).as_posix()
    except ValueError:
        return path.as_posix()


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = read_text(path)
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise PublisherError(f"{path}: cannot read it: {getattr(exc, 'strerror', '') or exc}"
                             ) from None
    except yaml.YAMLError as exc:
        raise PublisherError(f"{path}: not valid YAML: {exc}".replace("\n", " ")) from None
    except (RecursionError, ValueError) as exc:  # deep nesting, a 5,000-digit number
        raise PublisherError(str(unreadable(text, str(path), exc, "yaml"))) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PublisherError(f"{path}: expected key: value settings, not a "
                             f"{type(data).__name__}")
    return data


