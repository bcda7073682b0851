"""The ledger's SQLite schema, as the migrations that build it one version at a time."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    """A post as one issue lists it: under which series, with its URL and title then."""

    series: str
    post_id: str
    url: str
    title: str
    date: str = ""  # ISO 8601; "" in entries recorded before the ledger kept dates


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
    # What the server answered each recipient of a sent issue: one that accepted is
    # never sent the issue again.
    """
    CREATE TABLE recipients (
        issue INTEGER NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
        address TEXT NOT NULL,
        accepted INTEGER NOT NULL,
        reply TEXT NOT NULL,
        PRIMARY KEY (issue, address)
    );
    """,
    # Each content an open draft had, by the SHA-256 of its .eml, with the posts it
    # announced: `--mark-sent --draft` records the one that was sent (ledger_versions).
    """
    CREATE TABLE versions (
        issue INTEGER NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
        digest TEXT NOT NULL,
        written TEXT NOT NULL,
        subject TEXT NOT NULL,
        entries TEXT NOT NULL,
        PRIMARY KEY (issue, digest)
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
