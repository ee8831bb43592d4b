"""`bgtc explain` (proof tree of one program) and `bgtc whatif` (what changes with new evidence)."""

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
    program_argument,
    rules_option,
    use_colour,
)


@click.command()
@click.argument("dossier", type=click.Path(dir_okay=False, path_type=Path))
@program_argument
@as_of_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@rules_option
@backend_option
@output_option
@friendly_errors
def explain(dossier: Path, program: str, as_of: str | None, fmt: str, rule_dirs: tuple[Path, ...],
            backend: str | None, output: Path | None) -> None:
    """Why PROGRAM got its determination for DOSSIER: each rule and condition with the fact
    value and its dossier field, the citations, the evidence missing, and the smallest changes
    that would make it eligible.

    PROGRAM is a program id as `bgtc rules list` shows it, in any case, or its common name
    (RMAT, "fast track", pre-IND, BTD).
    """
    from bgtc_rules.advice.explanation import explain as explain_program
    from bgtc_rules.dossier.loading import load_dossier
    from bgtc_rules.language.program_names import resolve_program
    from bgtc_rules.language.rulebase import RuleBase

    rules = RuleBase.load(rule_dirs)
    program = resolve_program(rules.programs, program)
    found = explain_program(load_dossier(dossier), rules, program, as_of=parse_date(as_of), backend=backend,
                            source=str(dossier))
    if fmt == "json":
        emit(found.to_json(), output)
        return
    from bgtc_rules.render.proof_text import render_explanation

    colour = use_colour() and output is None
    emit(render_explanation(found, colour=colour), output)


@click.command()
@click.argument("dossier", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--set", "settings", multiple=True, metavar="PATH=VALUE",
              help="Change a dossier field, e.g. clinical.patients_dosed=3 (repeatable; YAML values).")
@click.option("--unset", "unsets", multiple=True, metavar="PATH", help="Make a dossier field unknown (repeatable).")
@as_of_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@rules_option
@backend_option
@output_option
@friendly_errors
def whatif(dossier: Path, settings: tuple[str, ...], unsets: tuple[str, ...], as_of: str | None, fmt: str,
           rule_dirs: tuple[Path, ...], backend: str | None, output: Path | None) -> None:
    """Re-evaluate DOSSIER with changed evidence and show what changes, program by program.

    A PATH names list items by position from 0: clinical.endpoints[0].effect=substantial_improvement.
    """
    from bgtc_rules.advice.whatif import what_if
    from bgtc_rules.base.errors import input_error
    from bgtc_rules.dossier.editing import REMOVE, parse_assignment
    from bgtc_rules.dossier.loading import load_dossier
    from bgtc_rules.language.rulebase import RuleBase

    if not settings and not unsets:
        raise input_error("bgtc whatif", "", "give the change to try: --set PATH=VALUE (e.g. --set "
                                             "clinical.patients_dosed=3) or --unset PATH; both repeat")
    rules = RuleBase.load(rule_dirs)
    loaded = load_dossier(dossier)
    changes = dict(parse_assignment(s) for s in settings)
    changes.update({path: REMOVE for path in unsets})
    diff = what_if(loaded, rules, changes, as_of=parse_date(as_of), backend=backend, source=str(dossier),
                   changes_source="--set")
    if fmt == "json":
        emit(diff.to_json(), output)
    else:
        from bgtc_rules.render.whatif_text import render_comparison

        emit(render_comparison(diff), output)
