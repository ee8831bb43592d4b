"""The `bgtc` command line: one module per command (group), registered here.

Commands import their heavy dependencies lazily, so `bgtc --help` and a first evaluation stay fast.
"""

from __future__ import annotations

import click

from .. import __version__
from .evaluate import evaluate, schema
from .explain import explain, whatif
from .plan import plan


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bgtc")
def main() -> None:
    """Which FDA designations, pathways and meetings a rare-disease gene therapy program
    qualifies for, why, what is still missing, and when to ask.

    Decision support only; not a determination by FDA.
    """


main.add_command(evaluate)
main.add_command(schema)
main.add_command(explain)
main.add_command(whatif)
main.add_command(plan)
