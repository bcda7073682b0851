"""Each dialect's rules on small sites: which files are posts, dates, URLs and ids.

The expected URLs and ids are what real Jekyll 4.3.1 + jekyll-feed 0.17 and Hugo 0.168
wrote for the same files (tests/test_parity_links.py builds such sites with them).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.config import load_config
from publisher.dialects.hugo import urlize
from publisher.dialects.jekyll import jekyll_slugify, normalize_path
from publisher.site.load import load_site

from .conftest import NOW, SiteDir

JEKYLL = """\
[site]
generator = "jekyll"
url = "https://example.org/blog"
posts = "src"
permalink = "/:categories/:year/:month/:day/:title:output_ext"
"""

HUGO = """\
[site]
generator = "hugo"
url = "https://example.org/"
posts = "content"
permalink = "/:sections/:slugorcontentbasename/"
"""


def write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def entries(site: SiteDir, publish, feed: str) -> dict[str, tuple[str, str]]:
    """title -> (id, link) of the site feed, Atom or RSS."""
    import feedparser

    result = publish(site.root, "feed", "--now", NOW)
    assert result.code == 0, result.err
    parsed = feedparser.parse((site.out / feed).read_bytes())
    return {e.title: (e.id, e.link) for e in parsed.entries}


def test_jekyll_posts_urls_and_ids(site: SiteDir, publish) -> None:
    site.config(base=JEKYLL)
    src = site.root / "src"
    write(src, "_posts/2024-03-05-Mixed-Case Name.md",
          "---\ntitle: One\ncategories: [Web Dev, News]\n---\nx\n")
    write(src, "_posts/2024-1-7-two.md", "---\ntitle: Two\ncategory: Solo\n---\nx\n")
    write(src, "travel/_posts/2024-02-02-trip.md", "---\ntitle: Three\n---\nx\n")
    write(src, "_posts/2024-02-03-four.md",
          "---\ntitle: Four\npermalink: /about/:title/\nslug: My Slug\n---\nx\n")
    write(src, "_posts/2024-02-04-five.md",
          "---\ntitle: Five\ndate: 2024-02-04 23:30:00 -0500\n---\nx\n")
    write(src, "_posts/2024-02-06-café-über.md", "---\ntitle: Seven\n---\nx\n")
    write(src, "_posts/undated.md", "---\ntitle: Six\n---\nx\n")  # Jekyll skips it
    write(src, "_posts/2024-02-07-drafty.md", "---\ntitle: Drafty\ndraft: true\n---\nx\n")
    write(src, "_posts/2024-02-08-hidden.md", "---\ntitle: Hidden\npublished: false\n---\nx\n")
    write(src, "_posts/_notes/2024-02-09-under.md", "---\ntitle: Under\n---\nx\n")
    write(src, "_layouts/2024-02-10-layout.md", "---\ntitle: Layout\n---\nx\n")
    write(src, "about.md", "---\ntitle: About\n---\nx\n")
    base = "https://example.org/blog"
    assert entries(site, publish, "feed.xml") == {
        "One": (f"{base}/web%20dev/news/2024/03/05/Mixed-Case%20Name",
                f"{base}/web%20dev/news/2024/03/05/Mixed-Case-Name.html"),
        "Two": (f"{base}/solo/2024/01/07/two", f"{base}/solo/2024/01/07/two.html"),
        "Three": (f"{base}/travel/2024/02/02/trip", f"{base}/travel/2024/02/02/trip.html"),
        "Four": (f"{base}/about/My%20Slug", f"{base}/about/My-Slug/"),
        "Five": (f"{base}/2024/02/05/five", f"{base}/2024/02/05/five.html"),  # UTC's day
        "Seven": (f"{base}/2024/02/06/caf%C3%A9-%C3%BCber",
                  f"{base}/2024/02/06/caf%C3%A9-%C3%BCber.html"),
        "Drafty": (f"{base}/2024/02/07/drafty", f"{base}/2024/02/07/drafty.html"),
    }
    check = publish(site.root, "check")
    assert check.out.splitlines()[0] == \
        "read with Jekyll 4 (posts in _posts/, jekyll-feed's ids)"
    assert ("src/_posts/undated.md: file: warning: has no date in its name "
            "(YYYY-MM-DD-title.md): Jekyll does not publish it, so publisher does not "
            "either") in check.out


def test_hugo_pages_urls_and_guids(site: SiteDir, publish) -> None:
    site.config(base=HUGO)
    content = site.root / "content"
    write(content, "blog/First Post.md", "---\nTitle: First\nDate: 2024-01-02\n---\nx\n")
    write(content, "blog/slugged.md", "+++\ntitle = \"Slugged\"\ndate = 2024-01-03\n"
          "slug = \"Other Name\"\n+++\nx\n")
    write(content, "blog/bundle/index.md", "---\ntitle: Bundle\ndate: 2024-01-04\n---\nx\n")
    write(content, "blog/bundle/resource.md", "---\ntitle: Resource\ndate: 2024-01-04\n---\n")
    write(content, "blog/_index.md", "---\ntitle: Blog\n---\n")
    write(content, "notes/fixed.md", "---\ntitle: Fixed\ndate: 2024-01-05\nurl: /elsewhere/x/\n"
          "---\nx\n")
    write(content, "notes/draft.md", "---\ntitle: Draft\ndate: 2024-01-06\ndraft: true\n---\n")
    write(content, "notes/later.md", "---\ntitle: Later\ndate: 2024-01-06\n"
          "publishDate: 2099-01-01\n---\n")
    write(content, "notes/gone.md", "---\ntitle: Gone\ndate: 2024-01-06\n"
          "expiryDate: 2024-06-01\n---\n")
    write(content, "notes/unlisted.md", "---\ntitle: Unlisted\ndate: 2024-01-06\n"
          "build:\n  list: never\n---\n")
    site_url = "https://example.org"
    assert entries(site, publish, "index.xml") == {
        "First": (f"{site_url}/blog/first-post/", f"{site_url}/blog/first-post/"),
        "Slugged": (f"{site_url}/blog/other-name/", f"{site_url}/blog/other-name/"),
        "Bundle": (f"{site_url}/blog/bundle/", f"{site_url}/blog/bundle/"),
        "Fixed": (f"{site_url}/elsewhere/x/", f"{site_url}/elsewhere/x/"),
    }
    # A feed per section where Hugo writes one (real Hugo lists the same titles there).
    import feedparser

    sections = {s: [e.title for e in feedparser.parse(
        (site.out / s / "index.xml").read_bytes()).entries] for s in ("blog", "notes")}
    assert sections == {"blog": ["Bundle", "Slugged", "First"], "notes": ["Fixed"]}


@pytest.mark.parametrize(("text", "pretty", "slug"), [
    ("Mixed-Case Name!", True, "Mixed-Case-Name!"),
    ("Mixed-Case Name!", False, "mixed-case-name"),
    ("C++ tips & tricks", True, "C++-tips-&-tricks"),
    ("_a_b_", False, "a-b"),
    ("schrödinger's-cat", False, "schrödinger-s-cat"),
    ("日本語 テスト", False, "日本語-テスト"),
])
def test_jekyll_slugify(text: str, pretty: bool, slug: str) -> None:
    assert jekyll_slugify(text, pretty=pretty, cased=pretty) == slug


def test_addressable_normalization() -> None:
    assert normalize_path("/a b/Ünï/x%20y/./c/../d.html") == \
        "/a%20b/%C3%9Cn%C3%AF/x%20y/d.html"
    assert normalize_path("/a/") == "/a/" and normalize_path("/") == "/"
    assert normalize_path("/%7Euser/%e2%82%ac") == "/~user/%E2%82%AC"


def test_hugo_urlize() -> None:
    assert urlize("Hugo 101: Part One") == "hugo-101-part-one"
    assert urlize("  Two  words ") == "two-words"


def test_publish_new_writes_where_the_generator_looks(site: SiteDir, publish) -> None:
    site.config(base=JEKYLL)
    (site.root / "src").mkdir()
    made = publish(site.root, "new", "Hello there")
    assert made.code == 0 and made.out.startswith("src/_posts/") and \
        made.out.endswith("-hello-there.md\n")
    draft = publish(site.root, "new", "Not yet", "--draft")
    assert draft.out == "src/_drafts/not-yet.md\n"  # Jekyll ignores `draft: true`
    assert "draft:" not in (site.root / "src/_drafts/not-yet.md").read_text()
    posts = load_site(load_config(site.root / "publisher.toml")).posts
    assert sorted((p.title, p.draft) for p in posts) == [("Hello there", False),
                                                          ("Not yet", True)]
    site.config(base=HUGO)
    (site.root / "content/posts").mkdir(parents=True)
    hugo = publish(site.root, "new", "Hugo page", "--draft")
    assert hugo.out == "content/posts/hugo-page.md\n"
    assert "draft: true" in (site.root / "content/posts/hugo-page.md").read_text()


def test_hugo_urls_and_term_folders_stay_on_the_site(site: SiteDir, publish) -> None:
    site.config(base=HUGO + "[feed]\ntags = true\n")
    content = site.root / "content"
    write(content, "blog/climb.md", "---\ntitle: Climb\ndate: 2024-01-02\n"
          "url: ../../etc/passwd\ntags: ['..', 'x/../y', '%zz', '!!!']\n---\nx\n")
    write(content, "blog/caps.md", "---\nTitle: Caps\nDraft: false\ndraft: true\n"
          "date: 2024-01-03\n---\nx\n")
    got = entries(site, publish, "index.xml")
    assert got["Climb"][1] == "https://example.org/etc/passwd/"  # as Hugo resolves it
    assert "Caps" in got  # the first spelling of a key wins, with a warning
    tags = sorted(p.parent.relative_to(site.out / "tags").as_posix()
                  for p in (site.out / "tags").rglob("index.xml"))
    # '..' and '!!!' are no folder to Hugo's urlize: publisher names them instead.
    assert tags == ["exclamation-mark-exclamation-mark-exclamation-mark",
                    "full-stop-full-stop", "x/y", "zz"]
    check = publish(site.root, "check")
    assert "content/blog/caps.md:4: draft: warning: 'draft' and 'Draft' are one key here" \
        in check.out



def test_an_id_with_a_scheme_keeps_an_old_feed_id_in_every_dialect(site: SiteDir,
                                                                   publish) -> None:
    site.config(base=JEKYLL)
    write(site.root / "src", "_posts/2024-01-02-kept.md",
          "---\ntitle: Kept\nid: tag:old.example,2020:kept\n---\nx\n")
    write(site.root / "src", "_posts/2024-01-03-number.md",
          "---\ntitle: Number\nid: 123\n---\nx\n")  # a WordPress import's: Jekyll's id
    got = entries(site, publish, "feed.xml")
    assert got["Kept"][0] == "tag:old.example,2020:kept"
    assert got["Number"][0] == "https://example.org/blog/2024/01/03/number"


def test_sections_and_default_permalinks(site: SiteDir, publish) -> None:
    # [permalinks] applies to publisher's own sites too; an empty site.permalink is the
    # generator's default (here Hugo's: the page's folder and its slug).
    site.config("[permalinks]\nnotes = \"/n/:slug/\"\n")
    site.post("notes/2024-01-02-short.md", "---\ntitle: Short\n---\nx\n")
    site.post("2024-01-03-long.md", "---\ntitle: Long\n---\nx\n")
    got = entries(site, publish, "feed.xml")
    assert got["Short"][1] == "https://example.org/blog/n/short/"
    assert got["Long"][1] == "https://example.org/blog/2024/01/03/long/"
    site.config(base=HUGO.replace('permalink = "/:sections/:slugorcontentbasename/"\n', ""))
    write(site.root / "content", "posts/hello.md", "---\ntitle: Hello\ndate: 2024-01-02\n---\n")
    assert entries(site, publish, "index.xml")["Hello"][1] == "https://example.org/posts/hello/"


def test_jekyll_feed_category_feeds_at_its_paths(site: SiteDir, publish) -> None:
    # As jekyll-feed 0.17 wrote them for the same posts: exactly the category, case and all.
    site.config("[feed]\ncategory_feeds = [\"news\", \"travel\"]\n", base=JEKYLL)
    write(site.root / "src", "_posts/2024-03-05-one.md",
          "---\ntitle: One\ncategories: [Web Dev, News]\n---\nx\n")
    write(site.root / "src", "travel/_posts/2024-02-02-trip.md", "---\ntitle: Three\n---\nx\n")
    import feedparser

    entries(site, publish, "feed.xml")
    got = {c: [e.id for e in feedparser.parse((site.out / f"feed/{c}.xml").read_bytes()).entries]
           for c in ("news", "travel")}
    assert got == {"news": [], "travel": ["https://example.org/blog/travel/2024/02/02/trip"]}


def test_hugo_folders_are_read_in_linear_time() -> None:
    """Whether a folder is a leaf bundle is asked once per folder: 4x the files in one
    folder take about 4x the time (once per file, 10,000 posts took 40 s)."""
    import time

    from publisher.dialects.hugo import HUGO

    def seconds(n: int) -> float:
        names = frozenset(f"post-{i}.md" for i in range(n))
        start = time.process_time()
        kinds = [HUGO.post_kind(f"posts/{name}", names) for name in names]
        assert all(kinds)
        return max(time.process_time() - start, 1e-4)

    # Best of three: on a shared machine one pass can lose its core (or meet a GC).
    assert min(seconds(16_000) for _ in range(3)) / min(seconds(4_000) for _ in range(3)) < 8
