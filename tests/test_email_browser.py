"""The sample site's newsletter issues, read as mail clients and a phone's browser read them.

`publish email` drafts one issue per series of the repo's own sample site. Their HTML is
checked twice: as text (nothing a mail client strips or blocks, absolute links, one
`<style>` holding only `@media`, under Gmail's clipping size) and laid out by headless
Chromium at 600 px (a desktop reading pane) and 375 px (a phone), where nothing may be
wider than the screen.

Chromium is driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`, fds 3
and 4), with the standard library only: headless Chromium will not make a window narrower
than 500 px, so `--window-size=375,…` cannot show a phone, but device-metrics emulation
can. The network stays closed: every image request is answered with a 1200×800 PNG made
here, so images are really loaded and must shrink to the screen, and any other request
is refused and reported. Screenshots of every width go to `tests/artifacts/` when a
check fails.
"""

from __future__ import annotations

import base64
import fcntl
import functools
import json
import os
import re
import select
import shutil
import struct
import subprocess
import time
import zlib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from .conftest import NOW, ROOT

ISSUES = ("feed-plumbing", "writing-habits")
WIDTHS = (600, 375)
HEIGHT = 900
CHROMIUM_TIMEOUT = 60  # seconds for one Chromium session, start to exit
ARTIFACTS = ROOT / "tests" / "artifacts"
GMAIL_CLIP = 102 * 1024
IMAGE_SIZE = (1200, 800)  # wider than any screen: an image must be scaled down to fit

# Placeholders a mailing tool replaces per subscriber (see publisher/profiles.py).
PLACEHOLDER = re.compile(r"\{\{\s*[A-Za-z_][\w.]*\s*\}\}|\*\|[A-Z0-9_:]+\|\*")
ABSOLUTE = re.compile(r"(?:https?://[^/\s?#]+[^\s]*|mailto:[^\s]+|tel:[^\s]+)", re.I)
NOT_IN_EMAIL = {"script", "form", "iframe", "svg", "picture", "object", "embed", "link"}


# -- the sample site's issues ---------------------------------------------------------------

@pytest.fixture
def email_out(tmp_path: Path, publish) -> Path:
    """The repo's own posts and publisher.toml; `publish email` run there; out/email."""
    shutil.copytree(ROOT / "posts", tmp_path / "posts")
    shutil.copy(ROOT / "publisher.toml", tmp_path / "publisher.toml")
    result = publish(tmp_path, "email", "--now", NOW)
    assert result.code == 0, result.out + result.err
    return tmp_path / "out" / "email"


def test_sample_drafts_one_issue_per_series(email_out: Path) -> None:
    issues = sorted(p.parent.relative_to(email_out).as_posix()
                    for p in email_out.rglob("issue.html"))
    assert issues == [f"{slug}/1" for slug in ISSUES]
    for issue in issues:
        for name in ("issue.html", "issue.txt", "issue.eml", "issue.json"):
            assert (email_out / issue / name).stat().st_size > 0, (issue, name)


# -- the HTML as text -----------------------------------------------------------------------

class _Markup(HTMLParser):
    """Every start tag with its attributes, and the text of each <style>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "style":
            self._in_style = True
            self.styles.append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles[-1] += data


def _without_media_blocks(css: str) -> str:
    """The CSS left once comments and every top-level `@media … { … }` block are removed."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    left, i = [], 0
    while (start := css.find("@media", i)) != -1:
        left.append(css[i:start])
        opening = css.find("{", start)
        if opening == -1:
            return css  # unbalanced: leave it all for the caller to show
        depth, j = 0, opening
        while j < len(css):
            depth += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
            if depth == 0:
                break
        else:
            return css
        i = j
    left.append(css[i:])
    return "".join(left)


