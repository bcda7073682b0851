"""WebSub: the feeds name their hub, and `publish feed --ping` tells a real HTTP hub
(started here on 127.0.0.1, recording every POST) about the feeds whose bytes changed,
and only those. A hub that fails is reported and never fails the run."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import feedparser
import pytest

from .conftest import NOW, SiteDir

BLOG = "https://example.org/blog"
SITE_FEEDS = [f"{BLOG}/feed.xml", f"{BLOG}/rss.xml", f"{BLOG}/feed.json"]
NOTES_FEEDS = [f"{BLOG}/series/notes/{name}" for name in ("feed.xml", "rss.xml", "feed.json")]


@dataclass
class Hub:
    """A WebSub hub's publish endpoint: records each POST, answers with `status`."""

    server: ThreadingHTTPServer
    posts: list[dict[str, list[str]]] = field(default_factory=list)
    content_types: list[str] = field(default_factory=list)
    status: int = 204
    delay: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hub"

    def topics(self) -> list[str]:
        assert all(p["hub.mode"] == ["publish"] for p in self.posts), self.posts
        return sorted(url for p in self.posts for url in p["hub.url"])


@pytest.fixture
def hub() -> Iterator[Hub]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the name http.server calls)
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length).decode()
            state.content_types.append(self.headers.get("Content-Type", ""))
            state.posts.append(urllib.parse.parse_qs(body))
            time.sleep(state.delay)
            self.send_response(state.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state = Hub(server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def posts(site: SiteDir) -> None:
    site.post("2025-01-01-a.md", "---\ntitle: A\nseries: Notes\n---\nFirst.\n")
    site.post("2025-01-02-b.md", "---\ntitle: B\nseries: Other\n---\nSecond.\n")


def test_feeds_name_the_hub(site: SiteDir, publish, hub: Hub) -> None:
    site.config(f'[feed]\nwebsub_hub = "{hub.url}"\narchive = true\n')
    posts(site)
    assert publish(site.root, "feed", "--now", NOW).code == 0
    for name in ("feed.xml", "rss.xml"):
        feed = feedparser.parse((site.out / name).read_bytes())
        assert feed.bozo == 0
        assert [link.href for link in feed.feed.links if link.rel == "hub"] == [hub.url]
    assert json.loads((site.out / "feed.json").read_text())["hubs"] == [
        {"type": "WebSub", "url": hub.url}]
    # Archive pages are not subscribed to: no hub there.
    assert b'rel="hub"' not in (site.out / "archive/1/feed.xml").read_bytes()
    assert hub.posts == []  # no --ping, no request


def test_ping_announces_the_changed_feeds_and_only_those(site: SiteDir, publish,
                                                         hub: Hub) -> None:
    site.config(f'[feed]\nwebsub_hub = "{hub.url}"\n')
    posts(site)
    first = publish(site.root, "feed", "--now", NOW, "--ping")
    assert first.code == 0, first.err
    other = [f"{BLOG}/series/other/{n}" for n in ("feed.xml", "rss.xml", "feed.json")]
    assert hub.topics() == sorted(SITE_FEEDS + NOTES_FEEDS + other)
    assert set(hub.content_types) == {"application/x-www-form-urlencoded"}
    assert f"websub: 9 of 9 changed feeds announced to {hub.url}" in first.out

    hub.posts.clear()
    again = publish(site.root, "feed", "--now", NOW, "--ping")
    assert again.code == 0 and hub.posts == []  # nothing changed: the hub hears nothing
    assert f"websub: no feed changed; {hub.url} was not notified" in again.out

    # A post in series Notes changes the site feeds and that series' feeds: not Other's.
    site.post("2025-01-03-c.md", "---\ntitle: C\nseries: Notes\n---\nThird.\n")
    third = publish(site.root, "feed", "--now", NOW, "--ping")
    assert third.code == 0
    assert hub.topics() == sorted(SITE_FEEDS + NOTES_FEEDS)


def test_a_failing_hub_is_reported_never_fatal(site: SiteDir, publish, hub: Hub) -> None:
    site.config(f'[feed]\nwebsub_hub = "{hub.url}"\nseries = false\n')
    posts(site)
    hub.status = 500
    result = publish(site.root, "feed", "--now", NOW, "--ping")
    assert result.code == 0
    assert (site.out / "feed.xml").is_file()  # the feeds are written all the same
    assert result.err.count("the hub answered HTTP 500") == 3
    assert (f"warning: websub: {BLOG}/feed.xml: not announced to {hub.url}: the hub "
            "answered HTTP 500 (the feeds are written; the next change announces them "
            "again)") in result.err
    assert f"websub: 0 of 3 changed feeds announced to {hub.url}" in result.out


def test_a_hub_that_is_down_is_reported_never_fatal(site: SiteDir, publish, hub: Hub) -> None:
    down = hub.url
    hub.server.shutdown()
    hub.server.server_close()  # nothing listens on that port any more
    site.config(f'[feed]\nwebsub_hub = "{down}"\nseries = false\n')
    posts(site)
    started = time.monotonic()
    result = publish(site.root, "feed", "--now", NOW, "--ping")
    assert result.code == 0 and (site.out / "rss.xml").is_file()
    assert result.err.count("no answer from the hub") == 3
    assert time.monotonic() - started < 10


def test_ping_without_a_hub_is_refused_before_anything(site: SiteDir, publish) -> None:
    posts(site)
    result = publish(site.root, "feed", "--now", NOW, "--ping")
    assert result.code == 1
    assert result.err == ('error: --ping: no hub to notify; set feed.websub_hub in '
                          'publisher.toml (e.g. "https://pubsubhubbub.appspot.com/")\n')
    assert not site.out.exists()


def test_dry_run_pings_nothing(site: SiteDir, publish, hub: Hub) -> None:
    site.config(f'[feed]\nwebsub_hub = "{hub.url}"\n')
    posts(site)
    result = publish(site.root, "feed", "--now", NOW, "--ping", "--dry-run")
    assert result.code == 0 and hub.posts == []
    assert result.out.splitlines()[-1].endswith("; no hub was notified")


def test_hub_must_be_a_web_address(site: SiteDir, publish) -> None:
    site.config('[feed]\nwebsub_hub = "ftp://hub.example.org/"\n')
    result = publish(site.root, "check")
    assert result.code == 1
    assert result.err == ("error: publisher.toml:13: feed.websub_hub: must be an absolute "
                          "http(s) URL, not 'ftp://hub.example.org/'\n")
