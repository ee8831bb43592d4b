"""The `bgtc` command line: one module per command (group), imported only when that command runs.

Lazy loading keeps `bgtc --version` and a first `bgtc evaluate` fast: pydantic, the rules and the
inference engine are imported by the command that needs them, not by the group.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
import sys
from typing import NoReturn

import click

from bgtc_rules._version import __version__

# command name -> "module:attribute" within this package
COMMANDS = {
    "evaluate": "evaluate:evaluate",
    "explain": "explain:explain",
    "whatif": "explain:whatif",
    "plan": "plan:plan",
    "batch": "batch:batch",
    "rules": "rules:rules",
    "schema": "evaluate:schema",
    "init": "init:init",
    "interview": "interview:interview",
    "docs": "docs:docs",
    "draft": "draft:draft",
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if self._available(name))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None or not self._available(cmd_name):
            return None
        module, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(f"{__name__}.{module}"), attribute)
        assert isinstance(command, click.Command)
        return command

    @staticmethod
    def _available(name: str) -> bool:
        module = COMMANDS[name].partition(":")[0]
        return importlib.util.find_spec(f"{__name__}.{module}") is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bgtc")
def main() -> None:
    """Which FDA designations, pathways and meetings a rare-disease gene therapy program
    qualifies for, why, what is still missing, and when to ask.

    Decision support only; not a determination by FDA.
    """


def run() -> NoReturn:
    """The `bgtc` program: runs `main`, then ends the process without tearing the interpreter down.

    Freeing every module and object at exit (the rules, the dossier schema, the engine) takes
    about 70-100 ms, a fifth of a `bgtc evaluate`; nothing is left for it to do. Each command has
    closed what it wrote and shut down its workers by the time `main` returns, so standard output
    and error are flushed and the process exits with the command's status. An exception other than
    `SystemExit` leaves the ordinary way.
    """
    try:
        main()
        code = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:  # `sys.exit("message")`: printed, status 1, as the interpreter does it
            print(exc.code, file=sys.stderr)
            code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe or stream: nothing can reach it
            stream.flush()
    os._exit(code)
