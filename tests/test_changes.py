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


def test_a_new_id_for_a_published_link_is_a_loud_warning(site: SiteDir, publish) -> None:
    posts(site, 2)
    publish(site.root, "feed", "--now", NOW)
    site.post("2025-01-02-p2.md", "---\ntitle: P2\nid: fresh-id\n---\nText 2\n")
    result = publish(site.root, "feed", "--now", NOW)
    assert result.err.splitlines()[0] == (
        "warning: feed.xml: “P2” keeps its link but its id changes from "
        "https://example.org/blog/2025/01/02/p2/ to urn:publisher:fresh-id: every reader "
        "will show it as a new post (set id: https://example.org/blog/2025/01/02/p2/ in "
        "its front matter to keep it)")


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
