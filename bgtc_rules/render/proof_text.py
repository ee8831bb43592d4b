"""Text rendering of a program's proof tree (`bgtc explain`)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import click

from bgtc_rules.advice.assessment import DISCLAIMER, Assessment
from bgtc_rules.engine.counterfactual import Change
from bgtc_rules.engine.proof import ConditionProof, RuleProof
from bgtc_rules.engine.results import Determination, ProgramAssessment
from bgtc_rules.language.leaves import display_value

_MARK = {True: "✔", False: "✘", None: "?"}
_COLOUR = {True: "green", False: "red", None: "yellow"}
_WORD = {True: "holds", False: "refuted", None: "unknown"}


class _Writer:
    def __init__(self, colour: bool) -> None:
        self.colour = colour
        self.lines: list[str] = []

    def mark(self, value: bool | None) -> str:
        text = _MARK[value]
        return click.style(text, fg=_COLOUR[value], bold=True) if self.colour else text

    def rule(self, proof: RuleProof, indent: int, questions: dict[str, str]) -> None:
        pad = "  " * indent
        self.lines.append(f"{pad}{self.mark(proof.value)} {proof.rule_id}: {proof.title} [{_WORD[proof.value]}]")
        if proof.in_force.value is not True:
            self.condition(proof.in_force, indent + 2, questions)
        self.condition(proof.condition, indent + 2, questions)
        for citation in proof.citations:
            where = f" <{citation.url}>" if citation.url else ""
            self.lines.append(f"{pad}    source: {citation.document}, {citation.section}{where}")
        for caveat in proof.caveats:
            self.lines.extend(textwrap.wrap(caveat, 100, initial_indent=f"{pad}    caveat: ",
                                            subsequent_indent=f"{pad}            "))

    def condition(self, proof: ConditionProof, indent: int, questions: dict[str, str]) -> None:
        pad = "  " * indent
        line = f"{pad}{self.mark(proof.value)} {proof.text}"
        if proof.fact is not None:
            line += f"    [{proof.fact} = {display_value(proof.fact_value)}]"
            if proof.fact_value is None and proof.fact in questions:
                line += f"\n{pad}    ask: {questions[proof.fact]}"
        self.lines.append(line)
        for part in proof.parts:
            self.condition(part, indent + 1, questions)
        for rule in proof.derived_by:
            self.rule(rule, indent + 2, questions)


def render_explanation(assessment: Assessment, item: ProgramAssessment, proofs: Sequence[RuleProof],
                       changes: Sequence[tuple[Change, ...]], colour: bool = False) -> str:
    """The proof tree of one program, the evidence missing, and what would change the outcome."""
    writer = _Writer(colour)
    status = item.determination.value
    writer.lines.append(f"{item.name} ({item.program}): {click.style(status, bold=True) if colour else status}")
    writer.lines.append(f"  {item.reason}")
    writer.lines.append(f"  as of {assessment.as_of.isoformat()}; rules {assessment.rules_edition}; "
                        f"backend {assessment.backend}")
    questions = {m.path: m.question for r in item.rules for m in r.missing}
    writer.lines.append("")
    for proof in proofs:
        writer.rule(proof, 1, questions)
        writer.lines.append("")
    if item.missing:
        writer.lines.append("Evidence missing (answer these to decide):")
        writer.lines.extend(f"  - {m.path}: {m.question}" for m in item.missing)
        writer.lines.append("")
    if changes:
        writer.lines.append("Smallest changes that would make it eligible:")
        for index, combo in enumerate(changes, 1):
            writer.lines.append(f"  {index}. " + "; and ".join(c.summary for c in combo))
        writer.lines.append("")
    elif item.determination is not Determination.ELIGIBLE:
        writer.lines += ["No change this program can still make (without going back a stage, or changing a fact",
                         "of the disease or the product) would make it eligible.", ""]
    writer.lines.append(DISCLAIMER)
    return "\n".join(writer.lines) + "\n"
