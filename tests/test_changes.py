"""What subscribers will see: the report publish feed prints before it writes."""

from __future__ import annotations

from .conftest import NOW, SiteDir


def posts(site: SiteDir, count: int) -> None:
    for day in range(1, count + 1):
        site.post(f"2025-01-{day:02d}-p{day}.md", f"---\ntitle: P{day}\n---\nText {day}\n")


def test_new_updated_and_rolled_off(site: SiteDir, publish) -> None:
    site.config("[feed]\nlimit = 3\n")
    posts(site, 3)
    publish(site.root, "feed", "--now", NOW)
    site.post("2025-01-02-p2.md", "---\ntitle: P2, revised\nmodified: 2025-02-01\n---\nText\n")
    site.post("2025-01-09-p9.md", "---\ntitle: P9\n---\nNew\n")
    result = publish(site.root, "feed", "--now", NOW)
    # P1 rolls off the limited feed as P9 comes in: counted, but no warning.
    assert result.out.splitlines()[0] == "feed.xml: 1 new, 1 updated, 1 removed, 1 unchanged"
    assert "warning" not in result.err


def test_a_post_vanishing_from_the_middle_is_a_loud_warning(site: SiteDir, publish) -> None:
    posts(site, 3)
    publish(site.root, "feed", "--now", NOW)
    site.post("2025-01-02-p2.md", "---\ntitle: P2\ndraft: true\n---\nText 2\n")
    result = publish(site.root, "feed", "--now", NOW)
    assert result.out.splitlines()[0] == "feed.xml: 0 new, 0 updated, 1 removed, 2 unchanged"
    assert result.err.splitlines()[0] == (
        "warning: feed.xml: “P2” was published and would disappear from the feed "
        "(unpublished, drafted, renamed or dated in the future?)")


def test_a_new_id_for_a_published_link_is_refused(site: SiteDir, publish) -> None:
    posts(site, 2)
    publish(site.root, "feed", "--now", NOW)
    before = {p: p.read_bytes() for p in site.out.rglob("*") if p.is_file()}
    site.post("2025-01-02-p2.md", "---\ntitle: P2\nid: fresh-id\n---\nText 2\n")
    result = publish(site.root, "feed", "--now", NOW)
    assert result.code == 1
    assert result.err == (
        "error: feed.xml: “P2” (https://example.org/blog/2025/01/02/p2/) was published with "
        "id https://example.org/blog/2025/01/02/p2/; it would get urn:publisher:fresh-id\n"
        "every reader would show these as new posts, so nothing was written; give each "
        "post its old id (`id:` in its front matter), or run again with --accept-new-ids\n")
    assert {p: p.read_bytes() for p in site.out.rglob("*") if p.is_file()} == before
    accepted = publish(site.root, "feed", "--now", NOW, "--accept-new-ids")
    assert accepted.code == 0
    assert accepted.err.splitlines()[0] == (
        "warning: feed.xml: “P2” keeps its link but its id changes from "
        "https://example.org/blog/2025/01/02/p2/ to urn:publisher:fresh-id: every reader "
        "will show it as a new post (set id: https://example.org/blog/2025/01/02/p2/ in "
        "its front matter to keep it)")


def test_the_report_names_the_entries_that_change(site: SiteDir, publish) -> None:
    posts(site, 2)
    first = publish(site.root, "feed", "--now", NOW)  # a first build: every entry is new
    assert first.out.splitlines()[0] == "feed.xml: 2 new, 0 updated, 0 removed, 0 unchanged"
    assert first.out.splitlines()[1].startswith("2 posts published")
    site.post("2025-01-02-p2.md", "---\ntitle: P2 again\n---\nText 2\n")
    site.post("2025-01-03-p3.md", "---\ntitle: P3\n---\nText 3\n")
    again = publish(site.root, "feed", "--now", NOW)
    assert again.out.splitlines()[:3] == [
        "feed.xml: 1 new, 1 updated, 0 removed, 1 unchanged",
        "  new: “P3” https://example.org/blog/2025/01/03/p3/",
        "  updated: “P2 again” https://example.org/blog/2025/01/02/p2/"]


