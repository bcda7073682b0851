"""`publish init`: a new site, or a publisher.toml for an existing Jekyll, Hugo or Pelican
blog.

The config is generated from `publisher.config.documented_keys()`, so it lists every key
with its meaning and default and never drifts from the schema. Jekyll's, Hugo's and
Pelican's settings are mapped to publisher's keys; what cannot be mapped becomes a note.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from publisher import shipped
from publisher.config import CONFIG_NAME, documented_keys, parse_config
from publisher.dialects.hugo_config import hugo_settings
from publisher.dialects.imported import EXAMPLE_URL, Settings, relative_path
from publisher.dialects.jekyll_config import jekyll_settings
from publisher.dialects.pelican_config import pelican_settings
from publisher.output import shown
from publisher.problems import PublisherError
from publisher.scaffold.new import post_text, write_new

if TYPE_CHECKING:  # cli imports this module to wire the command
    pass

_TOML_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n",
                 "\f": "\\f", "\r": "\\r"}


@dataclass(frozen=True)
class InitReport:
    """What `init_site` did: the config it wrote, every file written, notes for the user."""

    config: Path
    written: tuple[Path, ...]
    notes: tuple[str, ...]


def toml_value(value: Any) -> str:
    """A Python value as TOML: strings quoted and escaped, booleans, numbers, arrays."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return '"' + "".join(_TOML_ESCAPES.get(c) or (
            f"\\u{ord(c):04X}" if ord(c) < 0x20 or ord(c) == 0x7F else c)
            for c in value) + '"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML form for {value!r}")


def render_config(values: Mapping[str, Any], header: str) -> str:
    """publisher.toml text: every documented key with its doc sentence, commented out with
    its default, except those in `values`, which are set."""
    sections = {k: v for k, v in values.items() if k.startswith("permalinks.")}
    unknown = set(values) - set(sections) - {dotted for dotted, _, _ in documented_keys()}
    if unknown:
        raise ValueError(f"not config keys: {sorted(unknown)}")
    tables: dict[str, list[tuple[str, Any, str]]] = {}
    for dotted, default, doc in documented_keys():
        table, name = dotted.rsplit(".", 1)
        tables.setdefault(table, []).append((name, default, doc))
    lines = [f"# {line}" for line in header.splitlines()]
    for table, keys in tables.items():
        lines.append("")
        comment = ""
        if '"NAME"' in table:  # a template: an uncommented header would make a series
            lines.append(f"# One [{table}] table per series, NAME as written in the posts' "
                         "`series`;")
            lines.append("# remove the '# ' before the header and the keys you set.")
            comment = "# "
        lines.append(f"{comment}[{table}]")
        for name, default, doc in keys:
            lines.extend("# " + line for line in textwrap.wrap(doc, 86))
            dotted = f"{table}.{name}"
            if name == '"SECTION"':  # [permalinks]: one line per section given
                lines.extend(f"{toml_value(key.split('.', 1)[1])} = {toml_value(value)}"
                             for key, value in sections.items())
                lines.extend([] if sections else ['# "SECTION" = "/:year/:slug/"'])
            elif dotted in values:
                lines.append(f"{name} = {toml_value(values[dotted])}")
            elif default is None:
                lines.append(f"# {name} is not set by default")
            else:
                lines.append(f"# {name} = {toml_value(default)}")
    return "\n".join(lines).lstrip("\n") + "\n"


def new_site_settings() -> Settings:
    return Settings(
        {"site.title": "My blog", "site.url": EXAMPLE_URL, "site.timezone": "UTC"},
        (f"site.url is {EXAMPLE_URL}: set it to your site's public address",
         "site.timezone is UTC: set it to yours (e.g. Europe/Paris) for dates written "
         "without an offset"))


def _template(name: str) -> bytes:
    return shipped.read(name)


def _email_templates() -> list[tuple[str, bytes]]:
    folder = shipped.folder() / "email"
    return [(f"templates/email/{item.name}", item.read_bytes())
            for item in sorted(folder.iterdir(), key=lambda i: i.name)
            if item.is_file() and not item.name.startswith(".")]


def _sample_post(now: datetime) -> tuple[str, bytes]:
    moment = now.astimezone(UTC).replace(microsecond=0)
    fields = {"title": "Hello, world", "date": moment, "tags": ["publisher", "meta"],
              "series": "Notes",
              "excerpt": "What `publish init` made here, and what to do next."}
    body = _template("init/hello-world.md").decode("utf-8")
    return f"posts/{moment:%Y-%m-%d}-hello-world.md", post_text(fields, body).encode()


def init_site(target: Path, *, from_jekyll: Path | None = None,
              from_hugo: Path | None = None, from_pelican: Path | None = None,
              now: datetime | None = None) -> InitReport:
    """Write publisher.toml (and a starter site) into `target`; never overwrite a file.

    With `from_jekyll`/`from_hugo`/`from_pelican`, the config publishes that blog's posts
    where they are.
    `now` dates the sample post (default: the clock).
    """
    sources = [flag for flag, given in (("--from-jekyll", from_jekyll), ("--from-hugo", from_hugo),
                                        ("--from-pelican", from_pelican)) if given is not None]
    if len(sources) > 1:
        raise PublisherError(f"give {' or '.join(sources)}, not "
                             + ("both" if len(sources) == 2 else "all three"))
    target = Path(target)
    config_path = target / CONFIG_NAME
    if config_path.exists():
        raise PublisherError(f"{config_path}: already exists; publish init never overwrites "
                             "a file (edit it, or init another folder)")
    if target.exists() and not target.is_dir():
        raise PublisherError(f"{target}: is a file, not a folder")
    config_dir = target.resolve()
    if from_jekyll is not None:
        settings = jekyll_settings(Path(from_jekyll), config_dir)
        origin = f"from the Jekyll site in {relative_path(Path(from_jekyll).resolve(), config_dir)}"
    elif from_hugo is not None:
        settings = hugo_settings(Path(from_hugo), config_dir)
        origin = f"from the Hugo site in {relative_path(Path(from_hugo).resolve(), config_dir)}"
    elif from_pelican is not None:
        settings = pelican_settings(Path(from_pelican), config_dir)
        origin = ("from the Pelican site in "
                  f"{relative_path(Path(from_pelican).resolve(), config_dir)}")
    else:
        settings, origin = new_site_settings(), "for a new site"
    header = (f"publisher.toml, written by `publish init` {origin}.\n"
              "Every key is listed with what it means; a line '# key = value' shows the "
              "default:\nremove the '# ' to change it. Folders are relative to this file.")
    text = render_config(settings.values, header)
    parse_config(text, str(config_path), config_dir)  # what we write must load

    files = [(CONFIG_NAME, text.encode("utf-8"))]
    if not sources:
        files.append(_sample_post(now or datetime.now(UTC)))
    files += _email_templates()
    files.append((".gitignore", _template("init/gitignore")))
    written: list[Path] = []
    notes = list(settings.notes)
    target.mkdir(parents=True, exist_ok=True)
    for name, data in files:
        path = target / name
        if path.exists():
            notes.append(f"{shown(path)} already exists; left as it is" + (
                ": make sure it ignores out/, .publisher/ and publisher.db.lock"
                if name == ".gitignore" else ""))
            continue
        write_new(path, data.decode("utf-8"))
        written.append(path)
    return InitReport(config_path, tuple(written), tuple(notes))


