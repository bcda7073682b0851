"""Jekyll 4's rules: which files are posts, their dates, URLs and the ids jekyll-feed writes.

Read from Jekyll's own code (jekyll 4.3: `Document`, `Drops::UrlDrop`, `URL`,
`Utils.slugify`, `EntryFilter`; jekyll-feed 0.17's feed.xml) and checked against real
Jekyll builds by tests/test_parity_links.py. The posts folder of a Jekyll site is the
site's source folder: posts are the dated files of every `_posts/` in it.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from datetime import UTC, datetime
from urllib.parse import quote, unquote

from publisher.dialects import POST, Dialect, FileFacts, Markdown, Place
from publisher.dialects.imported import unknown_placeholders
from publisher.dialects.plain import PLAIN
from publisher.urls import term_slug

# Jekyll's named permalink styles (jekyllrb.com/docs/permalinks/#built-in-formats).
JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
MARKDOWN_EXTENSIONS = (".markdown", ".mkdown", ".mkdn", ".mkd", ".md")  # markdown_ext
# Document::DATE_FILENAME_MATCHER, on the file's name.
_DATED = re.compile(r"^(\d{2,4}-\d{1,2}-\d{1,2})-(.*)(\.[^.]+)$")
_SPECIAL = ("_", ".", "#", "~")  # EntryFilter: names Jekyll never reads
_NEVER_ENTERED = frozenset({"node_modules", "vendor"})  # in Jekyll's default `exclude`
_PRETTY_KEEPS = frozenset("._~!$&'()+,;=@")  # what Utils.slugify's "pretty" mode keeps
# What Addressable's normalize keeps raw in a path segment (RFC 3986 pchar).
_PCHAR = "!$&'()*+,;=:@-._~"


def jekyll_slugify(text: str, *, pretty: bool = False, cased: bool = False) -> str:
    """Utils.slugify in its "default" or "pretty" mode: each run of characters other than
    letters, marks and decimal digits (and, when pretty, `._~!$&'()+,;=@`) becomes one
    '-', none at either end; lower case unless `cased`."""
    kept = [c if unicodedata.category(c)[0] in "LM" or unicodedata.category(c) == "Nd"
            or (pretty and c in _PRETTY_KEEPS) else "\0" for c in text]
    slug = re.sub("\0+", "-", "".join(kept))
    slug = slug.removeprefix("-").removesuffix("-")
    return slug if cased else slug.lower()


def normalize_path(path: str) -> str:
    """A path as Addressable's URI#normalize leaves it (what `absolute_url` returns):
    each segment decoded, NFC, then encoded again outside pchar; dot segments removed."""
    segments = [quote(unicodedata.normalize("NFC", unquote(s)), safe=_PCHAR)
                for s in path.split("/")]
    joined = "/".join(segments)
    normal = posixpath.normpath(joined) if joined not in ("", "/") else "/"
    return normal + ("/" if joined.endswith("/") and normal != "/" else "")


def _enter(folder: str) -> bool:
    parts = folder.split("/")
    return not any(p in _NEVER_ENTERED or (p.startswith(_SPECIAL)
                                           and p not in ("_posts", "_drafts"))
                   for p in parts)


def _post_kind(name: str, siblings: frozenset[str]) -> str:
    folders, _, base = name.rpartition("/")
    parts = folders.split("/") if folders else []
    if base.startswith(_SPECIAL) or base.endswith("~"):
        return ""
    markdown = base.lower().endswith(MARKDOWN_EXTENSIONS)
    if "_posts" in parts:
        if not _DATED.match(base):
            return ("has no date in its name (YYYY-MM-DD-title.md): Jekyll does not "
                    "publish it, so publisher does not either")
        # An .html post is a post too (Jekyll renders no Markdown in it, nor do we).
        return POST if markdown or base.lower().endswith((".html", ".htm")) else ""
    return POST if "_drafts" in parts and markdown else ""


def _file_facts(name: str) -> FileFacts:
    folders, _, base = name.rpartition("/")
    parts = folders.split("/") if folders else []
    special = "_posts" if "_posts" in parts else "_drafts"
    above = parts[:parts.index(special)] if special in parts else []
    dated = _DATED.match(base)
    slug = dated.group(2) if dated else base.rsplit(".", 1)[0]
    return FileFacts(date=dated.group(1) if dated else None,
                     slug=slug.rstrip("."),  # "slugs shouldn't end with a period"
                     categories=tuple(above), draft=special == "_drafts")


def _placeholders(place: Place) -> dict[str, str]:
    """Drops::UrlDrop: every placeholder a permalink may use."""
    date: datetime = place.date
    slug = place.slug if place.slug else place.file.slug
    stem = place.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    categories = list(dict.fromkeys(c.lower() for c in place.categories))
    return {
        "collection": "posts", "name": jekyll_slugify(stem),
        "title": jekyll_slugify(slug, pretty=True, cased=True),
        "slug": jekyll_slugify(slug), "categories": "/".join(categories),
        "slugified_categories": "/".join(dict.fromkeys(
            jekyll_slugify(c) for c in place.categories)),
        "year": f"{date:%Y}", "month": f"{date:%m}", "day": f"{date:%d}",
        "hour": f"{date:%H}", "minute": f"{date:%M}", "second": f"{date:%S}",
        "i_day": str(date.day), "i_month": str(date.month), "short_month": f"{date:%b}",
        "long_month": f"{date:%B}", "short_year": f"{date:%y}", "w_year": f"{date:%G}",
        "week": f"{date:%V}", "w_day": f"{date:%u}", "short_day": f"{date:%a}",
        "long_day": f"{date:%A}", "y_day": f"{date:%j}", "output_ext": ".html",
    }


def expand(pattern: str, place: Place) -> str:
    """URL#generate_url_from_drop and #sanitize_url: the path Jekyll gives a post."""
    values = _placeholders(place)

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        for key in (name, name.removesuffix("_")) if name.endswith("_") else (name,):
            if key in values:
                return values[key] + match.group(0)[1 + len(key):]
        return match.group(0)  # Jekyll stops with an error; the note at init says so

    path = re.sub(r":([a-z_]+)", value, pattern)
    path = ("/" + path).replace("..", "/").replace("./", "")
    return re.sub(r"/{2,}", "/", path)


