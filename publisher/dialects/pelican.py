"""Pelican 4's rules: which files are articles, their metadata, URLs and Atom ids.

Read from Pelican 4.12's own code (`settings.DEFAULT_CONFIG`; `readers.MarkdownReader`,
`METADATA_PROCESSORS`, `parse_path_metadata`; `contents.Content` and `Article`;
`generators.Generator.get_files` and `ArticlesGenerator`; `utils.slugify`, `get_date`;
`writers.Writer._add_item_to_the_feed`, with feedgenerator's `get_tag_uri` and
`iri_to_uri`) and checked against real Pelican builds by tests/test_parity_links.py.

The posts folder of a Pelican site is its PATH (`content/`). Articles are the Markdown
files of ARTICLE_PATHS (all of it) but ARTICLE_EXCLUDES and PAGE_PATHS (`pages/`); their
metadata is `Key: value` lines (publisher/site/meta.py). An entry's link is ARTICLE_URL
joined to SITEURL; its id is a `tag:` URI made of the link's host and path and the
article's date.
"""

from __future__ import annotations

import contextlib
import functools
import posixpath
import re
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import quote, urljoin, urlparse

from dateutil import parser as date_parser
from markupsafe import Markup

from publisher.config import Config, SiteConfig
from publisher.dialects import POST, Dialect, FileFacts, Markdown, Place
from publisher.dialects.plain import PLAIN
from publisher.problems import PublisherError
from publisher.urls import term_slug

try:  # what Pelican's slugify transliterates with; GPL, so an extra: publisher[pelican]
    from unidecode import unidecode
except ImportError:  # pragma: no cover - checked by for_config
    unidecode = None

SUFFIXES = ("md", "markdown", "mkd", "mdown")  # MarkdownReader.file_extensions; case counts
OTHER_READERS = {"rst": "reStructuredText", "html": "HTML", "htm": "HTML"}
ARTICLE_URL = "{slug}.html"  # DEFAULT_CONFIG
DRAFT_URL, DRAFT_LANG_URL = "drafts/{slug}.html", "drafts/{slug}-{lang}.html"
FEED_ALL_ATOM = "feeds/all.atom.xml"
STATUSES = ("published", "hidden", "draft", "skip")  # Article.allowed_statuses
# SLUG_REGEX_SUBSTITUTIONS, applied with re.IGNORECASE after transliteration.
SLUG_SUBSTITUTIONS = ((r"[^\w\s-]", ""), (r"(?u)\A\s*", ""), (r"(?u)\s*\Z", ""),
                      (r"[-\s]+", "-"))
# DUPLICATES_DEFINITIONS_ALLOWED: keys whose first value is used when written twice.
SINGLE = frozenset({"tags", "date", "modified", "status", "category", "author", "save_as",
                    "url", "authors", "slug"})
_DEFAULT_PERMALINK = SiteConfig().permalink  # publisher's own: not a Pelican pattern


def pelican_slugify(text: str) -> str:
    """utils.slugify with Pelican's defaults: tags stripped, NFKC, ASCII, lower case."""
    value = unicodedata.normalize("NFKC", Markup(text).striptags())
    value = unidecode(value) if unidecode is not None else value
    for pattern, replacement in SLUG_SUBSTITUTIONS:
        value = re.sub(pattern, replacement, value, flags=re.IGNORECASE)
    return value.lower().strip()


def pelican_date(text: str) -> datetime:
    """utils.get_date: dateutil's parser, which fills what the text lacks from today; a
    date that depends on the day of the build is refused instead."""
    text = re.sub(" +", " ", text)
    found = []
    for default in (datetime(2001, 1, 1), datetime(2002, 3, 3)):  # noqa: DTZ001
        try:
            with warnings.catch_warnings():  # an unknown zone name: naive, as in Pelican
                warnings.simplefilter("ignore")
                found.append(date_parser.parse(text, default=default))
        except (ValueError, OverflowError):
            raise ValueError(f"{text!r} is not a date Pelican reads; write it as 2024-03-02 "
                             "or 2024-03-02 10:00") from None
    if found[0] != found[1]:
        raise ValueError(f"{text!r} has no year, month or day: Pelican would take them from "
                         "the day it builds; write the whole date, e.g. 2024-03-02")
    return found[0]


