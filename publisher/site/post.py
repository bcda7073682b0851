"""The Post: one validated post, as every later stage sees it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

# Characters XML 1.0 forbids; they would make a feed unreadable.
XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# In UTF-8, what XML_ILLEGAL finds is one of these bytes or U+FFFE/U+FFFF (a lone
# surrogate does not encode at all).
_C0_BYTES = bytes(c for c in range(32) if c not in (9, 10, 13))

_POST_LINK = re.compile(r"\{%-?\s*(?:post_url|link)\b|\{\{[<%]\s*(?:rel)?ref\b")
@dataclass(frozen=True)
class Author:
    name: str
    email: str = ""
    uri: str = ""


@dataclass(frozen=True)
class Post:
    """A validated post. Body Markdown is kept raw: rendering happens on demand."""

    source: str  # path as shown to the user
    name: str  # file name relative to the posts folder, POSIX separators
    id: str
    title: str
    date: datetime
    updated: datetime
    slug: str
    url: str  # absolute
    tags: tuple[str, ...]
    categories: tuple[str, ...]
    series: tuple[str, ...]
    authors: tuple[Author, ...]
    excerpt: str | None  # Markdown from the front matter
    image: str | None  # absolute URL of the header image
    image_caption: str | None  # Markdown
    draft: bool
    body: str
    body_line: int
    fields: Mapping[str, Any]  # the front matter as written, for {{ page.* }}; read only
    digest: str = ""  # SHA-256 of the file: what the render cache is keyed by
    expires: datetime | None = None  # no longer published from then on (Hugo's expiryDate)
    listed: bool = True  # shown in feeds at all (Hugo's `build.list: never` is not)
    section: str = ""  # the top-level folder it is in, for generators with sections (Hugo)
    in_feeds: bool = True  # `feed: false` keeps it out of every feed
    in_newsletter: bool = True  # `newsletter: false` (or `email: false`): out of every issue

    @cached_property  # feed keys ask for every post on every run: scan the body once
    def links_to_posts(self) -> bool:
        """Whether its HTML depends on other posts' URLs (post_url, link, ref)."""
        return bool(_POST_LINK.search(self.body))

    @cached_property  # the same: feed keys ask, and the body may not be loaded yet
    def includes_relative(self) -> bool:
        """Whether its HTML depends on files beside it (`{% include_relative %}`)."""
        return "include_relative" in self.body

    @property
    def stem(self) -> str:
        """File name without folder or extension: what `{% post_url %}` names."""
        return self.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def clean_text(text: str) -> str:
    # A byte scan in C first: the regex alone took 6 % of reading a post (its body).
    try:
        data = text.encode()
    except UnicodeEncodeError:
        return XML_ILLEGAL.sub("", text)
    if len(data.translate(None, _C0_BYTES)) == len(data) and (
            text.isascii() or ("\ufffe" not in text and "\uffff" not in text)):
        return text
    return XML_ILLEGAL.sub("", text)


def one_line(text: str) -> str:
    return " ".join(clean_text(text).split())
