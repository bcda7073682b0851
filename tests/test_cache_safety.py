"""A planted, damaged or stale cache never runs code and never changes a byte of output."""

from __future__ import annotations

import os
import pickle
import shutil
import sqlite3
from pathlib import Path

import pytest

import publisher.site.cache_rows
import publisher.site.load
from publisher.site.cache import CACHE_DIR
from publisher.site.cache_rows import checksum

from .conftest import NOW, ROOT, SiteDir
from .test_cache import build, outputs


@pytest.fixture
def sample(site: SiteDir) -> SiteDir:
    shutil.rmtree(site.root / "posts")
    shutil.copytree(ROOT / "posts", site.root / "posts")
    site.config("[feed]\nlimit = 0\n")
    return site


def cache_db(site: SiteDir) -> sqlite3.Connection:
    return sqlite3.connect(site.root / CACHE_DIR / "cache.db")


class Payload:
    """A pickle that, if ever loaded, creates a file: proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # noqa: ANN204 - pickle's protocol
        return (os.system, (f"touch {self.marker}",))


def test_the_cache_module_cannot_unpickle() -> None:
    for module in ("cache.py", "cache_rows.py", "stored.py"):
        text = (ROOT / "publisher" / "site" / module).read_text()
        assert "pickle" not in text.replace("never pickles", "").replace("not pickles", "")


def test_a_planted_pickle_in_an_old_cache_runs_nothing(sample: SiteDir, publish) -> None:
    reference = build(sample, publish, "--no-cache")
    marker = sample.root / "pwned"
    shutil.rmtree(sample.root / CACHE_DIR, ignore_errors=True)
    (sample.root / CACHE_DIR).mkdir()
    db = cache_db(sample)  # the layout of the pickle-based cache, schema 1
    db.executescript("""
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE posts (name TEXT PRIMARY KEY, size INTEGER NOT NULL,
                            mtime_ns INTEGER NOT NULL, digest TEXT NOT NULL, data BLOB NOT NULL);
        CREATE TABLE rendered (key TEXT PRIMARY KEY, data BLOB NOT NULL);
        CREATE TABLE feeds (folder TEXT PRIMARY KEY, key TEXT NOT NULL, files TEXT NOT NULL);
        PRAGMA user_version = 1;
    """)
    for path in (sample.root / "posts").rglob("*.md"):
        stat = path.stat()
        db.execute("INSERT INTO posts VALUES (?, ?, ?, '', ?)",
                   (path.relative_to(sample.root / "posts").as_posix(), stat.st_size,
                    stat.st_mtime_ns, pickle.dumps(Payload(marker))))
    db.commit()
    db.close()
    for command in ("check", "feed", "email"):
        result = publish(sample.root, command, "--now", NOW, "--dry-run") \
            if command != "check" else publish(sample.root, "check")
        assert not marker.exists(), command
        assert result.code in (0, 1), result.err
    assert build(sample, publish) == reference
    assert not marker.exists()


def test_a_pickle_with_a_valid_checksum_runs_nothing(sample: SiteDir, publish) -> None:
    reference = build(sample, publish)
    marker = sample.root / "pwned"
    db = cache_db(sample)
    rows = db.execute("SELECT * FROM posts").fetchall()
    for row in rows:  # whoever planted it knew the format and the checksum
        values = list(row[:-1])
        values[12] = pickle.dumps(Payload(marker))
        meta = values[:13] + values[15:]
        db.execute("UPDATE posts SET post = ?, checksum = ? WHERE name = ?",
                   (values[12], checksum("posts", *meta), row[0]))
    db.commit()
    db.close()
    shutil.rmtree(sample.out)
    result = publish(sample.root, "feed", "--now", NOW)
    assert result.code == 0 and not marker.exists()
    assert outputs(sample.out) == reference


TAMPERING = {
    "a post's body": "UPDATE posts SET body = 'HACKED'",
    "a post's fields": "UPDATE posts SET post = replace(post, '\"title\": \"', "
                       "'\"title\": \"HACKED ')",
    "a post's id": "UPDATE posts SET id = 'urn:HACKED'",
    "a post's file digest": "UPDATE posts SET digest = 'HACKED'",
    "a post's stamp": "UPDATE posts SET size = size + 1",
    "a rendering": "UPDATE rendered SET data = '[\"<p>HACKED</p>\", \"HACKED\", \"\"]'",
    "a feed's key": "UPDATE feeds SET key = 'HACKED'",
}


@pytest.mark.parametrize("cell", TAMPERING)
def test_a_tampered_cell_never_changes_output(sample: SiteDir, publish, cell: str) -> None:
    reference = build(sample, publish)
    db = cache_db(sample)
    changed = db.execute(TAMPERING[cell]).rowcount
    db.commit()
    db.close()
    assert changed > 0
    shutil.rmtree(sample.out)
    result = publish(sample.root, "feed", "--now", NOW)
    assert result.code == 0, result.err
    built = outputs(sample.out)
    assert built == reference
    assert not any(b"HACKED" in data for data in built.values())
    assert f"{CACHE_DIR}/cache.db: " in result.err and "failed their checksum and were " \
        "discarded (rebuilt from the files)" in result.err
    again = publish(sample.root, "feed", "--now", NOW)  # the damaged rows are gone
    assert "failed their checksum" not in again.err


def test_a_rewrite_that_restores_size_and_mtime_is_seen(sample: SiteDir, publish,
                                                         monkeypatch) -> None:
    # Trust stamps at once (the rows of files written a moment ago are "in doubt").
    monkeypatch.setattr(publisher.site.cache_rows, "RACY_NS", 0)
    build(sample, publish)
    target = sample.root / "posts" / "2024-05-20-dated-by-filename.md"
    before = target.stat()
    text = target.read_text()
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    same_size = "title: " + "Z" * (len(title) - len("title: "))
    target.write_text(text.replace(title, same_size))
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = target.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    built = build(sample, publish)
    assert same_size.split(": ")[1].encode() in built["feed.xml"]
    assert built == build(sample, publish, "--no-cache")


def test_a_stamp_that_matches_is_trusted_and_a_racy_one_is_hashed(sample: SiteDir, publish,
                                                                   monkeypatch) -> None:
    reads: list[str] = []
    original = publisher.site.load.read_regular
    monkeypatch.setattr(publisher.site.load, "read_regular",
                        lambda path, *a: reads.append(path.name) or original(path, *a))
    build(sample, publish)
    stored = cache_db(sample).execute("SELECT min(ctime_ns), max(ctime_ns) FROM posts")
    assert stored.fetchone() == (-1, -1)  # written a moment ago: in doubt
    reads.clear()
    build(sample, publish)
    assert len(reads) == 12  # hashed again, not parsed (test_cache checks that)
    monkeypatch.setattr(publisher.site.cache_rows, "RACY_NS", 0)
    build(sample, publish)
    reads.clear()
    build(sample, publish)
    assert reads == []  # same size, mtime, ctime, inode and device: the very file
