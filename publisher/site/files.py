"""Which files under the posts folder are posts: a walk that follows no link out of it."""

from __future__ import annotations

import errno
import os
import stat as stat_module
from pathlib import Path

from publisher.dialects import POST, Dialect
from publisher.problems import Problem, error, warning
from publisher.reading import kind_of
from publisher.terminal import printable


def display_path(path: Path) -> str:
    """The path as messages show it: relative to here, control characters and bytes
    that are not UTF-8 escaped (`\\n`, `\\x1b`, `\\xff`), so a file name can never
    forge a line or drive the terminal."""
    try:
        shown = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        shown = str(path)
    return printable(shown)


def _undecodable(name: str) -> bytes | None:
    """The bytes of a name that is not UTF-8 (Python keeps them as surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name)
    return None


Found = list[tuple[Path, str, os.stat_result]]


def find_post_files(root: Path, dialect: Dialect) -> tuple[Found, list[Problem]]:
    """(path, name relative to root, stat) of every post file, sorted by name.

    Only regular files are posts: FIFOs, devices, sockets, symlink loops and names that
    are not UTF-8 are skipped, each with a note.

    The dialect says which folders to enter and which files are posts; files it skips
    with a reason are counted in one note per reason. Links to files outside the posts
    folder are skipped with a warning. os.scandir rather than pathlib: at 10,000 posts
    pathlib's objects cost a third of a warm run.
    """
    found: Found = []
    problems: list[Problem] = []
    skipped: dict[str, list[str]] = {}  # reason -> names
    real_root = root.resolve()

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
        names = frozenset(e.name for e in entries)
        for entry in entries:
            if entry.name.startswith(".") and not dialect.dotfiles:
                continue
            try:
                is_folder = entry.is_dir()
            except OSError:  # a symlink loop: said below, when it is a post's name
                is_folder = False
            if is_folder:
                if not dialect.enter(prefix + entry.name):
                    continue
                # A linked folder is not followed: out of the posts folder it would
                # publish what is not a post; inside it, posts twice (or in a loop).
                if not entry.is_symlink():
                    walk(entry.path, f"{prefix}{entry.name}/")
                elif not Path(entry.path).resolve().is_relative_to(real_root):
                    problems.append(warning(display_path(Path(entry.path)), None, "folder",
                                            "is a link to a folder outside the posts folder; "
                                            "skipped"))
                continue
            kind = dialect.post_kind(prefix + entry.name, names)
            if kind != POST:
                if kind:
                    skipped.setdefault(kind, []).append(prefix + entry.name)
                continue
            path = Path(entry.path)
            raw = _undecodable(prefix + entry.name)
            if raw is not None:
                bad = next(b for b in raw if b >= 0x80)
                problems.append(error(display_path(path), None, "file",
                                      f"its name is not UTF-8 (byte 0x{bad:02x}); rename it "
                                      "with UTF-8 characters"))
                continue
            try:
                stat = entry.stat()  # follows a link: what would be read
            except OSError as exc:
                reason = ("is a symbolic link that leads back to itself (a loop)"
                          if exc.errno == errno.ELOOP else
                          "is a link to nothing (its target is missing)"
                          if exc.errno == errno.ENOENT else f"cannot be read: {exc.strerror}")
                problems.append(warning(display_path(path), None, "file", f"{reason}; skipped"))
                continue
            if entry.is_symlink() and not path.resolve().is_relative_to(real_root):
                problems.append(warning(display_path(path), None, "file",
                                        "is a link to a file outside the posts folder; "
                                        "skipped (copy the file in to publish it)"))
                continue
            if not stat_module.S_ISREG(stat.st_mode):
                # Reading a FIFO blocks for ever, a device may never end.
                problems.append(warning(display_path(path), None, "file",
                                        f"is {kind_of(stat.st_mode)}, not a regular file; "
                                        "skipped"))
                continue
            found.append((path, prefix + entry.name, stat))

    walk(str(root), "")
    for reason, names in skipped.items():
        first = display_path(root / names[0])
        more = f" (and {len(names) - 1} more like it)" if len(names) > 1 else ""
        problems.append(warning(first, None, "file", f"{reason}{more}"))
    return found, problems
