"""`publish init`: a new site, or a publisher.toml for an existing Jekyll or Hugo blog.

The config is generated from `publisher.config.documented_keys()`, so it lists every key
with its meaning and default and never drifts from the schema. Jekyll's and Hugo's
settings are mapped to publisher's keys; what cannot be mapped becomes a note.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import textwrap
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from .config import CONFIG_NAME, documented_keys, parse_config
from .newpost import post_text, write_new
from .output import shown
from .problems import PublisherError
from .urls import expand_permalink

if TYPE_CHECKING:  # cli imports this module to wire the command
    from .cli import Console

EXAMPLE_URL = "https://example.org"
_TOML_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n",
                 "\f": "\\f", "\r": "\\r"}


@dataclass(frozen=True)
class InitReport:
    """What `init_site` did: the config it wrote, every file written, notes for the user."""

    config: Path
    written: tuple[Path, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Settings:
    """Values for publisher.toml (dotted key -> value) and what the user should know."""

    values: Mapping[str, Any]
    notes: tuple[str, ...] = ()


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
    unknown = set(values) - {dotted for dotted, _, _ in documented_keys()}
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
            if dotted in values:
                lines.append(f"{name} = {toml_value(values[dotted])}")
            elif default is None:
                lines.append(f"# {name} is not set by default")
            else:
                lines.append(f"# {name} = {toml_value(default)}")
    return "\n".join(lines).lstrip("\n") + "\n"


# Jekyll's named permalink styles (jekyllrb.com/docs/permalinks/#built-in-formats).
JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_PLACEHOLDER = re.compile(r":([A-Za-z_]+)")


def supported_placeholder(name: str) -> bool:
    """Does `publisher.urls.expand_permalink` replace `:name`? Asked, not hard-coded."""
    probe = f"/x:{name}/"
    return expand_permalink(probe, date=datetime(2000, 1, 1, tzinfo=UTC), slug="s",
                            title_slug="s", categories=("c",)) != probe


def permalink_notes(pattern: str, source: str) -> tuple[str, ...]:
    unknown = [n for n in dict.fromkeys(_PLACEHOLDER.findall(pattern))
               if not supported_placeholder(n)]
    if not unknown:
        return ()
    shown_names = " ".join(f":{n}" for n in unknown)
    return (f"site.permalink {pattern!r} (from {source}) uses {shown_names}, which publisher "
            "does not replace: post URLs will differ from the site's; edit site.permalink",)


def _text(value: Any) -> str:
    """One line of text from a config value; '' for a missing or non-scalar one."""
    if value is None or isinstance(value, dict | list | bool):
        return ""
    return " ".join(str(value).split())


def _site_url(url: str, source: str) -> tuple[str, tuple[str, ...]]:
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return url, ()
    return EXAMPLE_URL, (f"site.url: {source} gives no absolute address ({url!r}); set it to "
                         f"your site's public address (now {EXAMPLE_URL})",)


def _timezone(zone: str, source: str) -> tuple[dict[str, str], tuple[str, ...]]:
    if not zone:
        return {}, ()
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return {}, (f"site.timezone: {zone!r} (from {source}) is not an IANA time zone; "
                    "UTC is used until you set it",)
    return {"site.timezone": zone}, ()


def _author(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        found = {"author.name": _text(value.get("name")),
                 "author.email": _text(value.get("email")),
                 "author.uri": _text(value.get("uri") or value.get("url"))}
        return {k: v for k, v in found.items() if v}
    return {"author.name": _text(value)} if _text(value) else {}


def _relative(path: Path, start: Path) -> str:
    """`path` relative to `start` (the config's folder), absolute across drives.

    `path` is not resolved: a `_posts` that is a symlink stays `../blog/_posts`.
    """
    try:
        return Path(os.path.relpath(path, start)).as_posix()
    except ValueError:
        return path.as_posix()


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise PublisherError(f"{path}: cannot read it: {exc}") from None
    except yaml.YAMLError as exc:
        raise PublisherError(f"{path}: not valid YAML: {exc}".replace("\n", " ")) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PublisherError(f"{path}: expected key: value settings, not a "
                             f"{type(data).__name__}")
    return data


def jekyll_settings(site: Path, config_dir: Path) -> Settings:
    """publisher.toml values for the Jekyll site in `site`, read from its _config.yml."""
    path = site / "_config.yml"
    if not path.is_file():
        raise PublisherError(f"{path}: not found; --from-jekyll needs the folder of a "
                             "Jekyll site (the one with _config.yml and _posts/)")
    data = _read_yaml(path)
    source = "_config.yml"
    url, notes = _site_url(_text(data.get("url")).rstrip("/"), source)
    baseurl = _text(data.get("baseurl")).strip("/")
    values: dict[str, Any] = {"site.url": url.rstrip("/") + ("/" + baseurl if baseurl else "")}
    for name, key in (("title", "site.title"), ("description", "site.description"),
                      ("excerpt_separator", "site.excerpt_separator")):
        if _text(data.get(name)):
            values[key] = str(data[name]) if key == "site.excerpt_separator" else \
                _text(data[name])
    language = _text(data.get("lang") or data.get("locale"))
    if language:
        values["site.language"] = language.replace("_", "-")
    values.update(_author(data.get("author")))
    zone, zone_notes = _timezone(_text(data.get("timezone")), source)
    values.update(zone)
    # Without a permalink, Jekyll uses its 'date' style.
    permalink = _text(data.get("permalink")) or "date"
    permalink = JEKYLL_STYLES.get(permalink, permalink)
    permalink = permalink if permalink.startswith("/") else "/" + permalink
    values["site.permalink"] = permalink
    posts = site.resolve() / "_posts"
    values["site.posts"] = _relative(posts, config_dir)
    notes += zone_notes + permalink_notes(permalink, source)
    if not posts.is_dir():
        notes += (f"site.posts: {posts} does not exist; point site.posts at your posts",)
    if config_dir.is_relative_to(site.resolve()):
        notes += ("Jekyll copies files it does not know into _site: add publisher.toml, "
                  "publisher.db, templates and out to `exclude:` in _config.yml",)
    return Settings(values, notes)


HUGO_CONFIGS = ("hugo.toml", "config.toml", "hugo.yaml", "config.yaml", "hugo.yml",
                "config.yml")
# Hugo permalink tokens that name the file: publisher's ':slug' (the `slug` field, else
# the file name without its date).
_HUGO_FILE_TOKENS = ("filename", "slugorfilename", "contentbasename")


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
        data = _read_yaml(path)
    top, source = _lower_keys(data), path.name
    params = _lower_keys(top.get("params"))
    url, notes = _site_url(_text(top.get("baseurl")), source)
    values: dict[str, Any] = {"site.url": url}
    for key, value in (("site.title", top.get("title")),
                       ("site.description", params.get("description") or
                        top.get("description")),
                       ("site.language", top.get("languagecode"))):
        if _text(value):
            values[key] = _text(value)
    values.update(_author(params.get("author") or top.get("author")))
    zone, zone_notes = _timezone(_text(top.get("timezone")), source)
    values.update(zone)
    content = site.resolve() / "content"
    section = next((s for s in ("posts", "post") if (content / s).is_dir()), "")
    values["site.posts"] = _relative(content / section if section else content, config_dir)

    links = top.get("permalinks") if isinstance(top.get("permalinks"), dict) else {}
    tables = [links.get("page"), links] if isinstance(links.get("page"), dict) else [links]
    names = [section] if section else []
    names += [n for n in ("posts", "post") if n not in names]
    given = next((_text(t[n]) for n in names for t in tables if _text(t.get(n))), "")
    if given:
        permalink = _PLACEHOLDER.sub(lambda m: ":slug" if m.group(1) in _HUGO_FILE_TOKENS
                                     else section if m.group(1) in ("section", "sections")
                                     and section else m.group(0), given)
        notes += ("site.permalink: Hugo makes :title (and :slug, when a post has no `slug`) "
                  "from the post's title, publisher from its file name: compare a few post "
                  "URLs with your site",) if re.search(r":(title|slug)\b", given) else ()
    else:  # Hugo's default: the section, then the slug or file name
        permalink = f"/{section}/:slug/" if section else "/:slug/"
        notes += (f"site.permalink: {source} sets none; Hugo's default path is used "
                  f"({permalink})",)
    permalink = permalink if permalink.startswith("/") else "/" + permalink
    values["site.permalink"] = permalink
    notes += zone_notes + permalink_notes(permalink, source)
    return Settings(values, notes)


def new_site_settings() -> Settings:
    return Settings(
        {"site.title": "My blog", "site.url": EXAMPLE_URL, "site.timezone": "UTC"},
        (f"site.url is {EXAMPLE_URL}: set it to your site's public address",
         "site.timezone is UTC: set it to yours (e.g. Europe/Paris) for dates written "
         "without an offset"))


def _template(name: str) -> bytes:
    return resources.files("publisher").joinpath("templates", *name.split("/")).read_bytes()


def _email_templates() -> list[tuple[str, bytes]]:
    folder = resources.files("publisher").joinpath("templates", "email")
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
              from_hugo: Path | None = None, now: datetime | None = None) -> InitReport:
    """Write publisher.toml (and a starter site) into `target`; never overwrite a file.

    With `from_jekyll`/`from_hugo`, the config publishes that blog's posts where they are.
    `now` dates the sample post (default: the clock).
    """
    if from_jekyll is not None and from_hugo is not None:
        raise PublisherError("give --from-jekyll or --from-hugo, not both")
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
        origin = f"from the Jekyll site in {_relative(Path(from_jekyll).resolve(), config_dir)}"
    elif from_hugo is not None:
        settings = hugo_settings(Path(from_hugo), config_dir)
        origin = f"from the Hugo site in {_relative(Path(from_hugo).resolve(), config_dir)}"
    else:
        settings, origin = new_site_settings(), "for a new site"
    header = (f"publisher.toml, written by `publish init` {origin}.\n"
              "Every key is listed with what it means; a line '# key = value' shows the "
              "default:\nremove the '# ' to change it. Folders are relative to this file.")
    text = render_config(settings.values, header)
    parse_config(text, str(config_path), config_dir)  # what we write must load

    files = [(CONFIG_NAME, text.encode("utf-8"))]
    if from_jekyll is None and from_hugo is None:
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


def run(args: argparse.Namespace, console: Console) -> int:
    """`publish init [DIR]`: print each file written, the notes, and what to run next."""
    report = init_site(args.dir, from_jekyll=args.from_jekyll, from_hugo=args.from_hugo)
    for path in report.written:
        console.out(f"wrote {shown(path)}")
    for note in report.notes:
        console.out(f"note: {note}")
    folder = report.config.parent.resolve()
    go = "" if folder == Path.cwd().resolve() else f"cd {shlex.quote(shown(folder))} && "
    console.out(f"next: edit {CONFIG_NAME}, then run: {go}publish check && publish feed")
    return 0


def add_command(commands: Any, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """Add `init` to the CLI's subparsers (`parents`: the options every command shares)."""
    init = commands.add_parser(
        "init", parents=list(parents), help="start a site, or configure an existing blog",
        description="Write publisher.toml (every key, documented), the email templates and "
        "a .gitignore into DIR; for a new site also a sample post. With --from-jekyll or "
        "--from-hugo, the config is made from that blog's settings and publishes its "
        "posts where they are. Never overwrites a file.")
    init.add_argument("dir", metavar="DIR", nargs="?", type=Path, default=Path("."),
                      help="folder for publisher.toml (default: the current folder)")
    source = init.add_mutually_exclusive_group()
    source.add_argument("--from-jekyll", metavar="PATH", type=Path,
                        help="read the Jekyll site in PATH (_config.yml, _posts/)")
    source.add_argument("--from-hugo", metavar="PATH", type=Path,
                        help="read the Hugo site in PATH (hugo.toml or config.*, content/)")
    init.set_defaults(run=run)