def meta_value(key: str, values: list[str]) -> tuple[Any, str]:
    """MarkdownReader._parse_metadata and METADATA_PROCESSORS: one key's lines -> its value
    (None: Pelican drops it) and a warning."""
    note = ""
    if key in SINGLE and len(values) > 1:
        note = "written twice (or continued on the next line); Pelican uses the first value"
        values = values[:1]
    first = values[0]
    if key in ("tags", "authors"):  # ensure_metadata_list: `;` splits, else `,`
        items = first.split(";") if ";" in first else first.split(",")
        return list(dict.fromkeys(i.strip() for i in items if i.strip())) or None, note
    if key == "date":
        return pelican_date(first.replace("_", " ")), note
    if key == "modified":
        return pelican_date(first), note
    if key == "status":
        status = first.strip().lower()
        if status and status not in STATUSES:
            raise ValueError(f"{first.strip()!r} is not a status Pelican knows (it skips the "
                             "file); write published, draft or hidden")
        return status or None, note
    if key in ("category", "author", "slug"):
        return first.strip() or None, note
    if key == "summary":  # a FORMATTED_FIELD: every line, as Markdown
        return "\n".join(values), note
    if key == "title":  # Pelican keeps a list; its slug is the same as the joined title's
        return " ".join(values), note
    return (values[0] if len(values) == 1 else list(values)), note


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:  # a placeholder the article has no value for
        return ""


def _stem(name: str) -> str:
    return posixpath.splitext(name.rsplit("/", 1)[-1])[0]


def make_dialect(site: SiteConfig, author: str) -> Dialect:
    """The dialect for a site's Pelican settings (those publisher.toml holds)."""
    paths = tuple(p.strip("/") for p in site.article_paths)
    # Generator.get_files prunes an exclude's last folder under its parent only.
    excluded = {posixpath.split(posixpath.join("", e)) for e in site.article_excludes}
    name_pattern = re.compile(site.filename_metadata)
    default_lang = site.language.lower()
    pattern_default = "/" + ARTICLE_URL

    def in_paths(path: str) -> bool:
        return any(not p or path == p or path.startswith(p + "/") for p in paths)

    def pruned(folder: str) -> bool:
        parts = folder.split("/")
        return any(("/".join(parts[:i]), parts[i]) in excluded for i in range(len(parts)))

    def enter(folder: str) -> bool:
        # An article path's parent folders are walked too, to reach it.
        reaches = in_paths(folder) or any(p.startswith(folder + "/") for p in paths)
        return reaches and not pruned(folder)

    def post_kind(name: str, siblings: frozenset[str]) -> str:
        folder = name.rpartition("/")[0]
        if not in_paths(name) or (folder and pruned(folder)):
            return ""
        suffix = posixpath.splitext(name.rsplit("/", 1)[-1])[1][1:]
        if suffix in SUFFIXES:
            return POST
        if suffix in OTHER_READERS:
            return (f"is {OTHER_READERS[suffix]}: Pelican publishes it, publisher reads "
                    "Markdown only, so its feeds leave it out")
        return ""

    def name_metadata(name: str) -> dict[str, str]:
        """parse_path_metadata: FILENAME_METADATA's groups, then the folder as category."""
        found: dict[str, str] = {}
        match = name_pattern.match(_stem(name)) if _stem(name) else None
        for group, value in (match.groupdict() if match else {}).items():
            if value is not None:
                found.setdefault(group.lower(), value.strip())
        folder = posixpath.basename(name.rpartition("/")[0])
        if site.folder_category and folder:
            found.setdefault("category", folder.strip())
        return {k: v for k, v in found.items() if v}

    def file_facts(name: str) -> FileFacts:
        found = name_metadata(name)
        category = found.get("category") or site.default_category.strip()
        date = found.get("date")
        # As the `date` processor reads it (the day: what a file name dates); if it is no
        # date, read_post says so.
        with contextlib.suppress(ValueError):
            date = f"{pelican_date(date.replace('_', ' ')):%Y-%m-%d}" if date else None
        return FileFacts(date=date, slug=found.get("slug") or _stem(name),
                         categories=(category,) if category else ())

    def terms(file: FileFacts, get: Callable[[str], Any]) -> tuple[tuple[str, ...],
                                                                    tuple[str, ...]]:
        category = get("category")
        categories = (category,) if isinstance(category, str) else file.categories
        tags = get("tags")
        return categories, tuple(tags) if isinstance(tags, list) else ()

    def values(place: Place) -> dict[str, Any]:
        """Content.url_format: every metadata text, then the URL's own values."""
        fields = {str(k).lower(): v for k, v in place.fields.items()}
        found: dict[str, Any] = {k: v for k, v in {**name_metadata(place.name),
                                                    **fields}.items() if isinstance(v, str)}
        authors = fields.get("authors")
        writer = fields.get("author") or (authors[0] if isinstance(authors, list) else author)
        slug = place.slug or name_metadata(place.name).get("slug") or \
            pelican_slugify(place.title)
        found.update(path=place.name, slug=slug, date=place.date, reader="markdown",
                     lang=fields.get("lang") if isinstance(fields.get("lang"), str)
                     else default_lang,
                     author=pelican_slugify(writer) if isinstance(writer, str) else "",
                     category=pelican_slugify(place.categories[0]) if place.categories
                     else "")
        return found

    def url_path(place: Place) -> str:
        """Content.url: the `URL:` as written, else ARTICLE_URL (ARTICLE_LANG_URL when not in
        the default language; DRAFT_URL for a draft) with the article's values."""
        if place.permalink is not None:
            return place.permalink
        found = values(place)
        default = found["lang"] == default_lang
        status = {str(k).lower(): v for k, v in place.fields.items()}.get("status")
        if status == "draft":
            pattern = DRAFT_URL if default else DRAFT_LANG_URL
        else:
            pattern = place.pattern if default else site.lang_permalink
            pattern = pattern_default if pattern == _DEFAULT_PERMALINK else pattern
            pattern = pattern[1:] if pattern.startswith("/") else pattern
        try:
            return pattern.format_map(_Blank(found))
        except (ValueError, TypeError, IndexError, AttributeError, KeyError):
            return pattern  # Pelican stops on it; init notes such patterns

    def link(path: str, base: str) -> str:
        return urljoin(base + "/", path)  # the Writer's urljoiner

    def entry_id(place: Place, path: str, base: str) -> str | None:
        """feedgenerator's get_tag_uri(link, date): host, the article's date as written (or
        in TIMEZONE), the link's path as it is, unquoted. An `Id:` (which Pelican ignores)
        keeps an id that changed: None, the reader's `id`."""
        if any(str(k).lower() == "id" for k in place.fields):
            return None
        bits = urlparse(link(path, base))
        fragment = f"/{bits.fragment}" if bits.fragment else ""
        return f"tag:{bits.hostname},{place.date:%Y-%m-%d}:{bits.path}{fragment}"

    def post_url(place: Place, path: str, base: str) -> str:
        return quote(link(path, base), safe="/#%[]=:;$&()+,!?*@'~")  # iri_to_uri

    atom = site.feed_file or FEED_ALL_ATOM
    folder = posixpath.dirname(atom)
    return replace(
        PELICAN,
        enter=enter, post_kind=post_kind, file_facts=file_facts, terms=terms,
        url_path=url_path, entry_id=entry_id, post_url=post_url,
        feed_files=(atom, posixpath.join(folder, "all.rss.xml"),
                    posixpath.join(folder, "all.json")),
    )


