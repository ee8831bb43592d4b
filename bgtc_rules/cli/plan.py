"""`bgtc plan`: a dated regulatory plan, with ICS and CSV export."""

from __future__ import annotations

from pathlib import Path

import click

from bgtc_rules.cli.common import (
    as_of_option,
    backend_option,
    emit,
    friendly_errors,
    output_option,
    parse_date,
    rules_option,
)


@click.command()
@click.argument("dossier", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--start", metavar="DATE", help="The day the first requests go out (default: the --as-of date).")
@as_of_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv", "ics"]), default="text",
              show_default=True)
@click.option("--ics", "ics_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write an iCalendar file.")
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False, path_type=Path), help="Also write a CSV file.")
@rules_option
@backend_option
@output_option
@friendly_errors
def plan(dossier: Path, start: str | None, as_of: str | None, fmt: str, ics_file: Path | None,
         csv_file: Path | None, rule_dirs: tuple[Path, ...], backend: str | None, output: Path | None) -> None:
    """A dated plan for DOSSIER: requests to file, FDA response dates, meeting dates, next steps."""
    from bgtc_rules.advice.plan import plan_for
    from bgtc_rules.base.outputs import write_atomically
    from bgtc_rules.dossier.loading import load_dossier
    from bgtc_rules.language.rulebase import RuleBase
    from bgtc_rules.render.calendar import plan_to_csv, plan_to_ics

    when, first = parse_date(as_of), parse_date(start, "--start")
    rules = RuleBase.load(rule_dirs)
    result = plan_for(load_dossier(dossier), rules, as_of=when, start=first, backend=backend, source=str(dossier))
    if ics_file is not None:
        write_atomically(ics_file, plan_to_ics(result))
    if csv_file is not None:
        write_atomically(csv_file, plan_to_csv(result))
    if fmt == "json":
        text = result.to_json()
    elif fmt == "csv":
        text = plan_to_csv(result)
    elif fmt == "ics":
        text = plan_to_ics(result)
    else:
        from bgtc_rules.render.plan_text import render_plan

        text = render_plan(result)
    emit(text, output)
