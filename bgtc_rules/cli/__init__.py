"""The `bgtc` command line: one module per command (group), imported only when that command runs.

Lazy loading keeps `bgtc --version` and a first `bgtc evaluate` fast: pydantic, the rules and the
inference engine are imported by the command that needs them, not by the group.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import importlib.util
import os
import signal
import sys
import types
import warnings
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
    "rebuild": "rebuild:rebuild",
    "rules": "rules:rules",
    "schema": "evaluate:schema",
    "init": "init:init",
    "interview": "interview:interview",
    "docs": "docs:docs",
    "serve": "serve:serve",
    "draft": "draft:draft",
}

# Commands that evaluate or print once and end: they run without the cyclic garbage collector (see
# `run`). The others work through many dossiers or requests (`batch`, `serve`, `rebuild`), or for
# as long as someone answers (`interview`), and keep it.
ONE_SHOT = frozenset({"evaluate", "explain", "whatif", "plan", "schema", "rules", "init", "draft"})
# Commands that evaluate many dossiers and then end: they too have no use for pydantic's plugins.
EVALUATES_MANY = frozenset({"batch"})


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


def _start_one_shot() -> None:
    """What a command that evaluates once and ends can leave out."""
    # Start-up makes objects that live until the end (modules, the rules, the engine's ruleset),
    # which the collector would otherwise walk again and again: about 140 collections, 50 ms,
    # a tenth of a cold `bgtc evaluate`. One evaluation leaves little garbage, all freed at exit.
    gc.disable()
    _leave_out_plugins()


def _leave_out_plugins() -> None:
    """pydantic looks for plugins (package entry points) the first time it builds a validator:
    a scan of every installed distribution's metadata, 20-70 ms of a cold `bgtc evaluate`
    depending on how many packages the environment has. A command that evaluates and ends has
    no use for them; setting the variable (even to an empty string) brings the scan back."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] in _ALL_PLUGINS_OFF:
        _skip_plugin_loader()


# The values of PYDANTIC_DISABLE_PLUGINS for which pydantic's `get_plugins` returns no plugin.
_ALL_PLUGINS_OFF = frozenset({"__all__", "1", "true"})
_PLUGIN_LOADER = "pydantic.plugin._loader"


def _skip_plugin_loader() -> None:
    """Stand in for pydantic's plugin loader while every plugin is off.

    pydantic imports its loader when it builds its first validator, and the loader imports
    `importlib.metadata` (with `email`, `zipfile`, `csv`, `shutil`, ...: 15-20 ms of a cold
    `bgtc evaluate`) before it reads the variable that turns plugins off. With plugins off its
    `get_plugins` returns nothing, as this stand-in does; any other name is read from the real
    loader, imported then, so a pydantic that asks the loader for more still gets it."""
    if _PLUGIN_LOADER in sys.modules:
        return
    stand_in = types.ModuleType(_PLUGIN_LOADER, _skip_plugin_loader.__doc__)

    def get_plugins(*_args: object, **_kwargs: object) -> tuple[()]:  # whatever a later pydantic passes
        return ()

    def real_attribute(name: str) -> object:
        if name.startswith("__"):  # what the import system asks of any module (`__path__`, ...)
            raise AttributeError(name)
        if sys.modules.get(_PLUGIN_LOADER) is stand_in:
            del sys.modules[_PLUGIN_LOADER]
        return getattr(importlib.import_module(_PLUGIN_LOADER), name)

    stand_in.get_plugins = get_plugins  # type: ignore[attr-defined]
    stand_in.__getattr__ = real_attribute  # type: ignore[method-assign]
    sys.modules[_PLUGIN_LOADER] = stand_in


def run() -> NoReturn:
    """The `bgtc` program: runs `main`, then ends the process without tearing the interpreter down.

    Freeing every module and object at exit (the rules, the dossier schema, the engine) takes
    about 70-100 ms, a fifth of a `bgtc evaluate`; nothing is left for it to do. Each command has
    closed what it wrote and shut down its workers by the time `main` returns, so standard output
    and error are flushed and the process exits with the command's status.

    Ctrl-C unwinds the command (outputs are discarded or, for `batch`, kept for `--resume`), then
    the process ends by SIGINT itself, as the shell that started it expects: a script's loop stops.
    """
    warnings.formatwarning = _one_line_warning
    command = _command_named(sys.argv[1:])
    if command in ONE_SHOT:
        _start_one_shot()
    elif command in EVALUATES_MANY:
        _leave_out_plugins()
    from bgtc_rules.base.safetext import VisibleStream

    # Every message, prompt and result printed shows control characters instead of obeying them.
    sys.stdout, sys.stderr = VisibleStream(sys.stdout), VisibleStream(sys.stderr)
    try:
        status = main(standalone_mode=False)
        code = status if isinstance(status, int) else 0
    except click.exceptions.Abort as exc:  # click's form of Ctrl-C (and of end of input at a prompt)
        for interrupt in (exc.__cause__, exc.__context__):
            if isinstance(interrupt, KeyboardInterrupt):
                _end_by(getattr(interrupt, "signum", signal.SIGINT))
        print("Aborted!", file=sys.stderr)
        code = 1
    except KeyboardInterrupt as exc:
        _end_by(getattr(exc, "signum", signal.SIGINT))
    except click.ClickException as exc:  # usage errors: click's message, its status (2)
        exc.show()
        code = exc.exit_code
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:  # `sys.exit("message")`: printed, status 1, as the interpreter does it
            print(exc.code, file=sys.stderr)
            code = 1
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away: quietly, with the status SIGPIPE would give
        code = code or 128 + signal.SIGPIPE
    except (OSError, ValueError) as exc:
        print(f"error: standard output: cannot write: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
        code = code or 2
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)


def _command_named(arguments: list[str]) -> str | None:
    """The command a `bgtc` command line runs: its first argument that is not an option (the group's
    own options, `--help` and `--version`, take no value)."""
    return next((argument for argument in arguments if not argument.startswith("-")), None)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is so that it unwinds as on Ctrl-C (temporary files
    removed, a batch's partial output kept for `--resume`), then ends by SIGTERM."""

    signum = signal.SIGTERM


def end_cleanly_on_sigterm() -> None:
    """Have SIGTERM unwind the command like Ctrl-C (see `Terminated`) instead of ending it at once."""
    def terminated(signum: int, frame: object) -> None:
        raise Terminated

    signal.signal(signal.SIGTERM, terminated)


def _end_by(signum: signal.Signals) -> NoReturn:
    """End the process by `signum` with its default action (no handler, no core dump for SIGINT)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)
    os._exit(128 + signum)  # if the signal could not end it


def _one_line_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                      line: str | None = None) -> str:
    """Warnings as a command line says them: no source file and line of ours."""
    return f"bgtc: warning: {message}\n"
