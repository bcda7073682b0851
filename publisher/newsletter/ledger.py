"""The ledger: which issues exist and which posts each announced (SQLite).

A post counts as announced for a series once an issue that lists it under that series
is `sent` (or `baseline`, recorded without sending). Drafts announce nothing, so a run
stopped at any point can lose or repeat nothing. Every change is one transaction, and
a lock file keeps two runs from interleaving.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from publisher.problems import PublisherError

# Each entry moves the schema one version up; an entry is never edited once released.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE issues (
        id INTEGER PRIMARY KEY,
        series TEXT NOT NULL,
        number INTEGER NOT NULL,
        status TEXT NOT NULL
            CHECK (status IN ('draft', 'sending', 'sent', 'discarded', 'baseline')),
        subject TEXT NOT NULL,
        created TEXT NOT NULL,
        sent TEXT
    );
    CREATE UNIQUE INDEX issue_number ON issues (series, number)
        WHERE status NOT IN ('discarded', 'baseline');
    CREATE TABLE announced (
        issue INTEGER NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
        series TEXT NOT NULL,
        post_id TEXT NOT NULL,
        url TEXT NOT NULL,
        title TEXT NOT NULL,
        PRIMARY KEY (issue, series, post_id)
    );
    CREATE INDEX announced_post ON announced (series, post_id);
    """,
    # The post's date as announced: with its title, it tells a renamed file (a new id)
    # from a new post. Rows from before this version have none.
    "ALTER TABLE announced ADD COLUMN date TEXT NOT NULL DEFAULT ''",
)
SCHEMA_VERSION = len(MIGRATIONS)
OPEN = ("draft", "sending")


@dataclass(frozen=True)
class Entry:
    """A post as one issue lists it: under which series, with its URL and title then."""

    series: str
    post_id: str
    url: str
    title: str
    date: str = ""  # ISO 8601; "" in entries recorded before the ledger kept dates


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


class LedgerBusy(PublisherError):
    pass


def _corrupt(path: Path, exc: Exception) -> PublisherError:
    return PublisherError(
        f"{path}: not a readable publisher ledger ({exc}); it was left untouched. Restore it "
        "from version control or a backup, or move it away to start a new ledger (every "
        "post would then be new: run 'publish email --baseline' first)")


class Ledger:
    """Open with `Ledger.open(path)`; use as a context manager to release the lock."""

    def __init__(self, path: Path, db: sqlite3.Connection, lock_fd: int | None) -> None:
        self.path, self._db, self._lock_fd = path, db, lock_fd

    @classmethod
    def open(cls, path: Path, *, create: bool = True) -> Ledger:
        if not path.exists() and not create:
            raise PublisherError(f"{path}: no ledger yet; run 'publish email' first")
        path.parent.mkdir(parents=True, exist_ok=True)
        lock_fd = _lock(path)
        try:
            db = sqlite3.connect(path, isolation_level=None, timeout=10)
            db.execute("PRAGMA foreign_keys = ON")
            ledger = cls(path, db, lock_fd)
            ledger._migrate()
        except sqlite3.DatabaseError as exc:
            _unlock(lock_fd)
            raise _corrupt(path, exc) from None
        except BaseException:
            _unlock(lock_fd)
            raise
        return ledger

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()
        _unlock(self._lock_fd)
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
        """One change, all of it or none of it."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # Reading

    def announced(self, series: str) -> set[str]:
        """Ids of the posts a sent (or baseline) issue announced for `series`."""
        rows = self._db.execute(
            "SELECT a.post_id FROM announced a JOIN issues i ON i.id = a.issue "
            "WHERE a.series = ? AND i.status IN ('sent', 'baseline')", (series,))
        return {row[0] for row in rows}

    def announced_titles(self, series: str) -> dict[tuple[str, str], tuple[Entry, int]]:
        """(title, date) -> the entry and issue number of each post announced in `series`."""
        rows = self._db.execute(
            "SELECT a.series, a.post_id, a.url, a.title, a.date, i.number FROM announced a "
            "JOIN issues i ON i.id = a.issue WHERE a.series = ? AND a.date != '' AND "
            "i.status IN ('sent', 'baseline') ORDER BY a.rowid", (series,))
        return {(row[3], row[4]): (Entry(*row[:5]), int(row[5])) for row in rows}

    def issues(self, series: str | None = None) -> list[Issue]:
        query = "SELECT id, series, number, status, subject, created, sent FROM issues"
        args: tuple[str, ...] = ()
        if series is not None:
            query, args = query + " WHERE series = ?", (series,)
        rows = self._db.execute(query + " ORDER BY series, number, id", args).fetchall()
        return [self._issue(row) for row in rows]

    def open_issue(self, series: str) -> Issue | None:
        row = self._db.execute(
            "SELECT id, series, number, status, subject, created, sent FROM issues "
            "WHERE series = ? AND status IN ('draft', 'sending')", (series,)).fetchone()
        return self._issue(row) if row else None

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

    def save_draft(self, series: str, number: int, subject: str, created: datetime,
                   entries: Sequence[Entry]) -> None:
        """Create the open draft of `series`, or replace its subject and posts."""
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

    def set_status(self, issue: Issue, status: str, when: datetime | None = None) -> None:
        with self.transaction() as db:
            db.execute("UPDATE issues SET status = ?, sent = ? WHERE id = ?",
                       (status, when.isoformat() if when else None, issue.id))

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


def _lock(path: Path) -> int | None:
    """An exclusive lock beside the ledger, or a clear refusal when another run holds it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: SQLite's own locking still applies
        return None
    fd = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise LedgerBusy(f"{path}: another 'publish email' is running on this ledger; "
                         "wait for it to finish, then run again") from None
    return fd


def _unlock(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)  # closing the descriptor releases the lock