# What another generator wrote, as readers have it: an RSS feed whose guids are the
# permalinks (Hugo), and an Atom feed with ids of its own (jekyll-feed's, without the /).
PREVIOUS_RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Old</title>
<item><title>P1</title><link>https://example.org/blog/2025/01/01/p1/</link>
<guid>https://example.org/blog/2025/01/01/p1/</guid>
<pubDate>Wed, 01 Jan 2025 00:00:00 +0100</pubDate></item></channel></rss>"""
PREVIOUS_ATOM = """<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Old</title><entry><title>P1</title>
<link href="https://example.org/blog/2025/01/01/p1/" rel="alternate" type="text/html"/>
<id>https://example.org/blog/2025/01/01/p1</id><updated>2025-01-01T00:00:00+01:00</updated>
</entry></feed>"""


def test_previous_feed_of_another_generator(site: SiteDir, publish) -> None:
    posts(site, 2)
    (site.root / "old.xml").write_text(PREVIOUS_RSS)
    same = publish(site.root, "feed", "--now", NOW, "--previous", "old.xml")
    assert same.code == 0, same.err
    assert same.out.splitlines()[0] == "feed.xml: 1 new, 1 updated, 0 removed, 0 unchanged"
    (site.root / "old.xml").write_text(PREVIOUS_ATOM)
    moved = publish(site.root, "feed", "--now", NOW, "--previous", "old.xml")
    assert moved.code == 1
    assert moved.err.startswith(
        "error: feed.xml: “P1” (https://example.org/blog/2025/01/01/p1/) was published with "
        "id https://example.org/blog/2025/01/01/p1; it would get "
        "https://example.org/blog/2025/01/01/p1/\n")
    missing = publish(site.root, "feed", "--now", NOW, "--previous", "nope.xml")
    assert missing.err == "error: --previous nope.xml: cannot read it (No such file or directory)\n"


def test_dry_run_reports_and_writes_nothing(site: SiteDir, publish) -> None:
    posts(site, 2)
    publish(site.root, "feed", "--now", NOW)
    before = {p: p.read_bytes() for p in site.out.rglob("*") if p.is_file()}
    site.post("2025-01-05-p5.md", "---\ntitle: P5\nseries: New\n---\nText\n")
    result = publish(site.root, "feed", "--now", NOW, "--dry-run")
    assert not (site.out / "series").exists()  # not even an empty folder
    assert result.out.splitlines()[0] == "feed.xml: 1 new, 0 updated, 0 removed, 2 unchanged"
    assert result.out.splitlines()[-1].startswith(
        "dry run: 2 feeds would change; nothing was written (3 posts read in ")
    assert {p: p.read_bytes() for p in site.out.rglob("*") if p.is_file()} == before
    assert not list(site.out.rglob("*.tmp"))


def test_previous_must_be_a_feed(site: SiteDir, publish) -> None:
    posts(site, 1)
    for name, data in (("page.html", b"<html><body>hi</body></html>"), ("empty.xml", b""),
                       ("rdf.xml", b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
                                   b'syntax-ns#"/>')):
        (site.root / name).write_bytes(data)
        result = publish(site.root, "feed", "--now", NOW, "--previous", name)
        assert (result.code, result.err) == (1, "error: --previous: not an Atom or RSS 2.0 "
                                             "feed; give the feed file readers subscribe to "
                                             "(feed.xml, index.xml)\n"), name
    assert not site.out.exists()


def test_entries_that_share_a_title_keep_their_own_links(site: SiteDir, publish) -> None:
    posts(site, 1)
    publish(site.root, "feed", "--now", NOW)
    for day in (2, 3):
        site.post(f"2025-01-0{day}-w{day}.md", "---\ntitle: Weekly notes\n---\nx\n")
    lines = publish(site.root, "feed", "--now", NOW).out.splitlines()
    assert lines[1:3] == ["  new: “Weekly notes” https://example.org/blog/2025/01/03/w3/",
                          "  new: “Weekly notes” https://example.org/blog/2025/01/02/w2/"]
