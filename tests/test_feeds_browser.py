"""The page a person sees when they open a feed, in headless Chromium, over HTTP and from
file://: the web page beside each feed and the XML with its CSS, no XSLT anywhere, and a
post's markup never live there (issue 14, point 3: proven with `--dump-dom`).

A screenshot of each page goes to tests/artifacts/ when a browser check fails.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from .conftest import NOW, ROOT, SiteDir
from .test_preview import Chromium

ARTIFACTS = ROOT / "tests" / "artifacts"
# What a hostile (or careless) post holds: each would run or add markup if it were markup.
TITLE = '<img src=x onerror="document.title=\'pwned\'">Tricky <b>title</b>'
EXCERPT = ("'Plain words, then <script>document.body.dataset.ran = \"yes\"</script> "
           "<img src=\"x\" onerror=\"document.body.dataset.ran = ''img''\"> "
           "<b onmouseover=\"alert(1)\">bold</b> &amp; more'")


def need_chromium() -> None:
    if shutil.which("chromium") is None:
        pytest.fail("chromium is not installed: run .ci/run, which installs it (Debian "
                    "package chromium)")


@pytest.fixture
def built(site: SiteDir, publish) -> SiteDir:
    site.post("2025-01-01-quiet.md", "---\ntitle: A quiet post\n---\nNothing to see.\n")
    site.post("2025-03-08-tricky.md", f"---\ntitle: {json.dumps(TITLE)}\nexcerpt: {EXCERPT}\n"
                                      "series: Notes\n---\nThe body.\n")
    result = publish(site.root, "feed", "--now", NOW)
    assert result.code == 0, result.err
    return site


@pytest.fixture
def served(built: SiteDir) -> Iterator[str]:
    """The output folder on a real HTTP server, as a static host would serve it."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(built.out))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def dump_dom(url: str, profile: Path) -> str:
    """The DOM after load, as `chromium --dump-dom` prints it: what scripts left."""
    need_chromium()
    proc = subprocess.run(
        ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", f"--user-data-dir={profile}", "--dump-dom",
         url], capture_output=True, text=True, timeout=90)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def assert_inert(dom: str, where: str) -> None:
    """Nothing from the post became an element, an attribute or a script that ran."""
    assert "<script" not in dom, where
    assert not re.search(r"<[^>]*\son\w+=", dom), where  # no event-handler attribute
    assert "data-ran" not in dom and "pwned" not in dom.split("</title>")[0], where


def test_feed_pages_show_post_text_as_text_only(served: str, built: SiteDir,
                                                tmp_path: Path) -> None:
    for base in (served, built.out.as_uri() + "/"):
        for name in ("feed.html", "series/notes/feed.html"):
            dom = dump_dom(base + name, tmp_path / "profile")
            assert_inert(dom, base + name)
            page = lxml_html.fromstring(dom)
            assert page.xpath("//script | //*[@onerror] | //*[@onmouseover]") == []
            titles = [a.text_content() for a in page.xpath("//ol[@class='entries']//h2/a")]
            assert titles[0] == "<img src=x onerror=\"document.title='pwned'\">Tricky <b>title" \
                "</b>"  # shown literally, as the writer typed it
            assert page.xpath("//ol//b") == [] and page.xpath("//ol//img") == []
            summary = page.xpath("//p[@class='summary']")[0].text_content()
            assert summary == "Plain words, then bold & more"  # the excerpt's text only
            assert page.xpath("//time/text()")[0] == "8 March 2025"  # dates in words
            assert "copy one of these addresses into it" in " ".join(page.text_content().split())


def test_the_xml_feeds_stay_xml_in_the_browser(served: str, built: SiteDir,
                                              tmp_path: Path) -> None:
    for base in (served, built.out.as_uri() + "/"):
        for name in ("feed.xml", "rss.xml"):
            dom = dump_dom(base + name, tmp_path / "profile")
            assert_inert(dom, base + name)
            root = etree.fromstring(dom.encode())
            # Not transformed into HTML (no XSLT ran): the feed itself, its text as text.
            assert etree.QName(root).localname in ("feed", "rss")
            assert not root.xpath("//*[namespace-uri()='http://www.w3.org/1999/xhtml']")
            assert "<script>" in "".join(root.itertext())  # escaped text in the feed


# The CSS has to reach the XML: computed styles say whether it did (an unstyled XML file
# gets Chromium's tree view instead).
XML_STYLE = """(() => {
  const root = document.documentElement, entry = document.querySelector('entry, item');
  const hidden = document.querySelector('entry > summary, item > description');
  const link = document.querySelector('link[rel=related]');
  return {root: getComputedStyle(root).display, background: getComputedStyle(root).backgroundColor,
          entry: getComputedStyle(entry).display, hidden: getComputedStyle(hidden).display,
          note: getComputedStyle(root.localName === 'rss' ? root.firstElementChild : root,
                                 '::before').content,
          link: getComputedStyle(link, '::after').content,
          xsl: [...document.childNodes].some(n => n.nodeType === 7 && /xsl/.test(n.data)),
          wide: document.documentElement.scrollWidth <= window.innerWidth,
          ran: document.body ? document.body.dataset.ran || '' : ''};
})()"""
PAGE_STYLE = """(() => ({background: getComputedStyle(document.body).backgroundColor,
  sheets: document.styleSheets.length, text: document.body.innerText,
  title: document.title, ran: document.body.dataset.ran || '',
  wide: document.documentElement.scrollWidth <= window.innerWidth}))()"""


def test_chromium_lays_out_the_feed_and_its_page(served: str, built: SiteDir,
                                                 tmp_path: Path) -> None:
    need_chromium()
    browser = Chromium(tmp_path / "chromium-profile", tmp_path / "chromium.log")
    session, current = "", ""
    try:
        session = browser.open_page(width=420, height=900)  # a phone-sized window
        for base in (served, built.out.as_uri() + "/"):
            for name in ("feed.xml", "rss.xml", "series/notes/feed.xml"):
                current = base + name
                browser.load(session, current)
                style = browser.evaluate(session, XML_STYLE)
                assert style["root"] == "block" and style["entry"] == "block", current
                assert style["background"] == "rgb(250, 250, 247)", current  # feed.css
                assert style["hidden"] == "none", current  # escaped HTML is not shown
                assert "This is a web feed" in style["note"], current
                assert "feed.html" in style["link"] and not style["xsl"], current
                assert style["wide"], current  # nothing wider than a phone
            for name in ("feed.html", "series/notes/feed.html"):
                current = base + name
                browser.load(session, current)
                page = browser.evaluate(session, PAGE_STYLE)
                assert page["sheets"] == 1, current
                assert page["background"] == "rgb(250, 250, 247)", current
                assert "8 March 2025" in page["text"], current
                assert ("A quiet post" in page["text"]) == (name == "feed.html"), current
                assert page["title"].endswith("· web feed") and page["ran"] == ""
                assert page["wide"], current  # nothing wider than a phone
    except (AssertionError, OSError, RuntimeError) as exc:
        if session and current:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            shot = ARTIFACTS / ("feed-page-" + re.sub(r"\W+", "-", current)[-60:] + ".png")
            with contextlib.suppress(OSError, RuntimeError):
                browser.screenshot(session, shot)
            raise AssertionError(f"{exc}\nat {current}; screenshot in {shot}") from exc
        raise
    finally:
        browser.close()
