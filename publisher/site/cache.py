"""The parse-once cache: posts as parsed and HTML as rendered by earlier runs (SQLite).

It can never serve stale output because every entry is keyed by what produced it:
a post by its file's size, mtime and SHA-256 plus the settings that shape a Post; a
rendering by the post's SHA-256, the settings that shape HTML, the publisher version,
and the URLs of the posts it links to. A damaged or foreign cache file is thrown away
with a warning, never trusted; deleting `.publisher/` is always safe.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path

from publisher import __version__
from publisher.config import Config
from publisher.problems import Problem
from publisher.site.post import Post

CACHE_DIR = ".publisher"
SCHEMA = 1
_TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE posts (name TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
                    digest TEXT NOT NULL, data BLOB NOT NULL);
CREATE TABLE rendered (key TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE feeds (folder TEXT PRIMARY KEY, key TEXT NOT NULL, files TEXT NOT NULL);
"""


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


@dataclass(frozen=True)
class CachedPost:
    size: int
    mtime_ns: int
    digest: str
    post: Post | None
    problems: tuple[Problem, ...]


class Cache:
    """Open with `Cache.open(config)`; `Cache.disabled()` stores nothing (--no-cache)."""

    def __init__(self, db: sqlite3.Connection | None, warnings: tuple[str, ...] = ()) -> None:
        self._db = db
        self.warnings = list(warnings)

    def _failed(self, exc: sqlite3.Error) -> None:
        """A cache that cannot be written (full disk...) is dropped; the run goes on."""
        self.warnings.append(f"the cache failed ({exc}); going on without it")
        self.close()

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
            db = cls._connect(path)
        except sqlite3.OperationalError as exc:  # locked, disk full: the file may be fine
            return cls(None, (f"{path}: the cache cannot be used ({exc}); going on "
                              "without it",))
        except sqlite3.DatabaseError as exc:
            warnings.append(f"{path}: unreadable cache ({exc}); it was deleted and is rebuilt")
            path.unlink(missing_ok=True)
            try:
                db = cls._connect(path)
            except sqlite3.DatabaseError:
                return cls(None, tuple(warnings))
        except OSError as exc:
            return cls(None, (f"{folder}: cannot keep a cache there ({exc.strerror}); running "
                              "without one",))
        cache = cls(db, tuple(warnings))
        try:
            if cache._meta("load") != load_settings(config):
                # Another site, publisher version or folder: no parsed post can be reused.
                with db:
                    db.execute("DELETE FROM posts")
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('load', ?)",
                               (load_settings(config),))
        except sqlite3.Error as exc:
            cache._failed(exc)
        return cache

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=10)
        db.execute("PRAGMA journal_mode = WAL")  # readers never wait for a writer
        db.execute("PRAGMA synchronous = NORMAL")  # a cache may lose its last write
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables:
                raise sqlite3.DatabaseError("it is not a publisher cache")
            with db:
                db.executescript(_TABLES)
                db.execute(f"PRAGMA user_version = {SCHEMA}")
        elif version != SCHEMA:
            raise sqlite3.DatabaseError(f"cache schema {version}, expected {SCHEMA}")
        return db

    def _meta(self, key: str) -> str | None:
        if self._db is None:
            return None
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    # Parsed posts

    def posts(self) -> dict[str, CachedPost]:
        if self._db is None:
            return {}
        found: dict[str, CachedPost] = {}
        try:
            # Row by row, not fetchall(): each pickle is freed once unpickled, which keeps
            # the peak near one copy of the archive instead of two.
            for name, size, mtime_ns, digest, data in self._db.execute(
                    "SELECT name, size, mtime_ns, digest, data FROM posts"):
                try:
                    post, problems = pickle.loads(data)
                except Exception:  # noqa: BLE001 - a damaged row is re-parsed, not trusted
                    continue
                found[name] = CachedPost(size, mtime_ns, digest, post, tuple(problems))
        except sqlite3.Error as exc:
            self._failed(exc)
            return {}
        return found

    def store_posts(self, entries: Mapping[str, CachedPost], removed: Iterable[str]) -> None:
        if self._db is None:
            return
        rows = [(name, e.size, e.mtime_ns, e.digest,
                 pickle.dumps((e.post, e.problems), protocol=pickle.HIGHEST_PROTOCOL))
                for name, e in entries.items()]
        try:
            with self._db:
                self._db.executemany("DELETE FROM posts WHERE name = ?",
                                     [(n,) for n in removed])
                self._db.executemany("INSERT OR REPLACE INTO posts VALUES (?, ?, ?, ?, ?)",
                                     rows)
        except sqlite3.Error as exc:
            self._failed(exc)

    # Rendered HTML

    def rendered(self, keys: Iterable[str]) -> dict[str, list[str]]:
        if self._db is None:
            return {}
        wanted = list(keys)
        found: dict[str, list[str]] = {}
        for start in range(0, len(wanted), 500):  # SQLite's limit on parameters
            chunk = wanted[start:start + 500]
            marks = ",".join("?" * len(chunk))
            try:
                rows = self._db.execute(
                    f"SELECT key, data FROM rendered WHERE key IN ({marks})", chunk).fetchall()
            except sqlite3.Error as exc:
                self._failed(exc)
                return found
            for key, data in rows:
                found[key] = json.loads(data)
        return found

    def store_rendered(self, items: Mapping[str, Sequence[str]]) -> None:
        if self._db is None or not items:
            return
        try:
            with self._db:
                # A generator, not a list: one row's JSON at a time, not the archive's.
                self._db.executemany(
                    "INSERT OR REPLACE INTO rendered VALUES (?, ?)",
                    ((k, json.dumps(list(parts))) for k, parts in items.items()))
        except sqlite3.Error as exc:
            self._failed(exc)

    # Feeds as last written: their key, and each file's size and mtime then

    def feeds(self) -> dict[str, tuple[str, dict[str, list[int]]]]:
        if self._db is None:
            return {}
        try:
            rows = self._db.execute("SELECT folder, key, files FROM feeds").fetchall()
        except sqlite3.Error as exc:
            self._failed(exc)
            return {}
        return {folder: (key, json.loads(files)) for folder, key, files in rows}

    def store_feeds(self, feeds: Mapping[str, tuple[str, dict[str, list[int]]]]) -> None:
        if self._db is None or not feeds:
            return
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO feeds VALUES (?, ?, ?)",
                                     [(folder, key, json.dumps(files))
                                      for folder, (key, files) in feeds.items()])
        except sqlite3.Error as exc:
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
