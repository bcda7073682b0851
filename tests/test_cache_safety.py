"""A planted, damaged or stale cache never runs code and never changes a byte of output."""

from __future__ import annotations

import os
import pickle
import shutil
import sqlite3
import zlib
from dataclasses import fields
from datetime import UTC, datetime
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


def rebuilt(site: SiteDir, publish, db: sqlite3.Connection, reference: dict[str, bytes]):
    """Commit what the test did to the cache, build again from scratch, and check that
    the output is the reference's; the run's result."""
    db.commit()
    db.close()
    shutil.rmtree(site.out)
    result = publish(site.root, "feed", "--now", NOW)
    assert result.code == 0, result.err
    assert outputs(site.out) == reference
    return result


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
    for row in db.execute("SELECT * FROM posts").fetchall():
        # whoever planted it knew the format and the checksum, of both tables
        values = list(row[:-1])
        values[12] = pickle.dumps(Payload(marker))
        db.execute("UPDATE posts SET post = ?, checksum = ? WHERE name = ?",
                   (values[12], checksum("posts", *values), row[0]))
    for row in db.execute("SELECT * FROM content").fetchall():
        values = list(row[:-1])
        values[2] = pickle.dumps(Payload(marker))
        db.execute("UPDATE content SET content = ?, checksum = ? WHERE name = ?",
                   (values[2], checksum("content", *values), row[0]))
    rebuilt(sample, publish, db, reference)
    assert not marker.exists()


@pytest.mark.parametrize("body", [
    zlib.compress(b"HACKED " * 10_000_000, 9),  # 70 MB from 70 KB: more than a post may be
    zlib.compress(b"HACKED")[:-3],  # cut short
    b"HACKED, not zlib",
    zlib.compress("HACKED \udc80".encode("utf-8", "surrogatepass")),  # not UTF-8
])
def test_a_body_that_does_not_inflate_to_text_is_refused(sample: SiteDir, publish,
                                                          body: bytes) -> None:
    reference = build(sample, publish)
    db = cache_db(sample)
    for row in db.execute("SELECT * FROM content").fetchall():
        values = [*row[:3], body]  # with a valid checksum: its planter knew the format
        db.execute("UPDATE content SET body = ?, checksum = ? WHERE name = ?",
                   (body, checksum("content", *values), row[0]))
    result = rebuilt(sample, publish, db, reference)
    assert "damaged content row(s) failed their checksum" in result.err


