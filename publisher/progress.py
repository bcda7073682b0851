"""Progress of long steps, for whoever wants to show it (the CLI, on a terminal).

The library reports steps; it never decides whether or how they are shown.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

Reporter = Callable[[str, int, int], None]
_reporter: Reporter | None = None


def use(reporter: Reporter | None) -> None:
    global _reporter
    _reporter = reporter


def step(label: str, done: int, total: int) -> None:
    if _reporter is not None:
        _reporter(label, done, total)


class TerminalBar:
    """A one-line bar on stderr, shown only once a step has taken more than a moment."""

    def __init__(self, delay: float = 0.5, width: int = 30) -> None:
        self.delay, self.width = delay, width
        self.started: dict[str, float] = {}

    def __call__(self, label: str, done: int, total: int) -> None:
        start = self.started.setdefault(label, time.monotonic())
        if time.monotonic() - start < self.delay and done < total or total == 0:
            return
        filled = self.width * done // total
        bar = "#" * filled + "-" * (self.width - filled)
        sys.stderr.write(f"\r{label:<10} [{bar}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\r" + " " * (self.width + len(label) + 30) + "\r")
            sys.stderr.flush()
