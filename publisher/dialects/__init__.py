"""What a site generator decides, described as data: the seam between generators.

Everything that differs between Jekyll, Hugo, Pelican and publisher's own defaults
(which files are posts, the front-matter names read, how a post is dated, its URL and
its feed id, which Markdown flavour and which templates in bodies, where the feeds live)
is a field of `Dialect`. Each generator's module under this package is the only place
its rules are written; the rest of the code asks `dialect_for(config)`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from publisher.config import Config

POST = "post"  # what `Dialect.post_kind` says of a post file


@dataclass(frozen=True)
class Markdown:
    """A Markdown flavour: the engine and how it is set up."""

    engine: str  # "python-markdown", "kramdown" (Jekyll), "goldmark" (Hugo)
    extensions: tuple[str, ...] = ()  # python-markdown's
    settings: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class FileFacts:
    """What a post's place in the posts folder says, before its front matter is read."""

    date: str | None  # the date its file name gives, as written ("2024-3-5"), if any
    slug: str  # the file name's slug part: no date, no extension ("My-Post")
    categories: tuple[str, ...] = ()  # from folders (Jekyll's `travel/_posts/`)
    section: str = ""  # Hugo's first folder under content/
    draft: bool = False  # a file the generator only shows as a draft (`_drafts/`)


@dataclass(frozen=True)
class Place:
    """What a post's URL and id are made of, once its front matter is read."""

    name: str  # file name relative to the posts folder
    file: FileFacts
    date: datetime  # the post's date, in the site's time zone
    title: str
    slug: str | None  # the `slug` field as written, if any
    permalink: str | None  # the post's own `permalink` (or Hugo's `url`) as written
    categories: tuple[str, ...]
    pattern: str  # the site's permalink pattern for this post
    # Every field as read, by its name as written (Pelican's URLs may use any of them)
    fields: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Dialect:
    name: str  # as written in `site.generator`
    label: str  # as `publish check` names it ("Jekyll 4")
    # Which files are posts: `enter(folder)` walks into a folder ("a/b", relative to
    # the posts folder); `post_kind(name, siblings)` is POST, "" (not a post), or why
    # the generator skips a file that looks like one (said once, in a note).
    enter: Callable[[str], bool]
    post_kind: Callable[[str, frozenset[str]], str]
    file_facts: Callable[[str], FileFacts]
    # Front-matter names, in the order they are looked for
    keys_folded: bool  # Hugo: `Title`, `TITLE` and `title` are one key
    blank_lines_first: bool  # front matter may follow blank lines (Hugo)
    duplicate_keys_fatal: bool  # a key written twice makes the file no post (Hugo)
    date_keys: tuple[str, ...]  # the date a post is published at
    expiry_keys: tuple[str, ...]  # the date it stops being published
    draft_keys: tuple[str, ...]  # `draft: true` keeps a post unpublished
    published_key: bool  # `published: false` does
    permalink_key: str  # the post's own URL pattern (Jekyll `permalink`, Hugo `url`)
    listed: Callable[[Callable[[str], Any]], bool]  # given the fields' getter: in feeds?
    local_url_dates: bool  # a URL's date parts are in the site's time zone (Jekyll)
    untitled: Callable[[str], str] | None  # a title from the file slug (Jekyll), or None
    undated: datetime | None  # the date of a post without one (Hugo lists it), or None
    updated_keys: tuple[str, ...]
    excerpt_keys: tuple[str, ...]
    image_keys: tuple[str, ...]  # dotted: "header.image" is `image` under `header`
    caption_keys: tuple[str, ...]
    # URLs and ids: the site path of a post, and its feed id (None: its URL)
    url_path: Callable[[Place], str]
    entry_id: Callable[[Place, str, str], str | None]  # (place, path, base URL)
    # Content
    markdown: Markdown
    body_templates: frozenset[str]  # "liquid" (Jekyll), "shortcodes" (Hugo)
    # Feeds: Atom, RSS 2.0 and JSON Feed file names in each feed's folder
    feed_files: tuple[str, str, str]
    # A tag, category or series name -> its folder under tags/, categories/, series/
    term_slug: Callable[[str], str]
    # Where `publish new` puts a post: (file name "2024-05-06-my-post.md", slug, draft,
    # the folders in the posts folder) -> its path there, and whether to write `draft:`.
    new_post: Callable[[str, str, bool, frozenset[str]], str] = (
        lambda name, slug, draft, folders: name)
    draft_field: bool = True
    section_feeds: bool = False  # a feed per top-level section, in its folder (Hugo)
    # Pelican: metadata is `Key: value` lines, not front matter. `meta_value(key, values)`
    # gives a key (lower case) and its lines' values -> (its value, None to drop it; a
    # warning or ""); a ValueError is the error. None: front matter (YAML, TOML, JSON).
    meta_value: Callable[[str, list[str]], tuple[Any, str]] | None = None
    # (file, fields' getter) -> (categories, tags) by the generator's own rules; None:
    # folders' categories, then `categories`, `category`, `tags` and `tag`.
    terms: Callable[[FileFacts, Callable[[str], Any]],
                    tuple[tuple[str, ...], tuple[str, ...]]] | None = None
    drafted: Callable[[Callable[[str], Any]], bool] | None = None  # Pelican's `Status: draft`
    # (place, path, base URL) -> the post's absolute URL; None: the base URL + the path
    post_url: Callable[[Place, str, str], str] | None = None
    dotfiles: bool = False  # files and folders whose names start with "." are read (Pelican)
    own_ids: bool = False  # `id: 42` (no scheme) names a post: publisher's own rule
    default_permalink: str = "/:year/:month/:day/:slug/"  # when site.permalink is empty
    # A category's feed where the generator's feed plugin puts it (jekyll-feed's
    # feed/<category>.xml): (folder, (Atom, RSS, JSON file names)); None: no such feeds.
    category_feed: Callable[[str], tuple[str, tuple[str, str, str]]] | None = None


def dialect_for(config: Config) -> Dialect:
    """The dialect of a site: `site.generator`."""
    # Imported here: each generator's module imports this one for the types above.
    from publisher.dialects import hugo, jekyll, pelican, plain

    if config.site.generator == "pelican":  # Pelican's settings are part of its rules
        return pelican.for_config(config)
    return {"publisher": plain.PLAIN, "jekyll": jekyll.JEKYLL,
            "hugo": hugo.HUGO}[config.site.generator]
