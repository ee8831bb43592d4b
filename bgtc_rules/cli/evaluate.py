"""`bgtc evaluate` and `bgtc schema`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .common import (
    as_of_option,
    backend_option,
    emit,
    friendly_errors,
    output_option,
    parse_date,
    rules_option,
    use_colour,
)


@click.command()
@click.argument("dossier", type=click.Path(dir_okay=False, path_type=Path))
@as_of_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@rules_option
@backend_option
@output_option
@friendly_errors
def evaluate(dossier: Path, as_of: str | None, fmt: str, rule_dirs: tuple[Path, ...], backend: str | None,
             output: Path | None) -> None:
    """Evaluate DOSSIER: one determination per program, with reasons."""
    from ..dossier_io import load_dossier
    from ..evaluate import evaluate as run
    from ..rulebase import RuleBase

    when = parse_date(as_of)
    loaded = load_dossier(dossier)
    rules = RuleBase.load(rule_dirs)
    assessment = run(loaded, rules, as_of=when, backend=backend, source=str(dossier))
    if fmt == "json":
        text = assessment.to_json()
    else:
        from ..render.text import render_text

        text = render_text(assessment, colour=use_colour() and output is None)
    emit(text, output)


@click.command()
@output_option
@friendly_errors
def schema(output: Path | None) -> None:
    """Print the JSON Schema of the evidence dossier."""
    from ..dossier_io import dossier_json_schema

    emit(json.dumps(dossier_json_schema(), indent=2) + "\n", output)
