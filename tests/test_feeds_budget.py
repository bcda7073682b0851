"""Size budgets: a feed over `feed.max_bytes` gives its oldest entries their summary only,
as few as it takes, says so, and never cuts an entry or drops one."""

from __future__ import annotations

import json
from collections.abc import Iterator

import feedparser

from publisher.feeds.budget import fit

from .conftest import NOW, SiteDir

PARAGRAPH = "Words that make a long post longer, one sentence after another. " * 40


def long_posts(site: SiteDir, count: int = 10) -> None:
    for n in range(1, count + 1):
        site.post(f"2025-01-{n:02d}-p{n}.md",
                  f"---\ntitle: Post {n}\nexcerpt: The short version of post {n}.\n---\n"
                  + f"{PARAGRAPH}\n\n" * 3)


def test_the_oldest_entries_fall_back_to_summaries_until_it_fits(site: SiteDir,
                                                                  publish) -> None:
    long_posts(site)
    assert publish(site.root, "feed", "--now", NOW).code == 0
    whole = {name: (site.out / name).stat().st_size for name in ("feed.xml", "rss.xml",
                                                                 "feed.json")}
    budget = 40_000
    assert all(size > budget for size in whole.values()), whole
    site.config(f"[feed]\nmax_bytes = {budget}\nseries = false\n")
    result = publish(site.root, "feed", "--now", NOW)
    assert result.code == 0
    for name in ("feed.xml", "rss.xml", "feed.json"):
        data = (site.out / name).read_bytes()
        assert len(data) <= budget, name
        if name.endswith(".json"):
            items = json.loads(data)["items"]
            titles = [i["title"] for i in items]
            full = [PARAGRAPH.strip()[:40] in i["content_html"] for i in items]
            summaries = [i["summary"] for i in items]
        else:
            feed = feedparser.parse(data)
            assert feed.bozo == 0
            titles = [e.title for e in feed.entries]
            full = ["content" in e for e in feed.entries]
            summaries = [e.summary for e in feed.entries]
        assert titles == [f"Post {n}" for n in range(10, 0, -1)], name  # none dropped
        kept = full.count(True)
        assert 0 < kept < 10 and full == [True] * kept + [False] * (10 - kept), name
        assert summaries == [f"The short version of post {n}." for n in range(10, 0, -1)]
        assert (f"warning: {name}: over feed.max_bytes (40,000 bytes) with every entry in "
                f"full, so the oldest {10 - kept} of 10 entries carry their summary only ("
                ) in result.err


def test_fit_keeps_the_most_full_entries_that_fit_in_few_renders() -> None:
    renders: list[int] = []

    def render(full: int) -> Iterator[bytes]:  # 100 bytes, 50 per full entry, 10 otherwise
        renders.append(full)
        yield b"x" * 100
        for index in range(1000):
            yield b"x" * (50 if index < full else 10)

    fitted = fit(render, 1000, 100 + 10 * 1000 + 40 * 377)
    assert fitted.full == 377 and fitted.size == 100 + 10 * 1000 + 40 * 377
    assert b"".join(fitted.chunks) == b"x" * fitted.size
    assert len(renders) <= 12  # a halving search, not one render per entry
    unlimited = fit(render, 1000, 0)  # no limit: streamed, not measured
    assert unlimited.full == 1000 and unlimited.size is None
    assert len(b"".join(unlimited.chunks)) == 100 + 50 * 1000
    assert fit(render, 1000, 50).full == 0  # nothing fits: summaries only, and said
    assert fit(render, 1000, 50).note("feed.xml").startswith("feed.xml: 10.1 KB is over")


def test_a_feed_too_big_even_with_summaries_is_written_whole_and_said(site: SiteDir,
                                                                      publish) -> None:
    long_posts(site, 4)
    site.config("[feed]\nmax_bytes = 1000\nseries = false\n")
    result = publish(site.root, "feed", "--now", NOW)
    assert result.code == 0
    feed = feedparser.parse((site.out / "feed.xml").read_bytes())
    assert len(feed.entries) == 4 and not any("content" in e for e in feed.entries)
    size = (site.out / "feed.xml").stat().st_size
    assert (f"warning: feed.xml: {size / 1000:.1f} KB is over feed.max_bytes (1,000 bytes) "
            "even with summaries only for its 4 entries; readers such as CommaFeed may "
            "refuse it: lower feed.limit\n") in result.err


def test_under_the_budget_nothing_changes(site: SiteDir, publish) -> None:
    long_posts(site, 3)
    first = publish(site.root, "feed", "--now", NOW)
    before = (site.out / "feed.xml").read_bytes()
    assert "max_bytes" not in first.err
    site.config("[feed]\nmax_bytes = 0\n")  # no limit
    publish(site.root, "feed", "--now", NOW)
    assert (site.out / "feed.xml").read_bytes() == before
