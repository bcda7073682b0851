"""Atomic writes into the output folder, and nowhere else."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from publisher.problems import PublisherError
from publisher.terminal import printable


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...]
    unchanged: tuple[str, ...]


def shown(path: Path) -> str:
    """`path` relative to the current folder when it is below it, else absolute; its
    control characters escaped (`\\n`), so a name can never forge a line."""
    path = path.resolve()
    try:
        return printable(str(path.relative_to(Path.cwd().resolve())))
    except ValueError:
        return printable(str(path))


def inside(root: Path, relative: str) -> Path:
    """`root/relative`, refusing any path that would land outside `root`."""
    parts = PurePosixPath(relative.replace("\\", "/")).parts
    if not parts or relative.startswith(("/", "\\")) or any(
            p in ("..", ".") or ":" in p for p in parts):
        raise PublisherError(f"refusing to write {relative!r}: it is not a plain path "
                             f"inside the output folder {root}")
    target = root.joinpath(*parts)
    resolved_root = root.resolve()
    if not target.resolve().is_relative_to(resolved_root):
        raise PublisherError(f"refusing to write {relative!r}: it leads outside {root}")
    return target


def _missing_folders(folder: Path) -> list[Path]:
    """The folders mkdir(parents=True) would create for `folder`, deepest first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    return missing


# `.feed.xml.<pid>.<random>.tmp`: the process that staged it is in the name, so that a
# later build can tell the leftovers of a killed one from the files of a running one.
_STAGED = re.compile(r"^\..+\.(\d+)\.[A-Za-z0-9_]+\.tmp$")
_OLD_STAGED = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")  # before the pid was in the name


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: alive
        return True
    return True


def sweep(root: Path) -> list[Path]:
    """Delete what builds killed before their commit (SIGKILL, power loss) left staged
    in `root`; the files of a build still running are left alone. Returns what went."""
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    an_hour_ago = time.time() - 3600
    for folder, _, names in os.walk(root):
        for name in names:
            staged = _STAGED.match(name)
            path = Path(folder, name)
            try:
                if (staged and not _alive(int(staged.group(1)))) or (
                        not staged and _OLD_STAGED.match(name)
                        and path.stat().st_mtime < an_hour_ago):
                    path.unlink()
                    removed.append(path)
            except OSError:
                continue  # gone already, or not ours to delete
    return removed


Data = bytes | Iterable[bytes]  # a file, whole or piece by piece (a full archive's feed)


def _stage(target: Path, data: Data) -> Path:
    """Write `data` to a temporary file beside `target`, flushed to disk."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.{os.getpid()}.",
                                suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in (data,) if isinstance(data, bytes) else data:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return Path(temp)


def _unchanged(target: Path, data: bytes) -> bool:
    try:
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except OSError:
        return False


def _same_files(staged: Path, target: Path) -> bool:
    """Whether two files hold the same bytes, read a piece at a time."""
    try:
        if staged.stat().st_size != target.stat().st_size:
            return False
        with staged.open("rb") as one, target.open("rb") as other:
            while True:
                piece = one.read(1 << 20)
                if piece != other.read(1 << 20):
                    return False
                if not piece:
                    return True
    except OSError:
        return False


class Staging:
    """Files written beside their targets, renamed into place together by `commit()`.

    Files can be added one at a time as they are made, so a build never holds every
    output in memory; nothing replaces a published file until all are staged, so a
    full disk or a read-only folder leaves the previous outputs as they were.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        sweep(root)
        self._staged: dict[Path, Path] = {}
        self._folders: list[Path] = []  # made for staged files: removed again on abort
        self._written: list[str] = []
        self._unchanged: list[str] = []

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        if kind is not None:
            self.abort()

    def add(self, name: str, data: Data) -> None:
        """Stage one file; `data` given in pieces is written as they come, never held
        whole, and compared with the published file once written."""
        target = inside(self.root, name)
        if target in self._staged or name in self._unchanged:
            self.abort()
            raise PublisherError(f"{name}: two outputs would be written to this one file; "
                                 "nothing was written")
        if isinstance(data, bytes) and _unchanged(target, data):
            self._unchanged.append(name)
            return
        try:
            self._folders.extend(_missing_folders(target.parent))
            staged = _stage(target, data)
        except OSError as exc:
            self.abort()
            raise PublisherError(f"{target}: cannot write: {exc.strerror or exc}; "
                                 "files already there are untouched") from None
        if not isinstance(data, bytes) and _same_files(staged, target):
            staged.unlink()
            self._unchanged.append(name)
            return
        self._staged[target] = staged
        self._written.append(name)

    def keep(self, name: str) -> None:
        """A file whose inputs did not change stays as it is."""
        self._unchanged.append(name)

    def abort(self) -> None:
        for temp in self._staged.values():
            temp.unlink(missing_ok=True)
        self._staged.clear()
        for folder in sorted(self._folders, key=lambda f: len(f.parts), reverse=True):
            with contextlib.suppress(OSError):  # not empty: someone else's files
                folder.rmdir()
        self._folders.clear()

    def commit(self) -> WriteReport:
        for target, temp in self._staged.items():
            os.replace(temp, target)  # readers see the old file or the new one, never half
        self._staged.clear()
        return WriteReport(tuple(sorted(self._written)), tuple(sorted(self._unchanged)))


def write_all(root: Path, files: Mapping[str, bytes]) -> WriteReport:
    """Write every changed file, all or nothing; paths are checked before anything."""
    for name in files:
        inside(root, name)
    with Staging(root) as staging:
        for name in sorted(files):
            staging.add(name, files[name])
        return staging.commit()
