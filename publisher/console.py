"""Where messages go: results to stdout, problems to stderr, -q and -v honoured."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from publisher.problems import Problem


class OutputClosed(Exception):
    """Whoever read our output stopped reading (`publish ledger | head`)."""


class Console:
    """Where messages go: results to stdout, problems to stderr, -q and -v honoured."""

    def __init__(self, quiet: bool, verbose: bool) -> None:
        self.quiet, self.verbose = quiet, verbose
        self.caches: list = []  # their warnings are printed when the command ends

    def out(self, line: str) -> None:
        if not self.quiet:
            self.result(line)

    def result(self, text: str) -> None:
        """What the command was asked for (a JSON document, the problems found): printed
        even with -q."""
        try:
            print(text)
        except BrokenPipeError:
            raise OutputClosed from None

    @staticmethod
    def flush() -> None:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            raise OutputClosed from None

    def err(self, line: str) -> None:
        print(line, file=sys.stderr)

    @staticmethod
    def _color() -> bool:
        return sys.stderr.isatty() and not os.environ.get("NO_COLOR")

    def error(self, message: str) -> None:
        first, *rest = f"error: {message}".split("\n")
        self.err("\n".join([f"\033[31m{first}\033[0m" if self._color() else first, *rest]))

    def warn(self, line: str) -> None:
        """A warning worth seeing even in a long log: coloured on a terminal."""
        if self.quiet:
            return
        self.err(f"\033[33mwarning: {line}\033[0m" if self._color() else f"warning: {line}")


def report_problems(problems: Sequence[Problem], console: Console, *, all_warnings: bool) -> None:
    warnings = [p for p in problems if not p.is_error]
    for problem in problems:
        if problem.is_error or all_warnings:
            console.err(str(problem))
    if warnings and not all_warnings and not console.quiet:
        console.err(f"{len(warnings)} warning(s); run 'publish check' to see them")
