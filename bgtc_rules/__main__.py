"""`python -m bgtc_rules` runs the command-line interface."""

from .cli import main

main()
