"""The first run never mails the archive, --send never mails a huge issue, a renamed
file is not news, and each issue's folder says what became of it."""

from __future__ import annotations

import email
import json
from email import policy

import pytest

from .conftest import NOW, SiteDir
from .test_email import EMAIL_CONFIG, announced, ledger, post
from .test_email_smtp import configure, smtp_server  # noqa: F401  (the fixture)

HELD = (
    "error: nothing drafted for 1 series that never announced a post and would start with "
    "more than email.first_issue_max (3) posts: Notes (5).\n"
    "This is the archive of an existing blog, not news. Run 'publish email --baseline' to "
    "record it as announced (then only what you publish next goes out), 'publish email "
    "--since DATE' to announce only the posts from DATE on, or 'publish email --all' to "
    "announce all 5\n")


@pytest.fixture
def mail(site: SiteDir) -> SiteDir:
    site.config(EMAIL_CONFIG)
    return site


def five_old_posts(site: SiteDir) -> None:
    for day in range(1, 6):
        post(site, day, f"Old {day}")


def test_a_first_issue_over_the_limit_drafts_nothing_and_says_what_to_do(
        mail: SiteDir, publish) -> None:
    five_old_posts(mail)
    post(mail, 6, "Small", series="Small")  # 1 post: under the limit, drafted
    result = publish(mail.root, "email", "--now", NOW)
    assert result.code == 1 and result.err == HELD
    assert result.out.startswith("Small #1: 1 post")
    assert not (mail.out / "email" / "notes").exists()
    assert [i["series"] for i in ledger(mail, publish)] == ["Small"]
    # --all: the writer really means it.
    result = publish(mail.root, "email", "--all", "--now", NOW)
    assert result.code == 0 and result.out.startswith("Notes #1: 5 posts, “Notes #1: Old 5 and")


def test_baseline_then_only_new_posts(mail: SiteDir, publish) -> None:
    five_old_posts(mail)
    publish(mail.root, "email", "--baseline", "--now", NOW)
    post(mail, 10, "Fresh")
    result = publish(mail.root, "email", "--now", NOW)
    assert result.code == 0 and result.out.startswith("Notes #1: 1 post, “Notes #1: Fresh”")


def test_since_records_the_older_posts_and_drafts_the_rest(mail: SiteDir, publish) -> None:
    five_old_posts(mail)
    result = publish(mail.root, "email", "--since", "2025-01-04", "--now", NOW)
    assert result.code == 0, result.err
    assert result.out.splitlines()[:2] == [
        "Notes: 3 posts dated before 2025-01-04 recorded as announced (nothing sent)",
        "Notes #1: 2 posts, “Notes #1: Old 5 and 1 more”, 5.3 KB, out/email/notes/1/"]
    publish(mail.root, "email", "--mark-sent", "Notes", "--now", NOW)
    assert announced(mail, publish) == ["Old 1", "Old 2", "Old 3", "Old 5", "Old 4"]
    # The older posts never come back: the series has announced posts now.
    assert publish(mail.root, "email", "--now", NOW).out == "no new posts: nothing to draft\n"
    bad = publish(mail.root, "email", "--since", "soon")
    assert bad.code == 1 and bad.err.startswith("error: --since: ")


def test_dry_run_with_since_records_nothing(mail: SiteDir, publish) -> None:
    five_old_posts(mail)
    result = publish(mail.root, "email", "--since", "2025-01-04", "--dry-run", "--now", NOW)
    assert result.code == 0 and "Notes #1: 2 posts" in result.out
    assert not (mail.root / "publisher.db").exists()  # a dry run creates no ledger


def test_send_refuses_an_issue_over_the_limit_without_all(site: SiteDir, publish,
                                                          smtp_server) -> None:  # noqa: F811
    server = smtp_server()
    configure(site, server.port)
    text = (site.root / "publisher.toml").read_text()
    site.config(text.replace("[email]", "[email]\nmax_posts_per_issue = 2\n"
                             "first_issue_max = 9"), base="")
    for day in (1, 2, 3):
        post(site, day, f"P{day}")
    refused = publish(site.root, "email", "--send", "--now", NOW)
    assert refused.code == 1 and refused.err == (
        "error: Notes #1: not sent: it announces 3 posts, more than "
        "email.max_posts_per_issue (2); nothing was sent. Review email/notes/1/issue.html, "
        "then send it with 'publish email --send --all', or run 'publish email --baseline' "
        "(or --since DATE) to leave the older posts out\n")
    assert server.received == [] and ledger(site, publish)[0]["status"] == "draft"
    sent = publish(site.root, "email", "--send", "--all", "--now", NOW)
    assert sent.code == 0, sent.err
    assert len(server.received) == 1 and ledger(site, publish)[0]["status"] == "sent"
    manifest = json.loads((site.out / "email" / "notes" / "1" / "issue.json").read_text())
    assert (manifest["status"], manifest["sent"]) == ("sent", "2026-01-01T00:00:00+00:00")


