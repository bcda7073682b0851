"""Feeds written in pieces: the bytes feedgen and json.dumps make of the whole feed, and
each piece on disk before the next is made (a full archive is never held whole)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from publisher.config import load_config
from publisher.content.rendering import render_posts
from publisher.feeds import render as feed_render
from publisher.feeds.jsonfeed import json_feed
from publisher.feeds.plan import plan_feeds
from publisher.feeds.spec import EPOCH
from publisher.output import Staging
from publisher.problems import PublisherError
from publisher.site.load import load_site

from .conftest import NOW, SiteDir

POSTS = {
    "2025-01-01-boats.md": "---\ntitle: Boats & <ships>\nimage: boat.jpg\nheader:\n  caption: "
                           "A *small* boat\ntags: [sea, craft]\nseries: Sailing\n---\n"
                           "A body\nover lines.\n\n```\ncode\n  kept\n```\n",
    "2025-01-02-two.md": "---\ntitle: Two\nauthor: {name: Bo, email: bo@example.org}\n"
                         "series: Sailing\nexcerpt: Short.\n---\nÉté, 🌊 and \"quotes\".\n",
    "2025-01-03-three.md": "---\ntitle: Three\ntags: sea\n---\n<div>\n  raw *html*\n</div>\n",
    "2025-01-04-four.md": "---\ntitle: Four\n---\nThe newest.\n",
}


@pytest.mark.parametrize("extra", [
    "",
    "[feed]\nlimit = 2\narchive = true\narchive_size = 1\nstylesheet = true\n",
    "[feed]\nimage_in_content = true\nwebsub_hub = \"https://hub.example.org/\"\n",
])
def test_pieces_are_the_bytes_of_the_whole_feed(site: SiteDir, extra: str) -> None:
    site.config(extra)
    for name, text in POSTS.items():
        site.post(name, text)
    config = load_config(site.root / "publisher.toml")
    loaded = load_site(config)
    specs = plan_feeds(loaded, loaded.visible(datetime.fromisoformat(NOW)))
    rendered = render_posts(loaded, (p for spec in specs for p in spec.posts), None)
    assert len(specs) >= 2 and any(spec.posts for spec in specs)
    for spec in specs:
        for full in (len(spec.posts), max(len(spec.posts) - 1, 0)):  # one entry shed too
            for kind, media, index in (("atom", "application/atom+xml", 0),
                                       ("rss", "application/rss+xml", 1)):
                fg = feed_render._new_feed(spec, config, spec.files[index], EPOCH, media)
                for number, post in enumerate(spec.posts):
                    feed_render._add_entry(fg, post, rendered[post.id], spec, config,
                                           number < full)
                whole = fg.atom_str(pretty=True) if kind == "atom" else fg.rss_str(pretty=True)
                whole = feed_render._with_stylesheet(
                    whole, feed_render._stylesheet_href(spec, config))
                pieces = list(feed_render._xml_feed(spec, config, lambda p: rendered[p.id],
                                                    EPOCH, kind, full))
                assert len(pieces) == len(spec.posts) + 2  # head, entries, tail
                assert b"".join(pieces) == whole, (spec.folder, kind)
            data = b"".join(json_feed(spec, config, lambda p: rendered[p.id], full))
            assert data == (json.dumps(json.loads(data), ensure_ascii=False, indent=2)
                            + "\n").encode()


def test_each_piece_is_on_disk_before_the_next_is_made(tmp_path: Path) -> None:
    seen: list[int] = []

    def pieces() -> Iterator[bytes]:
        for _ in range(3):
            staged = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
            seen.append(sum(p.stat().st_size for p in staged))
            yield b"x" * 100_000
    # A file object's buffer would hold small pieces back; these are larger than it.
    with Staging(tmp_path) as staging:
        staging.add("feed.xml", pieces())
        report = staging.commit()
    assert seen == [0, 100_000, 200_000]
    assert report.written == ("feed.xml",) and (tmp_path / "feed.xml").stat().st_size == 300_000
    # The same pieces again: the published file is left alone, and no staged copy stays.
    with Staging(tmp_path) as staging:
        staging.add("feed.xml", iter([b"x" * 100_000] * 3))
        report = staging.commit()
    assert report.unchanged == ("feed.xml",) and report.written == ()
    assert [p.name for p in tmp_path.iterdir()] == ["feed.xml"]


def test_a_feed_that_fails_midway_leaves_the_published_one(tmp_path: Path) -> None:
    (tmp_path / "feed.xml").write_bytes(b"the feed readers have")

    def failing() -> Iterator[bytes]:
        yield b"<feed>"
        raise PublisherError("site feed: cannot be written: Required fields not set")

    with pytest.raises(PublisherError, match="Required fields"), Staging(tmp_path) as staging:
        staging.add("feed.xml", failing())
    assert [p.name for p in tmp_path.iterdir()] == ["feed.xml"]
    assert (tmp_path / "feed.xml").read_bytes() == b"the feed readers have"
