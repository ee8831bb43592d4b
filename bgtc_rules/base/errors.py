"""Errors that reach a user: each names the file, where in it, and what was expected."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file.

    Examples:
        >>> str(Problem("d.yaml", "indication.us_prevalence", "expected an integer", line=7))
        'd.yaml:7: indication.us_prevalence: expected an integer'
    """

    file: str
    where: str
    message: str
    line: int | None = None

    @property
    def path(self) -> str:
        """The field path (`where`), by the name the JSON and the HTTP problem documents give it."""
        return self.where

    def __str__(self) -> str:
        location = self.file if self.line is None else f"{self.file}:{self.line}"
        where = f" {self.where}:" if self.where else ""
        return f"{location}:{where} {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """As JSON writes it (`bgtc batch` lines, the HTTP service's problem documents)."""
        return {"file": self.file, "line": self.line, "path": self.where, "message": self.message}


class BgtcError(Exception):
    """Base class of every error this package raises on purpose."""


class InputError(BgtcError):
    """A dossier, rule file or option the user gave cannot be used (exit code 2)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class EngineError(BgtcError):
    """The inference backend failed; never caused by user input."""


def input_error(file: str, where: str, message: str, line: int | None = None) -> InputError:
    """Shorthand for an `InputError` with a single problem."""
    return InputError([Problem(file, where, message, line)])
