"""`python -m bgtc_rules` runs the command-line interface."""

from bgtc_rules.cli import run

run()
