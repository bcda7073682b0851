"""Archived feeds (RFC 5005 section 4): every post reachable, old pages never rewritten.

Readers are played by feedparser (following `prev-archive` as an RFC 5005 client does),
validity by jing with RFC 4287's schema plus RFC 5005's `fh` elements, and the promise
that archives stay put by comparing bytes on disk before and after a post is added and
after one deep in the history is edited.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from .conftest import NOW, SiteDir

SCHEMA = Path(__file__).resolve().parent / "schemas" / "atom-history.rnc"
BLOG = "https://example.org/blog"
ATOM = {"a": "http://www.w3.org/2005/Atom", "fh": "http://purl.org/syndication/history/1.0"}


def jing_history(*paths: Path) -> subprocess.CompletedProcess[str]:
    if shutil.which("jing") is None:
        pytest.fail("jing is not installed: run .ci/run, which installs it (Debian package jing)")
    return subprocess.run(["jing", "-c", str(SCHEMA), *map(str, paths)], capture_output=True,
                          text=True)


def write_posts(site: SiteDir, count: int, start: int = 1) -> None:
    for n in range(start, start + count):
        site.post(f"2025-01-{n:02d}-p{n}.md",
                  f"---\ntitle: Post {n}\nseries: Notes\n---\nBody of post {n}.\n")


@pytest.fixture
def archived(site: SiteDir, publish) -> SiteDir:
    """Seven posts, a limit of 2, archive pages of 3: pages 1-3, 3, 1 posts."""
    site.config("[feed]\nlimit = 2\narchive = true\narchive_size = 3\n")
    write_posts(site, 7)
    result = publish(site.root, "feed", "--now", NOW)
    assert result.code == 0, result.err
    return site


def files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file()}


def links(path: Path) -> dict[str, str]:
    feed = feedparser.parse(path.read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    return {link.rel: link.href for link in feed.feed.links
            if link.rel in ("current", "prev-archive", "next-archive")}


def titles(path: Path) -> list[str]:
    return [entry.title for entry in feedparser.parse(path.read_bytes()).entries]


def test_pages_hold_the_history_oldest_first(archived: SiteDir) -> None:
    out = archived.out
    assert titles(out / "feed.xml") == ["Post 7", "Post 6"]  # the limit still holds
    assert titles(out / "archive/1/feed.xml") == ["Post 3", "Post 2", "Post 1"]
    assert titles(out / "archive/2/feed.xml") == ["Post 6", "Post 5", "Post 4"]
    assert titles(out / "archive/3/feed.xml") == ["Post 7"]
    assert not (out / "archive/4").exists()
    assert links(out / "feed.xml") == {"prev-archive": f"{BLOG}/archive/3/feed.xml"}
    assert links(out / "archive/3/feed.xml") == {
        "current": f"{BLOG}/feed.xml", "prev-archive": f"{BLOG}/archive/2/feed.xml"}
    assert links(out / "archive/2/feed.xml") == {
        "current": f"{BLOG}/feed.xml", "prev-archive": f"{BLOG}/archive/1/feed.xml",
        "next-archive": f"{BLOG}/archive/3/feed.xml"}
    assert links(out / "archive/1/feed.xml") == {
        "current": f"{BLOG}/feed.xml", "next-archive": f"{BLOG}/archive/2/feed.xml"}
    # RSS links its RSS pages, the same way.
    assert links(out / "archive/2/rss.xml") == {
        "current": f"{BLOG}/rss.xml", "prev-archive": f"{BLOG}/archive/1/rss.xml",
        "next-archive": f"{BLOG}/archive/3/rss.xml"}
    assert titles(out / "archive/2/rss.xml") == ["Post 6", "Post 5", "Post 4"]
    # Series feeds are archived too, in their own folder.
    assert titles(out / "series/notes/archive/1/feed.xml") == ["Post 3", "Post 2", "Post 1"]


def test_a_reader_following_prev_archive_gets_every_post_once(archived: SiteDir) -> None:
    for first in ("feed.xml", "rss.xml"):
        seen: list[str] = []
        url = f"{BLOG}/{first}"
        visited = 0
        while url:
            path = archived.out / url.removeprefix(f"{BLOG}/")
            feed = feedparser.parse(path.read_bytes())
            seen += [e.title for e in feed.entries]
            url = next((link.href for link in feed.feed.links if link.rel == "prev-archive"),
                       "")
            visited += 1
        assert visited == 4
        assert sorted(set(seen)) == sorted(f"Post {n}" for n in range(1, 8))
        # The archive is the whole history: the current feed's two are in it too (readers
        # know them by id), and nothing else is seen twice.
        assert len(seen) == 7 + 2


def test_json_feed_pages_follow_next_url(archived: SiteDir) -> None:
    url = f"{BLOG}/feed.json"
    chain, items = [], []
    while url:
        chain.append(url.removeprefix(f"{BLOG}/"))
        feed = json.loads((archived.out / chain[-1]).read_text())
        items += [item["title"] for item in feed["items"]]
        url = feed.get("next_url", "")
    assert chain == ["feed.json", "archive/3/feed.json", "archive/2/feed.json",
                     "archive/1/feed.json"]
    assert items == ["Post 7", "Post 6", "Post 7", "Post 6", "Post 5", "Post 4", "Post 3",
                     "Post 2", "Post 1"]


def test_pages_are_valid_atom_with_rfc_5005_marks(archived: SiteDir) -> None:
    out = archived.out
    pages = sorted(out.rglob("archive/*/feed.xml"))
    assert len(pages) == 6  # three for the site, three for the series
    proc = jing_history(*pages, out / "feed.xml", out / "series/notes/feed.xml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for page in pages:
        root = etree.parse(str(page)).getroot()
        assert root.xpath("count(fh:archive)", namespaces=ATOM) == 1  # in the feed's head
        assert not root.xpath("a:entry//fh:*", namespaces=ATOM)
        assert root.xpath("a:link[@rel='self']/@href", namespaces=ATOM) == [
            f"{BLOG}/{page.relative_to(out).as_posix()}"]
        rss = etree.parse(str(page.with_name("rss.xml"))).getroot()
        assert rss.xpath("count(channel/fh:archive)", namespaces=ATOM) == 1
    # The feeds readers subscribe to are not archives, and do not declare fh at all.
    for current in (out / "feed.xml", out / "rss.xml"):
        assert b"purl.org/syndication/history" not in current.read_bytes()


def test_the_schema_refuses_what_rfc_5005_does_not_allow(archived: SiteDir,
                                                         tmp_path: Path) -> None:
    page = (archived.out / "archive/1/feed.xml").read_text()
    for bad in ("<fh:archive>yes</fh:archive>", '<fh:archive when="now"/>', "<fh:paged/>"):
        broken = tmp_path / "broken.xml"
        broken.write_text(page.replace("<fh:archive/>", bad, 1))
        assert bad in broken.read_text()
        assert jing_history(broken).returncode != 0, bad


def test_a_new_post_changes_only_the_newest_page_and_the_feed(archived: SiteDir,
                                                              publish) -> None:
    out = archived.out
    before = files(out)
    write_posts(archived, 1, start=8)
    assert publish(archived.root, "feed", "--now", NOW).code == 0
    after = files(out)
    changed = sorted(name for name in after if after[name] != before.get(name))
    assert changed == sorted(
        f"{folder}{name}" for folder in ("", "series/notes/")
        for name in ("feed.xml", "rss.xml", "feed.json", "feed.html", "archive/3/feed.xml",
                     "archive/3/rss.xml", "archive/3/feed.json"))
    assert titles(out / "archive/3/feed.xml") == ["Post 8", "Post 7"]

    # Page 3 fills; the post after it opens page 4, and page 3 gains its next-archive link,
    # the one change a page gets after it is full. Pages 1 and 2 never change.
    write_posts(archived, 1, start=9)
    assert publish(archived.root, "feed", "--now", NOW).code == 0
    full = files(out)
    write_posts(archived, 1, start=10)
    result = publish(archived.root, "feed", "--now", NOW)
    assert result.code == 0, result.err
    last = files(out)
    assert titles(out / "archive/4/feed.xml") == ["Post 10"]
    assert links(out / "archive/3/feed.xml")["next-archive"] == f"{BLOG}/archive/4/feed.xml"
    for name in ("archive/1/feed.xml", "archive/2/rss.xml", "archive/2/feed.json"):
        assert last[name] == full[name] == before[name], name
    assert "archive/3/feed.xml: 0 new, 0 updated, 0 removed, 3 unchanged" not in result.out


def test_an_edit_deep_in_the_history_changes_only_its_page(archived: SiteDir,
                                                           publish) -> None:
    out = archived.out
    before = files(out)
    archived.post("2025-01-02-p2.md", "---\ntitle: Post 2, revised\nseries: Notes\n"
                  "modified: 2025-03-01\n---\nBody of post 2, with a correction.\n")
    result = publish(archived.root, "feed", "--now", NOW)
    assert result.code == 0, result.err
    after = files(out)
    changed = sorted(name for name in after if after[name] != before[name])
    assert changed == sorted(f"{folder}archive/1/{name}" for folder in ("", "series/notes/")
                             for name in ("feed.xml", "rss.xml", "feed.json"))
    assert "archive/1/feed.xml: 0 new, 1 updated, 0 removed, 2 unchanged" in result.out
    assert titles(out / "archive/1/feed.xml") == ["Post 3", "Post 2, revised", "Post 1"]


def test_archive_settings_are_checked(site: SiteDir, publish) -> None:
    site.config("[feed]\narchive = true\narchive_size = 0\n")
    result = publish(site.root, "feed", "--now", NOW)
    assert result.code == 1
    assert result.err == "error: publisher.toml:14: feed.archive_size: must be 1 or more\n"