@pytest.mark.parametrize("slug", ISSUES)
def test_issue_html_is_fit_for_mail_clients(email_out: Path, slug: str) -> None:
    path = email_out / slug / "1" / "issue.html"
    data = path.read_bytes()
    assert len(data) < GMAIL_CLIP, f"{len(data)} bytes: Gmail clips messages over 102 KB"
    parser = _Markup()
    parser.feed(data.decode("utf-8"))
    parser.close()
    tags = parser.tags

    assert [attrs.get("lang") for tag, attrs in tags if tag == "html"] == ["en"]
    blocked = sorted({tag for tag, _ in tags if tag in NOT_IN_EMAIL})
    assert not blocked, f"mail clients strip or block these elements: {blocked}"
    with_srcset = [(tag, attrs) for tag, attrs in tags if "srcset" in attrs]
    assert not with_srcset, with_srcset

    bad_urls = []
    for tag, attrs in tags:
        for name in ("href", "src"):
            if name not in attrs:
                continue
            value = (attrs[name] or "").strip()
            if value.lower().startswith("data:") or not (
                    ABSOLUTE.fullmatch(value) or PLACEHOLDER.fullmatch(value)):
                bad_urls.append(f"<{tag} {name}={value!r}>")
    assert not bad_urls, "links and images must be absolute URLs or mailing-tool " \
        f"placeholders: {bad_urls}"

    images = [attrs for tag, attrs in tags if tag == "img"]
    assert all("alt" in attrs for attrs in images), [a for a in images if "alt" not in a]

    assert len(parser.styles) == 1, f"{len(parser.styles)} <style> elements; want one"
    style = parser.styles[0]
    assert "@media" in style, style
    assert not _without_media_blocks(style).strip(), \
        f"<style> must hold only @media blocks (the rest is inlined):\n{style}"


# -- the HTML laid out by Chromium ----------------------------------------------------------

