"""`publish init`: a new site, and a config for existing Jekyll and Hugo blogs."""

from __future__ import annotations

import argparse
import json
import re
import shutil
import textwrap
import tomllib
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from publisher.commands.init import add_command, run
from publisher.config import documented_keys, load_config, parse_config
from publisher.console import Console
from publisher.dialects.jekyll import JEKYLL_STYLES
from publisher.feeds.build import build_feeds
from publisher.problems import PublisherError
from publisher.scaffold.init import init_site, toml_value
from publisher.site.load import load_site

from .conftest import need_corpus

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)

SHIPPED = Path(__file__).resolve().parent.parent / "templates"  # what we ship


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


# toml_value


@pytest.mark.parametrize("value", [
    "", "plain", 'a "quoted" word', "back\\slash \\n not a newline", "new\nline\ttab\r",
    "\x00\x01\x1f\x7f control", "Ünïcödé 日本語 🎉", "# not a comment", "'single'",
    "{series} #{number}: {title}", "C:\\Users\\ada\\blog",
])
def test_toml_value_round_trips_strings(value: str) -> None:
    assert tomllib.loads(f"x = {toml_value(value)}")["x"] == value


def test_toml_value_other_types() -> None:
    assert toml_value(True) == "true" and toml_value(False) == "false"
    assert toml_value(587) == "587"
    items = ["a", 'b"', 3]
    assert tomllib.loads(f"x = {toml_value(items)}")["x"] == items
    with pytest.raises(TypeError):
        toml_value(None)


# A new site


def test_new_site_files(tmp_path: Path) -> None:
    report = init_site(tmp_path / "blog", now=NOW)
    root = tmp_path / "blog"
    names = [p.relative_to(root).as_posix() for p in report.written]
    emails = sorted(p.name for p in SHIPPED.joinpath("email").iterdir())
    assert names == ["publisher.toml", "posts/2026-11-27-hello-world.md"] + [
        f"templates/email/{name}" for name in emails] + [".gitignore"]
    assert report.config == root / "publisher.toml"
    assert any("site.url" in note for note in report.notes)
    for name in emails:
        assert (root / "templates/email" / name).read_bytes() == \
            SHIPPED.joinpath("email", name).read_bytes()
    ignored = [line for line in (root / ".gitignore").read_text().splitlines()
               if line and not line.startswith("#")]
    assert ignored == ["out/", ".publisher/", "publisher.db.lock"]


def test_new_site_config_loads_and_documents_every_key(tmp_path: Path) -> None:
    init_site(tmp_path, now=NOW)
    path = tmp_path / "publisher.toml"
    config = load_config(path)
    assert (config.site.title, config.site.url, config.site.timezone) == (
        "My blog", "https://example.org", "UTC")
    text = path.read_text(encoding="utf-8")
    comments = " ".join(line[2:] for line in text.splitlines() if line.startswith("# "))
    for dotted, _, doc in documented_keys():
        table, name = dotted.rsplit(".", 1)
        assert f"[{table}]" in text
        assert re.search(rf"^(# )?{name} (=|is not set)", text, re.MULTILINE), dotted
        assert " ".join(doc.split()) in comments, dotted


def test_commented_defaults_are_the_defaults(tmp_path: Path) -> None:
    """Uncommenting every '# key = value' line outside the series template changes
    nothing: the file shows the real defaults."""
    init_site(tmp_path, now=NOW)
    text = (tmp_path / "publisher.toml").read_text(encoding="utf-8")
    before, template = text.split('# One [series."NAME"]')
    uncommented = re.sub(r"^# (\w+ = )", r"\1", before, flags=re.MULTILINE)
    assert uncommented != before
    config = parse_config(uncommented + "# One" + template, "x.toml", tmp_path)
    assert replace(config, root=Path(".")) == parse_config(
        '[site]\ntitle = "My blog"\nurl = "https://example.org"\n', "y.toml", Path("."))


def test_new_site_publishes_its_sample_post(tmp_path: Path) -> None:
    init_site(tmp_path, now=NOW)
    config = load_config(tmp_path / "publisher.toml")
    site = load_site(config)
    assert site.problems == ()
    (post,) = site.posts
    assert (post.title, post.series, post.tags, post.draft) == (
        "Hello, world", ("Notes",), ("publisher", "meta"), False)
    assert post.date == NOW and post.excerpt
    feed = json.loads(build_feeds(site, NOW)["feed.json"])
    assert feed["items"][0]["title"] == "Hello, world"


def test_refuses_an_existing_config(tmp_path: Path) -> None:
    (tmp_path / "publisher.toml").write_text("mine\n", encoding="utf-8")
    with pytest.raises(PublisherError, match="publisher.toml: already exists"):
        init_site(tmp_path, now=NOW)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["publisher.toml"]
    assert (tmp_path / "publisher.toml").read_text(encoding="utf-8") == "mine\n"


