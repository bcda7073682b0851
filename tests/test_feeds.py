"""The feeds of the sample site, read by feedparser, jing and lxml as readers would."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from publisher.feeds.render import home_page

from .conftest import BASE_CONFIG, NOW, ROOT, Result, SiteDir, jing

SITE = "https://plainwords.example.org"


@pytest.fixture
def sample(tmp_path: Path, publish) -> tuple[Path, Result]:
    """The repo's own posts and publisher.toml, built into tmp_path/out."""
    shutil.copytree(ROOT / "posts", tmp_path / "posts")
    shutil.copy(ROOT / "publisher.toml", tmp_path / "publisher.toml")
    result = publish(tmp_path, "feed", "--now", NOW)
    assert result.code == 0, result.err
    return tmp_path / "out", result


def test_every_feed_parses_cleanly(sample: tuple[Path, Result]) -> None:
    out, _ = sample
    for path in sorted(out.rglob("*.xml")):
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.entries, path
        for entry in parsed.entries:
            assert entry.id and entry.title and entry.link.startswith(SITE)
            assert entry.published_parsed
            if parsed.version == "atom10":  # RSS items have no update date
                assert entry.updated_parsed


def test_site_feed_entries(sample: tuple[Path, Result]) -> None:
    out, result = sample
    atom = feedparser.parse((out / "feed.xml").read_bytes())
    rss = feedparser.parse((out / "rss.xml").read_bytes())
    titles = [e.title for e in atom.entries]
    assert titles == [e.title for e in rss.entries]
    # Newest first; the draft, the _drafts/ file and the 2099 post are not published.
    assert titles == [
        "From blog post to newsletter issue",
        "Café, naïveté & 日本語: Unicode in feeds",
        "Notes kept without a date",
        "Editing without fear",
        "Writing every week",
        "Links, images and anchors that survive the feed",
        "Front matter in TOML, and when it helps",
        "Atom vs RSS in one page",
        "Why your feed needs stable ids",
    ]
    assert atom.feed.title == "Plain Words"
    assert atom.feed.updated == "2024-10-08T00:00:00+02:00"  # newest entry, not the clock
    assert atom.feed.generator == "publisher" and "version" not in atom.feed.generator_detail
    links = {link.rel: link.href for link in atom.feed.links}
    assert links == {"self": f"{SITE}/feed.xml", "alternate": f"{SITE}/",
                     "related": f"{SITE}/feed.html"}  # the feed's web page
    assert result.out.splitlines()[:3] == [
        "feed.xml: 9 new, 0 updated, 0 removed, 0 unchanged",  # a first build: all new
        "series/feed-plumbing/feed.xml: 4 new, 0 updated, 0 removed, 0 unchanged",
        "series/writing-habits/feed.xml: 2 new, 0 updated, 0 removed, 0 unchanged"]
    assert result.summary == ("9 posts published in 16 files in out/ (16 written, 0 "
                              "unchanged); 12 posts read")


def test_entry_fields(sample: tuple[Path, Result]) -> None:
    out, _ = sample
    atom = {e.title: e for e in feedparser.parse((out / "feed.xml").read_bytes()).entries}
    entry = atom["Links, images and anchors that survive the feed"]
    assert entry.id == f"{SITE}/2024/04/22/links-images-and-anchors/"
    assert entry.published == "2024-04-22T14:00:00+02:00"
    assert entry.author_detail == {"name": "The publisher team",
                                   "email": "hello@plainwords.example.org"}
    html = entry.content[0].value
    assert f'src="{SITE}/images/diagram.png"' in html
    assert f'src="{SITE}/2024/04/22/links-images-and-anchors/pipeline.png"' in html
    assert f'href="{SITE}/2024/03/02/atom-vs-rss-in-one-page/"' in html  # {% post_url %}
    # The in-post anchor stays in the entry, on the post's own (prefixed) heading id.
    anchor = re.search(r'href="#(links-images-and-anchors-[0-9a-f]{4}-the-end)"', html)
    assert anchor and f'id="{anchor.group(1)}"' in html, html
    assert "{%" not in html
    assert entry.summary.startswith("A link that works on your site")
    stable = atom["Why your feed needs stable ids"]
    assert stable.id == "urn:uuid:0b6f0c3e-8c1e-4bde-9a8f-3f4c0c2a9e11"
    assert stable.media_content == [{"url": f"{SITE}/images/header-feeds.jpg",
                                     "medium": "image", "type": "image/jpeg"}]
    # Tags and categories, each label once: the category "Feeds" is the tag "feeds".
    assert [t.term for t in stable.tags] == ["feeds", "atom", "ids", "Plumbing"]
    modified = atom["Atom vs RSS in one page"]
    assert modified.updated == "2024-03-20T18:45:00+01:00"
    assert modified.published == "2024-03-02T00:00:00+01:00"


