#!/usr/bin/env python3
"""Thin launcher: `python cli.py ...` is the same as the installed `bgtc` command."""

from bgtc_rules.cli import run

if __name__ == "__main__":
    run()
