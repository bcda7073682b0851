"""The ledger: which issues exist and which posts each announced (SQLite).

A post counts as announced for a series once an issue that lists it under that series
is `sent` (or `baseline`, recorded without sending). Drafts announce nothing, so a run
stopped at any point can lose or repeat nothing. Every change is one transaction, and
a lock file keeps two runs from interleaving.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from publisher.newsletter import ledger_versions
from publisher.newsletter.ledger_file import (
    LedgerBusy,
    check_file,
    check_integrity,
    corrupt,
    guarded,
    lock,
    unlock,
)
from publisher.newsletter.ledger_schema import MIGRATIONS, SCHEMA_VERSION, Entry
from publisher.newsletter.ledger_versions import Version
from publisher.problems import PublisherError

__all__ = ["Entry", "Issue", "Ledger", "LedgerBusy", "Recipient", "Version"]

OPEN = ("draft", "sending")


@dataclass(frozen=True)
class Issue:
    id: int
    series: str
    number: int
    status: str
    subject: str
    created: datetime
    sent: datetime | None
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Recipient:
    """One address a sent issue went to, and the server's answer."""

    address: str
    accepted: bool
    reply: str


class Ledger:
    """Open with `Ledger.open(path)`; use as a context manager to release the lock."""

    def __init__(self, path: Path, db: sqlite3.Connection, lock_fd: int | None) -> None:
        self.path, self._db, self._lock_fd = path, db, lock_fd

    @classmethod
    def open(cls, path: Path, *, create: bool = True, new_allowed: bool = False,
             issue_folders: Sequence[Path] = ()) -> Ledger:
        """The ledger at `path`, locked, migrated. A missing one is created when `create`,
        unless it left traces (see ledger_file) and `new_allowed` (a baseline) is not given."""
        check_file(path, create=create, new_allowed=new_allowed, issue_folders=issue_folders)
        path.parent.mkdir(parents=True, exist_ok=True)
        lock_fd = lock(path)
        try:
            db = sqlite3.connect(path, isolation_level=None, timeout=10)
            db.execute("PRAGMA foreign_keys = ON")
            ledger = cls(path, db, lock_fd)
            check_integrity(ledger._db)
            ledger._migrate()
        except sqlite3.DatabaseError as exc:
            unlock(lock_fd)
            raise corrupt(path, exc) from None
        except BaseException:
            unlock(lock_fd)
            raise
        return ledger

    @classmethod
    def read_only(cls, path: Path) -> Ledger:
        """A copy in memory of the ledger at `path` (empty when there is none), migrated
        there: for a dry run, which must create, lock or change no file."""
        memory = sqlite3.connect(":memory:", isolation_level=None)
        if path.exists():
            check_file(path, create=False, new_allowed=False)
            try:
                source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
                try:
                    source.backup(memory)
                finally:
                    source.close()
            except sqlite3.DatabaseError as exc:
                raise corrupt(path, exc) from None
        ledger = cls(path, memory, None)
        try:
            check_integrity(ledger._db)
            ledger._migrate()
        except sqlite3.DatabaseError as exc:
            raise corrupt(path, exc) from None
        return ledger

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()
        unlock(self._lock_fd)
        self._lock_fd = None

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version == 0 and self._db.execute(
                "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchone()[0]:
            raise sqlite3.DatabaseError("it holds tables that are not a ledger's")
        if version > SCHEMA_VERSION:
            raise PublisherError(f"{self.path}: written by a newer publisher (schema "
                                 f"{version}, this one knows {SCHEMA_VERSION}); upgrade "
                                 "publisher")
        for number in range(version, SCHEMA_VERSION):
            with self.transaction() as db:
                # executescript() would commit on its own; statements one by one keep
                # the migration and its version number in one transaction.
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {number + 1}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One change, all of it or none of it. SQLite rolls back by itself after some
        failures (a full disk): a ROLLBACK then would hide the cause, so it is only tried
        when still needed."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
            raise

    # Reading

    @guarded
    def announced(self, series: str) -> set[str]:
        """Ids of the posts a sent (or baseline) issue announced for `series`."""
        rows = self._db.execute(
            "SELECT a.post_id FROM announced a JOIN issues i ON i.id = a.issue "
            "WHERE a.series = ? AND i.status IN ('sent', 'baseline')", (series,))
        return {row[0] for row in rows}

    @guarded
    def announced_titles(self, series: str) -> dict[tuple[str, str], tuple[Entry, int]]:
        """(title, date) -> the entry and issue number of each post announced in `series`."""
        rows = self._db.execute(
            "SELECT a.series, a.post_id, a.url, a.title, a.date, i.number FROM announced a "
            "JOIN issues i ON i.id = a.issue WHERE a.series = ? AND a.date != '' AND "
            "i.status IN ('sent', 'baseline') ORDER BY a.rowid", (series,))
        return {(row[3], row[4]): (Entry(*row[:5]), int(row[5])) for row in rows}

    @guarded
    def issues(self, series: str | None = None) -> list[Issue]:
        query = "SELECT id, series, number, status, subject, created, sent FROM issues"
        args: tuple[str, ...] = ()
        if series is not None:
            query, args = query + " WHERE series = ?", (series,)
        rows = self._db.execute(query + " ORDER BY series, number, id", args).fetchall()
        return [self._issue(row) for row in rows]

    @guarded
    def open_issue(self, series: str) -> Issue | None:
        row = self._db.execute(
            "SELECT id, series, number, status, subject, created, sent FROM issues "
            "WHERE series = ? AND status IN ('draft', 'sending')", (series,)).fetchone()
        return self._issue(row) if row else None

    @guarded
    def next_number(self, series: str) -> int:
        row = self._db.execute("SELECT max(number) FROM issues WHERE series = ? AND status "
                               "IN ('sent', 'sending')", (series,)).fetchone()
        return (row[0] or 0) + 1

    def _issue(self, row: Sequence[object]) -> Issue:
        entries = tuple(Entry(*e) for e in self._db.execute(
            "SELECT series, post_id, url, title, date FROM announced WHERE issue = ? "
            "ORDER BY rowid", (row[0],)))
        return Issue(int(row[0]), str(row[1]), int(row[2]), str(row[3]), str(row[4]),
                     datetime.fromisoformat(str(row[5])),
                     datetime.fromisoformat(str(row[6])) if row[6] else None, entries)

    # Changing

    @guarded
    def save_draft(self, series: str, number: int, subject: str, created: datetime,
                   entries: Sequence[Entry], digest: str = "",
                   written: datetime | None = None) -> None:
        """Create the open draft of `series`, or replace its subject and posts; keep this
        content by its `digest` (ledger_versions)."""
        with self.transaction() as db:
            row = db.execute("SELECT id, status FROM issues WHERE series = ? AND status IN "
                             "('draft', 'sending')", (series,)).fetchone()
            if row and row[1] == "sending":
                raise PublisherError("an issue is being sent; finish that first")
            if row:
                issue_id = row[0]
                db.execute("UPDATE issues SET subject = ?, number = ? WHERE id = ?",
                           (subject, number, issue_id))
                db.execute("DELETE FROM announced WHERE issue = ?", (issue_id,))
            else:
                issue_id = db.execute(
                    "INSERT INTO issues (series, number, status, subject, created) "
                    "VALUES (?, ?, 'draft', ?, ?)",
                    (series, number, subject, created.isoformat())).lastrowid
            _insert_entries(db, issue_id, entries)
            if digest:
                ledger_versions.insert(db, issue_id, digest, subject, written or created,
                                       entries)

    @guarded
    def versions(self, issue: Issue) -> list[Version]:
        """Every content the open draft `issue` had, oldest first."""
        return ledger_versions.read(self._db, issue.id)

    @guarded
    def record_version_sent(self, issue: Issue, version: Version, when: datetime) -> None:
        """`issue` sent as it was in `version`: it announces that version's posts."""
        with self.transaction() as db:
            ledger_versions.make_announced(db, issue.id, version)
            db.execute("UPDATE issues SET status = 'sent', sent = ? WHERE id = ?",
                       (when.isoformat(), issue.id))

    @guarded
    def set_status(self, issue: Issue, status: str, when: datetime | None = None) -> None:
        with self.transaction() as db:
            db.execute("UPDATE issues SET status = ?, sent = ? WHERE id = ?",
                       (status, when.isoformat() if when else None, issue.id))

    @guarded
    def record_sent(self, issue: Issue, accepted: Sequence[str], refused: Mapping[str, str],
                    when: datetime, reply: str = "") -> None:
        """The issue sent: the server accepted the message for `accepted` (with `reply`)
        and refused `refused` (address -> its reply). One transaction."""
        with self.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO recipients VALUES (?, ?, ?, ?)",
                           [(issue.id, a, 1, reply) for a in accepted]
                           + [(issue.id, a, 0, r) for a, r in refused.items()])
            db.execute("UPDATE issues SET status = 'sent', sent = ? WHERE id = ?",
                       (when.isoformat(), issue.id))

    @guarded
    def recipients(self, issue: Issue) -> list[Recipient]:
        return [Recipient(str(a), bool(ok), str(r)) for a, ok, r in self._db.execute(
            "SELECT address, accepted, reply FROM recipients WHERE issue = ? ORDER BY rowid",
            (issue.id,))]

    @guarded
    def record_baseline(self, series: str, entries: Sequence[Entry], when: datetime) -> None:
        """Record posts as announced without an issue: the backlog of a first run."""
        if not entries:
            return
        with self.transaction() as db:
            issue_id = db.execute(
                "INSERT INTO issues (series, number, status, subject, created, sent) "
                "VALUES (?, 0, 'baseline', '(baseline: recorded as announced, not sent)', ?, ?)",
                (series, when.isoformat(), when.isoformat())).lastrowid
            _insert_entries(db, issue_id, entries)


def _insert_entries(db: sqlite3.Connection, issue_id: int, entries: Sequence[Entry]) -> None:
    db.executemany("INSERT INTO announced (issue, series, post_id, url, title, date) "
                   "VALUES (?, ?, ?, ?, ?, ?)",
                   [(issue_id, e.series, e.post_id, e.url, e.title, e.date) for e in entries])
