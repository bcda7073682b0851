"""`publish init --from-pelican`: publisher.toml values from pelicanconf.py, read as data.

A Pelican config is Python, and is never run: its top-level assignments of literal values
(strings, numbers, booleans, None, lists, tuples, dicts) are read with `ast`; anything
else is named in a note. publishconf.py, which builds the live site (and usually sets
SITEURL and the feeds), is read after it when it is beside it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

from publisher.dialects.imported import (
    Settings,
    one_line,
    relative_path,
    site_address,
    time_zone,
)
from publisher.dialects.pelican import ARTICLE_URL, FEED_ALL_ATOM, SLUG_SUBSTITUTIONS
from publisher.problems import PublisherError
from publisher.reading import read_text

CONFIGS = ("pelicanconf.py", "publishconf.py")
# Settings publisher maps, or must say something about.
READ = frozenset({
    "SITEURL", "SITENAME", "SITESUBTITLE", "TIMEZONE", "PATH", "ARTICLE_URL",
    "ARTICLE_SAVE_AS", "ARTICLE_LANG_URL", "DEFAULT_LANG", "AUTHOR", "FEED_ALL_ATOM",
    "FEED_ATOM", "FEED_ALL_RSS", "USE_FOLDER_AS_CATEGORY", "DEFAULT_CATEGORY",
    "FILENAME_METADATA", "ARTICLE_PATHS", "ARTICLE_EXCLUDES", "PAGE_PATHS",
    "WITH_FUTURE_DATES", "IGNORE_FILES", "RELATIVE_URLS",
})
# Pelican settings that change slugs, URLs or which files are articles, and that
# publisher does not reproduce, with Pelican's defaults: a note when the site differs.
UNSUPPORTED: dict[str, Any] = {
    "SLUGIFY_SOURCE": "title", "SLUG_REGEX_SUBSTITUTIONS": list(SLUG_SUBSTITUTIONS),
    "SLUGIFY_USE_UNICODE": False, "SLUGIFY_PRESERVE_CASE": False, "PATH_METADATA": "",
    "EXTRA_PATH_METADATA": {}, "DEFAULT_METADATA": {}, "DEFAULT_DATE": None,
    "TYPOGRIFY": False, "READERS": {}, "PLUGINS": None, "ARTICLE_TRANSLATION_ID": "slug",
}
_PLACEHOLDER = re.compile(r"\{([^{}:!]*)")
_KNOWN = frozenset({"slug", "date", "lang", "author", "category", "path", "title"})


def read_assignments(path: Path) -> tuple[dict[str, Any], tuple[str, ...]]:
    """UPPER_CASE names assigned literal values at the top level of a Python file."""
    try:
        tree = ast.parse(read_text(path), filename=str(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise PublisherError(f"{path}: cannot read it: "
                             f"{getattr(exc, 'strerror', None) or exc}") from None
    except (RecursionError, MemoryError):  # nesting deeper than Python's parser follows
        raise PublisherError(f"{path}: nested too deeply to read; Pelican settings are "
                             "values, lists and dicts a few levels deep") from None
    except SyntaxError as exc:
        raise PublisherError(f"{path}:{exc.lineno}: not valid Python: {exc.msg}") from None
    values: dict[str, Any] = {}
    notes: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name) and t.id.isupper()]
            if not names or node.value is None:
                continue
            try:
                value = ast.literal_eval(node.value)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                notes += [f"{n} in {path.name} (line {node.lineno}) is not a literal value; "
                          "it was not run, and publisher uses Pelican's default"
                          for n in names if n in READ or n in UNSUPPORTED]
                continue
            values.update(dict.fromkeys(names, value))
        elif not isinstance(node, ast.Import | ast.ImportFrom | ast.Expr):
            inner = {t.id for sub in ast.walk(node) if isinstance(sub, ast.Assign)
                     for t in sub.targets if isinstance(t, ast.Name)}
            notes += [f"{n} in {path.name} (line {node.lineno}) is set inside an if, for or "
                      "try: not read" for n in sorted(inner & (READ | set(UNSUPPORTED)))]
            if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) \
                    and node.target.id in READ:
                notes.append(f"{node.target.id} in {path.name} (line {node.lineno}) is "
                             "changed with an operator: not read")
    return values, tuple(notes)


def _folders(value: Any, name: str) -> tuple[list[str] | None, tuple[str, ...]]:
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return [v.replace("\\", "/") for v in value], ()
    return None, (f"{name} is not a list of folder names ({value!r}); Pelican's default "
                  "is used",)


def _pattern_notes(pattern: str, name: str) -> tuple[str, ...]:
    unknown = [p for p in dict.fromkeys(_PLACEHOLDER.findall(pattern)) if p not in _KNOWN]
    if not unknown:
        return ()
    shown = " ".join("{" + p + "}" for p in unknown)
    return (f"{name} {pattern!r} uses {shown}: publisher fills in a field of that name "
            "when the article has it, and nothing otherwise",)


def _saved_where_linked(url: str, save_as: str) -> bool:
    """Does ARTICLE_SAVE_AS write the file ARTICLE_URL links to (with index.html)?"""
    expected = url + "index.html" if url.endswith("/") or not url else url
    return expected.lstrip("/") == save_as.lstrip("/")


def pelican_settings(site: Path, config_dir: Path) -> Settings:
    """publisher.toml values for the Pelican site in `site`, read from pelicanconf.py."""
    path = site / CONFIGS[0]
    if not path.is_file():
        raise PublisherError(f"{path}: not found; --from-pelican needs the folder of a "
                             "Pelican site (the one with pelicanconf.py and content/)")
    data, notes = read_assignments(path)
    source = path.name
    if (site / CONFIGS[1]).is_file():  # what `make publish` builds the live site with
        published, more = read_assignments(site / CONFIGS[1])
        data.update(published)
        notes += more
        source = f"{CONFIGS[0]} and {CONFIGS[1]}"
    url, url_notes = site_address(one_line(data.get("SITEURL")).rstrip("/"), source)
    values: dict[str, Any] = {"site.generator": "pelican", "site.url": url}
    for name, key in (("SITENAME", "site.title"), ("SITESUBTITLE", "site.description"),
                      ("DEFAULT_LANG", "site.language"), ("AUTHOR", "author.name"),
                      ("DEFAULT_CATEGORY", "site.default_category")):
        if one_line(data.get(name)):
            values[key] = one_line(data[name])
    zone, zone_notes = time_zone(one_line(data.get("TIMEZONE")), source)
    values.update(zone)
    notes += url_notes + zone_notes
    content = one_line(data.get("PATH")) or ("content" if (site / "content").is_dir() else ".")
    content_dir = (site / content).resolve()
    values["site.posts"] = relative_path(content_dir, config_dir)
    if not content_dir.is_dir():
        notes += (f"site.posts: {content_dir} does not exist; point site.posts at the "
                  "folder of the site's articles (Pelican's PATH)",)
    article_url = data.get("ARTICLE_URL") if isinstance(data.get("ARTICLE_URL"), str) \
        else ARTICLE_URL
    values["site.permalink"] = "/" + article_url
    notes += _pattern_notes(article_url, "ARTICLE_URL")
    save_as = data.get("ARTICLE_SAVE_AS")
    if isinstance(save_as, str) and not _saved_where_linked(article_url, save_as):
        notes += (f"ARTICLE_URL {article_url!r} and ARTICLE_SAVE_AS {save_as!r} do not "
                  "name the same page: feed links follow ARTICLE_URL, as Pelican's do",)
    if isinstance(data.get("ARTICLE_LANG_URL"), str):
        values["site.lang_permalink"] = "/" + data["ARTICLE_LANG_URL"]
        notes += _pattern_notes(data["ARTICLE_LANG_URL"], "ARTICLE_LANG_URL")
    if isinstance(data.get("USE_FOLDER_AS_CATEGORY"), bool):
        values["site.folder_category"] = data["USE_FOLDER_AS_CATEGORY"]
    if isinstance(data.get("FILENAME_METADATA"), str):
        try:
            re.compile(data["FILENAME_METADATA"])
            values["site.filename_metadata"] = data["FILENAME_METADATA"]
        except re.error as exc:
            notes += (f"FILENAME_METADATA is not a regular expression ({exc}); Pelican's "
                      "default is used",)
    if "ARTICLE_PATHS" in data:
        folders, more = _folders(data["ARTICLE_PATHS"], "ARTICLE_PATHS")
        notes += more
        if folders is not None:
            values["site.article_paths"] = folders
    excludes: list[str] = []
    for name, default in (("ARTICLE_EXCLUDES", []), ("PAGE_PATHS", ["pages"])):
        folders, more = _folders(data.get(name, default), name)
        notes += more
        excludes += [f for f in (folders if folders is not None else default)
                     if f not in excludes]  # configure_settings: PAGE_PATHS are excluded
    values["site.article_excludes"] = excludes
    notes += _feed_settings(data, values)
    if data.get("WITH_FUTURE_DATES", True) is not False:
        notes += ("Pelican publishes articles dated later than now (WITH_FUTURE_DATES); run "
                  "publish feed --future to do the same",)
    if data.get("RELATIVE_URLS") is True:
        notes += ("RELATIVE_URLS = True: Pelican's feed links are then relative; publisher's "
                  "are absolute, against site.url",)
    if data.get("IGNORE_FILES", ["**/.*"]) != ["**/.*"]:
        notes += ("IGNORE_FILES is not reproduced: publisher reads the files it names",)
    notes += tuple(f"{name} is set: publisher does not reproduce it, so slugs, URLs or which "
                   "files are articles may differ from Pelican's"
                   for name, default in UNSUPPORTED.items()
                   if name in data and data[name] != default and data[name] != [])
    return Settings(values, notes)


def _feed_settings(data: dict[str, Any], values: dict[str, Any]) -> tuple[str, ...]:
    """site.feed_file: FEED_ALL_ATOM (every article, translations too), else FEED_ATOM."""
    atom = data.get("FEED_ALL_ATOM", FEED_ALL_ATOM)
    if isinstance(atom, str) and atom.strip() and not _in_output(atom):
        return (f"FEED_ALL_ATOM {atom!r} is not a .xml file in the output folder: publisher "
                f"writes the site feed at {FEED_ALL_ATOM}",)
    if isinstance(atom, str) and atom.strip():
        values["site.feed_file"] = atom.strip().lstrip("/")
        notes: tuple[str, ...] = ()
    elif isinstance(data.get("FEED_ATOM"), str) and _in_output(data["FEED_ATOM"]):
        values["site.feed_file"] = data["FEED_ATOM"].strip().lstrip("/")
        notes = ("FEED_ALL_ATOM is off: the site feed is written where FEED_ATOM is, with "
                 "every article (Pelican's FEED_ATOM leaves out translations)",)
    else:
        values["site.feed_file"] = FEED_ALL_ATOM
        notes = (f"FEED_ALL_ATOM and FEED_ATOM are off in the Pelican config: publisher "
                 f"writes the site feed at {FEED_ALL_ATOM}",)
    rss = data.get("FEED_ALL_RSS")
    folder = values["site.feed_file"].rpartition("/")[0]
    beside = f"{folder}/all.rss.xml" if folder else "all.rss.xml"
    if isinstance(rss, str) and rss.strip().lstrip("/") != beside:
        notes += (f"FEED_ALL_RSS {rss!r}: publisher's RSS is {beside}",)
    return notes


def _in_output(path: str) -> bool:
    """A feed path publisher.toml accepts (see config's site.feed_file)."""
    path = path.strip().replace("\\", "/").lstrip("/")
    return bool(path) and path.endswith(".xml") and ".." not in path.split("/")
