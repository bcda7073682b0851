"""`publish email` end to end: drafts, the ledger, and no post announced twice or lost."""

from __future__ import annotations

import email
import json
import os
import shutil
import signal
import subprocess
import sys
from email import policy
from pathlib import Path

import pytest

from .conftest import BASE_CONFIG, NOW, ROOT, SiteDir

EMAIL_CONFIG = """
[email]
from = "Ada <ada@example.org>"
to = "list@example.org"
unsubscribe_url = "https://example.org/unsubscribe"
"""


def post(site: SiteDir, day: int, title: str, series: str = "Notes", extra: str = "") -> Path:
    return site.post(f"2025-01-{day:02d}-post-{day}.md",
                     f"---\ntitle: \"{title}\"\nseries: {series}\n{extra}---\n"
                     f"First words of {title}.\n\nMore.\n")


def ledger(site: SiteDir, publish) -> list[dict]:
    result = publish(site.root, "ledger", "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def announced(site: SiteDir, publish) -> list[str]:
    """Titles announced by sent issues, in order: each must appear once."""
    return [p["title"] for i in ledger(site, publish) if i["status"] in ("sent", "baseline")
            for p in i["posts"]]


@pytest.fixture
def mail(site: SiteDir) -> SiteDir:
    site.config(EMAIL_CONFIG)
    return site


def test_sample_site_one_draft_per_series_then_nothing(tmp_path: Path, publish) -> None:
    shutil.copytree(ROOT / "posts", tmp_path / "posts")
    shutil.copy(ROOT / "publisher.toml", tmp_path / "publisher.toml")
    first = publish(tmp_path, "email", "--now", NOW)
    assert first.code == 0, first.err
    assert first.out.splitlines()[:-1] == [
        "Feed Plumbing #1: 4 posts, “Feed Plumbing #1: Café, naïveté & 日本語: Unicode in "
        "feeds and 3 more”, 11.2 KB, out/email/feed-plumbing/1/",
        "Writing Habits #1: 2 posts, “Writing Habits #1: Editing without fear and 1 more”, "
        "7.0 KB, out/email/writing-habits/1/",
    ]
    files = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    again = publish(tmp_path, "email", "--now", "2026-02-01T00:00:00Z")
    assert again.summary.startswith("2 issue(s) drafted; 12 posts read")
    # Same drafts, same numbers, same creation date:
    assert again.out.splitlines()[:-1] == first.out.splitlines()[:-1]
    assert {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()} == files
    assert publish(tmp_path, "email", "--mark-sent", "Feed Plumbing").out == \
        "Feed Plumbing #1 marked sent (4 posts now announced)\n"
    publish(tmp_path, "email", "--mark-sent", "writing-habits")  # a slug works too
    assert publish(tmp_path, "email", "--now", NOW).out == "no new posts: nothing to draft\n"


def test_the_eml_is_a_draft_mail_clients_read(mail: SiteDir, publish) -> None:
    post(mail, 1, "Café ☕ déjà vu")
    assert publish(mail.root, "email", "--now", NOW).code == 0
    folder = mail.out / "email" / "notes" / "1"
    raw = (folder / "issue.eml").read_bytes()
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert msg["Subject"] == "Notes #1: Café ☕ déjà vu"
    assert raw.split(b"\r\n\r\n")[0].isascii()  # RFC 2047 in the raw headers
    assert msg["From"] == "Ada <ada@example.org>" and msg["To"] == "list@example.org"
    assert msg["X-Unsent"] == "1" and msg["Date"] == "Thu, 01 Jan 2026 00:00:00 +0000"
    assert msg["Message-ID"].endswith(".1@example.org>")
    assert msg["List-Unsubscribe"] == "<https://example.org/unsubscribe>"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert msg.get_content_type() == "multipart/alternative"
    parts = [p.get_content_type() for p in msg.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    text = msg.get_body(("plain",)).get_content()
    assert "First words of Café ☕ déjà vu." in text
    assert "https://example.org/blog/2025/01/01/post-1/" in text
    html = msg.get_body(("html",)).get_content().replace("\r\n", "\n")
    assert html == (folder / "issue.html").read_text()
    manifest = json.loads((folder / "issue.json").read_text())
    assert manifest["series"] == "Notes" and manifest["number"] == 1
    assert [p["title"] for p in manifest["posts"]] == ["Café ☕ déjà vu"]
    assert manifest["files"]["issue.eml"] == len(raw)


def test_rerun_refreshes_the_open_draft_with_new_posts(mail: SiteDir, publish) -> None:
    post(mail, 1, "One")
    publish(mail.root, "email", "--now", NOW)
    post(mail, 2, "Two")
    result = publish(mail.root, "email", "--now", NOW)
    assert result.out.startswith("Notes #1: 2 posts, “Notes #1: Two and 1 more”")
    assert [i["number"] for i in ledger(mail, publish)] == [1]
    # Which of the two drafts went out is the writer's to say (test_email_versions.py).
    sent = json.loads((mail.out / "email/notes/1/issue.json").read_text())["sha256"]
    assert publish(mail.root, "email", "--mark-sent", "Notes", "--draft", sent,
                   "--now", NOW).code == 0
    post(mail, 3, "Three")
    assert publish(mail.root, "email", "--now", NOW).out.startswith("Notes #2: 1 post")
    assert announced(mail, publish) == ["Two", "One"]  # as the issue listed them


def test_edits_renames_and_new_titles_never_reannounce(mail: SiteDir, publish) -> None:
    path = post(mail, 1, "Original", extra="id: note-1\n")
    publish(mail.root, "email", "--now", NOW)
    publish(mail.root, "email", "--mark-sent", "Notes", "--now", NOW)
    path.unlink()
    post(mail, 5, "Renamed, retitled, redated", extra="id: note-1\nmodified: 2025-02-01\n")
    assert publish(mail.root, "email", "--now", NOW).out == "no new posts: nothing to draft\n"
    # Without an id, the id is the URL: editing the body or title keeps it.
    edited = post(mail, 2, "Second")
    publish(mail.root, "email", "--now", NOW)
    publish(mail.root, "email", "--mark-sent", "Notes", "--now", NOW)
    edited.write_text(edited.read_text().replace("Second", "Second, improved"))
    assert publish(mail.root, "email", "--now", NOW).out == "no new posts: nothing to draft\n"
    assert announced(mail, publish) == ["Original", "Second"]


def test_discard_keeps_posts_new_and_reuses_the_number(mail: SiteDir, publish) -> None:
    post(mail, 1, "One")
    publish(mail.root, "email", "--now", NOW)
    assert publish(mail.root, "email", "--discard", "Notes").out == \
        "Notes #1 marked discarded (1 post stays new)\n"
    assert publish(mail.root, "email", "--now", NOW).out.startswith("Notes #1: 1 post")
    missing = publish(mail.root, "email", "--mark-sent", "Nope")
    assert missing.code == 1 and missing.err == (
        "error: series 'Nope' has no open draft; run 'publish email' to draft one (it needs "
        "posts that were never announced)\n")


def test_a_draft_whose_posts_vanish_is_dropped(mail: SiteDir, publish) -> None:
    path = post(mail, 1, "One")
    publish(mail.root, "email", "--now", NOW)
    path.write_text(path.read_text().replace("series: Notes", "series: Notes\ndraft: true"))
    assert publish(mail.root, "email", "--now", NOW).out == (
        "Notes #1: draft dropped, every post in it is announced or unpublished\n")
    assert ledger(mail, publish)[0]["status"] == "discarded"


def test_baseline_records_the_backlog_without_drafting(mail: SiteDir, publish) -> None:
    for day in (1, 2, 3):
        post(mail, day, f"Old {day}")
    post(mail, 4, "Other", series="Elsewhere")
    result = publish(mail.root, "email", "--baseline", "--now", NOW)
    assert result.out == ("Elsewhere: 1 post recorded as announced (nothing sent)\n"
                          "Notes: 3 posts recorded as announced (nothing sent)\n")
    assert not (mail.out / "email").exists()
    post(mail, 10, "Fresh")
    out = publish(mail.root, "email", "--now", NOW).out
    assert out.startswith("Notes #1: 1 post, “Notes #1: Fresh”")
    text = publish(mail.root, "ledger", "--series", "Notes").out
    assert text.startswith("Notes recorded as announced 2026-01-01 00:00 UTC (baseline)\n")


def test_since_keeps_the_backlog_out(mail: SiteDir, publish) -> None:
    mail.config(EMAIL_CONFIG + '[series."Notes"]\nsince = "2025-01-03"\n')
    for day in (1, 2, 3, 4):
        post(mail, day, f"P{day}")
    assert publish(mail.root, "email", "--now", NOW).out.startswith(
        "Notes #1: 2 posts, “Notes #1: P4 and 1 more”")


def test_future_and_draft_posts_wait(mail: SiteDir, publish) -> None:
    post(mail, 1, "Now")
    mail.post("2030-01-01-later.md", "---\ntitle: Later\nseries: Notes\n---\nx\n")
    post(mail, 2, "Draft", extra="draft: true\n")
    assert publish(mail.root, "email", "--now", NOW).out.startswith("Notes #1: 1 post")
    publish(mail.root, "email", "--mark-sent", "Notes", "--now", NOW)
    out = publish(mail.root, "email", "--now", "2030-06-01T00:00:00Z").out
    assert out.startswith("Notes #2: 1 post, “Notes #2: Later”")


def test_digest_one_issue_with_a_section_per_series(mail: SiteDir, publish) -> None:
    post(mail, 1, "A1", series="Alpha")
    post(mail, 2, "B1", series="Beta")
    out = publish(mail.root, "email", "--digest", "--now", NOW).out
    assert out.startswith("digest #1: 2 posts, “Test site digest #1: B1 and 1 more”")
    text = (mail.out / "email" / "_digest" / "1" / "issue.txt").read_text()
    assert "== Alpha ==" in text and "== Beta ==" in text
    publish(mail.root, "email", "--digest", "--mark-sent", "--now", NOW)
    # Each post is now announced in its own series too: no per-series draft repeats it.
    assert publish(mail.root, "email", "--now", NOW).out == "no new posts: nothing to draft\n"


def test_series_fallbacks(mail: SiteDir, publish) -> None:
    mail.post("2025-01-01-loose.md", "---\ntitle: Loose\ncategories: [Essays]\n---\nx\n")
    result = publish(mail.root, "email", "--now", NOW)
    assert result.out == "no new posts: nothing to draft\n"
    assert result.err == (
        "warning: no published post belongs to a series, so none can be announced: give "
        "posts a series, or set email.series_fallback = \"categories\" (or \"default\") in "
        "publisher.toml\n")
    mail.config(EMAIL_CONFIG.replace("[email]", "[email]\nseries_fallback = \"categories\""))
    assert publish(mail.root, "email", "--now", NOW).out.startswith("Essays #1: 1 post")
    mail.config(EMAIL_CONFIG.replace("[email]", "[email]\nseries_fallback = \"default\"\n"
                                                "default_series = \"Letters\""))
    assert publish(mail.root, "email", "--now", NOW).out.startswith("Letters #1: 1 post")


def test_dry_run_changes_nothing(mail: SiteDir, publish) -> None:
    post(mail, 1, "One")
    result = publish(mail.root, "email", "--dry-run", "--now", NOW)
    folder = Path(result.out.splitlines()[0].rsplit(", ", 1)[1])
    assert (folder / "issue.html").exists() and "dry run: files in" in result.out
    assert not mail.out.exists()
    assert sorted(p.name for p in mail.root.glob("publisher.db*")) == []  # no ledger made


PROFILES = {
    "mailchimp": ("*|UNSUB|*", "*|ARCHIVE|*"),
    "buttondown": ("{{ unsubscribe_url }}", "{{ email_url }}"),
    "listmonk": ("{{ UnsubscribeURL }}", "{{ MessageURL }}"),
    "kit": ("{{ unsubscribe_url }}", None),
    "smtp": ("https://example.org/unsubscribe", None),
}


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_profile_placeholders_survive_byte_for_byte(mail: SiteDir, publish, name: str) -> None:
    mail.config(EMAIL_CONFIG.replace("[email]", f'[email]\nprofile = "{name}"'))
    post(mail, 1, "One")
    assert publish(mail.root, "email", "--now", NOW).code == 0
    folder = mail.out / "email" / "notes" / "1"
    markup, text = (folder / "issue.html").read_text(), (folder / "issue.txt").read_text()
    unsubscribe, web = PROFILES[name]
    assert f'href="{unsubscribe}"' in markup and f"Unsubscribe: {unsubscribe}" in text
    if web:
        assert f'href="{web}"' in markup and f"View it in your browser: {web}" in text
    assert "%7B" not in markup and "%7C" not in markup and "PUBLISHER-PLACEHOLDER" not in markup
    golden = ROOT / "tests" / "golden" / "email" / f"{name}.html"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(markup)
    assert markup == golden.read_text(), f"differs from {golden}; UPDATE_GOLDEN=1 to accept"


def test_hostile_titles_and_bodies_are_escaped(mail: SiteDir, publish) -> None:
    mail.post("2025-01-01-evil.md", """---
title: "<script>alert(1)</script> & \\"q\\" {{ 7*7 }} {% include x %}\\r\\nBcc: victim@example.org"
series: Notes
excerpt: "<img src=x onerror=alert(1)> *fine*"
---
<script>alert(2)</script>
[click](javascript:alert(3)) ![pixel](data:image/gif;base64,R0lGOD) <form><input></form>
<iframe src="https://www.youtube.com/embed/abc"></iframe>
""")
    assert publish(mail.root, "email", "--now", NOW).code == 0
    folder = mail.out / "email" / "notes" / "1"
    markup = (folder / "issue.html").read_text()
    assert "<script" not in markup and "javascript:" not in markup and "onerror" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; " in markup
    assert "{{ 7*7 }} {% include x %}" in markup  # front matter is data, shown as written
    msg = email.message_from_bytes((folder / "issue.eml").read_bytes(), policy=policy.default)
    assert msg["Bcc"] is None and "\n" not in msg["Subject"]
    assert msg["Subject"].endswith("{{ 7*7 }} {% include x %} Bcc: victim@example.org")


def test_warnings_before_sending_and_the_excerpt_fallback(mail: SiteDir, publish) -> None:
    mail.config(EMAIL_CONFIG + '[series."Notes"]\nfull_content = true\n')
    mail.post("2025-01-01-big.md", "---\ntitle: \"" + "Long title " * 8 + "\"\nseries: Notes\n"
              "---\n![](https://example.org/a.png) Opening words.\n\n"
              + ("Words. " * 20 + "\n\n") * 800)
    result = publish(mail.root, "email", "--now", NOW)
    assert result.code == 0, result.err
    warnings = [line.split(": warning: ", 1)[1] for line in result.err.splitlines()
                if ": warning: " in line]
    assert warnings[0].startswith("with whole posts the HTML was 1") and warnings[0].endswith(
        "KB, over the 102 KB at which Gmail clips a message (and hides its unsubscribe "
        "link): this issue has excerpts instead; set full_content = false to ask for them")
    assert warnings[1].startswith("posts/2025-01-01-big.md: an image has no alt text")
    assert warnings[2].startswith("the subject is 97 characters")
    html = (mail.out / "email" / "notes" / "1" / "issue.html").read_bytes()
    assert len(html) < 102 * 1024 and b"Opening words." in html and html.count(b"Words.") < 5


def test_excerpts_over_the_limit_get_advice_about_posts(mail: SiteDir, publish) -> None:
    for day in range(1, 4):
        post(mail, day, f"Post {day}", extra="excerpt: \"" + "Long excerpt. " * 3000 + "\"\n")
    result = publish(mail.root, "email", "--now", NOW)
    assert result.code == 0, result.err
    (warning,) = [line for line in result.err.splitlines() if "Gmail" in line]
    assert warning.endswith("Gmail clips messages over 102 KB and hides the rest behind a "
                            "link; even with excerpts, 3 posts are too many for one issue: "
                            "send issues more often, or record the older posts as announced "
                            "with 'publish email --since DATE'")


def test_no_unsubscribe_link_or_no_from_is_refused(mail: SiteDir, publish) -> None:
    post(mail, 1, "One")
    mail.config(EMAIL_CONFIG.replace('unsubscribe_url = "https://example.org/unsubscribe"', ""))
    result = publish(mail.root, "email", "--now", NOW)
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "error: Notes #1: not drafted: the unsubscribe link would be empty; set "
        "email.unsubscribe_url or email.unsubscribe_mailto (smtp profile), or the profile "
        "of your mailing tool\n")
    assert not mail.out.exists() and ledger(mail, publish) == []
    no_author = BASE_CONFIG.replace('email = "ada@example.org"\n', "")
    mail.config(EMAIL_CONFIG.replace('from = "Ada <ada@example.org>"\n', ""), base=no_author)
    result = publish(mail.root, "email", "--now", NOW)
    assert result.code == 1 and result.err == (
        "error: Notes #1: not drafted: no From: address; set email.from (or the [author] "
        "email) in publisher.toml\n")
    mail.config(EMAIL_CONFIG)
    own = mail.root / "templates" / "email"
    own.mkdir(parents=True)
    (own / "issue.txt").write_text("{{ heading }} without a way out\n")
    result = publish(mail.root, "email", "--now", NOW)
    assert result.code == 1 and result.err == (
        "error: Notes #1: not drafted: the unsubscribe link https://example.org/unsubscribe "
        "is missing from the text part; put {{ unsubscribe_url }} in your email template\n")
    assert not mail.out.exists()


def test_check_lists_unknown_series(mail: SiteDir, publish) -> None:
    mail.config(EMAIL_CONFIG + '[series."Notes"]\ntitle = "Notes"\n')
    post(mail, 1, "One", series="Ntoes")
    assert publish(mail.root, "check").out.splitlines()[0] == (
        "posts/2025-01-01-post-1.md: series: warning: 'Ntoes' is not in publisher.toml; add "
        "[series.\"Ntoes\"] with its title and list, or fix the name")


KILL_BEFORE_LEDGER = """
import os, signal, sys
import publisher.newsletter.drafts
publisher.newsletter.drafts.record_drafts = lambda *a: os.kill(os.getpid(), signal.SIGKILL)
from publisher.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_killed_between_files_and_ledger_loses_nothing(mail: SiteDir, publish) -> None:
    post(mail, 1, "One")
    run = subprocess.run([sys.executable, "-c", KILL_BEFORE_LEDGER, "email", "--now", NOW],
                         cwd=mail.root, capture_output=True)
    assert run.returncode == -signal.SIGKILL
    html = mail.out / "email" / "notes" / "1" / "issue.html"
    written = html.read_bytes()
    assert ledger(mail, publish) == []  # the files exist, the ledger never heard of them
    assert publish(mail.root, "email", "--now", NOW).out.startswith("Notes #1: 1 post")
    assert html.read_bytes() == written
    publish(mail.root, "email", "--mark-sent", "Notes", "--now", NOW)
    assert announced(mail, publish) == ["One"]


KILL_WHILE_SENDING = """
import os, signal, sys
import publisher.newsletter.smtp
publisher.newsletter.smtp.send = lambda *a: os.kill(os.getpid(), signal.SIGKILL)
from publisher.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_killed_while_sending_never_sends_twice(mail: SiteDir, publish) -> None:
    post(mail, 1, "One")
    run = subprocess.run([sys.executable, "-c", KILL_WHILE_SENDING, "email", "--send",
                          "--now", NOW], cwd=mail.root, capture_output=True)
    assert run.returncode == -signal.SIGKILL
    assert ledger(mail, publish)[0]["status"] == "sending"
    refused = publish(mail.root, "email", "--send", "--now", NOW)
    assert refused.code == 1 and refused.err == (
        "error: issue #1 of Notes was being sent when a run stopped; check whether it "
        "arrived, then run 'publish email --mark-sent \"Notes\"' if it did or 'publish email "
        "--discard \"Notes\"' if it did not\n")
    publish(mail.root, "email", "--mark-sent", "Notes", "--now", NOW)
    assert announced(mail, publish) == ["One"]


def test_header_image_keeps_its_width_and_a_plain_alt(mail: SiteDir, publish) -> None:
    post(mail, 1, "Pictured", extra="header:\n  overlay_image: pic.jpg\n"
                                    "  caption: 'Photo by *Ada*'\n")
    publish(mail.root, "email", "--now", NOW)
    markup = (mail.out / "email" / "notes" / "1" / "issue.html").read_text()
    assert '<img class="post-image" src="https://example.org/images/pic.jpg" width="536" ' \
           'alt="Photo by Ada"' in markup
    assert 'height="auto"' not in markup


def test_site_templates_override_ours_file_by_file(mail: SiteDir, publish) -> None:
    post(mail, 1, "One")
    own = mail.root / "templates" / "email"
    own.mkdir(parents=True)
    (own / "issue.txt").write_text("My own text for {{ heading }}.\n"
                                   "Unsubscribe: {{ unsubscribe_url }}\n")
    assert publish(mail.root, "email", "--now", NOW).code == 0
    folder = mail.out / "email" / "notes" / "1"
    assert (folder / "issue.txt").read_text() == (
        "My own text for Notes.\nUnsubscribe: https://example.org/unsubscribe\n")
    assert "Read “One”" in (folder / "issue.html").read_text()  # ours, not overridden
    (own / "issue.html").write_text("<p>{{ no_such_variable }}</p>")
    broken = publish(mail.root, "email", "--now", NOW)
    assert broken.code == 1
    assert broken.err == "error: email template: 'no_such_variable' is undefined\n"


def test_utm_parameters_on_links_to_the_site_only(mail: SiteDir, publish) -> None:
    mail.config(EMAIL_CONFIG.replace("[email]", '[email]\nutm_source = "newsletter"'))
    mail.post("2025-01-01-links.md", "---\ntitle: Links\nseries: Notes\n---\n"
              "[here](/blog/x/?utm_source=keep&a=1) and [there](https://other.org/y)\n")
    publish(mail.root, "email", "--now", NOW)
    markup = (mail.out / "email" / "notes" / "1" / "issue.html").read_text()
    assert ('href="https://example.org/blog/2025/01/01/links/?utm_source=newsletter&amp;'
            'utm_medium=email&amp;utm_campaign=notes-1"') in markup
    assert ('href="https://example.org/blog/x/?utm_source=keep&amp;a=1&amp;utm_medium=email'
            '&amp;utm_campaign=notes-1"') in markup
    assert 'href="https://other.org/y"' in markup
