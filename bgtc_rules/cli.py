"""The `bgtc` command line.

Exit codes: 0 success; 2 bad input (the message names file, line or field path, and what was
expected); 3 an internal error (a bug: please report it). No traceback is ever printed.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .errors import BgtcError, InputError, input_error

EXIT_INPUT = 2
EXIT_INTERNAL = 3

F = TypeVar("F", bound=Callable[..., Any])


def _fail(lines: list[str], code: int) -> None:
    for line in lines:
        click.echo(f"error: {line}", err=True)
    sys.exit(code)


def friendly_errors(command: F) -> F:
    """Turn every error into a short message and an exit code, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            _fail([str(p) for p in exc.problems], EXIT_INPUT)
        except BgtcError as exc:
            _fail([f"{exc} (internal error; please report it)"], EXIT_INTERNAL)
        except (KeyboardInterrupt, click.exceptions.Exit, click.ClickException):
            raise
        except Exception as exc:  # a bug; say so briefly rather than dump a traceback
            _fail([f"internal error: {type(exc).__name__}: {exc} (please report it)"], EXIT_INTERNAL)
        return None

    return wrapper  # type: ignore[return-value]


def _as_of(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise input_error("--as-of", "", f"expected a date as YYYY-MM-DD, got {value!r}") from None


def _use_colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bgtc")
def main() -> None:
    """Which FDA designations, pathways and meetings a rare-disease gene therapy program
    qualifies for, why, what is still missing, and when to ask.

    Decision support only; not a determination by FDA.
    """


@main.command()
@click.argument("dossier", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as-of", "as_of", metavar="DATE", help="Apply the rules in force on this date (default: today).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="Extra rules directory (repeatable), loaded after the bundled rules.")
@click.option("--backend", type=click.Choice(["auto", "durable-rules", "reference"]),
              help="Inference backend (default: $BGTC_BACKEND, else auto).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (atomically) instead of standard output.")
@friendly_errors
def evaluate(dossier: Path, as_of: str | None, fmt: str, rule_dirs: tuple[Path, ...], backend: str | None,
             output: Path | None) -> None:
    """Evaluate DOSSIER: one determination per program, with reasons."""
    from .dossier_io import load_dossier
    from .evaluate import evaluate as run
    from .rulebase import RuleBase

    when = _as_of(as_of)
    loaded = load_dossier(dossier)
    rules = RuleBase.load(rule_dirs)
    assessment = run(loaded, rules, as_of=when, backend=backend, source=str(dossier))
    if fmt == "json":
        text = assessment.to_json()
    else:
        from .render.text import render_text

        text = render_text(assessment, colour=_use_colour() and output is None)
    _emit(text, output)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
    else:
        from .outputs import write_atomically

        write_atomically(output, text)


@main.command()
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path))
@friendly_errors
def schema(output: Path | None) -> None:
    """Print the JSON Schema of the evidence dossier."""
    from .dossier_io import dossier_json_schema

    _emit(json.dumps(dossier_json_schema(), indent=2) + "\n", output)
