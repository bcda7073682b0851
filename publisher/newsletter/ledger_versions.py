"""Each content of an open draft, by its digest: what `--mark-sent --draft` records.

A draft is rewritten by every `publish email` until it is marked sent, and gains the
posts published meanwhile. The writer may have pasted an earlier one into the mailing
tool: the ledger keeps every content the draft had (the SHA-256 of its .eml, which
holds the subject, both parts and the headers), with the posts it announced, so that
what is recorded as sent is what was sent.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from publisher.newsletter.ledger_schema import Entry

SHORT = 12  # hex digits shown of a digest (and the fewest accepted: 8)


@dataclass(frozen=True)
class Version:
    digest: str
    written: datetime
    subject: str
    entries: tuple[Entry, ...]

    @property
    def short(self) -> str:
        return self.digest[:SHORT]

    def posts(self) -> frozenset[tuple[str, str]]:
        return frozenset((e.series, e.post_id) for e in self.entries)


def insert(db: sqlite3.Connection, issue_id: int, digest: str, subject: str,
           written: datetime, entries: Sequence[Entry]) -> None:
    """Keep this content of the draft, as its latest (the same digest is the same
    content: written again, it moves to the end, so the last one is the one on disk)."""
    rows = [[e.series, e.post_id, e.url, e.title, e.date] for e in entries]
    db.execute("DELETE FROM versions WHERE issue = ? AND digest = ?", (issue_id, digest))
    db.execute("INSERT INTO versions (issue, digest, written, subject, entries) "
               "VALUES (?, ?, ?, ?, ?)",
               (issue_id, digest, written.isoformat(), subject, json.dumps(rows)))


def read(db: sqlite3.Connection, issue_id: int) -> list[Version]:
    """The contents the draft had, oldest first."""
    return [Version(str(digest), datetime.fromisoformat(str(written)), str(subject),
                    tuple(Entry(*map(str, row)) for row in json.loads(entries)))
            for digest, written, subject, entries in db.execute(
                "SELECT digest, written, subject, entries FROM versions WHERE issue = ? "
                "ORDER BY rowid", (issue_id,))]


def make_announced(db: sqlite3.Connection, issue_id: int, version: Version) -> None:
    """The issue announces what `version` announced (its subject, its posts)."""
    db.execute("UPDATE issues SET subject = ? WHERE id = ?", (version.subject, issue_id))
    db.execute("DELETE FROM announced WHERE issue = ?", (issue_id,))
    db.executemany("INSERT INTO announced (issue, series, post_id, url, title, date) "
                   "VALUES (?, ?, ?, ?, ?, ?)",
                   [(issue_id, e.series, e.post_id, e.url, e.title, e.date)
                    for e in version.entries])