@functools.lru_cache(maxsize=8)
def _cached(site: SiteConfig, author: str) -> Dialect:
    return make_dialect(site, author)


def for_config(config: Config) -> Dialect:
    """The Pelican dialect of this site's settings."""
    if unidecode is None:
        raise PublisherError("site.generator = \"pelican\" needs Unidecode, which Pelican's "
                             "slugs are made with: pip install 'publisher[pelican]'")
    return _cached(config.site, config.author.name)


PELICAN = Dialect(
    name="pelican",
    label="Pelican 4 (articles in content/, Key: value metadata, tag: ids)",
    enter=lambda folder: True,  # replaced by make_dialect, as the settings say
    post_kind=lambda name, siblings: "",
    file_facts=PLAIN.file_facts,
    keys_folded=True,  # MarkdownReader lower-cases every key
    blank_lines_first=False,
    duplicate_keys_fatal=False,
    date_keys=("date",),
    expiry_keys=(),
    draft_keys=(),  # Status: draft
    published_key=False,
    permalink_key="url",  # `URL:` overrides ARTICLE_URL, as written
    listed=lambda get: get("status") not in ("hidden", "skip"),  # hidden: built, unlisted
    local_url_dates=False,  # {date:%Y} and the id's date: as written, else in TIMEZONE
    untitled=None,
    undated=None,
    updated_keys=("modified",),
    excerpt_keys=("summary",),
    image_keys=("image", "cover", "og_image"),
    caption_keys=(),
    url_path=lambda place: "",
    entry_id=lambda place, path, base: None,
    # DEFAULT_CONFIG["MARKDOWN"]: codehilite (class "highlight"), extra, meta.
    markdown=Markdown(engine="python-markdown", extensions=("codehilite", "extra"),
                      settings={"codehilite": {"css_class": "highlight"}}),
    body_templates=frozenset(),
    feed_files=(FEED_ALL_ATOM, "feeds/all.rss.xml", "feeds/all.json"),
    term_slug=term_slug,
    draft_field=False,
    meta_value=meta_value,
    drafted=lambda get: get("status") == "draft",
    dotfiles=True,  # IGNORE_FILES' "**/.*" is matched on base names: it matches none
    default_permalink="",  # ARTICLE_URL's default, `{slug}.html`, chosen in url_path
)
