"""Posts from the cache whose content is read on first use.

A run over 10,000 posts lists, sorts and plans its feeds from every post's index, but
shows the title, front matter and body of a hundred: decoding the rest cost most of a
rebuild. A `StoredPost` is a `Post` whose index fields are set and whose content fields
are fetched from the cache's `content` table the first time one is asked for; code that
reads a Post cannot tell the difference (equality, hashing and `replace` read every
field, and so fetch it).

The content row is checked like every row (its checksum, and the file digest the index
row names); one that fails is dropped with a warning and the file is parsed again, so
what reaches an output is always the file's. Each process (render workers are forked)
opens its own read connection.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import fields
from pathlib import Path
from typing import Any

from publisher.problems import PublisherError
from publisher.site.post import Post
from publisher.site.stored import Unstorable
from publisher.site.stored_post import CONTENT_FIELDS, content_from, unpack_body

_CONNECTIONS: dict[tuple[int, str], sqlite3.Connection] = {}


def close_sources(db_path: Path) -> None:
    """Close this process's read connection to a cache file (the run is over)."""
    db = _CONNECTIONS.pop((os.getpid(), str(db_path)), None)
    if db is not None:
        db.close()


class ContentSource:
    """Where a StoredPost's content comes from: the cache file, else the post file."""

    def __init__(self, db_path: Path, config: Any, warnings: list[str]) -> None:
        self.db_path, self.config, self.warnings = db_path, config, warnings
        self.counts = {False: 0, True: 0}  # damaged rows, missing rows
        self.said: int | None = None  # where this source's warning is in `warnings`

    def __getstate__(self) -> dict[str, Any]:  # to a worker: its warnings stay there
        return {**self.__dict__, "warnings": [], "counts": {False: 0, True: 0},
                "said": None}

    def _db(self) -> sqlite3.Connection:
        key = (os.getpid(), str(self.db_path))
        if key not in _CONNECTIONS:  # a connection never crosses a fork
            # mode=rw: a cache deleted meanwhile is not made again, empty, beside its WAL
            _CONNECTIONS[key] = sqlite3.connect(f"{self.db_path.as_uri()}?mode=rw",
                                                uri=True, timeout=10)
        return _CONNECTIONS[key]

    def content(self, post: StoredPost) -> dict[str, Any]:
        from publisher.site.cache_rows import content_checked

        try:
            row = self._db().execute("SELECT name, digest, content, body, checksum FROM "
                                     "content WHERE name = ?", (post.name,)).fetchone()
        except sqlite3.Error:
            row = None
        if row is not None and row[1] == post.digest and content_checked(row):
            try:
                return content_from(json.loads(row[2]), unpack_body(row[3]))
            except (Unstorable, ValueError, TypeError, RecursionError):
                pass
        self._lost(missing=row is None)
        self._forget(post.name)
        return self._parsed(post)

    def _lost(self, missing: bool) -> None:
        """One warning for the run, its count kept up to date."""
        self.counts[missing] += 1
        damaged, gone = self.counts[False], self.counts[True]
        parts = ([f"{damaged} damaged content row(s) failed their checksum and were "
                  "discarded"] if damaged else []) + \
            ([f"{gone} content row(s) were missing"] if gone else [])
        text = (f"{self.db_path.parent.name}/{self.db_path.name}: {'; '.join(parts)} "
                "(rebuilt from the files)")
        if self.said is not None and self.said < len(self.warnings):
            self.warnings[self.said] = text
        else:
            self.said = len(self.warnings)
            self.warnings.append(text)

    def _forget(self, name: str) -> None:
        """The index row goes too: the next run parses the file and stores both."""
        try:
            with self._db() as db:
                db.execute("DELETE FROM posts WHERE name = ?", (name,))
                db.execute("DELETE FROM content WHERE name = ?", (name,))
        except sqlite3.Error:
            pass

    def _parsed(self, post: StoredPost) -> dict[str, Any]:
        from publisher.reading import read_regular
        from publisher.site.reader import read_post

        path = self.config.posts_dir / post.name
        try:
            data, stat = read_regular(path)
        except OSError as exc:
            raise PublisherError(f"{post.source}: cannot read it again ({exc.strerror}); "
                                 "run the command again") from None
        if hashlib.sha256(data).hexdigest() != post.digest:
            raise PublisherError(f"{post.source}: changed while publishing; run the command "
                                 "again")
        parsed, _ = read_post(data, post.name, post.source, self.config, stat.st_mtime,
                              post.digest)
        if parsed is None:
            raise PublisherError(f"{post.source}: no longer a valid post; run the command "
                                 "again")
        return {name: getattr(parsed, name) for name in CONTENT_FIELDS}


class StoredPost(Post):
    """A Post from the cache: its index set, its content fetched on first use."""

    @classmethod
    def of(cls, index: dict[str, Any], source: ContentSource) -> StoredPost:
        post = object.__new__(cls)  # frozen: fields are set in its dict, as pickle does
        post.__dict__.update(index)
        post.__dict__["_source"] = source
        return post

    @property
    def loaded(self) -> bool:
        """Whether its content was read."""
        return "body" in self.__dict__

    def __eq__(self, other: object) -> bool:
        # Post's own __eq__ wants the same class: a post from the cache equals the
        # post parsed from the same file.
        if not isinstance(other, Post):
            return NotImplemented
        return all(getattr(self, f.name) == getattr(other, f.name) for f in fields(Post))

    __hash__ = Post.__hash__  # from the fields, as Post's

    def __getattr__(self, name: str) -> Any:
        # Only called for what the instance does not have yet: its content.
        source = self.__dict__.get("_source")
        if name not in CONTENT_FIELDS or source is None:
            raise AttributeError(name)
        self.__dict__.update(source.content(self))
        return self.__dict__[name]
