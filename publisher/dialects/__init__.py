"""What a site generator decides, described as data: the seam between generators.

Everything that differs between Jekyll, Hugo, Pelican and publisher's own defaults
(which files are posts, the front-matter names read, how a post's URL is made, which
Markdown flavour and which templates in bodies, where the feeds live) is a field of
`Dialect`. Each generator's module under this package is the only place its rules are
written; the rest of the code asks `dialect_for(config)`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from publisher.config import Config

# (pattern, date, slug, categories) -> a site path such as "/2024/05/06/my-post/"
PermalinkFn = Callable[[str, datetime, str, Sequence[str]], str]


@dataclass(frozen=True)
class Markdown:
    """A Markdown flavour: the engine and how it is set up."""

    engine: str  # "python-markdown"
    extensions: tuple[str, ...]
    settings: Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class Dialect:
    name: str
    # Which files are posts
    post_suffixes: tuple[str, ...]  # lower-case file endings
    not_posts: tuple[str, ...]  # lower-case file-name prefixes of pages that list posts
    drafts_folder: str  # a folder whose posts are drafts, dated by mtime when undated
    # Front-matter names, in the order they are looked for
    updated_keys: tuple[str, ...]
    excerpt_keys: tuple[str, ...]
    image_keys: tuple[str, ...]  # dotted: "header.image" is `image` under `header`
    caption_keys: tuple[str, ...]
    # URLs
    permalink: PermalinkFn
    # Content
    markdown: Markdown
    body_templates: frozenset[str]  # "liquid" (Jekyll), "shortcodes" (Hugo)
    # Feeds: Atom, RSS 2.0 and JSON Feed file names in each feed's folder
    feed_files: tuple[str, str, str]


def dialect_for(config: Config) -> Dialect:
    """The dialect of a site. Every site reads as publisher's own for now."""
    from publisher.dialects.plain import PLAIN  # the generators import this module

    return PLAIN
