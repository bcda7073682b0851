"""`--mark-sent` records what the draft that was sent announced (issue 14, point 14).

A draft is written again by each `publish email` until it is marked sent, with the posts
published meanwhile; the writer may have pasted the earlier one into the mailing tool.
Each content is kept by its SHA-256 (the "sha256" of issue.json); `--draft` names it."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

from .conftest import NOW, SiteDir
from .test_email import EMAIL_CONFIG, announced, ledger, post


def sha256(site: SiteDir, number: int = 1) -> str:
    return json.loads((site.out / f"email/notes/{number}/issue.json").read_text())["sha256"]


def test_the_draft_sent_before_a_refresh_is_what_is_recorded(site: SiteDir, publish) -> None:
    site.config(EMAIL_CONFIG)
    post(site, 1, "One")
    assert publish(site.root, "email", "--now", NOW).code == 0
    pasted = sha256(site)  # the writer pastes this draft into the mailing tool, sends it
    post(site, 2, "Two")
    refreshed = publish(site.root, "email", "--now", NOW)
    assert refreshed.out.startswith("Notes #1: 2 posts")
    assert refreshed.err == (
        "warning: Notes #1: drafted again with other posts than before; if you already "
        "sent the earlier draft, record that one: 'publish email --mark-sent \"Notes\" "
        f"--draft {pasted[:12]}'\n")
    before = (site.root / "publisher.db").read_bytes()

    # Which one went out is not known: refused, nothing recorded.
    unsure = publish(site.root, "email", "--mark-sent", "Notes", "--now", NOW)
    assert unsure.code == 1 and unsure.out == ""
    assert unsure.err.startswith(
        "error: Notes #1 was drafted again with other posts after it was first written, so "
        "which posts went out depends on which draft you sent; nothing was recorded. Its "
        f"drafts, by the \"sha256\" in their issue.json: {pasted[:12]} (written ")
    assert f"{sha256(site)[:12]} (written " in unsure.err and "2 posts, the one on disk now)"\
        in unsure.err
    assert unsure.err.endswith(
        "Run 'publish email --mark-sent \"Notes\" --draft DIGEST' with the one you sent\n")
    assert [i["status"] for i in ledger(site, publish)] == ["draft"]
    assert (site.root / "publisher.db").read_bytes() == before

    # The real CLI, in its own process: the draft named by its digest is recorded.
    run = subprocess.run([sys.executable, "-m", "publisher.cli", "email", "--mark-sent", "Notes",
                          "--draft", pasted[:8].upper(), "--now", NOW], cwd=site.root,
                         capture_output=True, text=True, timeout=60)
    assert (run.returncode, run.stderr) == (0, "")
    assert run.stdout == (f"Notes #1 marked sent as draft {pasted[:12]} (1 post now announced)\n"
                          "1 post of the later draft was not sent and will be in the next "
                          "issue\n")
    assert announced(site, publish) == ["One"]
    nxt = publish(site.root, "email", "--now", NOW)
    assert nxt.out.startswith("Notes #2: 1 post, “Notes #2: Two”")
    publish(site.root, "email", "--mark-sent", "Notes", "--now", NOW)
    assert announced(site, publish) == ["One", "Two"]  # each once, none lost


def test_a_refresh_with_the_same_posts_needs_no_digest(site: SiteDir, publish) -> None:
    site.config(EMAIL_CONFIG)
    path = post(site, 1, "One")
    publish(site.root, "email", "--now", NOW)
    first = sha256(site)
    path.write_text(path.read_text().replace("First words", "Opening words"))
    assert publish(site.root, "email", "--now", NOW).err == ""
    assert sha256(site) != first  # another content, the same posts
    marked = publish(site.root, "email", "--mark-sent", "Notes", "--now", NOW)
    assert (marked.code, marked.out) == (0, "Notes #1 marked sent (1 post now announced)\n")


def test_a_wrong_digest_is_refused_and_records_nothing(site: SiteDir, publish) -> None:
    site.config(EMAIL_CONFIG)
    post(site, 1, "One")
    publish(site.root, "email", "--now", NOW)
    known = sha256(site)
    unknown = "0" * 12 if not known.startswith("0" * 12) else "f" * 12
    wrong = publish(site.root, "email", "--mark-sent", "Notes", "--draft", unknown, "--now", NOW)
    assert wrong.code == 1
    assert wrong.err == (f"error: --draft '{unknown}': no draft of Notes #1 has that digest; "
                         f"nothing was recorded. Its drafts: {known[:12]} (written "
                         "2026-01-01 00:00, 1 post, the one on disk now)\n")
    short = publish(site.root, "email", "--mark-sent", "Notes", "--draft", "abc", "--now", NOW)
    assert short.code == 1 and short.err == (
        "error: --draft 'abc': give the draft's digest (\"sha256\" in its issue.json), at "
        "least its first 8 hex digits\n")
    discard = publish(site.root, "email", "--discard", "Notes", "--draft", known, "--now", NOW)
    assert discard.code == 1 and discard.err == (
        "error: --draft names the draft that was sent: it goes with --mark-sent\n")
    assert [i["status"] for i in ledger(site, publish)] == ["draft"]


def test_the_ledger_keeps_each_content_once(site: SiteDir, publish) -> None:
    site.config(EMAIL_CONFIG)
    post(site, 1, "One")
    for _ in range(3):  # the same content, drafted three times: one version
        publish(site.root, "email", "--now", NOW)
    db = sqlite3.connect(site.root / "publisher.db")
    rows = db.execute("SELECT digest, entries FROM versions").fetchall()
    db.close()
    assert [digest for digest, _ in rows] == [sha256(site)]
    assert [e[3] for e in json.loads(rows[0][1])] == ["One"]