def test_header_image_with_its_rendered_caption(sample: tuple[Path, Result]) -> None:
    out, _ = sample
    for name in ("feed.xml", "rss.xml"):
        xml = " ".join((out / name).read_text().split())
        assert (f'<media:content url="{SITE}/images/header-feeds.jpg" medium="image" '
                'type="image/jpeg"> <media:description type="html">Photo by '
                "&lt;em&gt;the author&lt;/em&gt;</media:description>") in xml


def test_rss_specifics(sample: tuple[Path, Result]) -> None:
    out, _ = sample
    xml = (out / "rss.xml").read_text()
    assert '<guid isPermaLink="false">urn:uuid:0b6f0c3e' in xml
    assert f'<guid isPermaLink="true">{SITE}/2024/04/22/links-images-and-anchors/</guid>' in xml
    rss = feedparser.parse(xml.encode())
    entry = next(e for e in rss.entries if e.title == "Writing every week")
    assert entry.summary.startswith("A weekly post is less about discipline")  # <description>
    assert "<h2" in entry.content[0].value  # <content:encoded> has the whole post
    assert rss.feed.language == "en"


def test_atom_feeds_are_valid_rfc4287(sample: tuple[Path, Result]) -> None:
    out, _ = sample
    jing(*sorted(out.rglob("feed.xml")))
    # The schema's two Schematron rules, which jing does not check.
    ns = {"a": "http://www.w3.org/2005/Atom"}
    for path in sorted(out.rglob("feed.xml")):
        feed = etree.parse(str(path)).getroot()
        entries = feed.findall("a:entry", ns)
        assert feed.find("a:author", ns) is not None or all(
            e.find("a:author", ns) is not None for e in entries), path
        for entry in entries:
            assert entry.xpath("a:link[@rel='alternate' or not(@rel)] | a:content",
                               namespaces=ns), (path, entry.findtext("a:title", namespaces=ns))


def test_json_feed_has_what_the_spec_requires(sample: tuple[Path, Result]) -> None:
    out, _ = sample
    for path in sorted(out.rglob("feed.json")):
        feed = json.loads(path.read_text(encoding="utf-8"))
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert feed["title"] and feed["home_page_url"] == f"{SITE}/"
        assert feed["feed_url"] == f"{SITE}/{path.relative_to(out).as_posix()}"
        for item in feed["items"]:
            assert item["id"] and item["url"].startswith(SITE) and item["content_html"]
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d",
                                item["date_published"])
    site = json.loads((out / "feed.json").read_text(encoding="utf-8"))
    unicode_post = site["items"][1]
    assert unicode_post["title"] == "Café, naïveté & 日本語: Unicode in feeds"
    assert unicode_post["image"] == f"{SITE}/images/header-feeds.jpg"


def test_series_feeds(sample: tuple[Path, Result]) -> None:
    out, _ = sample
    plumbing = feedparser.parse((out / "series/feed-plumbing/feed.xml").read_bytes())
    assert plumbing.feed.title == "Plain Words: Feed Plumbing"
    assert [link.href for link in plumbing.feed.links if link.rel == "self"] == [
        f"{SITE}/series/feed-plumbing/feed.xml"]
    assert len(plumbing.entries) == 4
    assert "Front matter in TOML, and when it helps" in [e.title for e in plumbing.entries]
    habits = feedparser.parse((out / "series/writing-habits/rss.xml").read_bytes())
    assert [e.title for e in habits.entries] == ["Editing without fear", "Writing every week"]


