"""Errors that reach a user: each names the file, where in it, and what was expected."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

MAX_PROBLEMS = 50  # reported at most per error; the rest are counted ("and N more")
MAX_VALUE_SHOWN = 60  # characters of a value quoted back in a message
MAX_MESSAGE = 600  # characters of a message or a field path, whatever put into it
MAX_WHERE = 200


def shown(value: Any, limit: int = MAX_VALUE_SHOWN) -> str:
    """`repr(value)` for a message, cut to about `limit` characters: a value quoted back to the
    person who wrote it must not be the megabytes they sent.

    Examples:
        >>> shown("aav_gene_therapi")
        "'aav_gene_therapi'"
        >>> shown("x" * 1000)
        "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' (1000 characters)"
    """
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit - 2]!r}"[:-1] + f"…' ({len(value)} characters)"
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit - 1]}… ({len(text)} characters)"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text) - limit} more characters)"


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

    def __post_init__(self) -> None:  # whatever built it, a message stays readable
        if len(self.message) > MAX_MESSAGE:
            object.__setattr__(self, "message", _cut(self.message, MAX_MESSAGE))
        if len(self.where) > MAX_WHERE:
            object.__setattr__(self, "where", _cut(self.where, MAX_WHERE))

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


@dataclass(frozen=True)
class MoreProblems(Problem):
    """Stands for the problems left out of a report (see `capped`)."""

    count: int = 0


def capped(problems: Sequence[Problem], omitted: int = 0) -> list[Problem]:
    """The first `MAX_PROBLEMS` problems, then one saying how many more there are (`omitted` of
    them already left out by the caller, plus any beyond the first `MAX_PROBLEMS`).

    Examples:
        >>> report = capped([Problem("d.yaml", f"f{i}", "unknown field") for i in range(52)])
        >>> len(report), str(report[-1])
        (51, 'd.yaml: and 2 more problems (correct the ones above first)')
    """
    shown_problems = [p for p in problems if not isinstance(p, MoreProblems)]
    omitted += sum(p.count for p in problems if isinstance(p, MoreProblems))
    omitted += max(0, len(shown_problems) - MAX_PROBLEMS)
    kept = shown_problems[:MAX_PROBLEMS]
    if omitted:
        file = kept[-1].file if kept else next(p.file for p in problems)
        kept.append(MoreProblems(file, "", f"and {omitted} more problems (correct the ones above first)",
                                 None, omitted))
    return kept


class BgtcError(Exception):
    """Base class of every error this package raises on purpose."""


class InputError(BgtcError):
    """A dossier, rule file or option the user gave cannot be used (exit code 2)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = capped(problems)
        super().__init__("\n".join(str(p) for p in problems))


class EngineError(BgtcError):
    """The inference backend failed; never caused by user input."""


def input_error(file: str, where: str, message: str, line: int | None = None) -> InputError:
    """Shorthand for an `InputError` with a single problem."""
    return InputError([Problem(file, where, message, line)])
