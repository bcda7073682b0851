"""The Pelican dialect: Key: value metadata and its bad input, articles, URLs, Atom ids,
and `publish init --from-pelican`.

The expected links and ids are what real Pelican 4.12 wrote for the same files
(tests/test_parity_links.py builds such sites with it); slugs and dates are checked
against Pelican's own functions.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.config import parse_config
from publisher.dialects.pelican import pelican_date, pelican_slugify
from publisher.scaffold.init import init_site
from publisher.site.reader import read_post

from . import generators_pelican
from .conftest import SiteDir
from .test_dialects import entries, write

PELICAN = """\
[site]
generator = "pelican"
url = "https://Example.org:8080/blog"
timezone = "Europe/Paris"
posts = "content"
permalink = "/{date:%Y}/{category}/{slug}/"
"""


def problems(text: str, name: str = "post.md", config: str = PELICAN) -> list[str]:
    """What read_post says of one file, as `publish check` prints it."""
    post, found = read_post(text.encode(), name, f"content/{name}",
                            parse_config(config, "publisher.toml", Path(".")))
    return [str(p) for p in found] + ([] if post else ["(no post)"])


# -- metadata: Key: value lines ---------------------------------------------------------------

def test_a_line_that_is_not_key_value_ends_the_metadata() -> None:
    assert problems("Title: One\nDate: 2024-03-12\nnot a key line\nSlug: never\n\nBody\n") == [
        "content/post.md:3: metadata: warning: not a `Key: value` line: Pelican's metadata "
        "ends here and the body starts with this line; put a blank line before the body, or "
        "write the line as `Key: value`"]


def test_a_file_without_metadata_is_not_an_article() -> None:
    assert problems("# A heading\n\nText\n") == [
        "content/post.md:1: metadata: a line that is not `Key: value` where the metadata "
        "should start: Pelican reads none and skips the file (it has no Title:); start it "
        "with lines such as `Title: My post` and `Date: 2024-03-02`", "(no post)"]
    assert problems("\nTitle: Late\nDate: 2024-01-01\n") == [
        "content/post.md:1: metadata: a blank line where the metadata should start: Pelican "
        "reads none and skips the file (it has no Title:); start it with lines such as "
        "`Title: My post` and `Date: 2024-03-02`", "(no post)"]
    assert problems("") == ["content/post.md:1: file: is empty; start it with a `Title:` "
                            "line, or delete the file", "(no post)"]


def test_a_bad_date_is_an_error_on_its_line() -> None:
    assert problems("Title: Bad date\nDate: not a date\n\nBody\n") == [
        "content/post.md:2: Date: 'not a date' is not a date Pelican reads; write it as "
        "2024-03-02 or 2024-03-02 10:00", "(no post)"]
    assert problems("Title: Partial\nDate: March 5\n") == [
        "content/post.md:2: Date: 'March 5' has no year, month or day: Pelican would take "
        "them from the day it builds; write the whole date, e.g. 2024-03-02", "(no post)"]
    assert problems("Title: Changed\nDate: 2024-01-01\nmodified: 2024-13-40\n") == [
        "content/post.md:3: modified: '2024-13-40' is not a date Pelican reads; write it as "
        "2024-03-02 or 2024-03-02 10:00", "(no post)"]


def test_an_unknown_status_is_an_error_on_its_line() -> None:
    assert problems("Title: Bad status\nDate: 2024-03-14\nStatus: archived\n\nBody\n") == [
        "content/post.md:3: Status: 'archived' is not a status Pelican knows (it skips the "
        "file); write published, draft or hidden", "(no post)"]


def test_duplicates_and_yaml_between_dashes_are_warnings() -> None:
    assert problems("Title: Twice\nDate: 2024-01-01\nTags: a\nTAGS: b\n") == [
        "content/post.md:3: Tags: warning: written twice (or continued on the next line); "
        "Pelican uses the first value"]
    assert problems('---\ntitle: "Quoted"\ndate: 2024-01-01\ntags: [x, y]\n---\nBody\n') == [
        "content/post.md:2: title: warning: between `---` lines Pelican reads `Key: value` "
        "text, not YAML: the quotes or brackets are part of the value",
        "content/post.md:4: tags: warning: between `---` lines Pelican reads `Key: value` "
        "text, not YAML: the quotes or brackets are part of the value"]
    assert problems("Date: 2024-01-01\n\nBody\n") == [
        "content/post.md: title: missing; add a line such as Title: My post", "(no post)"]


def test_metadata_values_and_the_body() -> None:
    text = ("Title: Long\n    title\nDate:\t2024-03-10_08:00\nTags: a; b, c\n"
            "Summary: first\n    second\n\n\tcode\n")
    post, found = read_post(text.encode(), "x/post.md", "content/x/post.md",
                            parse_config(PELICAN, "publisher.toml", Path(".")))
    assert found == [] and post is not None
    assert (post.title, post.tags, post.categories) == ("Long title", ("a", "b, c"), ("x",))
    assert post.date.isoformat() == "2024-03-10T08:00:00+01:00"
    assert (post.excerpt, post.body, post.body_line) == ("first\nsecond", "\tcode\n", 8)


def test_an_id_line_keeps_an_old_id() -> None:
    config = parse_config(PELICAN, "publisher.toml", Path("."))
    text = "Title: Moved\nDate: 2024-01-01\nId: tag:example.org,2019-05-05:/old/moved.html\n"
    post, found = read_post(text.encode(), "moved.md", "content/moved.md", config)
    assert found == [] and post is not None
    assert (post.id, post.url) == ("tag:example.org,2019-05-05:/old/moved.html",
                                   "https://Example.org:8080/blog/2024/misc/moved/")


# -- articles, URLs and ids, as real Pelican 4.12 wrote them ----------------------------------

def test_pelican_articles_urls_and_ids(site: SiteDir, publish) -> None:
    site.config(base=PELICAN)
    content = site.root / "content"
    write(content, "plain.md", "Title: Plain one\nDate: 2024-03-05 23:30\nTags: a, b c\n\nx\n")
    write(content, "Travel Notes/cafe.md", "Title: Café crème — déjà vu\n"
          "Date: 2024-03-09T10:00:00+09:00\n\nx\n")
    write(content, ".hid/a.md", "Title: In hidden dir\nDate: 2024-03-08\n\nx\n")
    write(content, ".dotfile.md", "Title: Dot file\nDate: 2024-03-07\n\nx\n")
    write(content, "fr.md", "Title: Lang fr\nDate: 2024-03-15\nLang: fr\nSlug: plain-one\n\nx\n")
    write(content, "lower.md", "title: lower keys\ndate: 2024-03-17\nurl: custom/place.html\n\n")
    write(content, "multi.md", "Title: Multi\n    continued title\nDate: 2024-03-16\n\nx\n")
    write(content, "sub/pages/n.md", "Title: Nested pages\nDate: 2024-03-10\n\nx\n")
    write(content, "2024-02-03-fname.md", "Title: From filename\n\nx\n")
    write(content, "yaml.md", '---\ntitle: "Yaml Quoted"\ndate: 2024-03-06\n---\n\nx\n')
    write(content, "hidden.md", "Title: Status Hidden\nDate: 2024-03-13\nStatus: Hidden\n\nx\n")
    write(content, "draft.md", "Title: Draft\nStatus: draft\n\nx\n")
    write(content, "pages/p.md", "Title: Page thing\n\nx\n")
    write(content, "upper.MD", "Title: Upper ext\nDate: 2024-03-11\n\nx\n")
    write(content, "notes.rst", "Notes\n#####\n")
    tag, link = "tag:example.org", "https://Example.org:8080/blog"
    assert entries(site, publish, "feeds/all.atom.xml") == {
        "Plain one": (f"{tag},2024-03-05:/blog/2024/misc/plain-one/",
                      f"{link}/2024/misc/plain-one/"),
        "Café crème — déjà vu": (f"{tag},2024-03-09:/blog/2024/travel-notes/cafe-creme-deja-vu/",
                                 f"{link}/2024/travel-notes/cafe-creme-deja-vu/"),
        "In hidden dir": (f"{tag},2024-03-08:/blog/2024/hid/in-hidden-dir/",
                          f"{link}/2024/hid/in-hidden-dir/"),
        "Dot file": (f"{tag},2024-03-07:/blog/2024/misc/dot-file/", f"{link}/2024/misc/dot-file/"),
        "Lang fr": (f"{tag},2024-03-15:/blog/plain-one-fr.html", f"{link}/plain-one-fr.html"),
        "lower keys": (f"{tag},2024-03-17:/blog/custom/place.html", f"{link}/custom/place.html"),
        "Multi continued title": (f"{tag},2024-03-16:/blog/2024/misc/multi-continued-title/",
                                  f"{link}/2024/misc/multi-continued-title/"),
        "Nested pages": (f"{tag},2024-03-10:/blog/2024/pages/nested-pages/",
                         f"{link}/2024/pages/nested-pages/"),
        "From filename": (f"{tag},2024-02-03:/blog/2024/misc/from-filename/",
                          f"{link}/2024/misc/from-filename/"),
        '"Yaml Quoted"': (f"{tag},2024-03-06:/blog/2024/misc/yaml-quoted/",
                          f"{link}/2024/misc/yaml-quoted/"),
    }
    check = publish(site.root, "check")
    assert check.out.splitlines()[0] == \
        "read with Pelican 4 (articles in content/, Key: value metadata, tag: ids)"
    assert ("content/notes.rst: file: warning: is reStructuredText: Pelican publishes it, "
            "publisher reads Markdown only, so its feeds leave it out") in check.out


SETTINGS = """\
[site]
generator = "pelican"
url = "https://example.org"
posts = "content"
permalink = "/{author}/{category}/{slug}.html"
article_paths = ["blog", "notes"]
article_excludes = ["blog/old", "pages"]
folder_category = false
default_category = "General"
filename_metadata = "(?P<date>\\\\d{4}-\\\\d{2}-\\\\d{2})_(?P<slug>.*)"