def _url_path(place: Place) -> str:
    return normalize_path(expand(place.permalink or place.pattern, place))


def _entry_id(place: Place, path: str, base_url: str) -> str:
    """jekyll-feed's `post.id | absolute_url`: Document#id is the URL's folder joined
    with the post's slug as written (no extension, no trailing slash)."""
    folder = posixpath.dirname(path.rstrip("/")) or "/"
    slug = place.slug if place.slug else place.file.slug
    return base_url + normalize_path(posixpath.join(folder, slug))


def permalink_notes(pattern: str, source: str) -> tuple[str, ...]:
    """Placeholders Jekyll itself does not know (a Jekyll build fails on them)."""
    sample = Place("x.md", FileFacts(None, "x"), datetime(2000, 1, 1, tzinfo=UTC), "x", None,
                   None, (), pattern)
    return unknown_placeholders(pattern, source, set(_placeholders(sample)), "Jekyll")


JEKYLL = Dialect(
    name="jekyll",
    label="Jekyll 4 (posts in _posts/, jekyll-feed's ids)",
    enter=_enter,
    post_kind=_post_kind,
    file_facts=_file_facts,
    keys_folded=False,
    blank_lines_first=False,
    duplicate_keys_fatal=False,
    date_keys=("date",),
    expiry_keys=(),
    draft_keys=(),  # Jekyll publishes a post that says `draft: true`
    published_key=True,
    permalink_key="permalink",
    listed=lambda get: True,
    local_url_dates=True,  # Jekyll formats dates in its own time zone (TZ=timezone)
    untitled=lambda slug: " ".join(w.capitalize() for w in slug.split("-")),  # titleize_slug
    undated=None,
    updated_keys=("last_modified_at", "modified", "updated", "last_modified", "lastmod"),
    excerpt_keys=PLAIN.excerpt_keys,
    image_keys=PLAIN.image_keys,
    caption_keys=PLAIN.caption_keys,
    url_path=_url_path,
    entry_id=_entry_id,
    markdown=Markdown(engine="kramdown"),  # with Jekyll's `input: GFM`
    body_templates=frozenset({"liquid"}),
    feed_files=PLAIN.feed_files,  # jekyll-feed's feed.xml
    term_slug=term_slug,
    # A post goes in _posts/; a draft in _drafts/, undated: Jekyll publishes neither
    # `draft: true` nor a dated file there until it moves.
    new_post=lambda name, slug, draft, folders: f"_drafts/{slug}.md" if draft
    else f"_posts/{name}",
    draft_field=False,
    default_permalink=JEKYLL_STYLES["date"],  # Jekyll's, when _config.yml names none
    category_feed=lambda name: ("feed", (f"{name}.xml", f"{name}.rss.xml", f"{name}.json")),
)
