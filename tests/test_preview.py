"""`publish preview` served for real: the repo's sample site, fetched with urllib and
rendered by headless Chromium, edited on disk while the server runs.

Chromium is driven over the DevTools protocol on a pipe, as in test_email_browser.py
(the small client is repeated here, without its image stubbing). Requests to the
preview go through; every https request (the sample's images and links) is refused, so
nothing leaves the machine. A screenshot of the page goes to tests/artifacts/ when a
browser check fails.
"""

from __future__ import annotations

import _thread
import argparse
import base64
import fcntl
import html
import json
import os
import re
import select
import shutil
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from publisher import shipped
from publisher.commands.preview import add_command, run
from publisher.preview.server import PreviewServer, start, stop
from publisher.preview.snapshot import Options
from publisher.problems import PublisherError

from .conftest import NOW, ROOT

ARTIFACTS = ROOT / "tests" / "artifacts"
AS_OF = datetime.fromisoformat(NOW)
STABLE_IDS = "2024-02-12-why-your-feed-needs-stable-ids.md"
OLD_TITLE = "Why your feed needs stable ids"
SUBJECTS = ("Feed Plumbing #1: Why your feed needs stable ids and 3 more",
            "Writing Habits #1: Writing every week and 1 more")
FEED_TITLES = ("Plain Words: Feed Plumbing", "Plain Words: Writing Habits")
PLUMBING_POSTS = ("Why your feed needs stable ids", "Atom vs RSS in one page",
                  "Front matter in TOML, and when it helps")


# -- the sample site, served ----------------------------------------------------------------

@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """The repo's own posts and publisher.toml, alone in a folder."""
    root = tmp_path / "site"
    shutil.copytree(ROOT / "posts", root / "posts")
    shutil.copy(ROOT / "publisher.toml", root / "publisher.toml")
    # Oldest first: the subjects below name each series' first post, and the edit test
    # changes that post's title.
    config = root / "publisher.toml"
    config.write_text(config.read_text().replace("[email]\n", '[email]\norder = "oldest"\n'))
    return root


@pytest.fixture
def served(sample: Path) -> Iterator[tuple[PreviewServer, str]]:
    server, url = start(sample / "publisher.toml", Options(now=AS_OF), port=0)
    try:
        yield server, url
    finally:
        stop(server)