def test_never_overwrites_other_files(tmp_path: Path) -> None:
    write(tmp_path / ".gitignore", "node_modules/\n")
    write(tmp_path / "templates/email/issue.html", "my template\n")
    report = init_site(tmp_path, now=NOW)
    assert (tmp_path / ".gitignore").read_text() == "node_modules/\n"
    assert (tmp_path / "templates/email/issue.html").read_text() == "my template\n"
    written = {p.relative_to(tmp_path).as_posix() for p in report.written}
    assert ".gitignore" not in written and "templates/email/issue.html" not in written
    assert "templates/email/style.css" in written
    assert sum("already exists" in note for note in report.notes) == 2


def test_refuses_a_file_as_folder_and_both_sources(tmp_path: Path) -> None:
    write(tmp_path / "file", "x")
    with pytest.raises(PublisherError, match="not a folder"):
        init_site(tmp_path / "file")
    with pytest.raises(PublisherError, match="not both"):
        init_site(tmp_path, from_jekyll=tmp_path, from_hugo=tmp_path)


# From Jekyll


def jekyll_site(root: Path, config: str) -> Path:
    write(root / "_config.yml", config)
    write(root / "_posts/2024-03-02-first-trip.md", """
        ---
        title: First trip
        date: 2024-03-02 08:00:00
        categories: [Travel]
        ---
        Off we go.
        """)
    return root


JEKYLL_CONFIG = """
    title: 'Ada''s "Notes"'
    description: >-
      Travel notes
      and maps.
    url: "https://ada.github.io/"
    baseurl: "/notes"
    permalink: pretty
    timezone: America/New_York
    lang: en_GB
    excerpt_separator: "<!-- more -->"
    author:
      name: Ada L.
      email: ada@example.org
      bio: "Writes."
    """


def test_from_jekyll(tmp_path: Path) -> None:
    blog = jekyll_site(tmp_path / "blog", JEKYLL_CONFIG)
    report = init_site(tmp_path / "pub", from_jekyll=blog)
    assert [p.name for p in report.written][0] == "publisher.toml"
    assert not (tmp_path / "pub/posts").exists()  # no sample post
    assert (tmp_path / "pub/.gitignore").is_file()
    text = (tmp_path / "pub/publisher.toml").read_text(encoding="utf-8")
    # The Jekyll dialect reads the site's source folder: every _posts/ in it.
    assert 'posts = "../blog"\n' in text and 'generator = "jekyll"\n' in text
    config = load_config(tmp_path / "pub/publisher.toml")
    assert config.site.title == 'Ada\'s "Notes"'
    assert config.site.url == "https://ada.github.io/notes"
    assert config.site.description == "Travel notes and maps."
    assert config.site.timezone == "America/New_York"
    assert config.site.language == "en-GB"
    assert config.site.excerpt_separator == "<!-- more -->"
    assert config.site.permalink == JEKYLL_STYLES["pretty"]
    assert (config.author.name, config.author.email) == ("Ada L.", "ada@example.org")
    assert report.notes == ()
    (post,) = load_site(config).posts
    assert post.url == "https://ada.github.io/notes/travel/2024/03/02/first-trip/"
    assert post.date == datetime(2024, 3, 2, 13, 0, tzinfo=UTC)  # 08:00 in New York


