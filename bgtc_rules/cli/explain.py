"""`bgtc explain` (proof tree of one program) and `bgtc whatif` (what changes with new evidence)."""

from __future__ import annotations

import json
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
    use_colour,
)


@click.command()
@click.argument("dossier", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("program")
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
    that would make it eligible."""
    from bgtc_rules.advice.evaluation import evaluate_with_proofs
    from bgtc_rules.dossier.loading import load_dossier
    from bgtc_rules.engine.counterfactual import changes_to_reach
    from bgtc_rules.engine.results import Determination
    from bgtc_rules.language.rulebase import RuleBase

    rules = RuleBase.load(rule_dirs)
    loaded = load_dossier(dossier)
    assessment, by_program = evaluate_with_proofs(loaded, rules, [program], as_of=parse_date(as_of),
                                                  backend=backend, source=str(dossier))
    proofs = by_program[program]
    item = assessment.program(program)
    changes = []
    if item.determination is not Determination.ELIGIBLE:
        changes = changes_to_reach(loaded, rules, program, assessment.as_of)
    if fmt == "json":
        from bgtc_rules.engine.proof import rule_proof_dict

        data = {
            "format": "bgtc.explanation/1",
            "program": program,
            "determination": item.determination.value,
            "reason": item.reason,
            "as_of": assessment.as_of.isoformat(),
            "backend": assessment.backend,
            "rules": {"edition": assessment.rules_edition, "digest": assessment.rules_digest},
            "rules_proofs": [rule_proof_dict(p) for p in proofs],
            "missing": [{"fact": m.path, "question": m.question} for m in item.missing],
            "changes_to_eligible": [[{"path": c.path, "value": c.value, "summary": c.summary} for c in combo]
                                    for combo in changes],
        }
        emit(json.dumps(data, indent=2, default=str) + "\n", output)
        return
    from bgtc_rules.render.proof_text import render_explanation

    emit(render_explanation(assessment, item, proofs, changes, colour=use_colour() and output is None), output)


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
    """Re-evaluate DOSSIER with changed evidence and show what changes, program by program."""
    from bgtc_rules.advice.evaluation import evaluate
    from bgtc_rules.advice.whatif import compare
    from bgtc_rules.dossier.editing import REMOVE, parse_assignment, with_changes
    from bgtc_rules.dossier.loading import load_dossier
    from bgtc_rules.language.rulebase import RuleBase

    rules = RuleBase.load(rule_dirs)
    loaded = load_dossier(dossier)
    changes = dict(parse_assignment(s) for s in settings)
    changes.update({path: REMOVE for path in unsets})
    changed = with_changes(loaded, changes, source="--set")
    when = parse_date(as_of)
    before = evaluate(loaded, rules, as_of=when, backend=backend, source=str(dossier))
    after = evaluate(changed, rules, as_of=when, backend=backend, source=str(dossier))
    diff = compare(before, after)
    if fmt == "json":
        emit(json.dumps(diff.to_dict(), indent=2) + "\n", output)
    else:
        from bgtc_rules.render.whatif_text import render_comparison

        emit(render_comparison(diff), output)