def tree(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under root: path -> (size, mtime)."""
    return {p.relative_to(root).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def fetch(url: str, host: str | None = None) -> tuple[int, str, str]:
    """status, content type and text of a GET, errors included."""
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, reply.headers["Content-Type"], reply.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read().decode()


def eventually(check: Callable[[], Any], timeout: float = 10.0) -> Any:
    """check()'s first true value within `timeout` seconds, else its last value."""
    deadline = time.monotonic() + timeout
    while not (value := check()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return value


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- pages, fetched -------------------------------------------------------------------------

def test_pages_show_feeds_and_drafts(served: tuple[PreviewServer, str], sample: Path,
                                     tmp_path: Path, publish) -> None:
    server, url = served
    assert server.server_address[0] == "127.0.0.1"
    assert url == f"http://127.0.0.1:{server.port}/" and server.port > 0

    status, kind, index = fetch(url)
    assert (status, kind) == (200, "text/html; charset=utf-8")
    for text in (*SUBJECTS, *FEED_TITLES, "/draft/feed-plumbing/1/",
                 "/read/series/feed-plumbing/feed.xml", "/feed/series/feed-plumbing/rss.xml",
                 "Café, naïveté &amp; 日本語"):
        assert text in index
    assert "{{" not in index and "{%" not in index

    status, kind, feed = fetch(url + "feed/series/feed-plumbing/feed.xml")
    assert (status, kind) == (200, "application/xml; charset=utf-8")
    assert feed.startswith("<?xml version='1.0' encoding='UTF-8'?>\n"
                           '<?xml-stylesheet href="../../feed.css" type="text/css"?>\n<feed ')
    assert all(f"<title>{title}</title>" in feed for title in PLUMBING_POSTS)
    # The relative link finds the stylesheet under /feed/, as on the real site.
    assert fetch(url + "feed/feed.css")[1:] == ("text/css; charset=utf-8",
                                                shipped.read("feed/feed.css").decode())
    for name in ("feed.xml", "rss.xml"):  # the feed's web page, as publish feed writes it
        status, kind, page = fetch(url + "read/series/feed-plumbing/" + name)
        assert (status, kind) == (200, "text/html; charset=utf-8")
        assert "<title>Plain Words: Feed Plumbing · web feed</title>" in page
        assert '<base href="/feed/series/feed-plumbing/feed.html">' in page
        assert all(title in page for title in PLUMBING_POSTS)
        assert '<script src="/static/reload.js" defer' in page
    assert fetch(url + "read/series/feed-plumbing/feed.json")[0] == 404
    assert fetch(url + "feed/feed.json")[:2] == (200, "application/json; charset=utf-8")

    status, _, page = fetch(url + "draft/feed-plumbing/1/")
    assert status == 200
    assert '<iframe class="fit" src="issue.html" width="600"' in page
    assert '<iframe class="fit" src="issue.html" width="375"' in page
    assert "{{" not in page and "{%" not in page

    # The same bytes `publish email` writes, from a copy of the site.
    copy = tmp_path / "copy"
    shutil.copytree(sample, copy)
    assert publish(copy, "email", "--now", NOW).code == 0
    for slug in ("feed-plumbing", "writing-habits"):
        for name in ("issue.html", "issue.txt"):
            written = (copy / "out" / "email" / slug / "1" / name).read_text(encoding="utf-8")
            assert fetch(f"{url}draft/{slug}/1/{name}")[2] == written, (slug, name)
    text = (copy / "out" / "email" / "feed-plumbing" / "1" / "issue.txt").read_text("utf-8")
    shown = re.search(r"<pre>(.*?)</pre>", page, re.S)
    assert shown and html.unescape(shown.group(1)) == text

    redirected = urllib.request.urlopen(url + "draft/feed-plumbing/1", timeout=10)
    assert redirected.url == url + "draft/feed-plumbing/1/"
    assert fetch(url + "draft/feed-plumbing/2/")[0] == 404
    assert fetch(url + "feed/../publisher.toml")[0] == 404
    assert fetch(url + "nothing")[0] == 404
    assert fetch(url + "version")[2] == server.preview.snapshot.version
    # DNS rebinding: a request naming another host is refused.
    assert fetch(url, host=f"attacker.example:{server.port}")[0] == 403


def test_leaves_output_and_missing_ledger_alone(sample: Path) -> None:
    before = tree(sample)
    server, url = start(sample / "publisher.toml", Options(now=AS_OF), port=0)
    try:
        for path in ("", "draft/feed-plumbing/1/", "draft/feed-plumbing/1/issue.html",
                     "feed/feed.xml"):
            assert fetch(url + path)[0] == 200
    finally:
        stop(server)
    assert tree(sample) == before  # no out/, no publisher.db, no lock file, no cache


def test_reads_the_ledger_without_changing_it(sample: Path, publish) -> None:
    assert publish(sample, "email", "--now", NOW).code == 0
    assert publish(sample, "email", "--mark-sent", "Feed Plumbing", "--now", NOW).code == 0
    edit(sample / "posts" / "2024-05-06-writing-every-week.md", "title: Writing every week",
         "title: Writing each week")
    before = tree(sample)
    server, url = start(sample / "publisher.toml", Options(now=AS_OF), port=0)
    try:
        index = fetch(url)[2]
    finally:
        stop(server)
    assert tree(sample) == before
    # Feed Plumbing #1 was sent; the open Writing Habits draft keeps its number.
    assert "Feed Plumbing #" not in index
    assert "Writing Habits #1: Writing each week and 1 more" in index


def test_rebuilds_on_changes_and_lists_problems(served: tuple[PreviewServer, str],
                                                sample: Path) -> None:
    _, url = served
    version = fetch(url + "version")[2]
    post = sample / "posts" / STABLE_IDS
    edit(post, f"title: {OLD_TITLE}", "title: Ids that never change")
    assert eventually(lambda: "<title>Ids that never change</title>" in fetch(
        url + "feed/series/feed-plumbing/feed.xml")[2])
    assert fetch(url + "version")[2] != version
    assert "Feed Plumbing #1: Ids that never change and 3 more" in fetch(url)[2]

    (sample / "posts" / "2024-12-31-broken.md").write_text(
        "---\ntitle: Broken\ndate: 2024-02-30\n---\nText.\n", encoding="utf-8")
    index = eventually(lambda: next((page for page in [fetch(url)[2]]
                                     if "2024-12-31-broken.md" in page), None))
    assert index and "is not a real date" in index and SUBJECTS[1] in index

    config = sample / "publisher.toml"
    good = config.read_text(encoding="utf-8")
    config.write_text(good + "\n[feed\n", encoding="utf-8")
    assert eventually(lambda: "config:" in fetch(url)[2])
    config.write_text(good, encoding="utf-8")
    assert eventually(lambda: SUBJECTS[1] in fetch(url)[2])


def test_port_in_use_is_refused(served: tuple[PreviewServer, str], sample: Path) -> None:
    server, _ = served
    with pytest.raises(PublisherError, match=f"port {server.port} is in use"):
        start(sample / "publisher.toml", Options(now=AS_OF), port=server.port)


def test_the_command_serves_until_interrupted(sample: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    parser = argparse.ArgumentParser()
    add_command(parser.add_subparsers(), [])
    args = parser.parse_args(["preview", "--port", "0", "--now", NOW])
    args.config = sample / "publisher.toml"
    lines: list[str] = []
    fetched: list[int] = []

    class Lines:  # the Console methods run() uses
        out = err = lines.append

    def browse() -> None:
        address = eventually(lambda: next((line.split()[2] for line in lines
                                           if line.startswith("preview at ")), None))
        if address:
            fetched.append(fetch(address)[0])
        _thread.interrupt_main()  # Ctrl-C

    # interrupt_main() does nothing unless Python handles SIGINT: an earlier test (or a
    # library it ran) may have left another handler, and the preview would then serve on.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        threading.Thread(target=browse, daemon=True).start()
        assert run(args, Lines()) == 0  # type: ignore[arg-type]
    finally:
        signal.signal(signal.SIGINT, previous)
    assert fetched == [200], lines
    assert lines[0] == "built: 2 drafts, 3 feeds, 0 problems"  # the sample has none
    assert lines[1].startswith("preview at http://127.0.0.1:") and \
        lines[1].endswith("/ (Ctrl-C to stop)")


# -- pages, rendered by Chromium ------------------------------------------------------------

class Chromium:
    """Headless Chromium over --remote-debugging-pipe (fds 3 and 4), with a deadline."""

    def __init__(self, profile: Path, log: Path, timeout: float = 60) -> None:
        self.deadline = time.monotonic() + timeout
        self.log = log
        self.refused: list[str] = []
        self._replies: dict[int, dict[str, Any]] = {}
        self._events: list[dict[str, Any]] = []
        self._buffer = b""
        self._next_id = 0
        to_browser, from_here = os.pipe()
        from_browser, to_here = os.pipe()
        child_in = fcntl.fcntl(to_browser, fcntl.F_DUPFD_CLOEXEC, 10)
        child_out = fcntl.fcntl(to_here, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_browser)
        os.close(to_here)

        def pipes_on_3_and_4() -> None:
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        with log.open("wb") as err:
            self.proc = subprocess.Popen(
                ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-extensions",
                 "--mute-audio", f"--user-data-dir={profile}", "--remote-debugging-pipe",
                 "about:blank"],
                stdin=subprocess.DEVNULL, stdout=err, stderr=err,
                preexec_fn=pipes_on_3_and_4, close_fds=False)
        os.close(child_in)
        os.close(child_out)
        self._out, self._in = from_here, from_browser

    def _post(self, method: str, session: str | None = None, **params: Any) -> int:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._out, json.dumps(message).encode() + b"\0")
        return self._next_id

    def _receive(self) -> None:
        while b"\0" not in self._buffer:
            left = self.deadline - time.monotonic()
            if left <= 0 or not select.select([self._in], [], [], left)[0]:
                raise TimeoutError("Chromium gave no answer in time" + self._log_tail())
            chunk = os.read(self._in, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe" + self._log_tail())
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        message = json.loads(raw)
        if "id" in message:
            self._replies[message["id"]] = message
        elif message.get("method") == "Fetch.requestPaused":  # only https: see open_page
            params = message["params"]
            self.refused.append(params["request"]["url"])
            self._post("Fetch.failRequest", message.get("sessionId"),
                       requestId=params["requestId"], errorReason="BlockedByClient")
        else:
            self._events.append(message)

    def _log_tail(self) -> str:
        try:
            return "\nChromium's last words:\n" + "\n".join(
                self.log.read_text(errors="replace").splitlines()[-15:])
        except OSError:
            return ""

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        number = self._post(method, session, **params)
        while number not in self._replies:
            self._receive()
        reply = self._replies.pop(number)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def open_page(self, width: int = 1400, height: int = 1000) -> str:
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call("Page.enable", session)
        self.call("Fetch.enable", session, patterns=[{"urlPattern": "https://*"}])
        self.call("Emulation.setDeviceMetricsOverride", session, width=width, height=height,
                  deviceScaleFactor=1, mobile=False)
        return session

    def load(self, session: str, url: str) -> None:
        """Navigate, and wait until the new page (not the old one, nor one it was
        reloading to) has loaded."""
        self.evaluate(session, "window.oldPage = true")
        self.call("Page.navigate", session, url=url)
        loaded = (f"!window.oldPage && location.href === {json.dumps(url)} "
                  "&& document.readyState === 'complete'")
        while time.monotonic() < self.deadline:
            try:
                if self.evaluate(session, loaded):
                    return
            except RuntimeError:  # the page went away mid-navigation
                pass
            time.sleep(0.05)
        raise TimeoutError(f"{url} did not load in time" + self._log_tail())

    def wait_for(self, session: str, condition: str, timeout: float = 15) -> Any:
        """The first true value of the JavaScript `condition` within `timeout` seconds.

        A page that is reloading has no body for a moment and may drop a script midway:
        those count as "not yet", so the wait is on the condition, never on time.
        """
        deadline = min(self.deadline, time.monotonic() + timeout)
        while time.monotonic() < deadline:
            try:
                value = self.evaluate(session, condition)
            except RuntimeError:  # the document went away while the script ran
                value = None
            if value:
                return value
            time.sleep(0.05)
        raise TimeoutError(f"still false after {timeout} s: {condition}" + self._log_tail())

    def evaluate(self, session: str, expression: str) -> Any:
        reply = self.call("Runtime.evaluate", session, expression=expression,
                          returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in reply:
            raise RuntimeError(f"script failed: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def screenshot(self, session: str, path: Path) -> None:
        shot = self.call("Page.captureScreenshot", session, format="png",
                         captureBeyondViewport=True)
        path.write_bytes(base64.b64decode(shot["data"]))

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                self._post("Browser.close")
            self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait(timeout=10)
        finally:
            os.close(self._out)
            os.close(self._in)


FRAMES = """[...document.querySelectorAll("iframe")].map((f) => ({
  width: f.contentWindow.innerWidth, height: f.getBoundingClientRect().height,
  text: f.contentDocument.body.innerText}))"""


def test_browser_renders_pages_and_reloads_on_change(served: tuple[PreviewServer, str],
                                                     sample: Path, tmp_path: Path) -> None:
    if shutil.which("chromium") is None:
        pytest.fail("chromium is not installed: run .ci/run, which installs it "
                    "(Debian package chromium)")
    _, url = served
    browser = Chromium(tmp_path / "chromium-profile", tmp_path / "chromium.log")
    session = ""
    try:
        session = browser.open_page()
        browser.load(session, url)
        text = browser.evaluate(session, "document.body.innerText")
        assert all(s in text for s in (*SUBJECTS, *FEED_TITLES, "Café, naïveté & 日本語"))
        assert browser.evaluate(session, "document.title") == "Plain Words · publish preview"

        browser.load(session, url + "draft/feed-plumbing/1/")
        # Both issues loaded and sized to their whole content by the page's script.
        frames = browser.wait_for(session, f"(fs => fs.length === 2 && fs.every(f => "
                                  f"f.height > 900 && f.text) && fs)({FRAMES})")
        assert [f["width"] for f in frames] == [600, 375]
        for frame in frames:
            assert all(title in frame["text"] for title in PLUMBING_POSTS), frame["text"]
        text_part = browser.evaluate(session, "document.querySelector('pre').innerText")
        assert all(title in text_part for title in PLUMBING_POSTS)

        browser.load(session, url + "read/series/feed-plumbing/feed.xml")
        assert browser.evaluate(session, "document.title") == \
            "Plain Words: Feed Plumbing · web feed"  # its feed.html
        assert browser.evaluate(session, "document.styleSheets[0].cssRules.length") > 10
        text = browser.evaluate(session, "document.body.innerText")
        assert all(title in text for title in PLUMBING_POSTS)

        # An edit on disk reaches the open index page by itself: no restart, no navigation.
        browser.load(session, url)
        browser.evaluate(session, "window.notReloaded = true")
        edit(sample / "posts" / STABLE_IDS, f"title: {OLD_TITLE}",
             "title: Ids that never change")
        browser.wait_for(session, "!window.notReloaded && document.readyState === 'complete' "
                                  "&& document.body.innerText.includes('Ids that never change')")
        browser.load(session, url + "read/series/feed-plumbing/feed.xml")
        assert "Ids that never change" in browser.evaluate(session, "document.body.innerText")
        assert not [u for u in browser.refused if "127.0.0.1" in u]
    except (AssertionError, OSError, RuntimeError) as exc:
        if session:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            try:
                browser.load(session, url)
                browser.screenshot(session, ARTIFACTS / "preview-index.png")
            except (OSError, RuntimeError):
                pass
        raise AssertionError(f"{exc}\nscreenshot of the index in {ARTIFACTS}") from exc
    finally:
        browser.close()