@functools.cache
def _png(width: int, height: int) -> bytes:
    """A plain grey-blue RGB PNG of the given size."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))

    row = b"\0" + bytes((138, 155, 176)) * width
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height, 9))
            + chunk(b"IEND", b""))


class Chromium:
    """One headless Chromium driven over --remote-debugging-pipe, with a hard deadline."""

    def __init__(self, profile: Path, log: Path, timeout: float = CHROMIUM_TIMEOUT) -> None:
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout
        self.log = log
        self.requests: list[tuple[str, str]] = []  # (resource type, URL) of each request
        self._replies: dict[int, dict[str, Any]] = {}
        self._events: list[dict[str, Any]] = []
        self._buffer = b""
        self._next_id = 0
        to_browser, from_here = os.pipe()
        from_browser, to_here = os.pipe()
        # The browser reads fd 3 and writes fd 4. Its ends move above 10 (close-on-exec),
        # then onto 3 and 4 in the child only; close_fds=False because subprocess would
        # close 3 and 4 after preexec_fn, while every other descriptor Python opens is
        # close-on-exec anyway.
        child_in = fcntl.fcntl(to_browser, fcntl.F_DUPFD_CLOEXEC, 10)
        child_out = fcntl.fcntl(to_here, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_browser)
        os.close(to_here)

        def pipes_on_3_and_4() -> None:
            os.dup2(child_in, 3)  # dup2 clears close-on-exec on 3 and 4
            os.dup2(child_out, 4)

        with log.open("wb") as err:
            self.proc = subprocess.Popen(
                ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-extensions",
                 "--mute-audio", f"--user-data-dir={profile}", "--remote-debugging-pipe",
                 "about:blank"],
                stdin=subprocess.DEVNULL, stdout=err, stderr=err,
                preexec_fn=pipes_on_3_and_4, close_fds=False)
        os.close(child_in)
        os.close(child_out)
        self._out, self._in = from_here, from_browser

    # protocol plumbing

    def _post(self, method: str, session: str | None = None, **params: Any) -> int:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._out, json.dumps(message).encode() + b"\0")
        return self._next_id

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = self.deadline - time.monotonic()
            if left <= 0 or not select.select([self._in], [], [], left)[0]:
                raise TimeoutError(f"Chromium gave no answer within {self.timeout:g} s"
                                   + self._log_tail())
            chunk = os.read(self._in, 1 << 20)
            if not chunk:
                try:
                    code = self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    code = None
                raise RuntimeError(f"Chromium closed the pipe (exit code {code})"
                                   + self._log_tail())
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def _receive(self) -> None:
        message = self._read()
        if "id" in message:
            self._replies[message["id"]] = message
        elif message.get("method") == "Fetch.requestPaused":
            self._answer(message)
        else:
            self._events.append(message)

    def _answer(self, event: dict[str, Any]) -> None:
        """Images get a generated PNG; anything else from the network is refused."""
        params, session = event["params"], event.get("sessionId")
        kind, url = params.get("resourceType", ""), params["request"]["url"]
        self.requests.append((kind, url))
        if kind == "Image":
            self._post("Fetch.fulfillRequest", session, requestId=params["requestId"],
                       responseCode=200,
                       responseHeaders=[{"name": "Content-Type", "value": "image/png"}],
                       body=base64.b64encode(_png(*IMAGE_SIZE)).decode("ascii"))
        else:
            self._post("Fetch.failRequest", session, requestId=params["requestId"],
                       errorReason="BlockedByClient")

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        number = self._post(method, session, **params)
        while number not in self._replies:
            self._receive()
        reply = self._replies.pop(number)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def wait_for(self, method: str, session: str) -> dict[str, Any]:
        while True:
            for event in self._events:
                if event.get("method") == method and event.get("sessionId") == session:
                    self._events.remove(event)
                    return event
            self._receive()

    def _log_tail(self) -> str:
        try:
            lines = self.log.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\nChromium's last words:\n" + "\n".join(lines[-15:])

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                self._post("Browser.close")
            self.proc.wait(timeout=max(1.0, min(10.0, self.deadline - time.monotonic())))
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait(timeout=10)
        finally:
            os.close(self._out)
            os.close(self._in)

    # a page

    def open_page(self) -> str:
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call("Page.enable", session)
        self.call("Fetch.enable", session,
                  patterns=[{"urlPattern": "http://*"}, {"urlPattern": "https://*"}])
        self.call("Emulation.setScrollbarsHidden", session, hidden=True)  # as on a phone
        return session

    def load(self, session: str, url: str, width: int) -> None:
        self.call("Emulation.setDeviceMetricsOverride", session, width=width, height=HEIGHT,
                  deviceScaleFactor=1, mobile=False)
        self._events.clear()
        self.call("Page.navigate", session, url=url)
        self.wait_for("Page.loadEventFired", session)

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


MEASURE = r"""(async () => {
  await document.fonts.ready;
  const root = document.documentElement, view = root.clientWidth;
  const describe = (el) => {
    const r = el.getBoundingClientRect();
    return {tag: el.tagName.toLowerCase(), class: el.getAttribute("class") || "",
            left: Math.round(r.left), right: Math.round(r.right), width: Math.round(r.width),
            height: Math.round(r.height),
            text: (el.innerText || el.getAttribute("alt") || "").trim().slice(0, 60)};
  };
  const found = {
    innerWidth: window.innerWidth, clientWidth: view, scrollWidth: root.scrollWidth,
    scrollHeight: root.scrollHeight, text: document.body.innerText,
    images: [...document.images].map((img) => Object.assign(describe(img), {
      src: img.currentSrc || img.src, complete: img.complete,
      naturalWidth: img.naturalWidth, display: getComputedStyle(img).display})),
  };
  // What reaches past the viewport and cannot shrink: images and other embedded boxes,
  // words (unbreakable runs of text), elements held at a fixed width. Widest first: a
  // table stretched by a wide image makes its lines of text wide too, but not each word.
  found.outside = [];
  if (found.scrollWidth > view) {
    const past = (r) => r.right > view + 0.5 || r.left < -0.5;
    for (const el of document.body.querySelectorAll("img, video, iframe, object, embed")) {
      if (past(el.getBoundingClientRect())) found.outside.push(describe(el));
    }
    for (const el of document.body.querySelectorAll("[width], [style*=width]")) {
      const r = el.getBoundingClientRect(), fixed = Math.max(
        ...[el.getAttribute("width"), el.style.width, el.style.minWidth]
          .map((w) => /^\s*\d+(\.\d+)?(px)?\s*$/.test(w || "") ? parseFloat(w) : 0));
      if (fixed > view && r.width >= fixed - 0.5 && past(r)) {
        found.outside.push(Object.assign(describe(el), {fixedWidth: fixed}));
      }
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.data.matchAll(/\S+/g)) {
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const r = range.getBoundingClientRect();
        if (r.width && past(r)) {
          found.outside.push(Object.assign(describe(node.parentElement), {
            word: word[0].slice(0, 60), left: Math.round(r.left), right: Math.round(r.right),
            width: Math.round(r.width)}));
        }
      }
    }
    // An element held at a fixed width ranks by that width, not by how wide it got.
    const size = (item) => item.fixedWidth || item.width;
    found.outside.sort((a, b) => size(b) - size(a)).splice(5);
  }
  return found;
})()"""


def _layout_problems(width: int, m: dict[str, Any], titles: list[str]) -> list[str]:
    """What is wrong with one issue laid out `width` px wide."""
    problems = []
    if m["innerWidth"] != width or m["clientWidth"] != width:
        problems.append(f"the viewport is {m['innerWidth']} px (client {m['clientWidth']}), "
                        f"not {width}: device-metrics emulation did not take")
    if m["scrollWidth"] > m["clientWidth"]:
        problems.append(f"horizontal overflow: the page is {m['scrollWidth']} px wide in a "
                        f"{m['clientWidth']} px viewport; what reaches past it, widest "
                        f"first: {m['outside']}")
    for image in m["images"]:
        if image["display"] == "none":
            continue
        if not image["complete"] or image["naturalWidth"] == 0:
            problems.append(f"image did not load from the stubbed network: {image}")
        if not 0 < image["width"] <= m["clientWidth"] or image["right"] > m["clientWidth"]:
            problems.append(f"image {image['src']} is laid out {image['width']} px wide "
                            f"(left {image['left']}, right {image['right']}) in a "
                            f"{m['clientWidth']} px viewport")
        if image["height"] <= 0:
            problems.append(f"image {image['src']} has no height: {image}")
    text = " ".join(m["text"].split())
    if len(text) < 200:
        problems.append(f"hardly any visible text: {text!r}")
    problems += [f"post title {title!r} is not in the visible text"
                 for title in titles if " ".join(title.split()) not in text]
    return problems


@pytest.mark.parametrize("slug", ISSUES)
def test_issue_lays_out_at_desktop_and_phone_widths(email_out: Path, tmp_path: Path,
                                                     slug: str) -> None:
    if shutil.which("chromium") is None:
        pytest.fail("chromium is not installed: run .ci/run, which installs it "
                    "(Debian package chromium)")
    issue = email_out / slug / "1"
    titles = [post["title"] for post in
              json.loads((issue / "issue.json").read_text(encoding="utf-8"))["posts"]]
    assert titles, "the issue has no posts"
    shots = {width: tmp_path / f"{slug}-{width}.png" for width in WIDTHS}
    measured: dict[int, dict[str, Any]] = {}
    problems: list[str] = []
    try:
        browser = Chromium(tmp_path / "chromium-profile", tmp_path / "chromium.log")
        try:
            session = browser.open_page()
            for width in WIDTHS:
                browser.load(session, (issue / "issue.html").as_uri(), width)
                measured[width] = browser.evaluate(session, MEASURE)
                browser.screenshot(session, shots[width])
        finally:
            browser.close()
    except (OSError, RuntimeError, ValueError) as exc:  # TimeoutError is an OSError
        problems.append(f"Chromium failed: {exc}")
    else:
        stray = [(kind, url) for kind, url in browser.requests if kind != "Image"]
        if stray:
            problems.append(f"the issue fetches more than images: {stray}")

    for width, found in measured.items():
        problems += [f"{width} px: {p}" for p in _layout_problems(width, found, titles)]
    if problems:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for shot in shots.values():
            if shot.exists():
                shutil.copy(shot, ARTIFACTS / shot.name)
        (ARTIFACTS / f"{slug}-layout.json").write_text(
            json.dumps(measured, indent=2, ensure_ascii=False), encoding="utf-8")
        shutil.copy(issue / "issue.html", ARTIFACTS / f"{slug}-issue.html")
        pytest.fail("\n".join(problems) + f"\nscreenshots and measurements in {ARTIFACTS}")
