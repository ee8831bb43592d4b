"""Text rendering of a program's proof tree (`bgtc explain`)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import click

from bgtc_rules.advice.assessment import DISCLAIMER
from bgtc_rules.advice.explanation import Explanation
from bgtc_rules.engine.proof import ConditionProof, RuleProof
from bgtc_rules.engine.results import Determination
from bgtc_rules.language.truth import TRUTH_LOOKS
from bgtc_rules.language.wording import answer
from bgtc_rules.render.source_list import SourceList, text_list, text_reference


class _Writer:
    def __init__(self, colour: bool) -> None:
        self.colour = colour
        self.lines: list[str] = []
        self.caveats: dict[str, int] = {}  # each caveat numbered once, in the order it is met
        self.sources = SourceList()  # and each source

    def mark(self, value: bool | None) -> str:
        look = TRUTH_LOOKS[value]
        return click.style(look.symbol, fg=look.terminal, bold=True) if self.colour else look.symbol

    def caveat_numbers(self, caveats: Sequence[str]) -> str:
        numbers = [self.caveats.setdefault(c, len(self.caveats) + 1) for c in caveats]
        return ", ".join(str(n) for n in numbers)

    def rule(self, proof: RuleProof, indent: int, questions: dict[str, str]) -> None:
        pad = "  " * indent
        self.lines.append(f"{pad}{self.mark(proof.value)} {proof.title} ({TRUTH_LOOKS[proof.value].phrase})")
        if proof.in_force.value is not True:
            self.condition(proof.in_force, indent + 2, questions)
        self.condition(proof.condition, indent + 2, questions)
        for citation in proof.citations:
            self.lines.append(f"{pad}    source: {text_reference(self.sources, citation)}")
        if proof.caveats:
            plural = "s" if len(set(proof.caveats)) > 1 else ""
            self.lines.append(f"{pad}    see caveat{plural} {self.caveat_numbers(proof.caveats)}")

    def condition(self, proof: ConditionProof, indent: int, questions: dict[str, str]) -> None:
        pad = "  " * indent
        line = f"{pad}{self.mark(proof.value)} {proof.text}"
        if proof.fact is not None:
            line += f"    (your dossier: {answer(proof.fact_value)})"
            if proof.fact_value is None and proof.fact in questions:
                line += f"\n{pad}    to answer: {questions[proof.fact]}"
        self.lines.append(line)
        for part in proof.parts:
            self.condition(part, indent + 1, questions)
        for rule in proof.derived_by:
            self.rule(rule, indent + 2, questions)


def render_explanation(explanation: Explanation, colour: bool = False) -> str:
    """The proof tree of one program, the evidence missing, what would change the outcome, and
    the caveats, each numbered once."""
    assessment, item, proofs = explanation.assessment, explanation.item, explanation.proofs
    writer = _Writer(colour)
    status = item.determination.look.word
    writer.lines.append(f"{item.name}: {click.style(status, bold=True) if colour else status}")
    writer.lines.append(f"  {item.reason}")
    standing = assessment.standing_words(item.program)
    if standing:
        writer.lines.append(f"  {standing}")
    writer.lines.append(f"  as of {assessment.as_of.isoformat()}; rules {assessment.rules_edition}; "
                        f"backend {assessment.backend}")
    questions = {m.path: m.question for r in item.rules for m in r.missing}
    writer.lines.append("")
    for proof in proofs:
        writer.rule(proof, 1, questions)
        writer.lines.append("")
    if item.missing:
        writer.lines.append("Evidence missing (answer these to decide):")
        writer.lines.extend(f"  - {m.question}" for m in item.missing)
        writer.lines.append("")
    if explanation.changes:
        writer.lines.append("Smallest changes that would make it eligible:")
        for index, combo in enumerate(explanation.changes, 1):
            if len(combo) == 1:
                writer.lines.append(f"  {index}. {explanation.says(combo[0])}")
                continue
            writer.lines.append(f"  {index}. All of these together:")
            writer.lines.extend(f"     - {explanation.says(c)}" for c in combo)
        writer.lines.append("")
    elif item.determination is not Determination.ELIGIBLE:
        writer.lines += ["No change this program can still make (without going back a stage, or changing a fact",
                         "of the disease or the product) would make it eligible.", ""]
    writer.caveat_numbers(item.caveats)
    if writer.caveats:
        writer.lines.append("Caveats:")
        for caveat, number in writer.caveats.items():
            writer.lines.extend(textwrap.wrap(caveat, 100, initial_indent=f"  {number}. ",
                                              subsequent_indent=" " * (len(str(number)) + 4)))
        writer.lines.append("")
    if writer.sources:
        writer.lines += [*text_list(writer.sources), ""]
    writer.lines.append(DISCLAIMER)
    return "\n".join(writer.lines) + "\n"
