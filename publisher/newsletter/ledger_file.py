"""The ledger's file: the lock beside it, and the refusals that keep it from being lost.

A ledger that existed and is now empty or gone would make every published post new
again, and the next `--send` would announce the whole archive. A 0-byte file is never
one we wrote; a missing one is refused when there are traces of it (its lock file, or
issues it recorded in the output folder); a damaged one is refused, untouched. Each
refusal says what to do.
"""

from __future__ import annotations

import functools
import os
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from publisher.problems import PublisherError


class LedgerBusy(PublisherError):
    pass


RESTORE = ("Restore it from version control or a backup (git checkout {name}), or, to "
           "start a new ledger, move it away and run 'publish email --baseline' first: "
           "it records every published post as announced, so none is sent again")


def corrupt(path: Path, exc: BaseException) -> PublisherError:
    """The refusal of a ledger that cannot be read; `exc` is the first cause."""
    cause = str(exc) or type(exc).__name__
    return PublisherError(
        f"{path}: not a readable publisher ledger ({cause}); it was left untouched. Restore it "
        "from version control or a backup, or move it away to start a new ledger (every "
        "post would then be new: run 'publish email --baseline' first)")


def traces(path: Path, issue_folders: Sequence[Path]) -> str | None:
    """What shows that a ledger existed at `path`, in words, or None."""
    if Path(f"{path}.lock").exists():
        return f"{path.name}.lock is beside it"
    for folder in issue_folders:
        found = next(folder.glob("*/*/issue.json"), None) if folder.is_dir() else None
        if found is not None:
            return f"{found.parent} holds an issue it recorded"
    return None


def check_file(path: Path, *, create: bool, new_allowed: bool,
               issue_folders: Sequence[Path] = ()) -> None:
    """Refuse a ledger that is empty, or missing where one existed."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        if not create:
            raise PublisherError(f"{path}: no ledger yet; run 'publish email' first") from None
        trace = None if new_allowed else traces(path, issue_folders)
        if trace:
            raise PublisherError(
                f"{path}: the ledger is missing, but it existed ({trace}); without it every "
                "published post would be announced again. " + RESTORE.format(name=path.name)
                .replace("move it away and run", "run")) from None
        return
    if size == 0:
        raise PublisherError(
            f"{path}: the ledger is empty (0 bytes), so it was damaged or truncated; without "
            "it every published post would be announced again. It was left untouched. "
            + RESTORE.format(name=path.name))


F = TypeVar("F", bound=Callable[..., Any])


def guarded(method: F) -> F:
    """A ledger that fails while it is read or written is refused with its first cause,
    never an internal error: a full disk says so, a damaged file says what to do."""

    @functools.wraps(method)
    def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except (PublisherError, sqlite3.IntegrityError):  # a refusal; a bug of ours
            raise
        except sqlite3.OperationalError as exc:
            if any(w in str(exc) for w in ("full", "disk I/O", "readonly", "locked")):
                raise PublisherError(f"{self.path}: cannot record in the ledger ({exc}); "
                                     "nothing was changed: fix that, then run again") from None
            raise corrupt(self.path, exc) from None
        except (sqlite3.DatabaseError, ValueError, TypeError, IndexError) as exc:
            raise corrupt(self.path, exc) from None

    return run  # type: ignore[return-value]


def check_integrity(db: sqlite3.Connection) -> None:
    result = db.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise sqlite3.DatabaseError(f"integrity check: {result}")


def lock(path: Path) -> int | None:
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


def unlock(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)  # closing the descriptor releases the lock
