"""`bgtc interview`: build a dossier by answering only the questions that can change the advice.

This module is the command and its options; the dialogue (`cli.dialogue`), with the rules and the
advice it needs, is imported when the command runs, so that `bgtc --help` stays quick.
"""

from __future__ import annotations

from pathlib import Path

import click

from bgtc_rules.cli.common import as_of_option, backend_option, friendly_errors, rules_option

PROGRESS_FILE = Path("interview-progress.yaml")


@click.command()
@click.option("--resume", type=click.Path(dir_okay=False, path_type=Path), metavar="DOSSIER",
              help="Continue from this dossier: ask only what is still unknown and decisive; the answers are "
                   "saved back to it (unless --output names another file).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write the dossier here (atomically); default: print it. Also where Ctrl-C saves progress "
                   f"(default: {PROGRESS_FILE}).")
@as_of_option
@rules_option
@backend_option
@friendly_errors
def interview(resume: Path | None, output: Path | None, as_of: str | None, rule_dirs: tuple[Path, ...],
              backend: str | None) -> None:
    """Build a dossier by answering, one at a time, only the questions that can change the advice.

    Each question is the one that can decide the most open determinations. Answer ? (or skip) when
    you do not know, back to return to the previous question; Ctrl-C saves your progress.
    """
    from bgtc_rules.cli.dialogue import converse

    converse(resume, output, as_of, rule_dirs, backend, PROGRESS_FILE)
