"""Reading a file we were pointed at: only a regular file, and only up to a size.

A FIFO named `post.md` blocks a reader forever, `/dev/zero` never ends, a symlink
loop fails deep inside: each of them is refused here, before a byte is read, with an
OSError whose `strerror` says what it is.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_BYTES = 50 * 1024 * 1024  # a post, a config or a feed bigger than this is a mistake


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def not_regular(path: Path | str, mode: int) -> OSError:
    return OSError(errno.EINVAL, f"is {kind_of(mode)}, not a regular file", str(path))


def too_big(path: Path | str, size: int, limit: int) -> OSError:
    return OSError(errno.EFBIG, f"is {size / 1024 / 1024:.0f} MB, over the "
                   f"{limit // 1024 // 1024} MB a file may have", str(path))


def read_regular(path: Path | str, limit: int = MAX_BYTES) -> tuple[bytes, os.stat_result]:
    """The bytes of the regular file at `path` (links followed) and its stat.

    Opened without blocking (a FIFO swapped in after a check cannot hang us), checked
    on the open descriptor, and read no further than `limit`.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                     | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OSError(errno.ELOOP, "is a symbolic link that leads back to itself (a "
                          "loop)", str(path)) from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise not_regular(path, info.st_mode)
        if info.st_size > limit:
            raise too_big(path, info.st_size, limit)
        chunks = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:  # it grew while we read it
            raise too_big(path, len(data), limit)
        return data, info
    finally:
        os.close(fd)


def read_text(path: Path | str, limit: int = MAX_BYTES) -> str:
    """A regular file's text (UTF-8, with or without a byte-order mark)."""
    return read_regular(path, limit)[0].decode("utf-8-sig")
