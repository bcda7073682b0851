"""Hostile input and hostile moments: nothing runs, leaks, breaks or gets lost.

Processes here are real and killed for real (SIGKILL); nothing is simulated in-process.
"""

from __future__ import annotations

import json
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import feedparser
from lxml import etree

from .conftest import NOW, SiteDir, atom_schema, jing

HOSTILE = ('"<script>alert(1)</script> & \\"q\\" ]]> <!-- x --> \\x00\\x01\\x1b '
           '\\u202eevil\\u202c {{ 7*7 }} {% include \'/etc/passwd\' %} {{ config }}"')


def test_hostile_fields_stay_text_in_every_feed(site: SiteDir, publish) -> None:
    site.config("[feed]\ntags = true\ncategories = true\n")
    site.post("2025-01-01-evil.md", f"""---
title: {HOSTILE}
excerpt: {HOSTILE}
tags: [{HOSTILE}, "../../etc", "C:\\\\x", "..%2f"]
categories: ["/etc/passwd"]
series: "../../../outside"
slug: "../../escape"
permalink: "/../../x/:slug/"
header:
  image: "javascript:alert(1)"
  caption: {HOSTILE}
---
Body with <b>bold</b>.
""")
    result = publish(site.root, "feed", "--now", NOW)
    assert result.code == 0, result.err
    written = [p for p in site.root.rglob("*") if p.is_file() and "posts" not in p.parts
               and ".publisher" not in p.parts]  # the cache lives beside the config
    assert all(p.resolve().is_relative_to(site.out.resolve()) or p.name == "publisher.toml"
               for p in written)
    folders = sorted(p.parent.relative_to(site.out).as_posix()
                     for p in site.out.rglob("feed.xml"))
    assert folders[:6] == [".", "categories/etc-passwd", "series/outside", "tags/2f",
                           "tags/c-x", "tags/etc"]
    assert folders[6].startswith("tags/script-alert-1-script-and-q-x-") and len(folders) == 7
    for path in site.out.rglob("*.xml"):
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
    jing(*site.out.rglob("feed.xml"))
    entry = feedparser.parse((site.out / "feed.xml").read_bytes()).entries[0]
    assert entry.title == ('<script>alert(1)</script> & "q" ]]> <!-- x --> '
                           "\u202eevil\u202c {{ 7*7 }} {% include '/etc/passwd' %} {{ config }}")
    assert entry.link == "https://example.org/blog/x/escape/"
    item = json.loads((site.out / "feed.json").read_text())["items"][0]
    assert "{{ 7*7 }}" in item["title"] and "49" not in item["title"]
    assert "image" not in item
    assert publish(site.root, "check").out.splitlines()[0] == (
        "posts/2025-01-01-evil.md:10: header.image: warning: 'javascript:alert(1)' is not a "
        "web address; the image is left out")


def test_a_lone_surrogate_is_a_clear_error(site: SiteDir, publish) -> None:
    site.post("2025-01-01-s.md", '---\ntitle: "bad \\ud800 half"\n---\nx\n')
    result = publish(site.root, "check")
    assert result.out.splitlines()[0] == (
        "posts/2025-01-01-s.md:2: front matter: invalid YAML: found invalid Unicode character "
        "escape code")


def test_every_file_written_stays_in_the_output_folder(site: SiteDir, publish) -> None:
    site.config('[email]\nto = "l@example.org"\nunsubscribe_url = "https://example.org/u"\n')
    site.post("2025-01-01-a.md", '---\ntitle: A\nseries: "../../../../tmp/x"\n---\nx\n')
    site.post("2025-01-02-b.md", '---\ntitle: B\nseries: "/etc/cron.d"\n---\nx\n')
    before = {p for p in site.root.parent.rglob("*")}
    assert publish(site.root, "feed", "--now", NOW).code == 0
    assert publish(site.root, "email", "--now", NOW).code == 0
    created = {p for p in site.root.parent.rglob("*")} - before
    allowed = (site.out.resolve(), (site.root / "publisher.db").resolve(),
               (site.root / "publisher.db.lock").resolve(), (site.root / ".publisher").resolve())
    assert all(any(p.resolve() == a or p.resolve().is_relative_to(a) for a in allowed)
               for p in created), sorted(created)
    assert (site.out / "email" / "tmp-x" / "1" / "issue.html").exists()
    assert (site.out / "email" / "etc-cron-d" / "1" / "issue.html").exists()


READER = """
import sys, time
from lxml import etree
path, seconds = sys.argv[1], float(sys.argv[2])
end, reads, bad = time.time() + seconds, 0, 0
while time.time() < end:
    try:
        data = open(path, "rb").read()
    except FileNotFoundError:
        continue
    reads += 1
    try:
        etree.fromstring(data)
    except etree.XMLSyntaxError:
        bad += 1
print(reads, bad)
"""


