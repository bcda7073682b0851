"""Elements that swallow the rest of a document never reach an issue (headless Chromium).

`<plaintext>` has no end tag: from it on, a browser shows the page's markup as text,
the other posts, the footer and the unsubscribe link included. Its kin `<xmp>` and
`<listing>`, and `<noembed>`, `<noframes>`, `<title>`, are made harmless too.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from .conftest import NOW, SiteDir

SWALLOWERS = ["<plaintext>", "<PLAINTEXT class=x>", "<xmp>", "<listing>", "<noembed>",
              "<noframes>", "<title>"]


def dump_dom(path) -> str:
    """The DOM headless Chromium builds from the file, as HTML."""
    if shutil.which("chromium") is None:
        pytest.fail("chromium is not installed: run .ci/run, which installs it")
    run = subprocess.run(["chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
                          "--dump-dom", path.as_uri()], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    return run.stdout


@pytest.mark.parametrize("tag", SWALLOWERS)
def test_a_swallowing_element_leaves_the_issue_whole(site: SiteDir, publish, tag: str) -> None:
    site.config("""
        [email]
        from = "Ada <ada@example.org>"
        full_content = true
        unsubscribe_url = "https://example.org/unsubscribe"
        """)
    site.post("2025-01-01-first.md", f"---\ntitle: First\nseries: Notes\n---\n"
                                     f"Before.\n\n{tag}\nswallowed <b>words</b>\n")
    site.post("2025-01-02-second.md", "---\ntitle: Second\nseries: Notes\n---\nThe last one.\n")
    result = publish(site.root, "email", "--now", NOW)
    assert result.code == 0, result.err
    issue = site.out / "email" / "notes" / "1" / "issue.html"
    dom = dump_dom(issue)
    assert "<plaintext" not in dom.lower() and "<xmp" not in dom and "<listing" not in dom
    # What follows the post is still markup: the second post's link, the footer's.
    assert '<a href="https://example.org/blog/2025/01/02/second/"' in dom
    assert '<a href="https://example.org/unsubscribe"' in dom
    assert "&lt;/body&gt;" not in dom and "&lt;a href" not in dom