TAMPERING = {
    "a post's body": "UPDATE content SET body = 'HACKED'",
    "a post's fields": "UPDATE content SET content = replace(content, '\"title\": \"', "
                       "'\"title\": \"HACKED ')",
    # The index is a JSON list: its URL (and id) are the items that start with the site's.
    "a post's URL": "UPDATE posts SET post = replace(post, ', \"https://example.org/', "
                    "', \"https://HACKED.example/')",
    "a content row's file digest": "UPDATE content SET digest = 'HACKED'",
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
    assert db.execute(TAMPERING[cell]).rowcount > 0
    result = rebuilt(sample, publish, db, reference)
    assert not any(b"HACKED" in data for data in outputs(sample.out).values())
    assert f"{CACHE_DIR}/cache.db: " in result.err and "failed their checksum and were " \
        "discarded (rebuilt from the files)" in result.err
    again = publish(sample.root, "feed", "--now", NOW)  # the damaged rows are gone
    assert "failed their checksum" not in again.err


def test_damaged_and_missing_content_rows_are_said_once(sample: SiteDir, publish) -> None:
    reference = build(sample, publish)
    db = cache_db(sample)
    names = [name for (name,) in db.execute("SELECT name FROM content ORDER BY name")]
    assert len(names) >= 3
    db.execute("UPDATE content SET body = 'HACKED' WHERE name = ?", (names[0],))
    db.execute("UPDATE content SET body = 'HACKED' WHERE name = ?", (names[1],))
    db.execute("DELETE FROM content WHERE name = ?", (names[2],))
    result = rebuilt(sample, publish, db, reference)
    said = [line for line in result.err.splitlines() if "content row" in line]
    assert said == [f"warning: {CACHE_DIR}/cache.db: 2 damaged content row(s) failed their "
                    "checksum and were discarded; 1 content row(s) were missing (rebuilt "
                    "from the files)"]


def test_a_touched_draft_dated_by_its_mtime_is_dated_again(tmp_path: Path, publish,
                                                           monkeypatch) -> None:
    # Jekyll dates a draft without a date by its file's mtime: touching it moves the date.
    monkeypatch.setattr(publisher.site.cache_rows, "RACY_NS", 0)
    site = SiteDir(tmp_path)
    (tmp_path / "blog" / "_drafts").mkdir(parents=True)
    (tmp_path / "blog" / "_posts").mkdir()
    draft = tmp_path / "blog" / "_drafts" / "draft.md"
    draft.write_text("---\ntitle: Draft\n---\nNot yet.\n")
    site.config(base='[site]\ntitle = "Canal"\nurl = "https://canal.example"\n'
                'generator = "jekyll"\nposts = "blog"\noutput = "out"\ntimezone = "UTC"\n'
                '[author]\nname = "Ada"\n')
    first = datetime(2025, 1, 1, 12, tzinfo=UTC).timestamp()
    os.utime(draft, (first, first))
    assert publish(tmp_path, "feed", "--drafts", "--now", NOW).code == 0
    assert b"2025-01-01T12:00:00" in (site.out / "feed.xml").read_bytes()
    later = datetime(2025, 6, 1, 12, tzinfo=UTC).timestamp()
    os.utime(draft, (later, later))
    assert publish(tmp_path, "feed", "--drafts", "--now", NOW).code == 0
    assert b"2025-06-01T12:00:00" in (site.out / "feed.xml").read_bytes()


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


def test_every_kind_of_post_comes_back_from_the_cache_exactly(site: SiteDir) -> None:
    """YAML, TOML (datetimes with offsets), JSON, odd front-matter values: a Post read
    back from its row is the Post that was stored, time zones and types included."""
    from publisher.config import load_config
    from publisher.site.cache import Cache
    from publisher.site.cache_rows import CachedPost, stamp_of
    from publisher.site.load import load_site
    from publisher.site.post import Post

    site.post("2024-01-01-yaml.md", "---\ntitle: Y\ntags: [a, b]\nseries: S\nn: 1.5\n"
                                    "odd: !!binary aGk=\nset: !!set {x: null}\n"
                                    "1: numeric key\n---\nx\n")
    site.post("2024-01-02-toml.md", "+++\ntitle = 'T'\ndate = 2024-01-02T10:00:00+05:30\n"
                                    "when = 2024-01-02\nat = 10:00:00\n"
                                    "lastmod = 2024-02-01T00:00:00Z\n+++\nx\n")
    site.post("2024-01-03-json.md", '{\n"title": "J",\n"big": 123456789012345678901234567890,'
                                    '\n"nan": NaN,\n"author": {"name": "A", "uri": '
                                    '"https://a.example"}\n}\nx\n')
    config = load_config(site.root / "publisher.toml")
    loaded = load_site(config)
    assert len(loaded.posts) == 3, loaded.problems
    for post in loaded.posts:
        stat = (site.root / "posts" / post.name).stat()
        entry = CachedPost(stamp_of(stat), post.digest, post, ())
        cache = Cache.open(config)
        cache.store_posts({post.name: entry}, ())
        back = cache.posts()[post.name]
        assert back.post is not None
        for field in fields(Post):  # the index at once, the content on first use
            value = getattr(back.post, field.name)  # repr: NaN is not equal to itself
            assert repr(value) == repr(getattr(post, field.name)), field.name
            assert type(value) is type(getattr(post, field.name)), field.name
        assert back.post.links_to_posts == post.links_to_posts
        assert back.post.includes_relative == post.includes_relative
        if "nan" not in repr(post.fields):
            assert back.post == post and post == back.post
        cache.close()


def test_values_of_every_type_front_matter_has_come_back_exactly() -> None:
    from datetime import UTC, date, datetime, time, timedelta, timezone
    from zoneinfo import ZoneInfo

    from dateutil import tz

    from publisher.site.stored import decode, encode

    values = [None, True, 0, -5, 2 ** 80, 1.5, float("inf"), "x", b"\x00\xff", [1, [2]],
              (1, "a"), {1: "a", "b": [None]}, {"s"}, date(2024, 1, 2), time(10, 30),
              time(10, 30, tzinfo=UTC), datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
              datetime(2024, 1, 2, tzinfo=timezone(timedelta(hours=-3))),
              datetime(2024, 1, 2, tzinfo=timezone(timedelta(hours=1), "CET")),
              datetime(2024, 11, 3, 1, 30, tzinfo=ZoneInfo("America/New_York"), fold=1),
              datetime(2024, 1, 2, tzinfo=tz.tzutc()), datetime(2024, 1, 2),
              datetime(2024, 1, 2, tzinfo=tz.tzoffset("JST", 9 * 3600))]
    for value in values:
        assert repr(decode(encode(value))) == repr(value)
