"""publisher's own rules: what a site without a generator of its own reads as.

They accept the spellings of Jekyll and Hugo at once (a post may say `lastmod` or
`last_modified_at`, a body may hold Liquid or shortcodes), so that a folder of posts
copied from either publishes as it is. URLs take Jekyll's placeholders.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from markdown.extensions.toc import slugify_unicode

from publisher.dialects import POST, Dialect, FileFacts, Markdown, Place
from publisher.urls import slugify, term_slug


def expand_permalink(pattern: str, *, date: datetime, slug: str, title_slug: str,
                     categories: Sequence[str]) -> str:
    """Jekyll permalink placeholders -> a site path starting and (usually) ending with '/'."""
    values = {
        "year": f"{date.year:04d}", "month": f"{date.month:02d}", "day": f"{date.day:02d}",
        "i_month": str(date.month), "i_day": str(date.day),
        "short_year": f"{date.year % 100:02d}", "hour": f"{date.hour:02d}",
        "minute": f"{date.minute:02d}", "second": f"{date.second:02d}",
        "title": title_slug, "slug": slug,
        "categories": "/".join(slugify(c) for c in categories),
        "output_ext": ".html",
    }
    names = sorted(values, key=len, reverse=True)  # ':i_month' before ':month'
    placeholder = re.compile(":(" + "|".join(names) + r")(?![A-Za-z0-9_])")
    path = placeholder.sub(lambda m: values[m.group(1)], pattern)
    # An empty ':categories' must not leave '//' behind; '..' must not climb out.
    segments = [s for s in path.split("/") if s not in ("", ".", "..")]
    trailing = "/" if path.endswith("/") or not segments else ""
    return "/" + "/".join(segments) + (trailing if segments else "")


SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")
_DATED = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})-")
DRAFTS = "_drafts"


def _post_kind(name: str, siblings: frozenset[str]) -> str:
    base = name.rsplit("/", 1)[-1].lower()
    # Hugo's _index.md pages list a section's posts; they are not posts.
    return POST if base.endswith(SUFFIXES) and not base.startswith("_index.") else ""


def _file_facts(name: str) -> FileFacts:
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if stem == "index" and "/" in name:  # a Hugo page bundle: folder/index.md
        stem = name.rsplit("/", 2)[-2]
    dated = _DATED.match(stem)
    folders = name.rpartition("/")[0]
    return FileFacts(date=dated.group(1) if dated else None,
                     slug=stem[dated.end():] if dated else stem,
                     section=folders.split("/")[0] if folders else "",  # for [permalinks]
                     draft=name.startswith(f"{DRAFTS}/") or f"/{DRAFTS}/" in name)


def _url_path(place: Place) -> str:
    slug = slugify(place.slug if place.slug and place.slug.strip() else place.file.slug)
    return expand_permalink(place.permalink or place.pattern, date=place.date, slug=slug,
                            title_slug=slug, categories=place.categories)


PLAIN = Dialect(
    name="publisher",
    label="publisher (Jekyll's and Hugo's spellings both read)",
    enter=lambda folder: True,
    post_kind=_post_kind,
    file_facts=_file_facts,
    keys_folded=False,
    blank_lines_first=False,
    duplicate_keys_fatal=False,
    date_keys=("date",),
    expiry_keys=(),
    draft_keys=("draft",),
    published_key=True,
    permalink_key="permalink",
    listed=lambda get: True,
    local_url_dates=False,
    untitled=None,
    undated=None,
    updated_keys=("modified", "last_modified_at", "lastmod", "updated", "last_modified"),
    excerpt_keys=("excerpt", "summary", "description"),
    image_keys=("header.overlay_image", "header.image", "header.teaser", "image",
                "featured_image", "featured-image", "feature-img", "feature_image", "cover"),
    caption_keys=("header.caption",),
    url_path=_url_path,
    entry_id=lambda place, path, base: None,
    markdown=Markdown(
        engine="python-markdown",
        extensions=("fenced_code", "tables", "footnotes", "attr_list", "def_list",
                    "sane_lists", "md_in_html", "abbr", "toc"),
        settings={
            # kramdown gives every heading an id; links like [x](#the-end) rely on it.
            "toc": {"slugify": slugify_unicode, "permalink": False},
            "footnotes": {"UNIQUE_IDS": False},
        },
    ),
    body_templates=frozenset({"liquid", "shortcodes"}),
    feed_files=("feed.xml", "rss.xml", "feed.json"),
    term_slug=term_slug,
    own_ids=True,
)