def test_a_renamed_file_is_held_back_with_a_warning(mail: SiteDir, publish) -> None:
    old = post(mail, 1, "Same title")
    publish(mail.root, "email", "--now", NOW)
    publish(mail.root, "email", "--mark-sent", "Notes", "--now", NOW)
    new = old.with_name("2025-01-01-a-better-slug.md")
    old.rename(new)
    result = publish(mail.root, "email", "--now", NOW)
    assert result.code == 0 and result.out == "no new posts: nothing to draft\n"
    assert result.err == (
        "warning: posts/2025-01-01-a-better-slug.md: held back: its title and date are those "
        "of https://example.org/blog/2025/01/01/post-1/ (id "
        "https://example.org/blog/2025/01/01/post-1/), announced in Notes #1: a renamed "
        "file? Give it 'id: https://example.org/blog/2025/01/01/post-1/' in its front "
        "matter to keep it announced, or run 'publish email --announce-renamed' to announce "
        "it again\n")
    again = publish(mail.root, "email", "--announce-renamed", "--now", NOW)
    assert again.out.startswith("Notes #2: 1 post, “Notes #2: Same title”")


def test_discarded_and_dropped_drafts_leave_a_manifest_that_says_so(mail: SiteDir,
                                                                   publish) -> None:
    path = post(mail, 1, "One")
    publish(mail.root, "email", "--now", NOW)
    folder = mail.out / "email" / "notes" / "1"
    publish(mail.root, "email", "--discard", "Notes", "--now", "2026-01-02T10:00:00Z")
    assert sorted(p.name for p in folder.iterdir()) == ["issue.json"]
    manifest = json.loads((folder / "issue.json").read_text())
    assert (manifest["status"], manifest["discarded"]) == (
        "discarded", "2026-01-02T10:00:00+00:00")
    publish(mail.root, "email", "--now", NOW)  # the number is used again
    assert json.loads((folder / "issue.json").read_text())["status"] == "draft"
    path.write_text(path.read_text().replace("series: Notes", "series: Notes\ndraft: true"))
    assert "draft dropped" in publish(mail.root, "email", "--now", NOW).out
    assert sorted(p.name for p in folder.iterdir()) == ["issue.json"]
    assert json.loads((folder / "issue.json").read_text())["status"] == "discarded"


def test_mark_sent_records_the_time_in_the_manifest(mail: SiteDir, publish) -> None:
    post(mail, 1, "One")
    publish(mail.root, "email", "--now", NOW)
    publish(mail.root, "email", "--mark-sent", "Notes", "--now", "2026-01-03T08:30:00Z")
    folder = mail.out / "email" / "notes" / "1"
    manifest = json.loads((folder / "issue.json").read_text())
    assert (manifest["status"], manifest["sent"]) == ("sent", "2026-01-03T08:30:00+00:00")
    msg = email.message_from_bytes((folder / "issue.eml").read_bytes(), policy=policy.default)
    assert msg["Subject"] == "Notes #1: One"  # the message itself is kept as it went out


def test_a_digest_lists_a_post_in_two_series_once(mail: SiteDir, publish) -> None:
    post(mail, 1, "Both", series="[Alpha, Beta]")
    post(mail, 2, "B only", series="Beta")
    out = publish(mail.root, "email", "--digest", "--now", NOW).out
    assert out.startswith("digest #1: 2 posts")
    folder = mail.out / "email" / "_digest" / "1"
    text = (folder / "issue.txt").read_text()
    assert text.count("Both\n") == 1 and text.index("== Alpha ==") < text.index("Both")
    manifest = json.loads((folder / "issue.json").read_text())
    assert [(p["title"], p["series"], p["also_in"]) for p in manifest["posts"]] == [
        ("Both", "Alpha", ["Beta"]), ("B only", "Beta", [])]
    publish(mail.root, "email", "--digest", "--mark-sent", "--now", NOW)
    assert publish(mail.root, "email", "--now", NOW).out == "no new posts: nothing to draft\n"


def test_order_oldest_first(mail: SiteDir, publish) -> None:
    mail.config(EMAIL_CONFIG.replace("[email]", '[email]\norder = "oldest"'))
    post(mail, 1, "Early")
    post(mail, 2, "Late")
    assert publish(mail.root, "email", "--now", NOW).out.startswith(
        "Notes #1: 2 posts, “Notes #1: Early and 1 more”")
    text = (mail.out / "email" / "notes" / "1" / "issue.txt").read_text()
    assert text.index("Early") < text.index("Late")
    mail.config(EMAIL_CONFIG)
    publish(mail.root, "email", "--now", NOW)
    text = (mail.out / "email" / "notes" / "1" / "issue.txt").read_text()
    assert text.index("Late") < text.index("Early")


def test_guard_keys_are_checked(mail: SiteDir, publish) -> None:
    mail.config(EMAIL_CONFIG.replace("[email]", "[email]\nmax_posts_per_issue = 0"))
    result = publish(mail.root, "email")
    assert result.code == 1 and result.err == (
        "error: publisher.toml:14: email.max_posts_per_issue: must be 1 or more, not 0\n")
