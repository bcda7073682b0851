"""`publish` as a user runs it: exact messages, exit codes, nothing half-written."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from publisher import __version__

from .conftest import FIXTURES, NOW, SiteDir

BAD = FIXTURES / "bad"
SUMMARY_1_ERROR = "1 files, 0 valid posts: 1 errors, 0 warnings in 1 files\n"

# Each bad input, alone in a site: what `publish check` says about it.
CASES = {
    "unclosed_quote.md": "posts/unclosed_quote.md:2: front matter: invalid YAML: a quoted "
                         "value starts here and is never closed; add the closing quote",
    "tab_indent.md": "posts/tab_indent.md:4: front matter: invalid YAML: found character that "
                     "cannot start any token; indent with spaces, not tabs",
    "missing_title.md": 'posts/missing_title.md: title: missing; add a line such as '
                        'title: "My post"',
    "bad_date.md": "posts/bad_date.md:3: date: '2021-02-30' is not a real date or time "
                   "(day is out of range for month)",
    "2023-27-11-invalid_filename_date.md":
        "posts/2023-27-11-invalid_filename_date.md: date: no date field, and the file name "
        "starts with '2023-27-11', which is not a real date; add date: YYYY-MM-DD or rename "
        "the file",
    "latin1.md": "posts/latin1.md:2: encoding: not UTF-8 (byte 0xe9; it looks like Latin-1 "
                 "or Windows-1252); save the file as UTF-8",
    "binary.md": "posts/binary.md:1: encoding: binary data (byte 0x89), not text; move the "
                 "file out of the posts folder",
    "empty.md": "posts/empty.md:1: file: is empty; write front matter with at least a title, "
                "or delete the file",
    "no_closing_delimiter.md": "posts/no_closing_delimiter.md:1: front matter: no closing "
                               "'---' line; end the front matter with a line of '---'",
    "front_matter_list.md": "posts/front_matter_list.md:2: front matter: must be a set of "
                            "'key: value' lines, not a list (['a', 'list'])",
    "title_list.md": "posts/title_list.md:2: title: must be text, not list ['a', 'list']; put "
                     "the title in quotes",
    "tags_mapping.md": "posts/tags_mapping.md:4: tags: must be a list like [a, b] or a string, "
                       "not dict {'a': 1, 'b': 2}",
    "alias_bomb.md": "posts/alias_bomb.md:3: front matter: YAML aliases expand to more than "
                     "100,000 values; remove the repeated aliases",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_bad_input_has_a_clear_message(site: SiteDir, publish, name: str) -> None:
    shutil.copy(BAD / name, site.root / "posts" / name)
    result = publish(site.root, "check")
    assert (result.code, result.out, result.err) == (1, CASES[name] + "\n" + SUMMARY_1_ERROR, "")
    feed = publish(site.root, "feed", "--now", NOW)
    assert feed.code == 1 and "Traceback" not in feed.err
    assert not site.out.exists()  # nothing is published while a post is broken


def test_control_characters_are_removed_not_fatal(site: SiteDir, publish) -> None:
    shutil.copy(BAD / "control_characters.md", site.root / "posts")
    assert publish(site.root, "feed", "--now", NOW).code == 0
    xml = (site.out / "feed.xml").read_text(encoding="utf-8")
    assert "<title>Bell and escape</title>" in xml
    assert "NUL  and  vertical tab" in xml


@pytest.mark.parametrize(("kind", "message"), [
    ("id", "posts/duplicate_id_b.md: id: urn:publisher:post-1 is also the id of "
           "posts/duplicate_id_a.md; give one of them its own id"),
    ("url", "posts/duplicate_url_b.md: url: https://example.org/blog/2024/01/01/same/ is also "
            "the url of posts/duplicate_url_a.md; give one of them its own slug or permalink"),
])
def test_duplicates_name_both_files(site: SiteDir, publish, kind: str, message: str) -> None:
    for suffix in ("a", "b"):
        shutil.copy(BAD / f"duplicate_{kind}_{suffix}.md", site.root / "posts")
    result = publish(site.root, "check")
    assert result.code == 1
    assert result.out == message + "\n2 files, 1 valid posts: 1 errors, 0 warnings in 1 files\n"


def test_feed_with_errors_writes_nothing_unless_skip_invalid(site: SiteDir, publish) -> None:
    site.post("2024-01-01-good.md", "---\ntitle: Good\n---\nFine.\n")
    shutil.copy(BAD / "bad_date.md", site.root / "posts")
    result = publish(site.root, "feed", "--now", NOW)
    assert result.code == 1
    assert result.err == (
        "posts/bad_date.md:3: date: '2021-02-30' is not a real date or time (day is out of "
        "range for month)\n"
        "error: 1 problem(s) in the posts; nothing was written (fix them, or use "
        "--skip-invalid to publish the valid posts)\n")
    assert not site.out.exists()
    result = publish(site.root, "feed", "--now", NOW, "--skip-invalid")
    assert result.code == 0 and result.err.startswith("posts/bad_date.md:3: date:")
    assert "Good" in (site.out / "feed.xml").read_text()


def test_check_reports_every_problem_sorted_with_json_option(site: SiteDir, publish) -> None:
    for name in ("title_list.md", "bad_date.md", "empty.md"):
        shutil.copy(BAD / name, site.root / "posts")
    site.post("2024-01-01-liquid.md", "---\ntitle: L\n---\n{% include x.html %}\n")
    result = publish(site.root, "check")
    lines = result.out.splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == [
        "posts/2024-01-01-liquid.md", "posts/bad_date.md", "posts/empty.md",
        "posts/title_list.md"]
    assert lines[-1] == "4 files, 1 valid posts: 3 errors, 1 warnings in 4 files"
    report = json.loads(publish(site.root, "check", "--format", "json").out)
    assert (report["errors"], report["warnings"], report["files"]) == (3, 1, 4)
    assert report["problems"][0] == {
        "path": "posts/2024-01-01-liquid.md", "line": 4, "field": "body", "severity": "warning",
        "message": "{% include %} removed: publisher does not run templates; replace it with "
                   "Markdown or HTML"}


def test_warnings_only_exit_zero_and_quiet(site: SiteDir, publish) -> None:
    site.post("2024-01-01-liquid.md", "---\ntitle: L\n---\n{% include x.html %}\n")
    assert publish(site.root, "check").code == 0
    assert publish(site.root, "check", "-q").out == ""
    feed = publish(site.root, "feed", "-q", "--now", NOW)
    assert (feed.code, feed.out, feed.err) == (0, "", "")


def test_config_problems_reported_at_once(site: SiteDir, publish) -> None:
    site.config('[site]\ntitel = "x"\nurl = "example.org"\n[feed]\nlimit = "20"\n'
                "full_content = 1\n[colors]\n", base="")
    result = publish(site.root, "feed")
    assert result.code == 1
    assert result.err == (
        "error: publisher.toml:2: site.titel: unknown key; did you mean 'title'?\n"
        "publisher.toml:5: feed.limit: must be a whole number, not '20'\n"
        "publisher.toml:6: feed.full_content: must be true or false, not 1\n"
        "publisher.toml:7: colors: unknown key; known keys here: author, email, feed, "
        "permalinks, series, site, smtp\n")
    site.config('[site]\nurl = "example.org"\ntimezone = "Mars/Olympus"\n', base="")
    assert publish(site.root, "check").err == (
        "error: publisher.toml:2: site.url: must be an absolute http(s) URL, not 'example.org'\n"
        "publisher.toml:3: site.timezone: unknown time zone 'Mars/Olympus'; use an IANA name "
        "such as 'UTC' or 'Europe/Paris'\n")
    site.config("[site\n", base="")
    assert publish(site.root, "check").err.startswith(
        "error: publisher.toml:1: not valid TOML: ")


def test_missing_config_and_config_option(tmp_path: Path, site: SiteDir, publish) -> None:
    result = publish(tmp_path / "posts", "feed")
    assert result.err == ("error: publisher.toml: no config file here; pass --config PATH to "
                          "a publisher.toml, or run publish from the folder that has one\n")
    site.post("2024-01-01-a.md", "---\ntitle: A\n---\nx\n")
    other = site.root / "conf" / "site.toml"
    other.parent.mkdir()
    other.write_text('[site]\nurl = "https://example.org"\nposts = "../posts"\n'
                     'output = "../public"\n')
    # Folders in the config are relative to the config file, not to where publish runs.
    result = publish(tmp_path / "posts", "--config", str(other), "feed", "--now", NOW)
    assert result.code == 0 and (site.root / "public" / "feed.xml").exists()


def test_version_and_help() -> None:
    run = subprocess.run([sys.executable, "-m", "publisher.cli", "--version"],
                         capture_output=True, text=True)
    assert run.stdout == f"publish {__version__}\n"
    for command in ("feed", "check"):
        help_text = subprocess.run([sys.executable, "-m", "publisher.cli", command, "--help"],
                                   capture_output=True, text=True).stdout
        assert help_text.startswith(f"usage: publish {command}")


def test_no_traceback_from_a_real_process(site: SiteDir) -> None:
    for name in CASES:
        shutil.copy(BAD / name, site.root / "posts" / name)
    for args in (["check"], ["feed"], ["feed", "--skip-invalid"]):
        run = subprocess.run([sys.executable, "-m", "publisher.cli", *args], cwd=site.root,
                             capture_output=True, text=True)
        assert "Traceback" not in run.stderr, run.stderr
        assert run.returncode in (0, 1)


def test_bad_now_option(site: SiteDir, publish) -> None:
    result = publish(site.root, "feed", "--now", "yesterday")
    assert result.err == ("error: --now: 'yesterday' is not a date; write it as 2024-03-02, "
                          "2024-03-02 10:00:00 +0100 or 2024-03-02T10:00:00Z\n")


def test_verbose_shows_every_warning_check_would(site: SiteDir, publish) -> None:
    site.post("2024-01-01-liquid.md", "---\ntitle: L\n---\nIntro.\n\n{% include x.html %}\n"
              "{{ page.nope | weird }}\n")
    site.post("undated.md", "---\ntitle: U\nmodified: 2024-01-02\n---\nx\n")
    check = publish(site.root, "check")
    warnings = [line for line in check.out.splitlines() if ": warning: " in line]
    assert len(warnings) == 3
    for command in ("feed", "email"):
        loud = publish(site.root, command, "-v", "--now", NOW)
        assert loud.code == 0
        assert [line for line in loud.err.splitlines() if ": warning: " in line] == warnings
    quiet = publish(site.root, "feed", "--now", NOW)
    assert "1 warning(s); run 'publish check' to see them" in quiet.err


@pytest.mark.parametrize("args", [["ledger"], ["ledger", "--format", "json"], ["check"],
                                  ["check", "--format", "json"], ["feed", "--now", NOW]])
def test_a_closed_stdout_ends_the_command_quietly(site: SiteDir, publish, args) -> None:
    for day in range(1, 30):  # enough output that some of it is written after the close
        site.post(f"2024-01-{day:02d}-p.md", f"---\ntitle: P{day}\nseries: S\n---\n"
                  "{% include x.html %}\n")
    assert publish(site.root, "email", "--baseline", "--now", NOW).code == 0
    # As `publish ledger | head -0` does: whoever reads stdout is gone before we write.
    proc = subprocess.Popen([sys.executable, "-m", "publisher.cli", *args], cwd=site.root,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, err
    assert "Error" not in err and "internal error" not in err and "Traceback" not in err, err
