"""The cache never changes a byte of output, and the fast paths give the slow path's bytes."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import publisher
import publisher.content.rendering
import publisher.site.load
from publisher.site.cache import CACHE_DIR, Cache

from .conftest import BASE_CONFIG, NOW, ROOT, SiteDir


def outputs(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file()}


def build(site: SiteDir, publish, *extra: str) -> dict[str, bytes]:
    shutil.rmtree(site.out, ignore_errors=True)
    result = publish(site.root, "feed", "--now", NOW, *extra)
    assert result.code == 0, result.err
    return outputs(site.out)


def same_with_and_without_cache(site: SiteDir, publish) -> dict[str, bytes]:
    cached = build(site, publish)
    assert build(site, publish, "--no-cache") == cached
    return cached


@pytest.fixture
def sample(site: SiteDir) -> SiteDir:
    shutil.rmtree(site.root / "posts")
    shutil.copytree(ROOT / "posts", site.root / "posts")
    site.config("[feed]\nlimit = 0\ntags = true\n")
    return site


def test_cold_warm_edit_rename_delete_config(sample: SiteDir, publish) -> None:
    cold = same_with_and_without_cache(sample, publish)
    assert (sample.root / CACHE_DIR / "cache.db").exists()
    assert same_with_and_without_cache(sample, publish) == cold  # warm
    posts = sample.root / "posts"
    target = posts / "2024-05-20-dated-by-filename.md"
    target.write_text(target.read_text().replace("Editing without fear", "Editing, fearless"))
    edited = same_with_and_without_cache(sample, publish)
    assert edited != cold and b"Editing, fearless" in edited["feed.xml"]
    # The linked-to post moves: the post that links to it with post_url must change too.
    (posts / "2024-03-02-atom-vs-rss-in-one-page.md").rename(posts / "2024-03-03-atom-rss.md")
    linker = posts / "2024-04-22-links-images-and-anchors.md"
    linker.write_text(linker.read_text().replace("2024-03-02-atom-vs-rss-in-one-page %}",
                                                 "2024-03-03-atom-rss %}"))
    renamed = same_with_and_without_cache(sample, publish)
    assert b"2024/03/02/atom-rss/" in renamed["feed.xml"]  # its date field keeps the day
    (posts / "undated-notes.md").unlink()
    deleted = same_with_and_without_cache(sample, publish)
    assert b"Notes kept without a date" not in deleted["feed.xml"]
    sample.config("[feed]\nlimit = 0\ntags = true\n", base=BASE_CONFIG.replace(
        "https://example.org/blog", "https://moved.example.org"))
    moved = same_with_and_without_cache(sample, publish)
    assert b"https://moved.example.org/2024/05/20/dated-by-filename/" in moved["feed.xml"]


def test_touched_files_are_not_parsed_again(sample: SiteDir, publish, monkeypatch) -> None:
    build(sample, publish)
    for path in (sample.root / "posts").rglob("*.md"):
        path.touch()
    parsed: list[str] = []
    original = publisher.site.load.read_post
    monkeypatch.setattr(publisher.site.load, "read_post",
                        lambda data, name, *a: parsed.append(name) or original(data, name, *a))
    build(sample, publish)
    # Same bytes: the cached parse is reused, but for the draft without a date, which
    # is dated by its mtime (as Jekyll dates _drafts/): a touch moves its date.
    assert parsed == ["_drafts/ideas-for-next-month.md"]


def test_a_publisher_upgrade_starts_afresh(sample: SiteDir, publish, monkeypatch) -> None:
    before = build(sample, publish)
    monkeypatch.setattr(publisher, "__version__", "99.0.0")
    monkeypatch.setattr("publisher.site.cache.__version__", "99.0.0")
    monkeypatch.setattr("publisher.content.rendering.__version__", "99.0.0")
    parsed: list[str] = []
    original = publisher.site.load.read_post
    monkeypatch.setattr(publisher.site.load, "read_post",
                        lambda data, name, *a: parsed.append(name) or original(data, name, *a))
    assert build(sample, publish) == before
    assert len(parsed) == 12  # every post parsed again under the new version


@pytest.mark.parametrize("content", [b"not a database" * 1000, b""])
def test_a_damaged_cache_is_discarded_with_a_warning(sample: SiteDir, publish,
                                                       content: bytes) -> None:
    before = build(sample, publish)
    (sample.root / CACHE_DIR / "cache.db").write_bytes(content)
    for name in ("cache.db-wal", "cache.db-shm"):
        (sample.root / CACHE_DIR / name).unlink(missing_ok=True)
    shutil.rmtree(sample.out)
    result = publish(sample.root, "feed", "--now", NOW)
    assert result.code == 0 and outputs(sample.out) == before
    if content:
        assert "cache.db: unreadable cache (file is not a database); it was deleted and is " \
               "rebuilt" in result.err


def test_a_foreign_sqlite_file_is_never_trusted(sample: SiteDir, publish) -> None:
    import sqlite3

    before = build(sample, publish)
    shutil.rmtree(sample.root / CACHE_DIR)
    (sample.root / CACHE_DIR).mkdir()
    db = sqlite3.connect(sample.root / CACHE_DIR / "cache.db")
    db.execute("CREATE TABLE posts (name TEXT, data BLOB)")
    db.commit()
    db.close()
    result = publish(sample.root, "feed", "--now", NOW)
    assert "it is not a publisher cache" in result.err
    assert outputs(sample.out) == before


def test_cache_clear(sample: SiteDir, publish) -> None:
    build(sample, publish)
    assert publish(sample.root, "cache", "clear").out == "cleared .publisher/\n"
    assert not (sample.root / CACHE_DIR / "cache.db").exists()
    assert publish(sample.root, "cache", "clear").out == "no cache to clear\n"


def test_parallel_parsing_and_rendering_give_the_same_bytes(site: SiteDir, publish,
                                                            monkeypatch) -> None:
    site.config("[feed]\nlimit = 0\n")
    for n in range(90):
        site.post(f"2025-01-{n % 28 + 1:02d}-p{n}.md",
                  f"---\ntitle: P{n}\nseries: S{n % 3}\n---\nText *{n}* [link](../p{n + 1}/)\n")
    monkeypatch.setattr(publisher.site.load, "PARALLEL_MIN", 10 ** 9)
    monkeypatch.setattr(publisher.content.rendering, "PARALLEL_MIN", 10 ** 9)
    serial = build(site, publish, "--no-cache")
    monkeypatch.setattr(publisher.site.load, "PARALLEL_MIN", 2)
    monkeypatch.setattr(publisher.content.rendering, "PARALLEL_MIN", 2)
    assert build(site, publish, "--no-cache") == serial
    assert build(site, publish) == serial  # parallel, filling the cache
    assert build(site, publish) == serial  # from the cache


def test_renderings_read_back_from_the_cache_give_the_same_bytes(sample: SiteDir, publish,
                                                                   monkeypatch) -> None:
    held = build(sample, publish, "--no-cache")
    # A full archive past HELD_MAX: each rendering is stored, then read back per use.
    monkeypatch.setattr(publisher.content.rendering, "HELD_MAX", 1)
    assert build(sample, publish) == held  # rendered, stored, read back
    assert build(sample, publish) == held  # every rendering from the cache
    # Gone between storing and use (`publish cache clear` meanwhile): made again.
    cache_file = sample.root / ".publisher" / "cache.db"
    monkeypatch.setattr(Cache, "rendered_keys", lambda self, keys: set(keys))
    with sqlite3.connect(cache_file) as db:
        db.execute("DELETE FROM rendered")
    db.close()
    assert build(sample, publish) == held

def test_publish_feed_does_not_import_the_email_code(sample: SiteDir) -> None:
    script = ("import sys; from publisher.cli import main; main(['feed', '-q']); "
              "print(sorted(m for m in ('premailer', 'smtplib', 'jinja2', "
              "'publisher.newsletter.smtp', 'publisher.newsletter.render') "
              "if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", script], cwd=sample.root, capture_output=True,
                         text=True, check=True)
    assert run.stdout == "[]\n"


def test_an_unchanged_feed_is_kept_and_a_tampered_one_rebuilt(sample: SiteDir, publish) -> None:
    first = build(sample, publish)
    again = publish(sample.root, "feed", "--now", NOW)
    assert again.summary.endswith(f"(0 written, {len(first)} unchanged); 12 posts read")
    (sample.out / "feed.xml").write_text("tampered")
    (sample.out / "series" / "feed-plumbing" / "rss.xml").unlink()
    fixed = publish(sample.root, "feed", "--now", NOW)
    # Both feeds are built again; only the two damaged files differ from what they give.
    assert fixed.summary.endswith(f"(2 written, {len(first) - 2} unchanged); 12 posts read")
    assert outputs(sample.out) == first


def test_a_file_included_beside_the_post_is_part_of_its_key(tmp_path: Path, publish) -> None:
    site = SiteDir(tmp_path)
    posts = tmp_path / "blog" / "_posts"
    posts.mkdir(parents=True)
    (posts / "2025-03-01-birds.md").write_text(
        "---\ntitle: Birds\n---\nSeen today: {% include_relative seen.txt %}\n")
    (posts / "seen.txt").write_text("a heron\n")
    site.config(base='[site]\ntitle = "Canal"\nurl = "https://canal.example"\n'
                'generator = "jekyll"\nposts = "blog"\noutput = "out"\n[author]\nname = "Ada"\n')
    assert publish(tmp_path, "feed", "--now", NOW).code == 0
    assert b"a heron" in (site.out / "feed.xml").read_bytes()
    (posts / "seen.txt").write_text("an egret\n")
    assert publish(tmp_path, "feed", "--now", NOW).code == 0
    assert b"an egret" in (site.out / "feed.xml").read_bytes()
