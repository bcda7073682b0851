"""The parse-once cache: posts as parsed and HTML as rendered by earlier runs (SQLite).

It holds data only (JSON and text in columns, never pickles: a planted cache runs
nothing) and never serves stale or altered output: every row carries a checksum of its
columns keyed by the publisher version, and one that fails is discarded with a warning;
a parsed post is used only for the very file it stands for (same size, mtime, ctime,
inode and device, else the same SHA-256; a file changed in the seconds before it was
stored is hashed again); a rendering is keyed by the post's SHA-256, the settings that
shape HTML, the publisher version and the URLs of the posts it links to. A damaged or
foreign cache file is thrown away with a warning; deleting `.publisher/` is always safe.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from publisher import __version__
from publisher.config import Config
from publisher.site.cache_db import connect
from publisher.site.cache_rows import (
    CachedPost,
    Rows,
    checksum,
    post_entry,
    post_row,
    rendered_parts,
)
from publisher.site.lazy import ContentSource, StoredPost, close_sources
from publisher.site.post import Post

CACHE_DIR = ".publisher"
_POST_COLUMNS = ("name", "size", "mtime_ns", "ctime_ns", "inode", "device", "digest", "id",
                 "date", "draft", "series", "tags", "post", "problems", "checksum")
def digest_of(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def load_settings(config: Config) -> str:
    """Everything besides the file that shapes a Post (and its messages)."""
    return digest_of(__version__, [f.name for f in fields(Post)],  # a new Post field
                     config.site.generator, config.site.url,
                     config.site.permalink, config.site.timezone, config.site.image_base,
                     config.author.name, config.author.email, config.author.uri,
                     str(config.posts_dir), os.getcwd(), config.permalinks,
                     # Pelican's settings in [site]
                     config.site.language, config.site.article_paths,
                     config.site.article_excludes, config.site.folder_category,
                     config.site.default_category, config.site.filename_metadata,
                     config.site.lang_permalink, config.site.feed_file)


class Cache:
    """Open with `Cache.open(config)`; `Cache.disabled()` stores nothing (--no-cache)."""

    def __init__(self, db: sqlite3.Connection | None, warnings: tuple[str, ...] = (),
                 path: Path | None = None, config: Config | None = None) -> None:
        self._db = db
        self.warnings = list(warnings)
        self.path, self._config = path, config
        self._source: ContentSource | None = None

    def _failed(self, exc: sqlite3.Error) -> None:
        """A cache that cannot be written (full disk...) is dropped; the run goes on."""
        self.warnings.append(f"the cache failed ({exc}); going on without it")
        self.close()

    @property
    def enabled(self) -> bool:
        return self._db is not None

    @classmethod
    def disabled(cls) -> Cache:
        return cls(None)

    @classmethod
    def open(cls, config: Config) -> Cache:
        folder = config.root / CACHE_DIR
        path = folder / "cache.db"
        warnings: list[str] = []
        try:
            folder.mkdir(exist_ok=True)
            db = connect(path)
        except sqlite3.OperationalError as exc:  # locked, disk full: the file may be fine
            return cls(None, (f"{path}: the cache cannot be used ({exc}); going on "
                              "without it",))
        except sqlite3.DatabaseError as exc:
            warnings.append(f"{path}: unreadable cache ({exc}); it was deleted and is rebuilt")
            path.unlink(missing_ok=True)
            try:
                db = connect(path)
            except sqlite3.DatabaseError:
                return cls(None, tuple(warnings))
        except OSError as exc:
            return cls(None, (f"{folder}: cannot keep a cache there ({exc.strerror}); running "
                              "without one",))
        cache = cls(db, tuple(warnings), path, config)
        try:
            if cache._meta("load") != load_settings(config):
                # Another site, publisher version or folder: no parsed post can be reused.
                with db:
                    db.execute("DELETE FROM posts")
                    db.execute("DELETE FROM content")
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('load', ?)",
                               (load_settings(config),))
        except sqlite3.Error as exc:
            cache._failed(exc)
        return cache

    def _meta(self, key: str) -> str | None:
        if self._db is None:
            return None
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        if self.path is not None:
            close_sources(self.path)

    def _discarded(self, table: str, count: int) -> None:
        if count:
            self.warnings.append(f"{CACHE_DIR}/cache.db: {count} damaged {table} row(s) failed "
                                 "their checksum and were discarded (rebuilt from the files)")

    def posts(self) -> dict[str, CachedPost]:
        if self._db is None:
            return {}
        found: dict[str, CachedPost] = {}
        damaged = 0
        try:
            # Row by row, not fetchall(): each row is freed once decoded, which keeps
            # the peak near one copy of the archive instead of two.
            source = self._content_source()
            for row in self._db.execute(f"SELECT {', '.join(_POST_COLUMNS)} FROM posts"):
                entry = post_entry(row, source)
                if entry is None:
                    damaged += 1
                else:
                    found[row[0]] = entry
        except sqlite3.Error as exc:
            self._failed(exc)
            return {}
        self._discarded("post", damaged)
        if damaged:  # rows that would fail again on every run
            self._delete_damaged("posts", "name", set(found))
        return found

    def _content_source(self) -> ContentSource:
        """Where every StoredPost of this run reads its content: one warning for all."""
        if self._source is None:
            assert self.path is not None and self._config is not None
            self._source = ContentSource(self.path, self._config, self.warnings)
        return self._source

    def stored_post(self, index: dict[str, Any]) -> StoredPost:
        """A post whose rows were just stored, from its index (`index_values`): the
        process that parsed it sends no body, and none is held until one is asked for."""
        return StoredPost.of(index, self._content_source())

    def store_posts(self, entries: Mapping[str, CachedPost], removed: Iterable[str]) -> None:
        now = time.time_ns()
        self.store_rows([rows for name, entry in entries.items()
                         if (rows := post_row(name, entry, now)) is not None], removed)

    def store_rows(self, rows: Sequence[Rows], removed: Iterable[str]) -> None:
        """Rows made by `post_row` (by the processes that parsed the files), and the
        names of files gone."""
        if self._db is None:
            return
        gone = [(n,) for n in removed]
        try:
            with self._db:
                self._db.executemany("DELETE FROM posts WHERE name = ?", gone)
                self._db.executemany("DELETE FROM content WHERE name = ?", gone)
                self._db.executemany(
                    f"INSERT OR REPLACE INTO posts VALUES ({', '.join('?' * 15)})",
                    (post for post, _ in rows))
                self._db.executemany("INSERT OR REPLACE INTO content VALUES (?, ?, ?, ?, ?)",
                                     (content for _, content in rows if content is not None))
        except sqlite3.Error as exc:
            self._failed(exc)

    def _delete_damaged(self, table: str, key: str, good: set[str]) -> None:
        try:
            assert self._db is not None
            with self._db:
                for (name,) in self._db.execute(f"SELECT {key} FROM {table}").fetchall():
                    if name not in good:
                        self._db.execute(f"DELETE FROM {table} WHERE {key} = ?", (name,))
        except sqlite3.Error as exc:
            self._failed(exc)

    def rendered(self, keys: Iterable[str]) -> dict[str, list[str]]:
        if self._db is None:
            return {}
        wanted = list(keys)
        found: dict[str, list[str]] = {}
        damaged = 0
        for start in range(0, len(wanted), 500):  # SQLite's limit on parameters
            chunk = wanted[start:start + 500]
            marks = ",".join("?" * len(chunk))
            try:
                rows = self._db.execute(f"SELECT key, data, checksum FROM rendered WHERE key "
                                        f"IN ({marks})", chunk).fetchall()
            except sqlite3.Error as exc:
                self._failed(exc)
                return found
            for key, data, check in rows:
                parts = rendered_parts(key, data, check)
                if parts is None:
                    damaged += 1
                else:
                    found[key] = parts
        self._discarded("rendering", damaged)
        return found

    def rendered_keys(self, keys: Iterable[str]) -> set[str]:
        """Which of `keys` have a rendering stored, none of it read (checked on use)."""
        wanted, found = list(keys), set()
        try:
            for start in range(0, len(wanted) if self._db else 0, 500):
                chunk = wanted[start:start + 500]
                found.update(key for (key,) in self._db.execute(  # type: ignore[union-attr]
                    f"SELECT key FROM rendered WHERE key IN ({','.join('?' * len(chunk))})",
                    chunk))
        except sqlite3.Error as exc:
            self._failed(exc)
        return found

    def store_rendered(self, items: Mapping[str, Sequence[str]]) -> None:
        if self._db is None or not items:
            return
        try:
            with self._db:
                # A generator, not a list: one row's JSON at a time, not the archive's.
                self._db.executemany(
                    "INSERT OR REPLACE INTO rendered VALUES (?, ?, ?)",
                    ((k, data, checksum("rendered", k, data))
                     for k, data in ((k, json.dumps(list(parts))) for k, parts in items.items())))
        except (sqlite3.Error, UnicodeEncodeError) as exc:
            self._failed(exc)

    # Feeds as last written: their key, and each file's size and mtime then

    def feeds(self) -> dict[str, tuple[str, dict[str, list[int]]]]:
        if self._db is None:
            return {}
        try:
            rows = self._db.execute("SELECT folder, key, files, checksum FROM feeds").fetchall()
        except sqlite3.Error as exc:
            self._failed(exc)
            return {}
        found: dict[str, tuple[str, dict[str, list[int]]]] = {}
        for folder, key, files, check in rows:
            try:
                stats = json.loads(files)
                valid = check == checksum("feeds", folder, key, files) and isinstance(stats, dict)
            except (ValueError, TypeError):
                valid = False
            if valid:  # a feed not found is rebuilt: never wrong, only slower
                found[folder] = (key, stats)
        self._discarded("feed", len(rows) - len(found))
        return found

    def store_feeds(self, feeds: Mapping[str, tuple[str, dict[str, list[int]]]]) -> None:
        if self._db is None or not feeds:
            return
        rows = []
        for folder, (key, files) in feeds.items():
            data = json.dumps(files)
            rows.append((folder, key, data, checksum("feeds", folder, key, data)))
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO feeds VALUES (?, ?, ?, ?)", rows)
        except (sqlite3.Error, UnicodeEncodeError) as exc:
            self._failed(exc)


def clear(config: Config) -> bool:
    """Delete the cache folder's files; True if there was anything to delete."""
    folder = config.root / CACHE_DIR
    found = False
    for name in ("cache.db", "cache.db-wal", "cache.db-shm"):
        path = folder / name
        if path.exists():
            path.unlink()
            found = True
    return found
