"""Atomic writes into the output folder, and nowhere else."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .problems import PublisherError


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...]
    unchanged: tuple[str, ...]


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


def _stage(target: Path, data: bytes) -> Path:
    """Write `data` to a temporary file beside `target`, flushed to disk."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
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


def write_all(root: Path, files: Mapping[str, bytes]) -> WriteReport:
    """Write every changed file, all or nothing.

    Paths are checked first; every new file is staged beside its target; only when all
    are staged are they renamed into place (each rename is atomic), so a full disk or a
    read-only folder leaves the previous outputs as they were.
    """
    targets = {name: inside(root, name) for name in sorted(files)}
    changed = {name: t for name, t in targets.items() if not _unchanged(t, files[name])}
    staged: dict[Path, Path] = {}
    try:
        for name, target in changed.items():
            staged[target] = _stage(target, files[name])
    except OSError as exc:
        for temp in staged.values():
            temp.unlink(missing_ok=True)
        raise PublisherError(f"{target}: cannot write: {exc.strerror or exc}; "
                             "files already there are untouched") from None
    for target, temp in staged.items():
        os.replace(temp, target)  # readers see the old file or the new one, never half
    return WriteReport(tuple(changed), tuple(n for n in targets if n not in changed))
