"""One file -> one Post: every front-matter rule of the loader."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from publisher.config import Config, parse_config
from publisher.problems import Problem
from publisher.site.post import Post
from publisher.site.reader import read_post

from .conftest import BASE_CONFIG

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def config() -> Config:
    return parse_config(BASE_CONFIG + "\n[feed]\n", "publisher.toml", Path("/site"))


def load(text: str, config: Config, name: str = "2024-03-02-hello.md",
         mtime: float | None = None) -> tuple[Post | None, list[Problem]]:
    data = textwrap.dedent(text).lstrip("\n").encode()
    return read_post(data, name, f"posts/{name}", config, mtime)


def ok(text: str, config: Config, name: str = "2024-03-02-hello.md") -> Post:
    post, problems = load(text, config, name)
    assert post is not None, problems
    assert [p for p in problems if p.is_error] == []
    return post


def test_a_plain_post(config: Config) -> None:
    post = ok("""
        ---
        title: Hello
        date: 2024-03-02 10:00:00 +0100
        tags: [a, b]
        categories: news
        series: Basics
        ---
        Body *here*.
        """, config)
    assert post.title == "Hello"
    assert post.date == datetime(2024, 3, 2, 10, tzinfo=timezone(timedelta(hours=1)))
    assert post.updated == post.date
    assert post.slug == "hello"
    assert post.url == "https://example.org/blog/2024/03/02/hello/"
    assert post.id == post.url
    assert (post.tags, post.categories, post.series) == (("a", "b"), ("news",), ("Basics",))
    assert post.body == "Body *here*.\n"
    assert post.body_line == 8
    assert post.authors[0].name == "Ada"


def test_toml_and_json_front_matter(config: Config) -> None:
    toml = ok("""
        +++
        title = "From Hugo"
        date = 2014-08-08T11:12:44Z
        series = ["Hugo 101"]
        draft = true
        +++
        Text
        """, config, "from-hugo.md")
    assert toml.date == datetime(2014, 8, 8, 11, 12, 44, tzinfo=UTC)
    assert toml.series == ("Hugo 101",) and toml.draft
    js = ok('{\n"title": "JSON post",\n"date": "2024-01-05"\n}\nText\n', config, "j.md")
    assert js.title == "JSON post" and js.date == datetime(2024, 1, 5, tzinfo=PARIS)


def test_bom_and_crlf_work(config: Config) -> None:
    data = "\ufeff---\r\ntitle: Windows\r\n---\r\nLine one\r\nLine two\r\n".encode()
    post, problems = read_post(data, "2024-01-01-w.md", "posts/w.md", config)
    assert post is not None and problems == []
    assert post.title == "Windows" and post.body == "Line one\nLine two\n"


def test_date_sources_in_order(config: Config) -> None:
    assert ok("---\ntitle: T\n---\n", config, "2024-05-20-x.md").date == \
        datetime(2024, 5, 20, tzinfo=PARIS)
    post, problems = load("---\ntitle: T\nmodified: 2024-06-01T09:30:00+02:00\n---\n",
                          config, "undated.md")
    assert post is not None
    assert post.date == datetime(2024, 6, 1, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    assert [str(p) for p in problems] == [
        "posts/undated.md:3: modified: warning: no date field and no date in the file name; "
        "using modified as the publication date: add date: to make it explicit"]
    # `date` wins over the file name (3 jaketae posts disagree with their file names).
    assert ok("---\ntitle: T\ndate: 2019-11-07\n---\n", config, "2019-11-06-x.md").date.day == 7


def test_updated_comes_from_modified_keys_and_empty_is_ignored(config: Config) -> None:
    post = ok("---\ntitle: T\ndate: 2024-03-02\nlast_modified_at: 2024-04-01T08:00:00Z\n---\n",
              config)
    assert post.updated == datetime(2024, 4, 1, 8, tzinfo=UTC)
    post = ok("---\ntitle: T\ndate: 2024-03-02\nlast_modified_at:\nmodified: ''\n---\n", config)
    assert post.updated == post.date


def test_slug_permalink_and_hugo_bundle(config: Config) -> None:
    assert ok("---\ntitle: T\nslug: My Slug\n---\n", config).url == \
        "https://example.org/blog/2024/03/02/my-slug/"
    post = ok("---\ntitle: T\npermalink: /blog/:categories/:title.html\ncategories: [A, b]\n---\n",
              config)
    assert post.url == "https://example.org/blog/blog/a/b/hello.html"
    bundle = ok("---\ntitle: T\ndate: 2024-01-01\n---\n", config, "my-trip/index.md")
    assert bundle.slug == "my-trip"
    spaces = ok("---\ntitle: T\n---\n", config, "2019-08-17-Attention Is All You Need.md")
    assert spaces.url == "https://example.org/blog/2019/08/17/attention-is-all-you-need/"
    korean = ok("---\ntitle: T\n---\n", config, "2019-08-17-한국어.md")
    assert korean.url == "https://example.org/blog/2019/08/17/%ED%95%9C%EA%B5%AD%EC%96%B4/"


def test_permalink_cannot_climb_out(config: Config) -> None:
    post = ok("---\ntitle: T\npermalink: /../../etc/:slug/\n---\n", config)
    assert post.url == "https://example.org/blog/etc/hello/"


def test_identity(config: Config) -> None:
    assert ok("---\ntitle: T\nid: urn:uuid:1234\n---\n", config).id == "urn:uuid:1234"
    assert ok("---\ntitle: T\nid: 42\n---\n", config).id == "urn:publisher:42"
    # A changed title keeps the id: it comes from the URL, and the URL from the file name.
    assert ok("---\ntitle: One\n---\n", config).id == ok("---\ntitle: Two\n---\n", config).id


def test_excerpt_sources(config: Config) -> None:
    assert ok("---\ntitle: T\nexcerpt: '*Hi*'\n---\n", config).excerpt == "*Hi*"
    assert ok("---\ntitle: T\ndescription: About\n---\n", config).excerpt == "About"
    # rdgao writes excerpt: "" or " ": those mean "none", so the body decides.
    assert ok("---\ntitle: T\nexcerpt: ' '\nsummary: S\n---\n", config).excerpt == "S"


def test_header_image_forms(config: Config) -> None:
    def image(front: str) -> str | None:
        return ok(f"---\ntitle: T\n{front}\n---\n", config).image

    assert image("header:\n  overlay_image: pic.jpg") == "https://example.org/images/pic.jpg"
    assert image("header:\n  image: /assets/a.png") == "https://example.org/assets/a.png"
    assert image("header:\n  teaser: https://cdn.example.com/t.png") == \
        "https://cdn.example.com/t.png"
    assert image("image: {path: &i x.jpg, feature: *i}") == "https://example.org/images/x.jpg"
    assert image("feature-img: '{{ site.baseurl }}/img/f.png'") == \
        "https://example.org/blog/img/f.png"
    post = ok("---\ntitle: T\nheader:\n  image: a.jpg\n  caption: 'By *me*'\n---\n", config)
    assert post.image_caption == "By *me*"


def test_names_as_lists_or_strings(config: Config) -> None:
    post = ok("---\ntitle: T\ntags: one two\ncategories: [A, A, B]\nseries: [S1, S2]\n---\n",
              config)
    assert post.tags == ("one", "two")
    assert post.categories == ("A", "B")
    assert post.series == ("S1", "S2")
    assert ok("---\ntitle: T\ntags: 'a, b c'\n---\n", config).tags == ("a", "b c")
    assert ok("---\ntitle: T\nseries:\n---\n", config).series == ()


def test_drafts(config: Config) -> None:
    assert ok("---\ntitle: T\ndraft: true\n---\n", config).draft
    assert ok("---\ntitle: T\npublished: false\n---\n", config).draft
    assert ok("---\ntitle: T\npublished: False\n---\n", config).draft
    assert not ok("---\ntitle: T\npublished: true\n---\n", config).draft
    post, problems = load("---\ntitle: T\npublished: 'false'\n---\n", config)
    assert post is not None and post.draft
    assert [str(p) for p in problems] == [
        "posts/2024-03-02-hello.md:3: published: warning: 'false' is text; "
        "write published: false without quotes"]
    post, _ = load("---\ntitle: T\n---\n", config, "_drafts/idea.md", mtime=1700000000)
    assert post is not None and post.draft
    assert post.date == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)


def test_title_forms(config: Config) -> None:
    assert ok("---\ntitle: 2024\n---\n", config).title == "2024"
    assert ok("---\ntitle: \"  Two\\n lines \"\n---\n", config).title == "Two lines"
    assert ok("---\ntitle: \"Ctrl\\x01char\"\n---\n", config).title == "Ctrlchar"


def test_yaml_anchors_and_aliases_work(config: Config) -> None:
    post = ok("---\ntitle: &t Anchored\nexcerpt: *t\n---\n", config)
    assert post.excerpt == "Anchored"


def test_every_problem_of_a_post_at_once(config: Config) -> None:
    post, problems = load("""
        ---
        title: [not, text]
        date: 2021-02-30
        tags: {a: 1}
        draft: maybe
        ---
        """, config)
    assert post is None
    assert [str(p) for p in problems] == [
        "posts/2024-03-02-hello.md:2: title: must be text, not list ['not', 'text']; "
        "put the title in quotes",
        "posts/2024-03-02-hello.md:3: date: '2021-02-30' is not a real date or time "
        "(day is out of range for month)",
        "posts/2024-03-02-hello.md:5: draft: must be true or false, not 'maybe'",
        "posts/2024-03-02-hello.md:4: tags: must be a list like [a, b] or a string, "
        "not dict {'a': 1}",
    ]