def test_a_reader_never_sees_a_partial_feed(site: SiteDir, publish) -> None:
    for day in range(1, 30):
        site.post(f"2025-01-{day:02d}-p.md", f"---\ntitle: P{day}\n---\n" + "Words. " * 400)
    assert publish(site.root, "feed", "--now", NOW).code == 0
    reader = subprocess.Popen([sys.executable, "-c", READER, str(site.out / "feed.xml"), "4"],
                              stdout=subprocess.PIPE, text=True)
    builds = 0
    deadline = time.time() + 3.5
    while time.time() < deadline:  # each build changes the feed: the limit alternates
        site.config(f"[feed]\nlimit = {5 + builds % 2 * 15}\n")
        assert publish(site.root, "feed", "--now", NOW).code == 0
        builds += 1
    reads, bad = map(int, reader.communicate(timeout=30)[0].split())
    assert builds > 5 and reads > 100
    assert bad == 0


KILLABLE = """
import sys
from publisher.cli import main
sys.exit(main(sys.argv[1:]))
"""


def ledger(site: SiteDir, publish) -> list[dict]:
    result = publish(site.root, "ledger", "--format", "json")
    if result.code == 1 and "no ledger yet" in result.err:
        return []  # killed before the first run created it
    return json.loads(result.out)


def test_runs_killed_at_random_points_never_lose_or_repeat(site: SiteDir, publish) -> None:
    site.config('[email]\nto = "l@example.org"\nunsubscribe_url = "https://example.org/u"\n')
    rng = random.Random(20261127)
    posts = 0
    for round_ in range(12):
        posts += 1
        site.post(f"2025-02-{posts:02d}-p.md", f"---\ntitle: P{posts}\nseries: Notes\n---\nx\n")
        args = ["email", "--now", NOW]
        if round_ % 3 == 2:
            args = ["email", "--mark-sent", "Notes", "--now", NOW]
        proc = subprocess.Popen([sys.executable, "-c", KILLABLE, *args], cwd=site.root,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 0.9))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        issues = ledger(site, publish)  # the ledger is readable after every kill
        sent = [p["id"] for i in issues if i["status"] == "sent" for p in i["posts"]]
        assert len(sent) == len(set(sent)), "a post announced twice"
        assert sum(i["status"] in ("draft", "sending") for i in issues) <= 1
    # Finish the job cleanly: every post announced exactly once (--all: when no issue got
    # out, the first-run guard would hold a series with this many posts).
    publish(site.root, "email", "--all", "--now", NOW)
    publish(site.root, "email", "--mark-sent", "Notes", "--now", NOW)
    sent = [p["title"] for i in ledger(site, publish) if i["status"] == "sent"
            for p in i["posts"]]
    assert sorted(sent) == sorted(f"P{n}" for n in range(1, posts + 1))


HOLD_LOCK = """
import sys, time
import publisher.newsletter.drafts
original = publisher.newsletter.drafts.record_drafts
def slow(*args):
    print("holding", flush=True)
    time.sleep(2)
    original(*args)
publisher.newsletter.drafts.record_drafts = slow
from publisher.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_two_email_runs_at_once_one_refuses(site: SiteDir, publish) -> None:
    site.config('[email]\nunsubscribe_url = "https://example.org/u"\n')
    site.post("2025-01-01-a.md", "---\ntitle: A\nseries: Notes\n---\nx\n")
    first = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, "email", "--now", NOW],
                             cwd=site.root, stdout=subprocess.PIPE, text=True)
    assert first.stdout is not None and first.stdout.readline() == "holding\n"
    second = publish(site.root, "email", "--now", NOW)
    assert second.code == 1
    assert second.err == (f"error: {site.root.resolve() / 'publisher.db'}: another 'publish "
                          "email' is running on this ledger; wait for it to finish, then run "
                          "again\n")
    assert first.wait(timeout=30) == 0
    assert [i["number"] for i in ledger(site, publish)] == [1]  # one issue, not two


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes then fail with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))


def test_a_full_disk_is_a_clear_error_and_old_feeds_survive(site: SiteDir, publish) -> None:
    site.post("2025-01-01-a.md", "---\ntitle: A\n---\nshort\n")
    assert publish(site.root, "feed", "--now", NOW).code == 0
    before = {p: p.read_bytes() for p in site.out.rglob("*") if p.is_file()}
    site.post("2025-01-02-b.md", "---\ntitle: B\n---\n" + "Long words here. " * 3000)
    run = subprocess.run([sys.executable, "-c", KILLABLE, "feed", "--now", NOW],
                         cwd=site.root, capture_output=True, text=True,
                         preexec_fn=_limit_file_size)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "cannot write: File too large; files already there are untouched" in run.stderr
    assert "the cache cannot be used (disk I/O error); going on without it" in run.stderr
    assert {p: p.read_bytes() for p in site.out.rglob("*") if p.is_file()} == before


def test_atom_schema_rejects_what_it_should(tmp_path: Path) -> None:
    # The in-process validator used by the property tests is a real check.
    bad = etree.fromstring(b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>')
    assert not atom_schema().validate(bad)
