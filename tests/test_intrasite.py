"""Pelican's links to the site's own content ({filename}, {static}, …), as Pelican
resolves them, and the warning for one that names no article."""

from __future__ import annotations

from pathlib import Path

from publisher.config import parse_config
from publisher.content.intrasite import intrasite_links, resolve_intrasite
from publisher.content.render import Renderer
from publisher.site.reader import read_post

BASE = "https://example.org"
POSTS = {"guides/brewing.md": "https://example.org/brewing.html",
         "kettles.md": "https://example.org/kettles.html"}


def resolve(target: str) -> str | None:
    return POSTS.get(target)


def test_each_kind_of_intrasite_link() -> None:
    markup = ('<a href="{filename}../kettles.md#care">k</a>'
              '<a href="{filename}/guides/brewing.md">b</a>'
              "<a href='|filename|../kettles.md'>old</a>"
              '<img src="{static}/images/pot.png"><img src="{attach}steam.jpg">'
              '<a href="{index}">home</a><a href="{tag}Green tea">t</a>'
              '<a href="{category}Notes">c</a><a href="{filename}nowhere.md">x</a>')
    out, missing = resolve_intrasite(markup, "guides/brewing.md", BASE, resolve)
    assert 'href="https://example.org/kettles.html#care"' in out
    assert 'href="https://example.org/brewing.html"' in out
    assert "href='https://example.org/kettles.html'" in out
    assert 'src="https://example.org/images/pot.png"' in out
    assert 'src="https://example.org/guides/steam.jpg"' in out
    assert 'href="https://example.org/"' in out
    assert 'href="https://example.org/tag/green-tea.html"' in out
    assert 'href="https://example.org/category/notes.html"' in out
    assert missing == ["{filename}nowhere.md"] and 'href="{filename}nowhere.md"' in out


def test_links_are_found_with_their_lines_in_linear_time() -> None:
    body = "one [a]({filename}a.md)\ntwo\nthree [b](|filename|b.md) [c]({filename}c.md)\n"
    assert intrasite_links(body, 10) == [(10, "{filename}a.md"), (12, "|filename|b.md"),
                                         (12, "{filename}c.md")]
    many = "[x]({filename}x.md)\n" * 50_000
    assert len(intrasite_links(many, 1)) == 50_000 and intrasite_links(many, 1)[-1][0] == 50_000


def test_a_pelican_post_gets_its_links_and_a_warning_for_a_missing_one() -> None:
    config = parse_config(f'[site]\nurl = "{BASE}"\ngenerator = "pelican"\n', "publisher.toml",
                          Path("/site"))
    text = ("Title: Steeping\nDate: 2024-05-01\n\nSee [kettles]({filename}../kettles.md) "
            "and [this]({filename}gone.md).\n")
    post, problems = read_post(text.encode(), "guides/steeping.md", "content/guides/steeping.md",
                               config)
    assert post is not None, problems
    renderer = Renderer(config, resolve)
    html = renderer.render(post).html
    assert 'href="https://example.org/kettles.html"' in html
    warnings = [str(p) for p in renderer.problems(post, renderer.liquid(post))]
    assert warnings == ["content/guides/steeping.md:4: body: warning: {filename}gone.md: no "
                        "article in that file; the link is left as written"], warnings
