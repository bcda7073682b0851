"""The rest of the catalogue of bad input: what must work, what warns, what is refused.

(The refused cases with one clear error each are in test_cli.py's CASES.)
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import feedparser
import pytest

from .conftest import FIXTURES, NOW, SiteDir

BAD = FIXTURES / "bad"


def titles(site: SiteDir) -> list[str]:
    return [e.title for e in feedparser.parse((site.out / "feed.xml").read_bytes()).entries]


# Each of these must publish; some with a warning that says what to tidy.
WORKS = {
    "bom_crlf.md": ("BOM and CRLF", []),
    "anchors_aliases.md": ("Anchored title", []),
    "human_date.md": ("Human date", []),
    "empty_modified.md": ("Empty modified", []),
    "title_number.md": ("2024", []),
    "only_front_matter.md": ("Only front matter", []),
    "duplicate_keys.md": ("Second", [
        "posts/duplicate_keys.md:3: title: warning: key appears twice; the last value is "
        "used, delete the other"]),
}


@pytest.mark.parametrize("name", sorted(WORKS))
def test_inputs_that_must_work(site: SiteDir, publish, name: str) -> None:
    shutil.copy(BAD / name, site.root / "posts" / name)
    title, warnings = WORKS[name]
    check = publish(site.root, "check")
    assert check.code == 0 and check.out.splitlines()[:-1] == warnings
    assert publish(site.root, "feed", "--now", NOW).code == 0
    assert titles(site) == [title]


REFUSED = {
    "bad_indentation.md": "posts/bad_indentation.md:5: front matter: invalid YAML: did not "
                          "find expected key; check the indentation of this line and the "
                          "one above",
    "front_matter_scalar.md": "posts/front_matter_scalar.md:2: front matter: must be a set of "
                              "'key: value' lines, not a str ('just a sentence')",
    "title_empty.md": "posts/title_empty.md:2: title: is empty; write the post's title "
                      "between the quotes",
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_inputs_refused_with_a_clear_message(site: SiteDir, publish, name: str) -> None:
    shutil.copy(BAD / name, site.root / "posts" / name)
    result = publish(site.root, "check")
    assert result.code == 1 and result.out.splitlines()[0] == REFUSED[name]


def test_published_false_as_text_is_a_draft_with_a_warning(site: SiteDir, publish) -> None:
    shutil.copy(BAD / "published_false_string.md", site.root / "posts")
    site.post("2024-01-02-other.md", "---\ntitle: Other\n---\nx\n")
    assert publish(site.root, "check").out.splitlines()[0] == (
        "posts/published_false_string.md:4: published: warning: 'false' is text; write "
        "published: false without quotes")
    publish(site.root, "feed", "--now", NOW)
    assert titles(site) == ["Other"]


def test_symlink_out_of_the_posts_folder_is_skipped(site: SiteDir, publish, tmp_path) -> None:
    secret = tmp_path.parent / f"{tmp_path.name}-secret.md"
    secret.write_text("---\ntitle: Secret\ndate: 2024-01-01\n---\nPrivate\n")
    (site.root / "posts" / "leak.md").symlink_to(secret)
    inside = site.post("2024-01-02-real.md", "---\ntitle: Real\n---\nx\n")
    (site.root / "posts" / "2024-01-03-alias.md").symlink_to(inside)  # inside: a post
    result = publish(site.root, "check")
    assert result.out.splitlines()[0] == (
        "posts/leak.md: file: warning: is a link to a file outside the posts folder; skipped "
        "(copy the file in to publish it)")
    assert publish(site.root, "feed", "--now", NOW).code == 0
    assert titles(site) == ["Real", "Real"]


def test_a_folder_named_like_a_post_is_a_folder(site: SiteDir, publish) -> None:
    (site.root / "posts" / "2024-01-01-folder.md").mkdir()
    site.post("2024-01-01-folder.md/2024-01-02-inside.md", "---\ntitle: Inside\n---\nx\n")
    assert publish(site.root, "feed", "--now", NOW).code == 0
    assert titles(site) == ["Inside"]


def test_a_10_mb_post_works(site: SiteDir, publish) -> None:
    paragraph = "A long line of words that goes on and on, with *emphasis* and `code`. " * 20
    site.post("2024-01-01-huge.md", "---\ntitle: Huge\n---\n" +
              (paragraph + "\n\n") * (10_000_000 // len(paragraph)))
    assert (site.root / "posts" / "2024-01-01-huge.md").stat().st_size > 10_000_000
    assert publish(site.root, "check").out.splitlines()[0] == (
        "posts/2024-01-01-huge.md:4: body: warning: 10.0 MB of Markdown: feeds and emails "
        "carry its excerpt and a link to it, not the whole post")
    assert publish(site.root, "feed", "--now", NOW).code == 0
    entry = feedparser.parse((site.out / "feed.xml").read_bytes()).entries[0]
    assert entry.title == "Huge" and entry.summary.startswith("A long line of words")
    assert entry.content[0].value.endswith(
        '<p><a href="https://example.org/blog/2024/01/01/huge/">Read the whole post on the '
        "site</a></p>")


def test_an_alias_bomb_is_refused_without_expanding_it(site: SiteDir) -> None:
    shutil.copy(BAD / "alias_bomb.md", site.root / "posts")
    # A subprocess with a memory cap: expanding the aliases would need gigabytes.
    run = subprocess.run(
        [sys.executable, "-c", "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, "
         "(1 << 30, 1 << 30)); from publisher.cli import main; sys.exit(main(['check']))"],
        cwd=site.root, capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert "YAML aliases expand to more than 100,000 values" in run.stdout
