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
from publisher.site.post import Post
from publisher.site.stored import Unstorable, post_columns, post_from, problems_data, problems_from

# A file changed this close to the moment it was read may change again within the
# file system's timestamp granularity without any stamp moving: such a row is hashed
# again on the next run rather than trusted by its stamp.
RACY_NS = 2_000_000_000
IN_DOUBT = -1


def checksum(table: str, *columns: object) -> str:
    """What a row must carry to be used: its columns, under this publisher version."""
    # The columns as one JSON array: no two rows' columns can run into each other.
    text = json.dumps([__version__, table, *columns], ensure_ascii=False, default=repr)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


Stamp = tuple[int, int, int, int, int]  # size, mtime_ns, ctime_ns, inode, device


def stamp_of(stat: os.stat_result) -> Stamp:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev)


@dataclass(frozen=True)
class CachedPost:
    stamp: Stamp | None  # None: the file could not be read
    digest: str
    post: Post | None
    problems: tuple[Problem, ...]


def post_row(name: str, entry: CachedPost, now: int) -> tuple[Any, ...] | None:
    """A cache entry -> the posts row that stores it; None if it cannot be kept as data."""
    if entry.stamp is None:
        return None
    size, mtime_ns, ctime_ns, inode, device = entry.stamp
    if max(mtime_ns, ctime_ns) > now - RACY_NS:
        ctime_ns = IN_DOUBT  # never matches a file: read and hashed next time
    try:
        if entry.post is not None:
            columns = post_columns(entry.post)
            body = columns["body"]
            values: list[Any] = [columns["id"], columns["date"], columns["draft"],
                                 json.dumps(columns["series"]), json.dumps(columns["tags"]),
                                 json.dumps(columns["post"]),
                                 hashlib.sha256(body.encode()).hexdigest(), body]
        else:
            values = [None] * 8
        problems = json.dumps(problems_data(entry.problems))
        row = [name, size, mtime_ns, ctime_ns, inode, device, entry.digest, *values, problems]
        meta = row[:13] + row[15:]  # the body is covered by its own digest, row[13]
        for text in row:
            if isinstance(text, str):
                text.encode()  # a lone surrogate cannot be stored: parse it each time
        return (*row, checksum("posts", *meta))
    except (Unstorable, ValueError, TypeError, RecursionError):
        return None


def post_entry(row: Sequence[Any]) -> CachedPost | None:
    """A posts row -> its entry, or None when it fails its checksum or is not a post."""
    *values, check = row
    meta = values[:13] + values[15:]
    if check != checksum("posts", *meta):
        return None
    name, size, mtime_ns, ctime_ns, inode, device, digest, *_, rest, body_digest, body, \
        problems = values
    try:
        post = None
        if rest is not None:
            if not isinstance(body, str) or \
                    hashlib.sha256(body.encode()).hexdigest() != body_digest:
                return None
            # id, date, draft, series and tags are read from `post`: their own columns
            # (covered by the same checksum) are there for queries that skip the rest.
            post = post_from(json.loads(rest), body)
            if post.digest != digest or post.name != name:
                return None
        stamp = (size, mtime_ns, ctime_ns, inode, device)
        if not all(type(n) is int for n in stamp):
            return None
        found = () if problems == "[]" else problems_from(json.loads(problems))
        return CachedPost(stamp, digest, post, found)
    except (Unstorable, ValueError, TypeError, KeyError, RecursionError):
        return None


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
