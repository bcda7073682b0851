"""The cache file: its tables, and how it is opened."""

from __future__ import annotations

import sqlite3
from pathlib import Path

SCHEMA = 7  # 5: typed, length-prefixed checksums; 6: the index a JSON list; 7: zlib bodies
# A post is two rows. `posts`: its file's stamp and digest, and its index (what every run
# reads of every post to list, sort and plan: id, URL, dates, flags, series, tags), with
# id, date, draft, series and tags in columns of their own for queries that decode
# nothing; `content`: its title, front matter and body (zlib), read only for the posts an
# output shows (site/lazy.py).
_TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE posts (name TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
                    ctime_ns INTEGER NOT NULL, inode INTEGER NOT NULL,
                    device INTEGER NOT NULL, digest TEXT NOT NULL, id TEXT, date TEXT,
                    draft INTEGER, series TEXT, tags TEXT, post TEXT, problems TEXT NOT NULL,
                    checksum TEXT NOT NULL);
CREATE TABLE content (name TEXT PRIMARY KEY, digest TEXT NOT NULL, content TEXT NOT NULL,
                      body BLOB NOT NULL, checksum TEXT NOT NULL);
CREATE TABLE rendered (key TEXT PRIMARY KEY, data TEXT NOT NULL, checksum TEXT NOT NULL);
CREATE TABLE feeds (folder TEXT PRIMARY KEY, key TEXT NOT NULL, files TEXT NOT NULL,
                    checksum TEXT NOT NULL);
"""


def connect(path: Path) -> sqlite3.Connection:
    """Open the cache file, making its tables when it is new and again when an older
    publisher made it; DatabaseError when it is not a publisher cache."""
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
    elif 0 < version < SCHEMA:  # ours, from an older publisher: rebuilt, no warning
        with db:
            for table in ("meta", "posts", "content", "rendered", "feeds"):
                db.execute(f"DROP TABLE IF EXISTS {table}")
            db.executescript(_TABLES)
            db.execute(f"PRAGMA user_version = {SCHEMA}")
    elif version != SCHEMA:
        raise sqlite3.DatabaseError(f"cache schema {version}, expected {SCHEMA}")
    return db

