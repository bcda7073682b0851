"""A `publish feed` that would change nothing is answered by stats alone
(publisher/feeds/unchanged.py), and never when anything it read or wrote changed.

Each test runs the real command in a fresh process, as a writer or a scheduled CI job
does. A file written less than a second before a run makes that run "racy" (no
manifest), so the tests wait that second where they want a manifest.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import SiteDir

FAST = "nothing changed since the last run"
MANIFEST = Path(".publisher/run.json")


# -P: the current folder is not on the import path, as for the `publish` script (with it,
# Python's own imports list the site's folder, which hides what the manifest must see).
PUBLISH = [sys.executable, "-P", "-m", "publisher.cli"]


def feed(site: SiteDir, *args: str) -> subprocess.CompletedProcess[str]:
    run = subprocess.run([*PUBLISH, "feed", *args],
                         cwd=site.root, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    return run


def outputs(site: SiteDir) -> dict[str, bytes]:
    return {str(p.relative_to(site.out)): p.read_bytes()
            for p in sorted(site.out.rglob("*")) if p.is_file()}


def dead_pid() -> int:
    """The pid of a process that has ended (a build killed before it cleaned up)."""
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    return int(child.stdout)


def settled() -> None:
    time.sleep(1.1)  # past the racy second: the next run may record its manifest


@pytest.fixture
def blog(site: SiteDir) -> SiteDir:
    for day in range(1, 4):
        site.post(f"2025-03-0{day}-note-{day}.md", f"""
            ---
            title: Note {day}
            date: 2025-03-0{day}
            series: Field notes
            tags: [walks]
            ---
            Walked the canal path on day {day}, counting herons.
            """)
    settled()
    return site


def test_a_second_run_stats_and_replays(blog: SiteDir) -> None:
    first = feed(blog)
    assert (blog.root / MANIFEST).is_file()
    before = outputs(blog)
    second = feed(blog)
    assert FAST in second.stdout
    assert outputs(blog) == before
    # It says what the run it stands for would say, with no file written.
    head = first.stdout.splitlines()[-1].split("(")[0]
    files = len(before)
    assert second.stdout.splitlines()[-1].startswith(f"{head}(0 written, {files} unchanged)")


def test_problems_are_said_again(blog: SiteDir) -> None:
    blog.post("2025-03-09-untitled.md", "---\ndate: 2025-03-09\n---\nNo title here.\n")
    settled()
    first = feed(blog, "--skip-invalid")
    second = feed(blog, "--skip-invalid")
    assert FAST in second.stdout
    assert first.stderr == second.stderr and "title: missing" in second.stderr


@pytest.mark.parametrize("change", ["edit", "same-size edit", "new post", "deleted post",
                                    "config", "output edited", "output deleted",
                                    "stray file in output", "code"])
def test_any_change_runs_the_whole_command(blog: SiteDir, change: str) -> None:
    feed(blog)
    assert FAST in feed(blog).stdout
    post = blog.root / "posts" / "2025-03-02-note-2.md"
    atom = blog.out / "feed.xml"
    if change == "edit":
        post.write_text(post.read_text().replace("herons", "egrets"))
    elif change == "same-size edit":  # and its mtime put back: the ctime still moves
        stat = post.stat()
        post.write_text(post.read_text().replace("herons", "grebes"))
        os.utime(post, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    elif change == "new post":
        blog.post("2025-03-05-note-5.md", "---\ntitle: Note 5\ndate: 2025-03-05\n---\negrets\n")
    elif change == "deleted post":
        post.unlink()
    elif change == "config":
        config = blog.root / "publisher.toml"
        config.write_text(config.read_text().replace("Test site", "Egret site"))
    elif change == "output edited":
        atom.write_bytes(atom.read_bytes().replace(b"herons", b"egrets"))
    elif change == "output deleted":
        atom.unlink()
    elif change == "stray file in output":
        (blog.out / f".feed.xml.{dead_pid()}.abcdefgh.tmp").write_text("left by a killed build")
    elif change == "code":  # an upgrade or an edit of publisher: its files' stamps move
        manifest = blog.root / MANIFEST
        check, text = manifest.read_text().split("\n", 1)
        body = json.loads(text)
        init = next(p for p, _ in body["paths"] if p.endswith("publisher/__init__.py"))
        os.utime(init)  # as an edit would: a new mtime and ctime
    run = feed(blog)
    assert FAST not in run.stdout
    text = outputs(blog)
    if change in ("edit", "new post", "config"):
        assert b"egret" in text["feed.xml"].lower()
    if change == "output edited":  # put back as it was built
        assert b"herons" in text["feed.xml"] and b"egrets" not in text["feed.xml"]
    if change == "same-size edit":
        assert b"grebes" in text["feed.xml"]
    if change == "deleted post":
        assert b"Note 2" not in text["feed.xml"]
    if change == "output deleted":
        assert "feed.xml" in text
    if change == "stray file in output":
        assert not list(blog.out.glob(".feed.xml.*.tmp"))


def test_other_options_and_no_cache_run_the_whole_command(blog: SiteDir) -> None:
    feed(blog)
    assert FAST in feed(blog).stdout
    for args in (["--drafts"], ["--no-cache"], ["--now", "2026-01-01T00:00:00Z"],
                 ["--dry-run"], ["-v"]):
        assert FAST not in feed(blog, *args).stdout, args


def test_a_scheduled_post_falls_due(blog: SiteDir) -> None:
    due = datetime.now(UTC) + timedelta(seconds=4)
    blog.post("2099-01-01-soon.md", f"---\ntitle: Soon\ndate: {due:%Y-%m-%dT%H:%M:%SZ}\n---\n"
              "Due in a moment.\n")
    settled()
    first = feed(blog)
    assert "next scheduled post" in first.stdout
    second = feed(blog)
    assert FAST in second.stdout and "next scheduled post" in second.stdout
    time.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds()) + 1.1)
    third = feed(blog)
    assert FAST not in third.stdout
    assert b"Soon" in (blog.out / "feed.xml").read_bytes()


def test_a_jekyll_data_file_is_an_input(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    blog = tmp_path / "blog"
    for folder in ("_posts", "_data"):
        (blog / folder).mkdir(parents=True)
    (blog / "_config.yml").write_text("title: Canal\nurl: https://canal.example\n")
    (blog / "_data" / "birds.yml").write_text("name: heron\n")
    (blog / "_posts" / "2025-03-01-birds.md").write_text(
        "---\ntitle: Birds\n---\nToday: {{ site.data.birds.name }}.\n")
    site.config(base='[site]\ntitle = "Canal"\nurl = "https://canal.example"\n'
                'generator = "jekyll"\nposts = "blog"\noutput = "out"\n'
                '[author]\nname = "Ada"\n')
    settled()
    feed(site)
    assert b"heron" in (site.out / "feed.xml").read_bytes()
    assert FAST in feed(site).stdout
    (blog / "_data" / "birds.yml").write_text("name: egret\n")
    run = feed(site)
    assert FAST not in run.stdout
    assert b"egret" in (site.out / "feed.xml").read_bytes()


def test_a_racy_run_records_nothing(blog: SiteDir) -> None:
    post = blog.post("2025-03-04-note-4.md", "---\ntitle: Note 4\ndate: 2025-03-04\n---\nNow.\n")
    # Stamped as written during the run (a clock a little ahead does the same): its
    # stamp cannot tell a later change apart, so the run leaves no manifest.
    later = time.time_ns() + 30_000_000_000
    os.utime(post, ns=(later, later))
    feed(blog)
    assert not (blog.root / MANIFEST).exists()
    assert FAST not in feed(blog).stdout


def test_a_damaged_or_planted_manifest_is_not_used(blog: SiteDir) -> None:
    feed(blog)
    manifest = blog.root / MANIFEST
    check, text = manifest.read_text().split("\n", 1)
    body = json.loads(text)
    body["summary"] = "HACKED {took}"
    manifest.write_text(check + "\n" + json.dumps(body))  # its checksum no longer holds
    run = feed(blog)
    assert FAST not in run.stdout and "HACKED" not in run.stdout
    manifest.write_bytes(b"\xff\x00 not a manifest")
    assert "Traceback" not in feed(blog).stderr


def test_cache_clear_forgets_the_manifest(blog: SiteDir) -> None:
    feed(blog)
    assert (blog.root / MANIFEST).exists()
    run = subprocess.run([*PUBLISH, "cache", "clear"],
                         cwd=blog.root, capture_output=True, text=True, check=True)
    assert "cleared" in run.stdout
    assert not (blog.root / MANIFEST).exists()


def hugo_site(root: Path) -> SiteDir:
    site = SiteDir(root)
    (root / "content" / "posts").mkdir(parents=True)
    site.config(base='[site]\ngenerator = "hugo"\ntitle = "H"\nurl = "https://example.org/"\n'
                'posts = "content"\noutput = "out"\n[author]\nname = "Ada"\n')
    (root / "config.toml").write_text('baseURL = "https://example.org/"\n'
                                      '[params]\ncolour = "teal"\n')
    (root / "content" / "posts" / "one.md").write_text(
        "---\ntitle: One\ndate: 2025-03-01\n---\nColour: {{< param colour >}}. "
        "Shade: {{< param shade >}}.\n\n{{< callout >}}*inner*{{< /callout >}}\n")
    return site


# Files a generator looks for and does not find are inputs too: each appears after a
# run that recorded a manifest, and the next run must read it.
LOOKED_FOR = {
    "hugo.toml beside config.toml": (
        "hugo.toml", 'baseURL = "https://example.org/"\n[params]\ncolour = "red"\n', b"red"),
    "a config folder": ("config/_default/params.toml", 'shade = "dusk"\n', b"dusk"),
    # a site's own shortcode: its content, as Markdown once its template says so
    "a shortcode template": ("layouts/shortcodes/callout.html",
                             "<aside>{{ .Inner | markdownify }}</aside>", b"em&gt;inner"),
}


@pytest.mark.parametrize("case", LOOKED_FOR)
def test_a_hugo_file_that_appears_is_read(tmp_path: Path, case: str) -> None:
    site = hugo_site(tmp_path)
    settled()
    feed(site)
    assert FAST in feed(site).stdout
    name, text, seen = LOOKED_FOR[case]
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_text(text)
    run = feed(site)
    assert FAST not in run.stdout
    assert seen in (site.out / "index.xml").read_bytes()  # Hugo's name for the feed


def test_a_jekyll_config_above_the_source_that_appears_is_read(tmp_path: Path) -> None:
    site = SiteDir(tmp_path)
    (tmp_path / "blog" / "_posts").mkdir(parents=True)
    (tmp_path / "blog" / "_posts" / "2025-03-01-birds.md").write_text(
        "---\ntitle: Birds\n---\nToday: {{ site.bird }}.\n")
    site.config(base='[site]\ntitle = "Canal"\nurl = "https://canal.example"\n'
                'generator = "jekyll"\nposts = "blog"\noutput = "out"\n[author]\nname = "Ada"\n')
    settled()
    feed(site)
    assert FAST in feed(site).stdout
    (tmp_path / "_config.yml").write_text("bird: heron\n")
    assert FAST not in feed(site).stdout
    assert b"heron" in (site.out / "feed.xml").read_bytes()


def test_a_site_inside_a_virtual_environment_is_still_watched(blog: SiteDir) -> None:
    # `python -m venv .` in the blog's folder puts Python's prefix over the posts.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", "--system-site-packages",
                    str(blog.root)], check=True, timeout=120)
    python = str(blog.root / "bin" / "python")
    settled()

    def run() -> str:
        done = subprocess.run([python, "-P", "-m", "publisher.cli", "feed"], cwd=blog.root,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    run()
    assert FAST in run()
    post = blog.root / "posts" / "2025-03-02-note-2.md"
    post.write_text(post.read_text().replace("herons", "egrets"))
    assert FAST not in run()
    assert b"egrets" in (blog.out / "feed.xml").read_bytes()
