"""Hostile and broken inputs: each answered in seconds with `path:line: field: message`.

File names that forge lines or drive the terminal, FIFOs, devices, symlink loops,
names that are not UTF-8, numbers Python will not convert, nesting past the recursion
limit, lone surrogates, control characters the feeds would refuse, dot segments in
permalinks and dangerous settings.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import BASE_CONFIG, NOW, SiteDir

GOOD = "---\ntitle: Good\ndate: 2024-01-01\n---\nText.\n"
BIG = "9" * 5000


def run(site: SiteDir, *args: str, timeout: float = 10) -> subprocess.CompletedProcess[str]:
    """publish in a process of its own, which must end within `timeout` seconds."""
    return subprocess.run([sys.executable, "-m", "publisher.cli", *args], cwd=site.root,
                          capture_output=True, text=True, timeout=timeout,
                          errors="surrogateescape")


def nothing_written(site: SiteDir) -> bool:
    return not site.out.exists() or not any(site.out.rglob("*"))


# Terminal injection and forged lines

@pytest.mark.parametrize("name, shown", [
    ("x\nposts/forged.md:1: title: fake.md", "x\\nposts/forged.md:1: title: fake.md"),
    ("t\x1b]0;PWNED\x07.md", "t\\x1b]0;PWNED\\x07.md"),
    ("r\r\x1b[2Kclear.md", "r\\r\\x1b[2Kclear.md"),
    ("bidi\u202etxt.md", "bidi\\u202etxt.md"),
])
def test_a_file_name_never_forges_a_line_or_reaches_the_terminal(site: SiteDir, name: str,
                                                                 shown: str) -> None:
    (site.root / "posts" / name.replace("/", "\N{DIVISION SLASH}")).write_text(
        "---\ntitle: [unclosed\n---\n")
    shown = shown.replace("/", "\N{DIVISION SLASH}")
    for args in (("check",), ("feed", "--now", NOW), ("email", "--now", NOW)):
        result = run(site, *args)
        everything = result.stdout + result.stderr
        assert result.returncode == 1, everything
        if args[0] == "check":
            assert everything.count("\n") == 2  # the problem and the summary: no forged line
        assert f"posts/{shown}:3: front matter: invalid YAML" in everything
        assert "\x1b" not in everything and "\x07" not in everything
        assert "\r" not in everything and "\u202e" not in everything
        assert not any(line.startswith("posts/forged") for line in everything.splitlines())
    listed = run(site, "check", "--format", "json")
    import json

    problems = json.loads(listed.stdout)["problems"]
    assert "\x1b" not in listed.stdout and problems[0]["path"] == f"posts/{shown}"


def test_a_title_with_escapes_is_printed_escaped(site: SiteDir) -> None:
    site.config('[email]\nunsubscribe_url = "https://example.org/unsubscribe"\n')
    site.post("2024-01-01-a.md", "---\ntitle: \"A \\x9b31m \\x1b]0;x\\x07 B\"\nseries: S\n---\nx\n")
    result = run(site, "email", "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert "\x9b" not in result.stdout and "\x1b" not in result.stdout
    assert "A \\x9b31m" in result.stdout  # C1 controls are valid XML, so they stay in text


# FIFOs, devices, symlink loops, names that are not UTF-8

def test_fifos_devices_and_symlink_loops_are_skipped_with_a_note(site: SiteDir) -> None:
    posts = site.root / "posts"
    site.post("2024-01-01-good.md", GOOD)
    os.mkfifo(posts / "fifo.md")
    (posts / "loop1.md").symlink_to("loop2.md")
    (posts / "loop2.md").symlink_to("loop1.md")
    (posts / "gone.md").symlink_to("nowhere.md")
    device = posts / "zero.md"
    try:
        os.mknod(device, 0o644 | 0o020000, os.makedev(1, 5))  # /dev/zero's twin
    except PermissionError:
        device.symlink_to("/dev/zero")  # outside the posts folder: skipped too
    started = time.monotonic()
    result = run(site, "check")
    assert time.monotonic() - started < 10
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "posts/fifo.md: file: warning: is a FIFO (named pipe), not a regular file; " \
           "skipped" in lines
    assert "posts/loop1.md: file: warning: is a symbolic link that leads back to itself " \
           "(a loop); skipped" in lines
    assert "posts/gone.md: file: warning: is a link to nothing (its target is missing); " \
           "skipped" in lines
    assert any(line.startswith("posts/zero.md: file: warning: is ") for line in lines)
    assert lines[-1].startswith("1 files, 1 valid posts: 0 errors")
    feed = run(site, "feed", "--now", NOW)
    assert feed.returncode == 0 and (site.out / "feed.xml").exists()


def test_a_file_over_the_size_limit_is_refused(site: SiteDir, monkeypatch) -> None:
    import publisher.reading

    site.post("2024-01-01-big.md", GOOD + "x" * 5000)
    from publisher.reading import read_regular

    with pytest.raises(OSError, match="over the 0 MB a file may have"):
        read_regular(site.root / "posts" / "2024-01-01-big.md", limit=1000)
    assert publisher.reading.MAX_BYTES == 50 * 1024 * 1024


def test_a_name_that_is_not_utf8_is_an_error(site: SiteDir) -> None:
    site.post("2024-01-01-good.md", GOOD)
    raw = os.fsencode(site.root / "posts") + b"/caf\xe9.md"
    with open(raw, "w") as handle:
        handle.write(GOOD)
    result = run(site, "check")
    assert result.returncode == 1
    assert "posts/caf\\xe9.md: file: its name is not UTF-8 (byte 0xe9); rename it with " \
           "UTF-8 characters" in result.stdout.splitlines()
    feed = run(site, "feed", "--now", NOW)
    assert feed.returncode == 1 and "Traceback" not in feed.stderr and nothing_written(site)


# Numbers, nesting, surrogates

@pytest.mark.parametrize("name, text, expected", [
    ("yaml-number", f"---\ntitle: A\nn: {BIG}\n---\nx\n",
     "3: n: a number of 5,000 digits (YAML numbers may have up to 4,300); put it in quotes "
     "to keep it as text"),
    ("toml-number", f"+++\ntitle = 'A'\nn = {BIG}\n+++\nx\n",
     "3: n: a number of 5,000 digits (TOML numbers may have up to 4,300)"),
    ("json-number", f'{{\n"title": "A",\n"n": {BIG}\n}}\nx\n',
     "3: n: a number of 5,000 digits (JSON numbers may have up to 4,300)"),
    ("toml-deep", "+++\ntitle = 'A'\nn = " + "[" * 500 + "]" * 500 + "\n+++\nx\n",
     "2: front matter: TOML nested too deeply to read"),
    ("json-deep", '{\n"title": "A",\n"n": ' + "[" * 990 + "]" * 990 + "\n}\nx\n",
     "1: front matter: JSON nested too deeply to read"),
    # Read without recursion (no anchor, so no alias count walks it): the field is named.
    ("yaml-deep", "---\ntitle: A\nn: " + "[" * 3000 + "]" * 3000 + "\n---\nx\n",
     "3: n: nested more than 64 levels deep"),
    ("yaml-deep-anchored", "---\ntitle: A\nn: &a " + "[" * 3000 + "]" * 3000 + "\n---\nx\n",
     "2: front matter: YAML nested too deeply to read"),
    ("json-moderately-deep", '{\n"title": "A",\n"n": ' + "[" * 100 + "]" * 100 + "\n}\nx\n",
     "3: n: nested more than 64 levels deep"),
    ("json-surrogate-title", '{\n"title": "A\\ud800"\n}\nx\n',
     "2: title: holds \\ud800, half of a surrogate pair and not a character"),
    ("json-surrogate-permalink", '{\n"title": "A",\n"permalink": "/x\\udc00/"\n}\nx\n',
     "3: permalink: holds \\udc00"),
    ("json-surrogate-author", '{\n"title": "A",\n"author": {"name": "\\ud83d"}\n}\nx\n',
     "3: author: holds \\ud83d"),
    ("json-surrogate-id", '{\n"title": "A",\n"id": "\\udfff"\n}\nx\n', "3: id: holds \\udfff"),
    ("json-surrogate-image", '{\n"title": "A",\n"image": "\\ud800.png"\n}\nx\n',
     "3: image: holds \\ud800"),
])
def test_values_python_cannot_hold(site: SiteDir, publish, name: str, text: str,
                                   expected: str) -> None:
    site.post(f"2024-01-01-{name}.md", text)
    for args in (("check",), ("feed", "--now", NOW), ("email", "--now", NOW)):
        result = publish(site.root, *args)
        assert result.code == 1, result.err
        assert f"posts/2024-01-01-{name}.md:{expected}" in result.out + result.err
        assert "internal error" not in result.err and nothing_written(site)


@pytest.mark.parametrize("value, expected", [
    (BIG, "4: feed.limit: a number of more than 4,300 digits, which Python does not read"),
    ("[" * 2000 + "]" * 2000, "4: feed.limit: nested too deeply to read"),
    ('"\\ud800"', "4: not valid TOML: Escaped character is not a Unicode scalar value"),
])
def test_publisher_toml_that_python_cannot_hold(site: SiteDir, value: str,
                                                expected: str) -> None:
    site.config(f"[feed]\nlimit = {value}\n", base='[site]\nurl = "https://example.org"\n')
    result = run(site, "check")
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: publisher.toml:{expected}")


@pytest.mark.parametrize("source, name, text, expected", [
    ("--from-jekyll", "_config.yml", "title: x\nlist: " + "[" * 3000 + "]" * 3000 + "\n",
     "_config.yml:2: list: nested too deeply to read"),
    ("--from-jekyll", "_config.yml", f"title: x\nn: {BIG}\n",
     "_config.yml:2: n: a number of more than 4,300 digits"),
    ("--from-hugo", "hugo.toml", f"title = 'x'\nn = {BIG}\n",
     "hugo.toml:2: n: a number of more than 4,300 digits"),
])
def test_init_from_a_config_python_cannot_hold(tmp_path: Path, source: str, name: str,
                                               text: str, expected: str) -> None:
    blog = tmp_path / "blog"
    (blog / "_posts").mkdir(parents=True)
    (blog / name).write_text(text)
    result = subprocess.run([sys.executable, "-m", "publisher.cli", "init", "new", source,
                             "blog"], cwd=tmp_path, capture_output=True, text=True, timeout=10)
    assert result.returncode == 1 and result.stderr.startswith(f"error: blog/{expected}")
    assert not (tmp_path / "new" / "publisher.toml").exists()


def test_an_argument_that_is_not_utf8(site: SiteDir) -> None:
    result = subprocess.run([sys.executable.encode(), b"-m", b"publisher.cli", b"new",
                             b"Caf\xe9"], cwd=site.root, capture_output=True, timeout=10)
    assert result.returncode == 1
    assert result.stderr == b"error: TITLE: Caf\\xe9 is not UTF-8 text (at character 4); " \
                            b"type it again in a UTF-8 terminal\n"
    assert list((site.root / "posts").iterdir()) == []


# What `feed` would refuse, `check` names

@pytest.mark.parametrize("field, value, line, shown", [
    ("id", '"urn:x\\x01y"', 3, "id: holds the control character \\x01"),
    ("image", '"https://example.org/a\\x02.png"', 3, "image: holds the control character \\x02"),
    ("author", '{name: A, uri: "https://example.org/\\x03"}', 3,
     "author.uri: holds the control character \\x03"),
    ("author", '{name: A, email: "a\\x1b@example.org"}', 3,
     "author.email: holds the control character \\x1b"),
])
def test_check_catches_what_feed_would_refuse(site: SiteDir, publish, field: str, value: str,
                                              line: int, shown: str) -> None:
    site.post("2024-01-01-a.md", f"---\ntitle: A\n{field}: {value}\n---\nx\n")
    check = publish(site.root, "check")
    assert check.code == 1
    assert check.out.splitlines()[0].startswith(f"posts/2024-01-01-a.md:{line}: {shown}")
    feed = publish(site.root, "feed", "--now", NOW)
    assert feed.code == 1 and feed.err.startswith(check.out.splitlines()[0])
    assert nothing_written(site)


# URLs and folders

def test_encoded_dot_segments_never_leave_the_base_path(site: SiteDir, publish) -> None:
    for n, permalink in enumerate(["/%2e%2e/%2e%2e/x/", "/%2E%2e/y/", "/a/.%2e/%2e./z/",
                                   "/%2e/w/"], 1):
        site.post(f"2024-01-0{n}-p.md", f'---\ntitle: P{n}\npermalink: "{permalink}"\n---\nx\n')
    assert publish(site.root, "feed", "--now", NOW).code == 0
    import feedparser

    links = {e.link for e in feedparser.parse(site.out / "feed.xml").entries}
    assert links == {"https://example.org/blog/x/", "https://example.org/blog/y/",
                     "https://example.org/blog/a/z/", "https://example.org/blog/w/"}


@pytest.mark.parametrize("url", ["https://example.org/blog?x=1", "https://example.org/#top",
                                 "https://example.org/a b"])
def test_a_site_url_with_a_query_or_fragment_is_refused(site: SiteDir, publish,
                                                        url: str) -> None:
    site.config(base=BASE_CONFIG.replace("https://example.org/blog", url))
    result = publish(site.root, "check")
    assert result.code == 1
    assert result.err.startswith(f"error: publisher.toml:3: site.url: {url!r} has a query "
                                 "('?'), a fragment ('#') or a space")


@pytest.mark.parametrize("output, reason", [
    ("/", "the file system's root"), ("posts", "the posts folder"),
    (".", "a folder that holds the posts folder"), ("..", "a folder that holds the posts folder"),
])
def test_a_dangerous_output_folder_is_refused(site: SiteDir, publish, output: str,
                                              reason: str) -> None:
    site.config(base=BASE_CONFIG.replace('output = "out"', f'output = "{output}"'))
    site.post("2024-01-01-a.md", GOOD)
    before = sorted(p.name for p in site.root.rglob("*"))
    result = publish(site.root, "feed", "--now", NOW)
    assert result.code == 1
    assert result.err.startswith(f"error: publisher.toml:7: site.output: {output!r} is "
                                 f"{reason}; feeds must go in a folder of their own")
    assert sorted(p.name for p in site.root.rglob("*")) == before


def test_an_output_folder_that_holds_the_config_is_refused(tmp_path: Path, publish) -> None:
    site = SiteDir(tmp_path / "site")
    (site.root / "posts").mkdir(parents=True)
    site.config(base=BASE_CONFIG.replace('posts = "posts"', f'posts = "{tmp_path}/posts"')
                .replace('output = "out"', 'output = ".."'))
    (tmp_path / "posts").mkdir()
    result = publish(site.root, "check")
    assert "site.output: '..' is a folder that holds" in result.err and result.code == 1


@pytest.mark.parametrize("timeout", ["0", "-1"])
def test_a_timeout_that_is_not_positive_is_refused(site: SiteDir, publish, timeout: str) -> None:
    site.config(f"[smtp]\ntimeout = {timeout}\n")
    result = publish(site.root, "check")
    assert result.code == 1
    assert result.err == (f"error: publisher.toml:13: smtp.timeout: must be a number of "
                          f"seconds above 0, not {timeout}; 30 is a good value\n")


# Series that would share a folder

def test_series_whose_folders_clash_are_refused_at_check(site: SiteDir, publish) -> None:
    site.config('[email]\nto = "list@example.org"\n'
                'unsubscribe_url = "https://example.org/unsubscribe"\n')
    for n, series in enumerate(["a/b", "a-b", ".NET", "dot NET", "C#", "C++"], 1):
        site.post(f"2024-01-{n:02d}-p{n}.md", f'---\ntitle: P{n}\nseries: "{series}"\n---\nx\n')
    check = publish(site.root, "check")
    assert check.code == 1
    assert check.out.splitlines()[:2] == [
        "posts/2024-01-02-p2.md: series: 'a-b' and 'a/b' (in posts/2024-01-01-p1.md) would "
        "share the folders series/a-b/ and email/a-b/; rename one of them",
        "posts/2024-01-04-p4.md: series: 'dot NET' and '.NET' (in posts/2024-01-03-p3.md) "
        "would share the folders series/dot-net/ and email/dot-net/; rename one of them"]
    for command in ("feed", "email"):
        assert publish(site.root, command, "--now", NOW).code == 1
        assert nothing_written(site)
    skipping = publish(site.root, "email", "--now", NOW, "--skip-invalid")
    assert skipping.code == 0, skipping.err
    folders = sorted(p.name for p in (site.out / "email").iterdir())
    assert folders == ["a-b", "c-plus-plus", "c-sharp", "dot-net"]  # one series in each


def test_series_that_differ_by_case_are_never_drafted_into_one_folder(site: SiteDir,
                                                                     publish) -> None:
    site.config('[email]\nto = "list@example.org"\n'
                'unsubscribe_url = "https://example.org/unsubscribe"\n')
    site.post("2024-01-01-a.md", "---\ntitle: A\nseries: Go\n---\nx\n")
    site.post("2024-01-02-b.md", "---\ntitle: B\nseries: go\n---\nx\n")
    check = publish(site.root, "check")
    assert "posts/2024-01-02-b.md: series: warning: 'go' and 'Go' (in posts/2024-01-01-a.md) " \
           "are one series in feeds but two newsletters" in check.out
    result = publish(site.root, "email", "--now", NOW)
    assert result.code == 1
    assert result.err.endswith("error: series 'go' and 'Go' would both be drafted in "
                               "email/go/1/; nothing was written: spell the series the same "
                               "in every post\n")
    assert nothing_written(site) and not (site.root / "publisher.db").exists() or \
        publish(site.root, "ledger").out.startswith("the ledger is empty")
    assert publish(site.root, "feed", "--now", NOW).code == 0  # one series feed, as before


def test_a_fifo_given_as_previous_feed_or_config_never_blocks(site: SiteDir) -> None:
    site.post("2024-01-01-good.md", GOOD)
    os.mkfifo(site.root / "feed.fifo")
    result = run(site, "feed", "--now", NOW, "--previous", "feed.fifo")
    assert result.returncode == 1
    assert result.stderr.endswith("error: --previous feed.fifo: cannot read it (is a FIFO "
                                  "(named pipe), not a regular file)\n")
    os.mkfifo(site.root / "config.fifo")
    result = run(site, "check", "--config", "config.fifo")
    assert result.returncode == 1 and "no config file here" in result.stderr
