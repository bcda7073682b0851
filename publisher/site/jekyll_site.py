"""What a Jekyll site gives the Liquid in its posts: `site.*` from `_config.yml` and
`_data/`, and the folder `{% include %}` reads (`_includes/`).

Read once per renderer, as data: YAML with `safe_load`, JSON, CSV and TSV, never code.
A file that cannot be read is left out with a note (said in the warnings of the posts
that read `site.data`), never a traceback. `jekyll_site_digest` changes when any of these
files changes, so the render cache never serves HTML made from an older `_data/`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from publisher.config import Config

CONFIG_NAMES = ("_config.yml", "_config.yaml")
DATA_SUFFIXES = (".yml", ".yaml", ".json", ".csv", ".tsv")
# A data or include file larger than this is no blog's data: left out, with a note.
MAX_FILE = 8_000_000


@dataclass(frozen=True)
class JekyllSite:
    """The parts of a Jekyll site that Liquid in a post may read."""

    source: Path  # the site's source folder (the posts folder of a Jekyll site)
    config: Mapping[str, Any]  # _config.yml as written
    data: Mapping[str, Any]  # site.data: one key per file of _data/ (folders nest)
    includes: Path | None  # _includes/ (or `includes_dir`), when the site has one
    notes: tuple[str, ...] = field(default=())  # files left out, and why


def _config_file(source: Path, root: Path) -> Path | None:
    """_config.yml in the source folder or above it (Jekyll's `source:` may point below
    the folder it runs in), up to publisher.toml's folder."""
    folder = source
    while True:
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
        if folder == root or folder.parent == folder or not folder.is_relative_to(root):
            return None
        folder = folder.parent


def _files(top: Path | None) -> list[Path]:
    """Regular files under `top`, in a stable order; symbolic links are not followed
    (Jekyll's safe mode does not follow them either)."""
    if top is None or not top.is_dir() or top.is_symlink():
        return []
    found: list[Path] = []
    for path in sorted(top.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        if any(part.startswith(".") for part in path.relative_to(top).parts):
            continue
        found.append(path)
    return found


def _parse_data(path: Path, text: str) -> Any:
    suffix = path.suffix.lower()
    if suffix in (".yml", ".yaml"):
        return yaml.safe_load(text)
    if suffix == ".json":
        return json.loads(text)
    # CSV and TSV: a list of rows, each a mapping from the header row (Jekyll's way).
    return list(csv.DictReader(io.StringIO(text), delimiter="\t" if suffix == ".tsv"
                               else ","))


def _load_data(top: Path, notes: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for path in _files(top):
        relative = path.relative_to(top)
        if path.suffix.lower() not in DATA_SUFFIXES:
            continue
        try:
            if path.stat().st_size > MAX_FILE:
                raise ValueError(f"larger than {MAX_FILE // 1_000_000} MB")
            raw = path.read_bytes()
            value = _parse_data(path, raw.decode("utf-8-sig"))
        except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError, csv.Error) as exc:
            reason = " ".join(str(exc).split())[:200]
            notes.append(f"{path}: left out of site.data: {reason}")
            continue
        place = data
        for folder in relative.parts[:-1]:
            inner = place.get(folder)
            if not isinstance(inner, dict):
                inner = place[folder] = {}
            place = inner
        place[path.stem] = value
    return data


def _source(config: Config) -> tuple[Path, Path | None]:
    return config.posts_dir, _config_file(config.posts_dir, config.root.resolve())


def _settings(found: Path | None, notes: list[str]) -> dict[str, Any]:
    if found is None:
        return {}
    try:
        loaded = yaml.safe_load(found.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        notes.append(f"{found}: not read: {' '.join(str(exc).split())[:200]}")
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _folder(source: Path, settings: Mapping[str, Any], key: str, default: str) -> Path | None:
    """`_data/` or `_includes/` (or what `data_dir`/`includes_dir` name), inside the source."""
    folder = source / str(settings.get(key) or default)
    inside = folder.resolve().is_relative_to(source.resolve())
    return folder if inside and folder.is_dir() else None


def jekyll_site_digest(config: Config) -> str:
    """Changes when _config.yml or any file of _data/ or _includes/ does: what the render
    cache keys on (hashing is cheaper than reading the data)."""
    source, found = _source(config)
    hasher = hashlib.sha256()
    settings = _settings(found, [])
    paths = [("config", found)] if found is not None else []
    paths += [("data", p) for p in _files(_folder(source, settings, "data_dir", "_data"))]
    paths += [("include", p) for p in _files(_folder(source, settings, "includes_dir",
                                                      "_includes"))]
    for label, path in paths:
        name = path.relative_to(source) if path.is_relative_to(source) else path.name
        hasher.update(f"{label}\0{name}\0".encode())
        try:
            if path.stat().st_size <= MAX_FILE:
                hasher.update(path.read_bytes())
        except OSError:
            continue
    return hasher.hexdigest()


def load_jekyll_site(config: Config) -> JekyllSite:
    """The Jekyll site whose source folder is `config.posts_dir`."""
    source, found = _source(config)
    notes: list[str] = []
    settings = _settings(found, notes)
    data_dir = _folder(source, settings, "data_dir", "_data")
    data = _load_data(data_dir, notes) if data_dir else {}
    includes = _folder(source, settings, "includes_dir", "_includes")
    return JekyllSite(source, settings, data, includes, tuple(notes))
