"""`python -m bgtc_rules` runs the command-line interface."""

from .cli import run

run()
