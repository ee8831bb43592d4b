"""Shared pieces of the `bgtc` commands: error handling, dates, output, colour.

Exit codes: 0 success; 1 the evaluation found what `--fail-on` asked about; 2 bad input (the
message names file, line or field path, and what was expected) or an output that cannot be
written; 3 an internal error (a bug: please report it); 141 the reader of standard output went
away (SIGPIPE); Ctrl-C ends the program by SIGINT (130 in a shell). No traceback is ever printed.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from bgtc_rules.base.dates import out_of_range
from bgtc_rules.base.errors import BgtcError, InputError, input_error, shown
from bgtc_rules.base.safetext import visible

EXIT_FOUND = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3
EXIT_SIGNAL = 128  # plus the signal's number, as a shell reports a program a signal ended

F = TypeVar("F", bound=Callable[..., Any])



def cores_available() -> int:
    """The cores this process may run on (its CPU affinity, which a container's limit narrows)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # a platform without affinity (macOS)
        return os.cpu_count() or 1

def _fail(lines: list[str], code: int) -> None:
    for line in lines:
        click.echo(visible(f"error: {line}"), err=True)  # a rule id or a value can hold escapes
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
        except BrokenPipeError:
            # The reader went away (`bgtc ... | head`): stop quietly with the status of a program
            # that SIGPIPE ended, as other command-line tools do; nothing more reaches the pipe.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(EXIT_SIGNAL + signal.SIGPIPE)
        except (KeyboardInterrupt, click.exceptions.Exit, click.ClickException):
            raise
        except Exception as exc:  # a bug; say so briefly rather than dump a traceback
            _fail([f"internal error: {type(exc).__name__}: {exc} (please report it)"], EXIT_INTERNAL)
        return None

    return wrapper  # type: ignore[return-value]


def parse_date(value: str | None, option: str = "--as-of") -> dt.date | None:
    """An ISO date from an option, or `InputError` naming the option."""
    if value is None:
        return None
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        raise input_error(option, "", f"expected a date as YYYY-MM-DD, got {shown(value)}") from None
    if problem := out_of_range(date):
        raise input_error(option, "", problem)
    return date


def use_colour() -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set."""
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def emit(text: str, output: Path | None) -> None:
    """Print `text`, or write it atomically to `output`."""
    if output is None:
        try:
            _write_stdout(text)
        except BrokenPipeError:
            raise
        except OSError as exc:  # a full disk or a device error behind a redirection
            raise input_error("standard output", "", f"cannot write: {exc.strerror or exc}") from None
    else:
        from bgtc_rules.base.outputs import write_atomically

        write_atomically(output, text)


def _write_stdout(text: str) -> None:
    """All of `text` on standard output, or an `OSError`: through the file descriptor, write by
    write (see `base.outputs.write_all`), never leaving the end of it in a buffer that drops it."""
    from bgtc_rules.base.outputs import write_all

    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (a test runner's capture)
        click.echo(text, nl=False)
        return
    sys.stdout.flush()
    text = visible(text, keep_style=sys.stdout.isatty())
    write_all(descriptor, text.encode(sys.stdout.encoding or "utf-8", "replace"))


def as_of_option(command: F) -> F:
    return click.option("--as-of", "as_of", metavar="DATE",
                        help="Apply the rules in force on this date (default: today).")(command)


def rules_option(command: F) -> F:
    return click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False, path_type=Path),
                        help="Extra rules directory (repeatable), loaded after the bundled rules.")(command)


def backend_option(command: F) -> F:
    return click.option("--backend", type=click.Choice(["auto", "durable-rules", "reference"]),
                        help="Inference backend (default: $BGTC_BACKEND, else auto).")(command)


def complete_program(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion of a PROGRAM argument: the ids of the programs (bundled, and `--rules`
    where it was given before), with their names; `cover` too for `bgtc draft`."""
    from click.shell_completion import CompletionItem

    from bgtc_rules.language.rulebase import RuleBase

    try:
        programs = RuleBase.load(ctx.params.get("rule_dirs") or ()).programs
    except Exception:  # a completion must never print an error into the user's command line
        return []
    choices = [(p.id, p.name) for p in programs.values()]
    if ctx.command.name == "draft":
        choices.append(("cover", "the designations cover sheet"))
    wanted = incomplete.lower()
    return [CompletionItem(program_id, help=name) for program_id, name in sorted(choices)
            if program_id.startswith(wanted)]


def program_argument(command: F) -> F:
    return click.argument("program", shell_complete=complete_program)(command)


def output_option(command: F) -> F:
    return click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
                        help="Write to this file (atomically) instead of standard output.")(command)
