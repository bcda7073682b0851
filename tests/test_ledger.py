"""The ledger on disk: schema versions, damage, locking, all-or-nothing changes."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from publisher.newsletter.ledger import SCHEMA_VERSION, Entry, Ledger, LedgerBusy
from publisher.problems import PublisherError

WHEN = datetime(2026, 1, 1, tzinfo=UTC)
ENTRY = Entry("Notes", "https://e.org/a/", "https://e.org/a/", "A")


def test_new_ledger_has_the_current_schema(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "l.db") as ledger:
        ledger.save_draft("Notes", 1, "S", WHEN, [ENTRY])
        assert ledger.announced("Notes") == set()
        issue = ledger.open_issue("Notes")
        assert issue is not None and issue.entries == (ENTRY,)
        ledger.set_status(issue, "sent", WHEN)
        assert ledger.announced("Notes") == {"https://e.org/a/"}
        assert ledger.next_number("Notes") == 2
    db = sqlite3.connect(tmp_path / "l.db")
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_an_empty_older_file_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    sqlite3.connect(path).execute("PRAGMA user_version = 0").connection.close()
    with Ledger.open(path) as ledger:
        assert ledger.issues() == []


def test_a_newer_ledger_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    Ledger.open(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(PublisherError, match="written by a newer publisher"):
        Ledger.open(path)


@pytest.mark.parametrize("content", [b"this is not sqlite at all" * 100,
                                     b"SQLite format 3\x00" + b"\xff" * 4000])
def test_a_corrupt_ledger_is_refused_and_left_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "l.db"
    path.write_bytes(content)
    with pytest.raises(PublisherError) as caught:
        Ledger.open(path)
    assert str(caught.value).startswith(f"{path}: not a readable publisher ledger (")
    assert "Restore it from version control or a backup" in str(caught.value)
    assert path.read_bytes() == content


def test_a_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE recipes (name TEXT)")
    db.commit()
    db.close()
    with pytest.raises(PublisherError, match="holds tables that are not a ledger's"):
        Ledger.open(path)


def test_two_runs_cannot_interleave(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    with Ledger.open(path):
        with pytest.raises(LedgerBusy) as caught:
            Ledger.open(path)
        assert str(caught.value) == (f"{path}: another 'publish email' is running on this "
                                     "ledger; wait for it to finish, then run again")
        other = subprocess.run(
            [sys.executable, "-c", "import sys; from pathlib import Path; "
             "from publisher.newsletter.ledger import Ledger, LedgerBusy\n"
             "try:\n    Ledger.open(Path(sys.argv[1]))\nexcept LedgerBusy:\n    sys.exit(3)",
             str(path)], capture_output=True)
        assert other.returncode == 3
    Ledger.open(path).close()  # free again once the first run is done


def test_a_failed_change_changes_nothing(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "l.db") as ledger:
        with pytest.raises(sqlite3.IntegrityError):
            # The same post twice in one issue breaks the primary key mid-insert.
            ledger.save_draft("Notes", 1, "S", WHEN, [ENTRY, ENTRY])
        assert ledger.issues() == []


def test_baseline_and_discarded_issues_do_not_take_numbers(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "l.db") as ledger:
        ledger.record_baseline("Notes", [ENTRY], WHEN)
        assert ledger.next_number("Notes") == 1
        ledger.save_draft("Notes", 1, "S", WHEN, [])
        issue = ledger.open_issue("Notes")
        assert issue is not None
        ledger.set_status(issue, "discarded")
        assert ledger.next_number("Notes") == 1 and ledger.open_issue("Notes") is None
        ledger.save_draft("Notes", 1, "S again", WHEN, [])  # the number is free again
        assert [i.status for i in ledger.issues("Notes")] == ["baseline", "discarded", "draft"]
