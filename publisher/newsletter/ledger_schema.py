"""The ledger's SQLite schema, as the migrations that build it one version at a time."""

from __future__ import annotations

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
)
SCHEMA_VERSION = len(MIGRATIONS)