[author]
name = "Default Writer"
"""


def test_article_paths_excludes_categories_authors_and_file_names(site: SiteDir,
                                                                   publish) -> None:
    site.config(base=SETTINGS)
    content = site.root / "content"
    write(content, "blog/one.md", "Title: One\nDate: 2024-01-01\n\nx\n")
    write(content, "blog/old/old.md", "Title: Old\nDate: 2024-01-02\n\nx\n")
    write(content, "blog/sub/sub.md", "Title: Sub\nDate: 2024-01-03\nAuthor: Ann Lee\n\nx\n")
    write(content, "notes/2024-02-02_From-Name.md", "Title: Named\n\nx\n")
    write(content, "other/o.md", "Title: Other\nDate: 2024-01-04\n\nx\n")
    write(content, "notes/two.md", "Title: Two authors\nDate: 2024-01-05\n"
          "Authors: Zed Ox; Amy\nCategory: Big News\n\nx\n")
    base = "https://example.org"
    assert entries(site, publish, "feeds/all.atom.xml") == {
        "Named": ("tag:example.org,2024-02-02:/default-writer/general/From-Name.html",
                  f"{base}/default-writer/general/From-Name.html"),
        "Two authors": ("tag:example.org,2024-01-05:/zed-ox/big-news/two-authors.html",
                        f"{base}/zed-ox/big-news/two-authors.html"),
        "Sub": ("tag:example.org,2024-01-03:/ann-lee/general/sub.html",
                f"{base}/ann-lee/general/sub.html"),
        "One": ("tag:example.org,2024-01-01:/default-writer/general/one.html",
                f"{base}/default-writer/general/one.html"),
    }


@pytest.mark.parametrize("title", [
    "C++ & Rust: a *small* comparison?", "Un café à Lyon — déjà vu", "  spaced   out  ",
    "Fish &amp; <b>chips</b>", "日本語のタイトル", "Straße, Œuvre, Ærø", "under_score--dash",
])
def test_slugify_is_pelicans(title: str) -> None:
    from pelican.settings import DEFAULT_CONFIG
    from pelican.utils import slugify

    assert pelican_slugify(title) == slugify(
        title, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])


@pytest.mark.parametrize("text", ["2024-03-05", "2024-03-05 10:20", "2024/03/05 10:20:30",
                                  "5 March 2024", "2024-03-05T10:00:00+09:00",
                                  "2024-03-05 10:00 -0500", "Mar 5, 2024"])
def test_dates_are_pelicans(text: str) -> None:
    from pelican.utils import get_date

    assert pelican_date(text) == get_date(text)


def test_a_neutral_pelican_body_keeps_the_metadata_lines() -> None:
    neutral = generators_pelican.pelican_neutral
    assert neutral(b"Title: x\nTags: a,\n    b\n\nBody {filename}/y.md\n") == \
        b"Title: x\nTags: a,\n    b\n\nBody.\n"
    assert neutral(b"---\ntitle: x\n---\nText\n") == b"---\ntitle: x\n---\nBody.\n"
    assert neutral(b"Title: x\nno colon here\n") == b"Title: x\n\nBody.\n"
    assert neutral(b"# no metadata\n") == b"Body.\n"


# -- publish init --from-pelican ----------------------------------------------------------------

def pelican_site(root: Path, conf: str, publish: str | None = None) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "pelicanconf.py").write_text(conf, encoding="utf-8")
    if publish is not None:
        (root / "publishconf.py").write_text(publish, encoding="utf-8")
    return root


def test_from_pelican_reads_the_config_as_data(tmp_path: Path) -> None:
    blog = pelican_site(tmp_path / "blog", (
        'import os\nAUTHOR = "Ada"\nSITENAME = "Notes"\nSITEURL = ""\nTIMEZONE = "Asia/Tokyo"\n'
        'PATH = "content"\nDEFAULT_LANG = "fr"\nARTICLE_URL = "posts/{date:%Y}/{slug}/"\n'
        'ARTICLE_SAVE_AS = "posts/{date:%Y}/{slug}.html"\nFEED_ALL_ATOM = None\n'
        'DEFAULT_CATEGORY = os.environ["CATEGORY"]\nUSE_FOLDER_AS_CATEGORY = False\n'
        'WITH_FUTURE_DATES = False\nPAGE_PATHS = ["about"]\n'),
        'from pelicanconf import *\nSITEURL = "https://notes.example.org"\n'
        'FEED_ALL_ATOM = "feeds/everything.atom.xml"\nSLUGIFY_SOURCE = "basename"\n')
    report = init_site(tmp_path / "pub", from_pelican=blog)
    config = parse_config(report.config.read_text(encoding="utf-8"), "x", tmp_path / "pub")
    site = config.site
    assert (site.generator, site.url, site.title, site.timezone, site.language) == (
        "pelican", "https://notes.example.org", "Notes", "Asia/Tokyo", "fr")
    assert (site.posts, site.permalink, site.feed_file, site.folder_category) == (
        "../blog/content", "/posts/{date:%Y}/{slug}/", "feeds/everything.atom.xml", False)
    assert (site.default_category, site.article_excludes) == ("misc", ("about",))
    assert config.author.name == "Ada"
    assert report.notes == (
        "DEFAULT_CATEGORY in pelicanconf.py (line 11) is not a literal value; it was not run, "
        "and publisher uses Pelican's default",
        "ARTICLE_URL 'posts/{date:%Y}/{slug}/' and ARTICLE_SAVE_AS "
        "'posts/{date:%Y}/{slug}.html' do not name the same page: feed links follow "
        "ARTICLE_URL, as Pelican's do",
        "SLUGIFY_SOURCE is set: publisher does not reproduce it, so slugs, URLs or which files "
        "are articles may differ from Pelican's")


def test_from_pelican_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    from publisher.problems import PublisherError

    with pytest.raises(PublisherError, match="pelicanconf.py: not found; --from-pelican needs"):
        init_site(tmp_path / "pub", from_pelican=tmp_path)
    blog = pelican_site(tmp_path / "blog", "SITEURL = 'https://x.org'\nPATH = (\n")
    with pytest.raises(PublisherError, match=r"pelicanconf.py:2: not valid Python: '\(' was "
                       "never closed"):
        init_site(tmp_path / "pub", from_pelican=blog)
    with pytest.raises(PublisherError, match="give --from-hugo or --from-pelican, not both"):
        init_site(tmp_path / "pub", from_pelican=blog, from_hugo=blog)
