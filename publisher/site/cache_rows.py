"""The cache's rows: what each column holds, and the checks a row passes to be used."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from publisher import __version__
from publisher.problems import Problem
from publisher.site.lazy import ContentSource, StoredPost
from publisher.site.post import Post
from publisher.site.stored import Unstorable, problems_data, problems_from
from publisher.site.stored_post import content_data, index_data, index_from, pack_body

# A file changed this close to the moment it was read may change again within the
# file system's timestamp granularity without any stamp moving: such a row is hashed
# again on the next run rather than trusted by its stamp.
RACY_NS = 2_000_000_000
IN_DOUBT = -1


def checksum(table: str, *columns: object) -> str:
    """What a row must carry to be used: its columns, under this publisher version."""
    # Each column with its type and length, so no two rows' columns can run into each
    # other; fed to the hash piece by piece, since a repr of a 10 KB body cost more
    # than parsing its front matter.
    digest = hashlib.sha256()
    for value in (__version__, table, *columns):
        if isinstance(value, str):
            data = value.encode("utf-8", "surrogatepass")
            digest.update(b"s%d:" % len(data))
            digest.update(data)
        elif value is None:
            digest.update(b"n;")
        elif type(value) is int:
            digest.update(b"i%d;" % value)
        elif type(value) is bytes:
            digest.update(b"b%d:" % len(value))
            digest.update(value)
        else:
            data = repr(value).encode("utf-8", "surrogatepass")
            digest.update(b"r%s%d:" % (type(value).__name__.encode(), len(data)))
            digest.update(data)
    return digest.hexdigest()


Stamp = tuple[int, int, int, int, int]  # size, mtime_ns, ctime_ns, inode, device


def stamp_of(stat: os.stat_result) -> Stamp:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev)


@dataclass(frozen=True)
class CachedPost:
    stamp: Stamp | None  # None: the file could not be read
    digest: str
    post: Post | None
    problems: tuple[Problem, ...]


Rows = tuple[tuple[Any, ...], tuple[Any, ...] | None]  # the posts row, its content row


def post_row(name: str, entry: CachedPost, now: int) -> Rows | None:
    """A cache entry -> the rows that store it; None if it cannot be kept as data."""
    if entry.stamp is None:
        return None
    size, mtime_ns, ctime_ns, inode, device = entry.stamp
    if max(mtime_ns, ctime_ns) > now - RACY_NS:
        ctime_ns = IN_DOUBT  # never matches a file: read and hashed next time
    try:
        post = entry.post
        if post is not None:
            values: list[Any] = [post.id, post.date.isoformat(), int(post.draft),
                                 json.dumps(list(post.series)), json.dumps(list(post.tags)),
                                 json.dumps(index_data(post))]
            # A file touched but not changed keeps its content row: re-reading it only to
            # write it back cost a fetch per file (and, in a worker, any warning).
            content = [] if isinstance(post, StoredPost) and not post.loaded else \
                [name, entry.digest, json.dumps(content_data(post)), pack_body(post.body)]
        else:
            values, content = [None] * 6, []
        problems = json.dumps(problems_data(entry.problems))
        row = [name, size, mtime_ns, ctime_ns, inode, device, entry.digest, *values, problems]
        for text in row + content:
            if isinstance(text, str):
                text.encode()  # a lone surrogate cannot be stored: parse it each time
        return ((*row, checksum("posts", *row)),
                (*content, checksum("content", *content)) if content else None)
    except (Unstorable, ValueError, TypeError, RecursionError):
        return None


def post_entry(row: Sequence[Any], source: ContentSource) -> CachedPost | None:
    """A posts row -> its entry (a StoredPost, its content read on first use), or None
    when it fails its checksum or is not a post."""
    *values, check = row
    if check != checksum("posts", *values):
        return None
    name, size, mtime_ns, ctime_ns, inode, device, digest, *_, index, problems = values
    try:
        post = None
        if index is not None:
            # id, date, draft, series and tags are read from `index`: their own columns
            # (covered by the same checksum) are there for queries that skip the rest.
            fields = index_from(json.loads(index))
            if fields["digest"] != digest or fields["name"] != name:
                return None
            post = StoredPost.of(fields, source)
        stamp = (size, mtime_ns, ctime_ns, inode, device)
        if not all(type(n) is int for n in stamp):
            return None
        found = () if problems == "[]" else problems_from(json.loads(problems))
        return CachedPost(stamp, digest, post, found)
    except (Unstorable, ValueError, TypeError, KeyError, RecursionError):
        return None


def content_checked(row: Sequence[Any]) -> bool:
    """Whether a content row (name, digest, content, body, checksum) is as stored."""
    *values, check = row
    return check == checksum("content", *values)


def rendered_parts(key: str, data: str, check: str) -> list[str] | None:
    if check != checksum("rendered", key, data):
        return None
    try:
        parts = json.loads(data)
    except (ValueError, TypeError, RecursionError):
        return None
    if not isinstance(parts, list) or len(parts) != 3 or not all(isinstance(p, str)
                                                                 for p in parts):
        return None
    return parts