def test_browsers_get_a_readable_page(sample: tuple[Path, Result]) -> None:
    out, _ = sample
    assert (out / "feed.xml").read_text().startswith(
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<?xml-stylesheet href="feed.css" type="text/css"?>\n')
    assert '<?xml-stylesheet href="../../feed.css" type="text/css"?>' in \
        (out / "series/feed-plumbing/rss.xml").read_text()
    assert not (out / "feed.xsl").exists()  # no XSLT: browsers are removing it
    for name in ("feed.html", "series/feed-plumbing/feed.html"):
        page = (out / name).read_text()
        assert "Why your feed needs stable ids" in page and "feed reader" in page
        assert f"<code>{SITE}/{name.replace('.html', '.xml')}</code>" in page


def test_rebuild_is_byte_identical_and_rewrites_nothing(sample: tuple[Path, Result],
                                                         publish) -> None:
    out, _ = sample
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    again = publish(out.parent, "feed", "--now", NOW)
    lines = again.out.splitlines()
    assert lines == [  # no feed changed; the post dated 2099 waits, and says when it is due
        "next scheduled post: “A letter to the future reader” (posts/2099-01-15-letters-from-"
        "the-future.md) is due 2099-01-15 00:00 Europe/Paris (in 26676 days); publish feed "
        "must run then", lines[-1]]
    assert again.summary.endswith("(0 written, 16 unchanged); 12 posts read")
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_drafts_and_future_on_request(sample: tuple[Path, Result], publish) -> None:
    out, _ = sample
    publish(out.parent, "feed", "--now", NOW, "--drafts", "--future")
    titles = [e.title for e in feedparser.parse((out / "feed.xml").read_bytes()).entries]
    assert titles[0] == "A letter to the future reader"
    assert "Should a blog have comments?" in titles and len(titles) == 12


def feed_titles(site: SiteDir) -> list[str]:
    return [e.title for e in feedparser.parse((site.out / "feed.xml").read_bytes()).entries]


def test_autodiscovery_tags_and_subscribe_pages(sample: tuple[Path, Result]) -> None:
    out, _ = sample
    tags = (out / "feeds.html").read_text().splitlines()
    assert tags[1] == (f'<link rel="alternate" type="application/atom+xml" title="Plain '
                       f'Words (Atom)" href="{SITE}/feed.xml">')
    assert len(tags) == 1 + 3 * 3  # the site and two series, three formats each
    page = (out / "series" / "feed-plumbing" / "index.html").read_text()
    assert "<h1>Feed Plumbing</h1>" in page
    assert f"<code>{SITE}/series/feed-plumbing/rss.xml</code>" in page
    assert "write to Plain Words &lt;letters@plainwords.example.org&gt;" in page


def test_subscribe_page_escapes_and_links_the_signup(site: SiteDir, publish) -> None:
    site.config('[series."<b>S</b>"]\nsubscribe_url = "https://list.example.org/join?a=1&b=2"\n')
    site.post("2025-01-01-a.md", '---\ntitle: A\nseries: "<b>S</b>"\n---\nx\n')
    assert publish(site.root, "feed", "--now", NOW).code == 0
    page = (site.out / "series" / "b-s-b" / "index.html").read_text()
    assert "<h1>&lt;b&gt;S&lt;/b&gt;</h1>" in page and "<b>S</b>" not in page
    assert '<a href="https://list.example.org/join?a=1&amp;b=2">subscribe' in page


def test_limit_applies_after_filtering(site: SiteDir, publish) -> None:
    site.config("[feed]\nlimit = 2\n")
    site.post("2025-12-31-draft.md", "---\ntitle: Draft\ndraft: true\n---\nx\n")
    site.post("2030-01-01-future.md", "---\ntitle: Future\n---\nx\n")
    for day in range(1, 5):
        site.post(f"2025-01-0{day}-p{day}.md", f"---\ntitle: P{day}\n---\nText {day}\n")
    assert publish(site.root, "feed", "--now", NOW).code == 0
    assert feed_titles(site) == ["P4", "P3"]
    site.config("[feed]\nlimit = 0\n")
    publish(site.root, "feed", "--now", NOW)
    assert feed_titles(site) == ["P4", "P3", "P2", "P1"]


def test_same_date_ties_broken_by_id(site: SiteDir, publish) -> None:
    for name in ("b", "a", "c"):
        site.post(f"2025-01-01-{name}.md", f"---\ntitle: {name.upper()}\n---\nx\n")
    publish(site.root, "feed", "--now", NOW)
    assert feed_titles(site) == ["A", "B", "C"]


def test_summary_only_and_tag_feeds(site: SiteDir, publish) -> None:
    site.config("[feed]\nfull_content = false\ntags = true\ncategories = true\n")
    site.post("2025-01-01-a.md", "---\ntitle: A\ntags: [Go Lang]\ncategories: news\n---\n"
                                 "First paragraph.\n\nSecond.\n")
    assert publish(site.root, "feed", "--now", NOW).code == 0
    entry = feedparser.parse((site.out / "feed.xml").read_bytes()).entries[0]
    assert "content" not in entry and entry.summary == "First paragraph."
    assert (site.out / "tags/go-lang/feed.xml").exists()
    assert (site.out / "categories/news/rss.xml").exists()
    item = json.loads((site.out / "feed.json").read_text())["items"][0]
    assert item["content_html"] == "First paragraph."


def test_title_change_keeps_the_entry_id(site: SiteDir, publish) -> None:
    site.post("2025-01-01-a.md", "---\ntitle: First title\n---\nx\n")
    publish(site.root, "feed", "--now", NOW)
    before = feedparser.parse((site.out / "feed.xml").read_bytes()).entries[0].id
    site.post("2025-01-01-a.md", "---\ntitle: A better title\n---\nx\n")
    publish(site.root, "feed", "--now", NOW)
    after = feedparser.parse((site.out / "feed.xml").read_bytes()).entries[0]
    assert after.title == "A better title" and after.id == before


def test_tag_spellings_share_one_feed_and_a_post_appears_once(site: SiteDir, publish) -> None:
    site.config("[feed]\ntags = true\n")
    site.post("2025-01-01-a.md", "---\ntitle: A\ntags: [Go]\ntag: go\n---\nx\n")
    site.post("2025-01-02-b.md", "---\ntitle: B\ntags: [go, Data Structures]\n---\nx\n")
    site.post("2025-01-03-c.md", "---\ntitle: C\ntags: [data-structures]\n---\nx\n")
    assert publish(site.root, "feed", "--now", NOW).code == 0
    go = feedparser.parse((site.out / "tags/go/feed.xml").read_bytes())
    assert go.feed.title == "Test site: Go" and [e.title for e in go.entries] == ["B", "A"]
    assert [[t.term for t in e.tags] for e in go.entries] == [["Go", "Data Structures"], ["Go"]]
    # Names that differ by more than case are two tags: the older keeps the plain slug.
    data = feedparser.parse((site.out / "tags/data-structures/feed.xml").read_bytes())
    assert data.feed.title == "Test site: Data Structures" and len(data.entries) == 1
    other = feedparser.parse((site.out / "tags/data-structures-2/feed.xml").read_bytes())
    assert other.feed.title == "Test site: data-structures" and len(other.entries) == 1


# Names a slug must keep apart, with the folder each gets (the older name keeps the
# plain slug when two still meet).
TRICKY_TAGS = [("C++", "c-plus-plus"), ("C#", "c-sharp"), ("C", "c"), (".NET", "dot-net"),
               ("Node.js", "node-js"), ("日本語", "日本語"), ("🚀", "rocket"), ("a/b", "a-b"),
               ("a-b", "a-b-2"), ("R&D", "r-and-d"), ("Career", "career")]


def test_tricky_tag_names_never_share_a_feed(site: SiteDir, publish) -> None:
    site.config("[feed]\ntags = true\ncategories = true\n")
    for day, (name, _) in enumerate(TRICKY_TAGS, 1):
        site.post(f"2025-01-{day:02d}-t{day}.md",
                  f"---\ntitle: T{day}\ntags: [{json.dumps(name, ensure_ascii=False)}]\n---\nx\n")
    site.post("2025-02-01-both.md", "---\ntitle: Both\ntags: [career, C++]\n"
              "categories: [CAREER]\n---\nx\n")
    assert publish(site.root, "feed", "--now", NOW).code == 0
    for day, (name, folder) in enumerate(TRICKY_TAGS, 1):
        feed = feedparser.parse((site.out / "tags" / folder / "feed.xml").read_bytes())
        assert feed.feed.title == f"Test site: {name}", folder
        assert f"T{day}" in [e.title for e in feed.entries], folder
    tags = sorted(p.parent.name for p in (site.out / "tags").glob("*/feed.xml"))
    assert tags == sorted(folder for _, folder in TRICKY_TAGS)
    # career, Career and CAREER are one label, spelt as the oldest post spells it.
    both = next(e for e in feedparser.parse((site.out / "feed.xml").read_bytes()).entries
                if e.title == "Both")
    assert [t.term for t in both.tags] == ["Career", "C++"]
    assert (site.out / "categories/career/feed.xml").is_file()
    assert json.loads((site.out / "feed.json").read_text())["items"][0]["tags"] == \
        ["Career", "C++"]


def test_series_names_that_share_a_folder_are_an_error(site: SiteDir, publish) -> None:
    site.post("2025-01-01-a.md", "---\ntitle: A\nseries: \"Notes: 2024\"\n---\nx\n")
    site.post("2025-01-02-b.md", "---\ntitle: B\nseries: Notes 2024\n---\nx\n")
    result = publish(site.root, "feed", "--now", NOW)
    assert result.code == 1
    # Found when the posts are read, so `publish check` names it too.
    assert result.err.startswith("posts/2025-01-02-b.md: series: 'Notes 2024' and 'Notes: "
                                 "2024' (in posts/2025-01-01-a.md) would share the folders "
                                 "series/notes-2024/ and email/notes-2024/; rename one of "
                                 "them\n")
    assert publish(site.root, "check").code == 1
    assert not site.out.exists()


def test_json_feed_summary_is_plain_text(sample: tuple[Path, Result]) -> None:
    out, _ = sample
    items = {i["title"]: i for i in json.loads((out / "feed.json").read_text())["items"]}
    weekly = items["Writing every week"]
    assert weekly["summary"] == ("A weekly post is less about discipline and more about "
                                 "lowering the bar until you can step over it every time.")
    assert "<p>" in weekly["content_html"]  # the HTML stays where HTML belongs
    assert not any("<" in i["summary"] or "&amp;" in i["summary"] for i in items.values())


def test_no_subtitle_that_repeats_the_title(site: SiteDir, publish) -> None:
    site.config(base=BASE_CONFIG.replace('description = "A site for tests"\n', ""))
    site.post("2025-01-01-a.md", "---\ntitle: A\n---\nx\n")
    assert publish(site.root, "feed", "--now", NOW).code == 0
    atom = feedparser.parse((site.out / "feed.xml").read_bytes())
    assert "subtitle" not in atom.feed
    rss = feedparser.parse((site.out / "rss.xml").read_bytes())
    assert rss.feed.subtitle == "Recent content on Test site"


def test_icon_and_logo(site: SiteDir, publish) -> None:
    site.config(base=BASE_CONFIG.replace(
        'posts = "posts"', 'posts = "posts"\nicon = "favicon.png"\n'
                           'logo = "https://cdn.example.org/logo.png"'))
    site.post("2025-01-01-a.md", "---\ntitle: A\n---\nx\n")
    assert publish(site.root, "feed", "--now", NOW).code == 0
    atom = feedparser.parse((site.out / "feed.xml").read_bytes()).feed
    assert atom.icon == "https://example.org/blog/favicon.png"
    assert atom.logo == "https://cdn.example.org/logo.png"
    feed = json.loads((site.out / "feed.json").read_text())
    assert feed["favicon"] == "https://example.org/blog/favicon.png"
    assert feed["icon"] == "https://cdn.example.org/logo.png"


def test_generator_names_a_real_home_page_or_none(sample: tuple[Path, Result]) -> None:
    out, _ = sample
    # This project declares no [project.urls]: the generator carries no uri at all.
    assert b"<generator>publisher</generator>" in (out / "feed.xml").read_bytes()
    assert home_page([]) is None
    assert home_page(["Documentation, https://docs.example.org",
                      "Homepage, https://publisher.example.org"]) == \
        "https://publisher.example.org"
    assert home_page(["Source, https://code.example.org/publisher"]) == \
        "https://code.example.org/publisher"
    assert home_page(["Changelog, https://example.org/changes"]) is None


def test_a_site_restyles_its_feed_pages(site: SiteDir, publish) -> None:
    own = site.root / "templates" / "feed" / "feed.css"
    own.parent.mkdir(parents=True)
    own.write_text("body { color: teal; }\n")
    site.post("2025-01-01-a.md", "---\ntitle: A\n---\nx\n")
    assert publish(site.root, "feed", "--now", NOW).code == 0
    assert (site.out / "feed.css").read_text() == "body { color: teal; }\n"
    own.write_text("body { color: navy; }\n")  # an edit rebuilds, whatever the cache holds
    assert publish(site.root, "feed", "--now", NOW).code == 0
    assert (site.out / "feed.css").read_text() == "body { color: navy; }\n"
