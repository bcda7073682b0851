"""Files we read that are not posts: an output file compared before it is rewritten, and
the writer's own templates. A FIFO there would block forever, a device never end
(issue 14, point 5): each is read only when it is a regular file, in a process that
must end within seconds, with real FIFOs."""

from __future__ import annotations

import os

import pytest

from .conftest import NOW, SiteDir
from .test_email import EMAIL_CONFIG
from .test_hostile_input import GOOD, run

SERIES_POST = "---\ntitle: Good\ndate: 2024-01-01\nseries: Notes\n---\nText.\n"


def test_a_fifo_where_the_feed_was_is_replaced_with_a_note(site: SiteDir) -> None:
    site.post("2024-01-01-good.md", GOOD)
    assert run(site, "feed", "--now", NOW, "-q").returncode == 0
    (site.out / "feed.xml").unlink()
    os.mkfifo(site.out / "feed.xml")  # compared with the new feed before the rewrite
    result = run(site, "feed", "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert "warning: out/feed.xml: is a FIFO (named pipe), not a regular file: not " \
           "compared with the new feed; the build replaces it\n" in result.stderr
    assert (site.out / "feed.xml").is_file()
    assert b"<title>Good</title>" in (site.out / "feed.xml").read_bytes()


@pytest.mark.parametrize("name", ["email/issue.html", "email/issue.txt", "email/style.css"])
def test_a_fifo_as_an_email_template_is_an_error_naming_it(site: SiteDir, name: str) -> None:
    site.config(EMAIL_CONFIG)
    site.post("2024-01-01-good.md", SERIES_POST)
    template = site.root / "templates" / name
    template.parent.mkdir(parents=True)
    os.mkfifo(template)
    result = run(site, "email", "--now", NOW)
    assert result.returncode == 1
    assert result.stderr == (
        f"error: {template}: is a FIFO (named pipe), not a regular file: a template must be "
        "a regular file; put the template there, or remove it to use publisher's own\n")
    assert not (site.out / "email").exists()  # nothing drafted, nothing recorded
    assert run(site, "ledger", "--format", "json").stdout == "[]\n"


def test_a_fifo_as_the_feed_stylesheet_is_an_error_naming_it(site: SiteDir) -> None:
    site.post("2024-01-01-good.md", GOOD)
    stylesheet = site.root / "templates" / "feed" / "feed.css"
    stylesheet.parent.mkdir(parents=True)
    os.mkfifo(stylesheet)
    result = run(site, "feed", "--now", NOW)
    assert result.returncode == 1
    assert result.stderr == (
        f"error: {stylesheet}: is a FIFO (named pipe), not a regular file: the feed's "
        "stylesheet must be a regular file; put yours there, or remove it to use "
        "publisher's own\n")
    assert not (site.out / "feed.xml").exists()


def test_a_template_that_is_a_device_is_refused_too(site: SiteDir) -> None:
    site.config(EMAIL_CONFIG)
    site.post("2024-01-01-good.md", SERIES_POST)
    template = site.root / "templates" / "email" / "issue.html"
    template.parent.mkdir(parents=True)
    template.symlink_to("/dev/zero")  # never ends: read whole, it would fill the memory
    result = run(site, "email", "--now", NOW)
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {template}: is a device, not a regular file")
