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


def write_file(target: Path, data: bytes) -> bool:
    """Replace `target` with `data` atomically; False when it already held those bytes."""
    try:
        if target.read_bytes() == data:
            return False
    except OSError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, target)  # readers see the old file or the new one, never half
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return True


def write_all(root: Path, files: Mapping[str, bytes]) -> WriteReport:
    """Write every file atomically; paths are checked before anything is written."""
    targets = {name: inside(root, name) for name in sorted(files)}
    written: list[str] = []
    unchanged: list[str] = []
    for name, target in targets.items():
        try:
            changed = write_file(target, files[name])
        except OSError as exc:
            raise PublisherError(f"{target}: cannot write: {exc.strerror or exc}; "
                                 "files already there are untouched") from None
        (written if changed else unchanged).append(name)
    return WriteReport(tuple(written), tuple(unchanged))
