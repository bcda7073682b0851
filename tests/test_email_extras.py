"""What makes an issue worth opening: intro note, logo, caption under the header image, a
footer with the postal address and why the reader gets it, and the web archive of sent
issues; laid out by headless Chromium at 600 and 375 px."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import feedparser
import pytest

from .conftest import NOW, SiteDir, jing
from .test_email import EMAIL_CONFIG, post
from .test_email_browser import ARTIFACTS, MEASURE, WIDTHS, Chromium, _layout_problems

EXTRAS = EMAIL_CONFIG.replace("[email]", '[email]\naddress = "Plain Words\\n12 Example '
                              'Street\\n75001 Paris, France"\nsubscribe_url = '
                              '"https://example.org/subscribe"') + """
[series."Notes"]
intro = "notes-intro.md"
"""
LOGO = '[site]\nlogo = "/img/logo.png"\n'


@pytest.fixture
def extras(site: SiteDir) -> SiteDir:
    site.config(EXTRAS, base=(site.root / "publisher.toml").read_text().replace(
        "[site]\n", LOGO))
    (site.root / "notes-intro.md").write_text(
        "Hello again. This week: **one** post, and a [link](https://example.org/x).\n")
    post(site, 1, "Pictured", extra="header:\n  image: pic.jpg\n"
                                    "  caption: 'Photo by *Ada*, [source](https://example.org/s)'\n")
    return site


def draft(site: SiteDir, publish, *args: str) -> tuple[str, str]:
    result = publish(site.root, "email", "--now", NOW, *args)
    assert result.code == 0, result.err
    folder = site.out / "email" / "notes" / "1"
    return (folder / "issue.html").read_text(), (folder / "issue.txt").read_text()


def test_intro_logo_caption_and_footer_in_both_parts(extras: SiteDir, publish) -> None:
    markup, text = draft(extras, publish)
    assert '<img class="logo" src="https://example.org/img/logo.png" height="48" ' \
           'alt="Test site"' in markup
    assert "Hello again. This week: <strong" in markup
    image, caption = markup.index('class="post-image"'), markup.index('class="post-caption"')
    assert image < caption < markup.index('class="post-title"')
    assert "Photo by <em" in markup and 'href="https://example.org/s"' in markup
    assert ">Plain Words<br>12 Example Street<br>75001 Paris, France</p>" in markup
    assert "You get this email because you subscribed to Notes, from Test site." in markup
    assert text.index("Hello again. This week: one post, and a link (https://example.org/x).") \
        < text.index("Pictured")
    assert "[Image: Photo by Ada, source (https://example.org/s)]" in text
    assert text.endswith("Unsubscribe: https://example.org/unsubscribe\nPlain Words\n"
                         "12 Example Street\n75001 Paris, France\n")
    # --intro wins over the series' file; a missing file is a clear error.
    (extras.root / "other.md").write_text("A different note.\n")
    markup, text = draft(extras, publish, "--intro", "other.md")
    assert "A different note." in text and "Hello again" not in markup
    missing = publish(extras.root, "email", "--intro", "nope.md", "--now", NOW)
    assert missing.code == 1 and missing.err == (
        "error: nope.md: no such file (--intro); write the intro note there in Markdown, or "
        "fix the path\n")


def test_mailchimp_footer_takes_the_audience_address(mail_site: SiteDir, publish) -> None:
    markup, text = draft(mail_site, publish)
    assert "*|LIST:ADDRESS|*</p>" in markup and text.rstrip().endswith("*|LIST:ADDRESS|*")


@pytest.fixture
def mail_site(site: SiteDir) -> SiteDir:
    site.config(EMAIL_CONFIG.replace("[email]", '[email]\nprofile = "mailchimp"'))
    post(site, 1, "One")
    return site


def test_check_asks_for_the_postal_address(mail_site: SiteDir, publish) -> None:
    result = publish(mail_site.root, "check")
    assert result.code == 1 and result.out.splitlines()[0] == (
        "publisher.toml: email.address: required with the mailchimp profile: your postal "
        "address for the footer of every issue (Mailchimp refuses a campaign without one), "
        "e.g. address = \"Plain Words, 1 Rue Exemple, 75001 Paris, France\"")
    mail_site.config(EMAIL_CONFIG)
    result = publish(mail_site.root, "check")
    assert result.code == 0 and result.out.splitlines()[0] == (
        "publisher.toml: email.address: warning: no postal address in the footer of your "
        "issues; CAN-SPAM and most mailing tools want one: set email.address")


def test_sent_issues_make_a_web_archive_with_a_feed(extras: SiteDir, publish) -> None:
    draft(extras, publish)
    assert not (extras.out / "email" / "archive").exists()  # drafts are not archived
    publish(extras.root, "email", "--mark-sent", "Notes", "--now", "2026-01-02T09:00:00Z")
    post(extras, 2, "Second")
    publish(extras.root, "email", "--now", NOW)
    publish(extras.root, "email", "--mark-sent", "Notes", "--now", "2026-01-09T09:00:00Z")
    archive = extras.out / "email" / "archive"
    page = (archive / "notes" / "1" / "index.html").read_text()
    assert "Pictured" in page and "Unsubscribe" not in page and "Second" not in page
    assert 'href="https://example.org/subscribe" style="color:#6a6f75">Subscribe</a>' in page
    index = (archive / "index.html").read_text()
    assert index.index("Notes #2: Second") < index.index("Notes #1: Pictured")
    assert '<a href="notes/1/">' in index
    jing(archive / "feed.xml")
    feed = feedparser.parse((archive / "feed.xml").read_bytes())
    assert not feed.bozo
    assert [(e.title, e.link) for e in feed.entries] == [
        ("Notes #2: Second", "https://example.org/blog/email/archive/notes/2/"),
        ("Notes #1: Pictured", "https://example.org/blog/email/archive/notes/1/")]
    # Rebuilt from the ledger: a fresh checkout (no out/) gets the same archive.
    before = {p.relative_to(archive): p.read_bytes() for p in archive.rglob("*") if p.is_file()}
    shutil.rmtree(extras.out)
    publish(extras.root, "email", "--now", NOW)
    after = {p.relative_to(archive): p.read_bytes() for p in archive.rglob("*") if p.is_file()}
    assert after == before


PLACED = r"""(() => {
  const box = (sel) => { const el = document.querySelector(sel); if (!el) return null;
    const r = el.getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width,
            text: el.innerText, fontSize: parseFloat(getComputedStyle(el).fontSize)}; };
  return {intro: box(".intro"), caption: box(".post-caption"), image: box(".post-image"),
          title: box(".post-title"), address: box(".footer-address"),
          why: box(".footer-why"), links: box(".footer-links"), logo: box(".logo"),
          view: document.documentElement.clientWidth};
})()"""


def _placement_problems(width: int, p: dict[str, Any]) -> list[str]:
    problems = []
    for name in ("intro", "caption", "image", "title", "address", "why", "links", "logo"):
        box = p[name]
        if box is None:
            problems.append(f"{name}: not in the page")
        elif box["width"] <= 0 or box["left"] < 0 or box["right"] > p["view"] + 0.5:
            problems.append(f"{name}: outside the {p['view']} px screen: {box}")
    if problems:
        return problems
    if not p["image"]["bottom"] <= p["caption"]["top"] < p["title"]["top"]:
        problems.append(f"the caption is not between the image and the title: {p}")
    if not p["intro"]["bottom"] <= p["image"]["top"]:
        problems.append("the intro is not above the posts")
    if not p["why"]["top"] < p["address"]["top"]:
        problems.append("the address is not at the end of the footer")
    if "12 Example Street" not in p["address"]["text"]:
        problems.append(f"the address reads {p['address']['text']!r}")
    if p["caption"]["fontSize"] < 12 or p["address"]["fontSize"] < 12:
        problems.append("caption or address in type under 12 px")
    return problems


def test_intro_caption_and_footer_lay_out_at_600_and_375(extras: SiteDir, publish,
                                                        tmp_path: Path) -> None:
    if shutil.which("chromium") is None:
        pytest.fail("chromium is not installed: run .ci/run, which installs it")
    draft(extras, publish)
    issue = extras.out / "email" / "notes" / "1"
    titles = [p["title"] for p in json.loads((issue / "issue.json").read_text())["posts"]]
    problems: list[str] = []
    shots = {w: tmp_path / f"extras-{w}.png" for w in WIDTHS}
    browser = Chromium(tmp_path / "profile", tmp_path / "chromium.log")
    try:
        session = browser.open_page()
        for width in WIDTHS:
            browser.load(session, (issue / "issue.html").as_uri(), width)
            measured = browser.evaluate(session, MEASURE)
            placed = browser.evaluate(session, PLACED)
            browser.screenshot(session, shots[width])
            problems += [f"{width} px: {p}" for p in _layout_problems(width, measured, titles)]
            problems += [f"{width} px: {p}" for p in _placement_problems(width, placed)]
    finally:
        browser.close()
    if problems:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for shot in shots.values():
            if shot.exists():
                shutil.copy(shot, ARTIFACTS / shot.name)
        pytest.fail("\n".join(problems) + f"\nscreenshots in {ARTIFACTS}")
