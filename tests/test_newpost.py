"""`publish new`: the file it writes, read back by publisher's own loader."""

from __future__ import annotations

import argparse
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from publisher.commands.new import add_command, run
from publisher.config import Config, load_config
from publisher.console import Console
from publisher.feeds.build import build_feeds
from publisher.problems import PublisherError
from publisher.scaffold.new import new_post
from publisher.site.load import load_site
from publisher.site.post import Post
from publisher.site.reader import read_post

from .conftest import SiteDir

NOW = datetime(2026, 11, 27, 9, 30, 15, 123456, tzinfo=UTC)  # 10:30:15 in Paris


@pytest.fixture
def config(site: SiteDir) -> Config:
    return load_config(site.root / "publisher.toml")


def read_back(path: Path, config: Config) -> Post:
    name = path.relative_to(config.posts_dir).as_posix()
    post, problems = read_post(path.read_bytes(), name, str(path), config)
    assert problems == []
    assert post is not None
    return post


def test_file_name_and_front_matter(config: Config) -> None:
    path = new_post(config, "Feeds, plainly", now=NOW)
    assert path == config.posts_dir / "2026-11-27-feeds-plainly.md"
    text = path.read_text(encoding="utf-8")
    front, body = text.split("---\n")[1:]
    assert front == ("title: Feeds, plainly\n"
                     "date: 2026-11-27 10:30:15 +0100\n"
                     "tags: []\n")
    assert body.strip() and len(body.strip().splitlines()) == 1
    post = read_back(path, config)
    assert post.date == datetime(2026, 11, 27, 9, 30, 15, tzinfo=UTC)
    assert (post.tags, post.series, post.draft, post.excerpt) == ((), (), False, None)


def test_date_is_the_sites_day(config: Config) -> None:
    # 23:30 UTC is already the next day in Paris: the file name follows the site.
    path = new_post(config, "Late", now=datetime(2026, 11, 27, 23, 30, tzinfo=UTC))
    assert path.name == "2026-11-28-late.md"
    assert "date: 2026-11-28 00:30:00 +0100\n" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("title", [
    'He said "hello": part #2',
    "Ünïcödé — 日本語 🎉 emoji",
    "it's a 'quoted' title",
    "back\\slash and `code` and *stars*",
    "yes",
    "123",
    "2024-01-01",
    "- looks like a list",
    "[not a list]",
    "{not: a mapping}",
    "key: value # not a comment",
    "&anchor *alias !tag %percent @at |pipe >fold",
    "<script>alert(1)</script> {{ 7*7 }}",
    "null",
    "~",
])
def test_title_round_trips(config: Config, title: str) -> None:
    post = read_back(new_post(config, title, now=NOW), config)
    assert post.title == title


def test_title_spaces_collapse_to_one_line(config: Config) -> None:
    path = new_post(config, "  Two\nlines\tand  tabs ", now=NOW)
    assert read_back(path, config).title == "Two lines and tabs"
    assert path.name == "2026-11-27-two-lines-and-tabs.md"


def test_empty_title_is_refused(config: Config) -> None:
    with pytest.raises(PublisherError, match="title is empty"):
        new_post(config, "  ", now=NOW)


def test_emoji_only_title_gets_a_file_name(config: Config) -> None:
    path = new_post(config, "🎉", now=NOW)
    assert path.name == "2026-11-27-untitled.md"
    assert read_back(path, config).title == "🎉"


def test_long_title_keeps_a_legal_file_name(config: Config) -> None:
    title = "아주 긴 제목 " * 40
    path = new_post(config, title, now=NOW)
    assert len(path.name.encode("utf-8")) <= 255
    assert read_back(path, config).title == title.strip()


def test_never_overwrites(config: Config) -> None:
    path = new_post(config, "Once", now=NOW)
    path.write_text("mine\n", encoding="utf-8")
    with pytest.raises(PublisherError, match="already exists"):
        new_post(config, "Once", now=NOW)
    assert path.read_text(encoding="utf-8") == "mine\n"


def test_series_and_draft(config: Config) -> None:
    path = new_post(config, "Part one", series='Feed "Plumbing": basics', now=NOW,
                    draft=True)
    text = path.read_text(encoding="utf-8")
    assert "draft: true\n" in text
    post = read_back(path, config)
    assert post.series == ('Feed "Plumbing": basics',)
    assert post.draft


def test_creates_the_posts_folder(site: SiteDir) -> None:
    (site.root / "posts").rmdir()
    config = load_config(site.root / "publisher.toml")
    assert new_post(config, "First", now=NOW).is_file()


def test_new_post_is_published_with_its_date(config: Config) -> None:
    new_post(config, 'A "new" post: 🎉', series="Letters", now=NOW)
    new_post(config, "Not yet", now=NOW, draft=True)
    site = load_site(config)
    assert site.errors == ()
    files = build_feeds(site, NOW)
    feed = json.loads(files["feed.json"])
    assert [item["title"] for item in feed["items"]] == ['A "new" post: 🎉']
    item = feed["items"][0]
    assert item["date_published"] == "2026-11-27T10:30:15+01:00"
    assert item["url"] == "https://example.org/blog/2026/11/27/a-new-post/"
    assert "series/letters/feed.json" in files


def test_run_prints_the_path(site: SiteDir, monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(site.root)
    args = argparse.Namespace(config=Path("publisher.toml"), title="Hello there",
                              series=None, draft=False)
    assert run(args, Console(quiet=False, verbose=False)) == 0
    out = capsys.readouterr().out
    assert re.fullmatch(r"posts/\d{4}-\d\d-\d\d-hello-there\.md\n", out)
    assert (site.root / out.strip()).is_file()


def test_run_quiet_prints_nothing(site: SiteDir, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(site.root)
    args = argparse.Namespace(config=Path("publisher.toml"), title="Quiet", series="S",
                              draft=True)
    assert run(args, Console(quiet=True, verbose=False)) == 0
    assert capsys.readouterr().out == ""


def test_add_command() -> None:
    parser = argparse.ArgumentParser(prog="publish")
    commands = parser.add_subparsers(dest="command", required=True)
    add_command(commands)
    args = parser.parse_args(["new", "My title", "--series", "Letters", "--draft"])
    assert (args.title, args.series, args.draft, args.run) == ("My title", "Letters", True,
                                                                run)
    args = parser.parse_args(["new", "Other"])
    assert (args.series, args.draft) == (None, False)
    assert commands.choices["new"].description
