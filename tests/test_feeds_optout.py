"""Opt-outs per post: `feed: false` keeps a post out of every feed, `newsletter: false`
(or `email: false`) out of every issue; check's summary and the change report say so."""

from __future__ import annotations

import json

import feedparser

from .conftest import NOW, SiteDir


def entries(site: SiteDir, name: str) -> list[str]:
    feed = feedparser.parse((site.out / name).read_bytes())
    assert feed.bozo == 0
    return [entry.title for entry in feed.entries]


def three_posts(site: SiteDir, extra_b: str = "", extra_c: str = "") -> None:
    site.config("[feed]\ntags = true\narchive = true\n")
    site.post("2025-01-01-a.md", "---\ntitle: A\nseries: Notes\ntags: [x]\n---\nx\n")
    site.post("2025-01-02-b.md", f"---\ntitle: B\nseries: Notes\ntags: [x]\n{extra_b}---\nx\n")
    site.post("2025-01-03-c.md", f"---\ntitle: C\nseries: Notes\n{extra_c}---\nx\n")


def test_feed_false_keeps_a_post_out_of_every_feed(site: SiteDir, publish) -> None:
    three_posts(site, "feed: false\n")
    result = publish(site.root, "feed", "--now", NOW)
    assert result.code == 0, result.err
    for name in ("feed.xml", "rss.xml", "series/notes/feed.xml", "tags/x/feed.xml",
                 "archive/1/feed.xml"):
        assert "B" not in entries(site, name), name
    assert entries(site, "feed.xml") == ["C", "A"]
    assert [i["title"] for i in json.loads((site.out / "feed.json").read_text())["items"]] \
        == ["C", "A"]
    assert ">B</a>" not in (site.out / "feed.html").read_text()
    assert ">A</a>" in (site.out / "feed.html").read_text()
    assert "kept out of every feed by `feed: false`: 1 post(s): posts/2025-01-02-b.md" \
        in result.out
    assert "2 posts published" in result.summary


def test_the_change_report_names_an_opt_out_as_one(site: SiteDir, publish) -> None:
    three_posts(site)
    assert publish(site.root, "feed", "--now", NOW).code == 0
    site.post("2025-01-02-b.md", "---\ntitle: B\nseries: Notes\ntags: [x]\nfeed: false\n"
                                 "---\nx\n")
    result = publish(site.root, "feed", "--now", NOW)
    assert result.code == 0
    lines = result.out.splitlines()
    assert "feed.xml: 0 new, 0 updated, 1 removed, 2 unchanged" in lines
    assert "  removed: “B” https://example.org/blog/2025/01/02/b/ (feed: false)" in lines
    # Left out on purpose: not the "would disappear" alarm of a post lost by mistake.
    assert "disappear" not in result.err


def test_check_counts_the_opt_outs(site: SiteDir, publish) -> None:
    three_posts(site, "feed: false\n", "newsletter: false\n")
    site.post("2025-01-04-d.md", "---\ntitle: D\nemail: false\n---\nx\n")
    site.post("2025-01-05-e.md", "---\ntitle: E\nemail: ada@example.org\n---\nx\n")
    result = publish(site.root, "check")
    assert result.code == 0
    assert result.out.splitlines()[-1] == (
        "5 files, 5 valid posts: 0 errors, 0 warnings in 0 files; 1 kept out of feeds "
        "(feed: false); 2 kept out of newsletters (newsletter: false)")
    report = json.loads(publish(site.root, "check", "--format", "json").out)
    assert report["opted_out"] == {
        "feed": ["posts/2025-01-02-b.md"],
        "newsletter": ["posts/2025-01-03-c.md", "posts/2025-01-04-d.md"]}


def test_quoted_false_counts_with_a_warning(site: SiteDir, publish) -> None:
    site.post("2025-01-01-a.md", '---\ntitle: A\nfeed: "false"\n---\nx\n')
    result = publish(site.root, "check")
    assert result.out.splitlines()[0] == ("posts/2025-01-01-a.md:3: feed: warning: 'false' "
                                          "is text; write feed: false without quotes")
    assert result.out.splitlines()[-1].endswith("; 1 kept out of feeds (feed: false)")


def test_newsletter_false_keeps_a_post_out_of_every_issue(site: SiteDir, publish) -> None:
    site.config('[email]\nfrom = "Ada <ada@example.org>"\nto = "list@example.org"\n'
                'unsubscribe_url = "https://example.org/unsubscribe"\n'
                '[series."Notes"]\ntitle = "Notes"\n')
    site.post("2025-01-01-a.md", "---\ntitle: Kept\nseries: Notes\n---\nx\n")
    site.post("2025-01-02-b.md", "---\ntitle: Quiet\nseries: Notes\nnewsletter: false\n"
                                 "---\nx\n")
    site.post("2025-01-03-c.md", "---\ntitle: Also quiet\nseries: Notes\nemail: false\n"
                                 "---\nx\n")
    result = publish(site.root, "email", "--now", NOW)
    assert result.code == 0, result.err
    manifest = json.loads((site.out / "email/notes/1/issue.json").read_text())
    assert [post["title"] for post in manifest["posts"]] == ["Kept"]
    assert publish(site.root, "feed", "--now", NOW).code == 0
    assert entries(site, "feed.xml") == ["Also quiet", "Quiet", "Kept"]  # still in feeds


def test_opt_outs_hold_when_posts_come_from_the_cache(site: SiteDir, publish) -> None:
    """A second run reads every post from .publisher/cache.db: the flags travel with it."""
    three_posts(site, "feed: false\n", "newsletter: false\n")
    first = publish(site.root, "feed", "--now", NOW)
    assert first.code == 0, first.err
    assert (site.root / ".publisher" / "cache.db").is_file()
    (site.out / "feed.xml").unlink()  # make the second run write it again, from the cache
    second = publish(site.root, "feed", "--now", NOW)
    assert second.code == 0, second.err
    assert entries(site, "feed.xml") == ["C", "A"]
    checked = publish(site.root, "check")
    assert "1 kept out of feeds (feed: false); 1 kept out of newsletters" in checked.out, \
        checked.out