@pytest.mark.parametrize("where", [".", "blog", "a/b/c"])
def test_from_jekyll_works_wherever_the_config_goes(tmp_path: Path, where: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    blog = jekyll_site(tmp_path / "blog", JEKYLL_CONFIG)
    monkeypatch.chdir(tmp_path)
    report = init_site(Path(where), from_jekyll=Path("blog"))
    assert len(load_site(load_config(report.config)).posts) == 1
    inside = where == "blog"
    assert any("exclude:" in note for note in report.notes) == inside
    assert blog.is_dir()


@pytest.mark.parametrize("style", sorted(JEKYLL_STYLES))
def test_jekyll_named_permalinks(tmp_path: Path, style: str) -> None:
    blog = jekyll_site(tmp_path / "blog", f"url: https://x.org\npermalink: {style}\n")
    report = init_site(tmp_path / "pub", from_jekyll=blog)
    config = load_config(report.config)
    assert config.site.permalink == JEKYLL_STYLES[style]
    # Every style's placeholders are Jekyll's own: none is left for a note.
    assert [n for n in report.notes if n.startswith("site.permalink")] == []
    (post,) = load_site(config).posts
    assert ":" not in post.url.removeprefix("https:")


def test_jekyll_defaults_and_fallbacks(tmp_path: Path) -> None:
    blog = jekyll_site(tmp_path / "blog", """
        title: 42
        baseurl: /blog
        permalink: blog/:year/:title.html
        timezone: Mars/Olympus_Mons
        author: Ada
        """)
    report = init_site(tmp_path / "pub", from_jekyll=blog)
    config = load_config(report.config)
    assert config.site.title == "42"
    assert config.site.url == "https://example.org/blog"
    assert config.site.permalink == "/blog/:year/:title.html"
    assert config.site.timezone == "UTC"
    assert config.author.name == "Ada"
    assert any(n.startswith("site.url") for n in report.notes)
    assert any("Mars/Olympus_Mons" in n for n in report.notes)
    (post,) = load_site(config).posts
    assert post.url == "https://example.org/blog/blog/2024/first-trip.html"


def test_jekyll_without_permalink_uses_jekylls_default(tmp_path: Path) -> None:
    blog = jekyll_site(tmp_path / "blog", "url: https://x.org\n")
    config = load_config(init_site(tmp_path / "pub", from_jekyll=blog).config)
    assert config.site.permalink == JEKYLL_STYLES["date"]
    (post,) = load_site(config).posts
    assert post.url == "https://x.org/travel/2024/03/02/first-trip.html"


def test_jekyll_errors(tmp_path: Path) -> None:
    with pytest.raises(PublisherError, match=re.escape(str(tmp_path / "_config.yml"))):
        init_site(tmp_path / "pub", from_jekyll=tmp_path)
    write(tmp_path / "_config.yml", "title: [unclosed\n")
    with pytest.raises(PublisherError, match="not valid YAML"):
        init_site(tmp_path / "pub", from_jekyll=tmp_path)
    write(tmp_path / "_config.yml", "- a list\n")
    with pytest.raises(PublisherError, match="expected key: value"):
        init_site(tmp_path / "pub", from_jekyll=tmp_path)
    assert not (tmp_path / "pub").exists()


def test_jekyll_missing_posts_folder_is_noted(tmp_path: Path) -> None:
    write(tmp_path / "blog/_config.yml", "url: https://x.org\n")
    report = init_site(tmp_path / "pub", from_jekyll=tmp_path / "blog")
    assert any("_posts does not exist" in n for n in report.notes)


def test_from_jekyll_real_blog(tmp_path: Path) -> None:
    jaketae = need_corpus("jaketae-jaketae.github.io")
    blog = tmp_path / "jaketae"
    write(blog / "_config.yml", """
        title: "Jake Tae"
        url: "https://jaketae.github.io"
        baseurl: ""
        permalink: /:categories/:title/
        timezone: Asia/Seoul
        locale: en-US
        author:
          name: Jake Tae
        """)
    shutil.copytree(jaketae, blog / "_posts", ignore=shutil.ignore_patterns("SOURCE.txt"))
    report = init_site(tmp_path / "elsewhere/pub", from_jekyll=blog)
    config = load_config(report.config)
    assert config.site.posts == "../../jaketae"  # the site's source folder
    site = load_site(config)
    assert len(site.posts) > 100
    assert site.errors == ()
    assert all(p.url.startswith("https://jaketae.github.io/") for p in site.posts)
    assert json.loads(build_feeds(site, NOW)["feed.json"])["items"]


# From Hugo


def hugo_post(path: Path) -> None:
    write(path, """
        +++
        title = "Hugo post"
        date = 2024-05-06T07:30:00Z
        slug = "custom"
        +++
        Body.
        """)


def test_from_hugo_toml(tmp_path: Path) -> None:
    site = tmp_path / "hugo"
    write(site / "hugo.toml", """
        baseURL = "https://hugo.example.org/"
        title = "Hugo \\"site\\""
        languageCode = "fr-ca"
        timeZone = "Europe/Paris"

        [params]
        description = "About things."
        [params.author]
        name = "Grace"
        email = "grace@example.org"

        [permalinks]
        posts = "/:year/:month/:filename/"
        """)
    hugo_post(site / "content/posts/my-file.md")
    hugo_post(site / "content/post/other.md")  # every section is read
    report = init_site(tmp_path / "pub", from_hugo=site)
    config = load_config(report.config)
    assert config.site.url == "https://hugo.example.org/"
    assert config.site.title == 'Hugo "site"'
    assert (config.site.language, config.site.timezone) == ("fr-ca", "Europe/Paris")
    assert config.site.description == "About things."
    assert (config.author.name, config.author.email) == ("Grace", "grace@example.org")
    assert config.permalinks == {"posts": "/:year/:month/:filename/"}  # Hugo's tokens, kept
    assert config.site.generator == "hugo"
    assert config.posts_dir == (site / "content").resolve()
    assert not (tmp_path / "pub/posts").exists()
    # :filename is the file's name, whatever the slug says; the post/ section has no
    # pattern of its own, so Hugo's default gives its folder and slug.
    assert sorted(p.url for p in load_site(config).posts) == [
        "https://hugo.example.org/2024/05/my-file/", "https://hugo.example.org/post/custom/"]


def test_from_hugo_yaml_section_and_unsupported_tokens(tmp_path: Path) -> None:
    site = tmp_path / "hugo"
    write(site / "config.yaml", """
        baseurl: https://h.example.org/
        author: Lin
        permalinks:
          post: /:section/:yearday/:slugorfilename/
        """)
    hugo_post(site / "content/post/x.md")
    report = init_site(tmp_path / "pub", from_hugo=site)
    config = load_config(report.config)
    assert config.permalinks == {"post": "/:section/:yearday/:slugorfilename/"}
    assert config.author.name == "Lin"
    assert not [n for n in report.notes if ":yearday" in n]  # a token Hugo has
    (post,) = load_site(config).posts
    assert post.url == "https://h.example.org/post/127/custom/"


def test_from_hugo_new_style_permalinks(tmp_path: Path) -> None:
    site = tmp_path / "hugo"
    write(site / "config.toml", """
        baseURL = "https://h.example.org"
        [permalinks.page]
        posts = "/articles/:year/:title/"
        """)
    hugo_post(site / "content/posts/x.md")
    report = init_site(tmp_path / "pub", from_hugo=site)
    config = load_config(report.config)
    assert config.permalinks == {"posts": "/articles/:year/:title/"}
    (post,) = load_site(config).posts
    assert post.url == "https://h.example.org/articles/2024/hugo-post/"  # from the title


def test_from_hugo_default_permalink_and_content_folder(tmp_path: Path) -> None:
    site = tmp_path / "hugo"
    write(site / "hugo.toml", 'baseURL = "/"\ntimeZone = "Nowhere/Land"\n')
    hugo_post(site / "content/x.md")
    report = init_site(site, from_hugo=site)
    config = load_config(report.config)
    assert config.site.permalink == "/:sections/:slugorcontentbasename/"  # Hugo's default
    assert config.site.posts == "content"
    assert config.site.url == "https://example.org"
    assert config.site.timezone == "UTC"
    for key in ("site.url", "site.permalink", "site.timezone"):
        assert any(n.startswith(key) for n in report.notes), key
    (post,) = load_site(config).posts
    assert post.url == "https://example.org/custom/"


def test_hugo_errors(tmp_path: Path) -> None:
    with pytest.raises(PublisherError, match="no Hugo config here"):
        init_site(tmp_path / "pub", from_hugo=tmp_path)
    write(tmp_path / "hugo.toml", "baseURL = \n")
    with pytest.raises(PublisherError, match="hugo.toml: cannot read it"):
        init_site(tmp_path / "pub", from_hugo=tmp_path)


# The command


def test_run_prints_what_it_wrote(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    args = argparse.Namespace(dir=Path("site"), from_jekyll=None, from_hugo=None)
    assert run(args, Console(quiet=False, verbose=False)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "wrote site/publisher.toml"
    assert re.fullmatch(r"wrote site/posts/\d{4}-\d\d-\d\d-hello-world\.md", lines[1])
    assert "wrote site/.gitignore" in lines
    assert [line for line in lines if line.startswith("note: ")]
    assert lines[-1] == "next: edit publisher.toml, then run: cd site && publish check " \
        "&& publish feed"


def test_run_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    args = argparse.Namespace(dir=Path("."), from_jekyll=None, from_hugo=None)
    assert run(args, Console(quiet=False, verbose=False)) == 0
    out = capsys.readouterr().out
    assert "wrote publisher.toml\n" in out
    assert out.endswith("next: edit publisher.toml, then run: publish check && "
                        "publish feed\n")


def test_add_command(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser(prog="publish")
    commands = parser.add_subparsers(dest="command", required=True)
    add_command(commands)
    args = parser.parse_args(["init"])
    assert (args.dir, args.from_jekyll, args.from_hugo, args.run) == (Path("."), None,
                                                                     None, run)
    args = parser.parse_args(["init", "x", "--from-hugo", "h"])
    assert (args.dir, args.from_hugo) == (Path("x"), Path("h"))
    with pytest.raises(SystemExit):
        parser.parse_args(["init", "--from-jekyll", "a", "--from-hugo", "b"])
    assert commands.choices["init"].description


def test_from_jekyll_notes_what_it_cannot_map(tmp_path: Path) -> None:
    blog = jekyll_site(tmp_path / "blog", "url: https://x.org\nfuture: true\n"
                       "feed:\n  collections:\n    posts:\n      categories: [news]\n")
    report = init_site(tmp_path / "pub", from_jekyll=blog)
    assert any(n.startswith("future: true") and "--future" in n for n in report.notes)
    assert load_config(report.config).feed.category_feeds == ("news",)  # jekyll-feed's
