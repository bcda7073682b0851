"""Problems found in input: what went wrong, where, and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from publisher.terminal import printable


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about one file, printed as ``path:line: field: message``."""

    path: str
    line: int | None
    field: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        """One line whatever the parts hold: a newline in a file name or a value is
        shown as `\\n` and can never forge a line of its own."""
        path = printable(self.path)
        where = path if self.line is None else f"{path}:{self.line}"
        label = "" if self.severity is Severity.ERROR else "warning: "
        field = f" {printable(self.field)}:" if self.field else ""
        return f"{where}:{field} {label}{printable(self.message)}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def order(self) -> tuple[str, int, str]:
        """How problems are listed: by file, then line (unknown first), then field."""
        return (self.path, self.line or 0, self.field)


def error(path: str, line: int | None, field: str, message: str) -> Problem:
    return Problem(path, line, field, message, Severity.ERROR)


def warning(path: str, line: int | None, field: str, message: str) -> Problem:
    return Problem(path, line, field, message, Severity.WARNING)


class PublisherError(Exception):
    """A failure the user can fix; the CLI prints it without a traceback."""

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems
