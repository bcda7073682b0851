"""Where messages go: results to stdout, problems to stderr, -q and -v honoured.

Everything printed goes through here, and here every control character but the line
break is escaped (`\\x1b`, `\\x07`): whatever a title or a file name holds, it cannot
drive the terminal. Values that could hold a line break (paths, fields) are escaped
where they are put into a line (`Problem`, `display_path`, `shown`), so no line is
forged either.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from publisher.problems import Problem
from publisher.terminal import json_safe, printable_lines


class OutputClosed(Exception):
    """Whoever read our output stopped reading (`publish ledger | head`)."""


class Console:
    """Where messages go: results to stdout, problems to stderr, -q and -v honoured."""

    def __init__(self, quiet: bool, verbose: bool) -> None:
        self.quiet, self.verbose = quiet, verbose
        self.caches: list = []  # their warnings are printed when the command ends
        # (kind, line) of every message: what a run that changed nothing prints again
        self.transcript: list[tuple[str, str]] = []

    def out(self, line: str) -> None:
        self.transcript.append(("out", line))
        if not self.quiet:
            self.result(line)

    def result(self, text: str) -> None:
        """What the command was asked for (a JSON document, the problems found): printed
        even with -q."""
        try:
            print(printable_lines(text))
        except BrokenPipeError:
            raise OutputClosed from None

    @staticmethod
    def flush() -> None:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            raise OutputClosed from None

    def json(self, document: Any) -> None:
        """A JSON document for tools, printed as a result; characters a terminal acts on
        are written as JSON escapes, so it reads back the same."""
        self.result(json_safe(json.dumps(document, ensure_ascii=False, indent=2)))

    def err(self, line: str) -> None:
        self.transcript.append(("err", line))
        print(printable_lines(line), file=sys.stderr)

    def _coloured(self, colour: str, line: str) -> None:
        # Escaped first: the only escape codes that reach the terminal are ours.
        self.err_raw(f"\033[{colour}m{printable_lines(line)}\033[0m" if self._color()
                     else printable_lines(line))

    @staticmethod
    def err_raw(text: str) -> None:
        print(text, file=sys.stderr)

    @staticmethod
    def _color() -> bool:
        return sys.stderr.isatty() and not os.environ.get("NO_COLOR")

    def error(self, message: str) -> None:
        first, *rest = f"error: {message}".split("\n")
        self._coloured("31", first)
        if rest:
            self.err("\n".join(rest))

    def warn(self, line: str) -> None:
        """A warning worth seeing even in a long log: coloured on a terminal."""
        self.transcript.append(("warn", line))
        if self.quiet:
            return
        self._coloured("33", f"warning: {line}")


def report_problems(problems: Sequence[Problem], console: Console, *, all_warnings: bool) -> None:
    warnings = [p for p in problems if not p.is_error]
    for problem in problems:
        if problem.is_error or all_warnings:
            console.err(str(problem))
    if warnings and not all_warnings and not console.quiet:
        console.err(f"{len(warnings)} warning(s); run 'publish check' to see them")
