"""`bgtc evaluate` and `bgtc schema`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from bgtc_rules.base.errors import input_error
from bgtc_rules.cli.common import (
    EXIT_FOUND,
    as_of_option,
    backend_option,
    emit,
    friendly_errors,
    output_option,
    parse_date,
    rules_option,
    use_colour,
)
from bgtc_rules.engine.determination import Determination  # light: names and words only

REPORT_FORMATS = ("markdown", "html")


@click.command()
@click.argument("dossier", type=click.Path(dir_okay=False, path_type=Path))
@as_of_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "html"]), default="text",
              show_default=True,
              help="markdown and html: a full report (summary, plan timeline, every program's explanation).")
@click.option("--start", metavar="DATE",
              help="For the markdown and html reports: the day the plan's first requests go out "
                   "(default: the --as-of date; without --as-of, the rules are also applied on this date).")
@click.option("--detail", is_flag=True,
              help="Text: everything (every program's reason and questions, stacking notes, every caveat); "
                   "JSON: also every rule's whole condition tree with each value.")
@click.option("--fail-on", "fail_on", multiple=True,
              type=click.Choice([d.value for d in Determination]),
              help="Exit 1 if any program gets this determination (repeatable), e.g. --fail-on undetermined.")
@rules_option
@backend_option
@output_option
@friendly_errors
def evaluate(dossier: Path, as_of: str | None, fmt: str, start: str | None, detail: bool, fail_on: tuple[str, ...],
             rule_dirs: tuple[Path, ...], backend: str | None, output: Path | None) -> None:
    """Evaluate DOSSIER: one determination per program, with reasons.

    Exit status: 0 done; 1 a program got a determination named by --fail-on; 2 bad input.
    """
    from bgtc_rules.advice.evaluation import evaluate as run
    from bgtc_rules.dossier.loading import load_dossier
    from bgtc_rules.language.rulebase import RuleBase

    when = parse_date(as_of)
    first = parse_date(start, "--start")
    if first is not None and fmt not in REPORT_FORMATS:
        raise input_error("--start", "", "only the markdown and html reports have a plan; use --format markdown "
                          "or --format html (or `bgtc plan`)")
    loaded = load_dossier(dossier)
    rules = RuleBase.load(rule_dirs)
    if fmt in REPORT_FORMATS:
        from bgtc_rules.advice.report import build_report

        # as `bgtc plan` does: without --as-of, the rules are applied on the --start date
        report = build_report(loaded, rules, as_of=when or first, backend=backend, source=str(dossier),
                              start=first)
        if fmt == "html":
            from bgtc_rules.render.html import render_html

            emit(render_html(report), output)
        else:
            from bgtc_rules.render.markdown import render_markdown

            emit(render_markdown(report), output)
        _fail_on(report.assessment.determinations(), fail_on)
        return
    assessment = run(loaded, rules, as_of=when, backend=backend, source=str(dossier), detail=detail)
    if fmt == "json":
        text = assessment.to_json()
    else:
        from bgtc_rules.render.text import render_text

        text = render_text(assessment, colour=use_colour() and output is None, detail=detail)
    emit(text, output)
    _fail_on(assessment.determinations(), fail_on)


def _fail_on(determinations: dict[str, str], wanted: tuple[str, ...]) -> None:
    found = sorted(p for p, d in determinations.items() if d in wanted)
    if found:
        click.echo(f"--fail-on: {len(found)} program(s): " + ", ".join(found), err=True)
        raise SystemExit(EXIT_FOUND)


@click.command()
@output_option
@friendly_errors
def schema(output: Path | None) -> None:
    """Print the JSON Schema of the evidence dossier."""
    from bgtc_rules.dossier.loading import dossier_json_schema

    emit(json.dumps(dossier_json_schema(), indent=2) + "\n", output)
