"""Images readers show (media:thumbnail, the caption in JSON Feed, the image in the
content on request) and scheduled posts (when the next one is due)."""

from __future__ import annotations

import json

import feedparser

from .conftest import NOW, SiteDir

IMAGE = "https://example.org/images/boat.jpg"  # site.image_base is "/images/"
POST = ("---\ntitle: Boats\nimage: boat.jpg\nheader:\n  caption: A *small* boat & sea\n"
        "---\nThe body.\n")


def test_thumbnail_beside_the_image_and_the_caption_in_json(site: SiteDir, publish) -> None:
    site.post("2025-01-01-boats.md", POST)
    assert publish(site.root, "feed", "--now", NOW).code == 0
    for name in ("feed.xml", "rss.xml"):
        entry = feedparser.parse((site.out / name).read_bytes()).entries[0]
        assert entry.media_thumbnail == [{"url": IMAGE}], name
        assert entry.media_content[0]["url"] == IMAGE
        assert "<img" not in entry.get("content", [{"value": ""}])[0]["value"]
    item = json.loads((site.out / "feed.json").read_text())["items"][0]
    assert item["image"] == IMAGE
    assert item["_publisher"] == {"image_caption": "A small boat & sea",
                                  "image_caption_html": "A <em>small</em> boat &amp; sea"}


def test_image_in_content_puts_it_on_top(site: SiteDir, publish) -> None:
    site.config("[feed]\nimage_in_content = true\n")
    site.post("2025-01-01-boats.md", POST)
    site.post("2025-01-02-plain.md", "---\ntitle: Plain\n---\nNo image here.\n")
    assert publish(site.root, "feed", "--now", NOW).code == 0
    figure = (f'<figure><img src="{IMAGE}" alt="A small boat &amp; sea"><figcaption>A '
              "<em>small</em> boat &amp; sea</figcaption></figure><p>The body.</p>")
    # feedparser reorders attributes as it cleans HTML: compare what it read, as parts.
    atom = {e.title: e for e in feedparser.parse((site.out / "feed.xml").read_bytes()).entries}
    rss = feedparser.parse((site.out / "rss.xml").read_bytes()).entries
    for html in (atom["Boats"].content[0].value, rss[1].content[0].value):  # what newsboat shows
        assert html == (f'<figure><img alt="A small boat &amp; sea" src="{IMAGE}" />'
                        "<figcaption>A <em>small</em> boat &amp; sea</figcaption></figure>"
                        "<p>The body.</p>")
    assert atom["Plain"].content[0].value == "<p>No image here.</p>"
    items = {i["title"]: i for i in json.loads((site.out / "feed.json").read_text())["items"]}
    assert items["Boats"]["content_html"] == figure
    # Summary-only feeds put it on top of the summary, the HTML they carry.
    site.config("[feed]\nimage_in_content = true\nfull_content = false\n")
    assert publish(site.root, "feed", "--now", NOW).code == 0
    xml = (site.out / "feed.xml").read_bytes()
    assert b"<content" not in xml  # (feedparser files media:content under "content" too)
    entry = feedparser.parse(xml).entries[1]
    assert entry.summary.startswith(f'<figure><img alt="A small boat &amp; sea" src="{IMAGE}"')


def test_the_next_scheduled_post_is_announced(site: SiteDir, publish) -> None:
    site.post("2025-12-01-now.md", "---\ntitle: Out now\n---\nx\n")
    site.post("2026-01-04-later.md", "---\ntitle: Later\ndate: 2026-01-04 09:30\n---\nx\n")
    site.post("2026-01-02-soon.md", "---\ntitle: Soon\ndate: 2026-01-02 08:00\n---\nx\n")
    site.post("2026-01-01-draft.md", "---\ntitle: Draft\ndate: 2026-01-01 12:00\n"
                                     "draft: true\n---\nx\n")
    result = publish(site.root, "feed", "--now", NOW)
    assert result.code == 0
    assert ("next scheduled post: “Soon” (posts/2026-01-02-soon.md) is due 2026-01-02 08:00 "
            "Europe/Paris (in 1 day); publish feed must run then") in result.out.splitlines()
    # Once it is due, it is published, and the next one is announced.
    later = publish(site.root, "feed", "--now", "2026-01-02T07:00:00Z")
    assert "next scheduled post: “Later”" in later.out
    titles = [e.title for e in feedparser.parse((site.out / "feed.xml").read_bytes()).entries]
    assert titles == ["Soon", "Out now"]
    # Nothing waiting: nothing said; --future publishes them all.
    assert "scheduled" not in publish(site.root, "feed", "--now", "2026-02-01T00:00:00Z").out
    assert "scheduled" not in publish(site.root, "feed", "--now", NOW, "--future").out
