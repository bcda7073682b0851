"""Hugo's rules: which files are pages, their keys, URLs, and the guids its RSS writes.

The posts folder of a Hugo site is its `content/`: every Markdown page in it, a leaf
bundle's `index.md` standing for its folder, `_index.md` (a section's list page) left
out. Front-matter keys are case-insensitive. A page's URL is its `url`, else the site's
permalink pattern with Hugo's tokens; Hugo's default is the page's folder and its slug
(or file name). The RSS guid is the permalink. Checked against real Hugo builds by
tests/test_parity_links.py.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from publisher.dialects import POST, Dialect, FileFacts, Markdown, Place
from publisher.dialects.imported import unknown_placeholders

SUFFIXES = (".md", ".markdown", ".mdown")
DEFAULT_PERMALINK = "/:sections/:slugorcontentbasename/"
_URL_KEEPS = frozenset("./_-#+~%")  # what Hugo's urlize keeps besides letters and digits
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")


def urlize(text: str) -> str:
    """Hugo's urlize/MakePath: spaces become '-', other symbols go (a '%' stays only as
    an escape, `%2F`), '.' and '..' segments go, lower case."""
    text = "-".join(text.strip().split())
    kept = "".join(c for i, c in enumerate(text)
                   if (c in _URL_KEEPS and (c != "%" or _ESCAPE.match(text, i)))
                   or unicodedata.category(c)[0] in "LMN").lower()
    return "/".join(s for s in kept.split("/") if s not in ("", ".", ".."))


@functools.lru_cache(maxsize=256)
def _is_bundle(siblings: frozenset[str]) -> bool:
    """Whether a folder holds an index.md: asked once per folder, not once per file (a
    frozenset keeps its hash, so a cached answer costs nothing: 10,000 posts in one
    folder took 100 million checks, 40 s)."""
    return any(s.lower().startswith("index.") and s.lower().endswith(SUFFIXES)
               for s in siblings)


def _post_kind(name: str, siblings: frozenset[str]) -> str:
    base = name.rsplit("/", 1)[-1]
    lowered = base.lower()
    if not lowered.endswith(SUFFIXES) or lowered.startswith("_index."):
        return ""
    bundle = _is_bundle(siblings)
    # In a leaf bundle (a folder with index.md) the other pages are its resources.
    return POST if not bundle or lowered.startswith("index.") else ""


def _file_facts(name: str) -> FileFacts:
    folders, _, base = name.rpartition("/")
    stem = base.rsplit(".", 1)[0]
    if stem.lower() == "index" and folders:  # a leaf bundle: the folder is the page
        folders, _, stem = folders.rpartition("/")
    return FileFacts(date=None, slug=stem, section=folders)


def _tokens(place: Place) -> dict[str, str]:
    date: datetime = place.date
    folders = place.file.section
    slug = urlize(place.slug) if place.slug else ""
    base = urlize(place.file.slug)
    return {
        "year": f"{date:%Y}", "month": f"{date:%m}", "monthname": f"{date:%B}".lower(),
        "day": f"{date:%d}", "weekday": str(date.isoweekday() % 7),
        "weekdayname": f"{date:%A}".lower(), "yearday": str(date.timetuple().tm_yday),
        "section": urlize(folders.split("/")[0]), "sections": urlize(folders),
        "title": urlize(place.title), "slug": slug or urlize(place.title),
        "filename": base, "contentbasename": base, "slugorfilename": slug or base,
        "slugorcontentbasename": slug or base,
    }


def _listed(get: Callable[[str], Any]) -> bool:
    """Hugo leaves out of its lists (and RSS) headless pages and `build` options that say
    so: `list: never`, `render: never`."""
    if get("headless") is True:
        return False
    return all(str(get(f"build.{k}")).lower() not in ("never", "false") for k in
               ("list", "render")) and get("_build.list") not in ("never", False)


def _url_path(place: Place) -> str:
    if place.permalink:  # `url` in the front matter: the page's URL, its dots resolved
        path = place.permalink.strip()
    else:
        tokens = _tokens(place)
        names = sorted(tokens, key=len, reverse=True)  # ':slugorfilename' before ':slug'
        path = re.sub(":(" + "|".join(names) + r")\b", lambda m: tokens[m.group(1)],
                      place.pattern or DEFAULT_PERMALINK)
    segments = [s for s in path.split("/") if s not in ("", ".", "..")]
    ends_in_file = bool(segments) and "." in segments[-1] and place.permalink is not None
    return "/" + "/".join(segments) + ("" if ends_in_file or not segments else "/")


def permalink_notes(pattern: str, source: str) -> tuple[str, ...]:
    """Tokens Hugo's permalinks do not have."""
    sample = Place("x.md", FileFacts(None, "x"), datetime(2000, 1, 1, tzinfo=UTC), "x", None,
                   None, (), pattern)
    return unknown_placeholders(pattern, source, set(_tokens(sample)), "Hugo")


HUGO = Dialect(
    name="hugo",
    label="Hugo (pages in content/, the permalink as RSS guid)",
    enter=lambda folder: True,
    post_kind=_post_kind,
    file_facts=_file_facts,
    keys_folded=True,
    blank_lines_first=True,
    duplicate_keys_fatal=True,
    # Hugo's [frontmatter] defaults: RSS dates a page by its publishDate.
    date_keys=("publishdate", "pubdate", "published", "date"),
    expiry_keys=("expirydate", "unpublishdate"),
    draft_keys=("draft",),
    published_key=False,  # `published` is a date to Hugo
    permalink_key="url",
    listed=_listed,
    local_url_dates=False,
    untitled=None,
    # Hugo lists a page without a date as the oldest; a feed needs some date: the epoch.
    undated=datetime(1970, 1, 1, tzinfo=UTC),
    updated_keys=("lastmod", "modified"),
    excerpt_keys=("summary", "description"),
    image_keys=("images", "image", "cover.image", "featured_image"),
    caption_keys=("cover.caption",),
    url_path=_url_path,
    entry_id=lambda place, path, base: None,  # <guid> is the permalink
    markdown=Markdown(engine="goldmark"),
    body_templates=frozenset({"shortcodes"}),
    feed_files=("atom.xml", "index.xml", "feed.json"),  # Hugo's RSS is index.xml
    term_slug=urlize,
    # In the posts section when there is one; Hugo takes no date from a file name.
    section_feeds=True,
    default_permalink=DEFAULT_PERMALINK,
    new_post=lambda name, slug, draft, folders: next(
        (f"{s}/{slug}.md" for s in ("posts", "post", "blog") if s in folders), f"{slug}.md"),
)
