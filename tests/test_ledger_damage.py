"""A ledger that is empty, gone, damaged or on a full disk: refused with what to do, never
an internal error, never a re-announcement."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from publisher.newsletter.ledger import SCHEMA_VERSION

from .conftest import NOW, SiteDir

CONFIG = """
[email]
from = "Ada <ada@example.org>"
to = "list@example.org"
unsubscribe_url = "https://example.org/unsubscribe"
"""


@pytest.fixture
def sent(site: SiteDir, publish) -> SiteDir:
    """A site whose first issue was sent (marked sent)."""
    site.config(CONFIG)
    site.post("2025-01-01-one.md", "---\ntitle: One\nseries: Notes\n---\nx\n")
    assert publish(site.root, "email", "--now", NOW).code == 0
    assert publish(site.root, "email", "--mark-sent", "Notes", "--now", NOW).code == 0
    return site


def ledger_path(site: SiteDir) -> Path:
    return site.root / "publisher.db"


def test_an_empty_ledger_is_refused(sent: SiteDir, publish) -> None:
    ledger_path(sent).write_bytes(b"")
    for args in (("email", "--now", NOW), ("email", "--send", "--now", NOW), ("ledger",),
                 ("email", "--dry-run", "--now", NOW)):
        result = publish(sent.root, *args)
        assert result.code == 1, args
        assert result.err.startswith(f"error: {ledger_path(sent)}: the ledger is empty (0 "
                                     "bytes), so it was damaged or truncated; without it every "
                                     "published post would be announced again. It was left "
                                     "untouched. Restore it from version control or a backup "
                                     "(git checkout publisher.db)")
        assert ledger_path(sent).read_bytes() == b""
    assert not (sent.out / "email" / "notes" / "2").exists()


def test_a_vanished_ledger_is_refused_unless_baseline(sent: SiteDir, publish) -> None:
    ledger_path(sent).unlink()
    result = publish(sent.root, "email", "--now", NOW)
    assert result.code == 1 and not ledger_path(sent).exists()
    assert result.err.startswith(f"error: {ledger_path(sent)}: the ledger is missing, but it "
                                 "existed (publisher.db.lock is beside it); without it every "
                                 "published post would be announced again.")
    assert "run 'publish email --baseline' first" in result.err
    (sent.root / "publisher.db.lock").unlink()  # a fresh clone: the issues in out/ remain
    result = publish(sent.root, "email", "--now", NOW)
    assert result.code == 1 and "out/email/notes/1 holds an issue it recorded" in result.err
    baseline = publish(sent.root, "email", "--baseline", "--now", NOW)
    assert baseline.code == 0 and "Notes: 1 post recorded as announced" in baseline.out
    assert publish(sent.root, "email", "--now", NOW).out == "no new posts: nothing to draft\n"


def test_a_first_run_still_creates_the_ledger(site: SiteDir, publish) -> None:
    site.config(CONFIG)
    site.post("2025-01-01-one.md", "---\ntitle: One\nseries: Notes\n---\nx\n")
    assert publish(site.root, "email", "--now", NOW).code == 0
    assert ledger_path(site).stat().st_size > 0


@pytest.mark.parametrize("damage", [
    "DROP TABLE announced",
    "UPDATE issues SET created = 'not a date'",
    "UPDATE issues SET number = 'x'",
])
def test_a_damaged_ledger_is_refused_with_its_first_cause(sent: SiteDir, publish,
                                                          damage: str) -> None:
    db = sqlite3.connect(ledger_path(sent))
    db.execute("PRAGMA foreign_keys = OFF")
    db.execute(damage)
    db.commit()
    db.close()
    before = ledger_path(sent).read_bytes()
    for args in (("email", "--now", NOW), ("ledger",)):
        result = publish(sent.root, *args)
        assert result.code == 1, result.err
        assert result.err.startswith(f"error: {ledger_path(sent)}: not a readable publisher "
                                     "ledger ("), result.err
        assert "internal error" not in result.err
    assert ledger_path(sent).read_bytes() == before


FULL_DISK = """
import resource, signal, sys
from datetime import UTC, datetime
from pathlib import Path
from publisher.newsletter.ledger import Entry, Ledger
from publisher.problems import PublisherError
path = Path(sys.argv[1])
ledger = Ledger.open(path)
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
size = path.stat().st_size
resource.setrlimit(resource.RLIMIT_FSIZE, (size + 4096, size + 4096))
try:
    ledger.save_draft("Notes", 2, "S", datetime(2026, 1, 1, tzinfo=UTC),
                      [Entry("Notes", f"id{n}", "https://e.org/", "T" * 5000) for n in range(50)])
except PublisherError as exc:
    print(exc)
"""


def test_a_full_disk_reports_its_cause_not_the_rollback(sent: SiteDir) -> None:
    run = subprocess.run([sys.executable, "-c", FULL_DISK, str(ledger_path(sent))],
                         capture_output=True, text=True, timeout=30)
    assert "Traceback" not in run.stderr, run.stderr
    assert run.stdout.startswith(f"{ledger_path(sent)}: cannot record in the ledger ("), run.stdout
    assert "full" in run.stdout or "disk I/O" in run.stdout
    assert "rollback" not in run.stdout


def test_a_dry_run_reads_an_old_ledger_and_changes_nothing(sent: SiteDir, publish) -> None:
    sent.post("2025-02-01-two.md", "---\ntitle: Two\nseries: Notes\n---\nx\n")
    db = sqlite3.connect(ledger_path(sent))  # back one version: no versions table
    db.execute("DROP TABLE versions")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    db.commit()
    db.close()
    before = ledger_path(sent).read_bytes()
    result = publish(sent.root, "email", "--dry-run", "--now", NOW)
    assert result.code == 0, result.err
    assert result.out.startswith("Notes #2: 1 post")
    assert ledger_path(sent).read_bytes() == before
    refused = publish(sent.root, "email", "--dry-run", "--mark-sent", "Notes", "--now", NOW)
    assert refused.code == 1 and "--dry-run records nothing" in refused.err
