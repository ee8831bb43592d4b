"""The rule-base dictionary: what every assessment of a rule base shares, written once.

A compact batch line (`advice.compact`) keeps what is about its dossier and points into this
dictionary for the rest: each program's name, kind and rules; each rule's title, what it
concludes, its explanation, citations and caveats; the questions asked for missing facts; the
benefits' wording; the concepts' names; and the `sources` and `caveats` tables themselves (by the
same ids as the full export). The dictionary names its rule base by edition and digest, and a line
names the digest it was written with: a line is rebuilt only with the dictionary of its rule base.

Examples:
    >>> from bgtc_rules.language.rulebase import RuleBase
    >>> dictionary = dictionary_for(RuleBase.load())
    >>> data = dictionary.to_dict()
    >>> data["format"], data["rules"]["digest"] == dictionary.digest
    ('bgtc.dictionary/1', True)
    >>> RuleDictionary.from_dict(data, "dictionary.json").to_dict() == data
    True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bgtc_rules.advice.assessment import DISCLAIMER, FORMAT
from bgtc_rules.advice.export_parts import _missing_dict
from bgtc_rules.advice.references import References
from bgtc_rules.base.errors import input_error
from bgtc_rules.base.jsontext import compact
from bgtc_rules.base.memo import remember
from bgtc_rules.engine.explain import MissingFact
from bgtc_rules.engine.inference import derived_text
from bgtc_rules.engine.results import citation_dict
from bgtc_rules.engine.rule_engine import engine_for
from bgtc_rules.language.rulebase import RuleBase

DICTIONARY_FORMAT = "bgtc.dictionary/1"


@dataclass(frozen=True)
class RuleEntry:
    """What every result and firing of one rule shares."""

    title: str
    concludes: str
    explanation: str
    citations: tuple[str, ...]  # ids in the `sources` table
    caveats: tuple[str, ...]  # ids in the `caveats` table
    derives: str  # what a firing of the rule derives, in the trace's words
    ask: Mapping[str, str] = field(default_factory=dict)  # the rule's own questions, by fact

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"title": self.title, "concludes": self.concludes, "explanation": self.explanation,
                                "citations": list(self.citations), "caveats": list(self.caveats),
                                "derives": self.derives}
        if self.ask:
            data["ask"] = dict(self.ask)
        return data


@dataclass(frozen=True)
class ProgramEntry:
    name: str
    kind: str
    rules: tuple[str, ...]  # the program's rules, in the order its results list them
    caveats: tuple[str, ...] = ()  # ids of the program's own caveats
    concept_caveats: tuple[str, ...] = ()  # ids of the caveats of the concepts its rules read

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "rules": list(self.rules), "caveats": list(self.caveats),
                "concept_caveats": list(self.concept_caveats)}


@dataclass(frozen=True)
class BenefitEntry:
    text: str
    citations: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "citations": list(self.citations)}


@dataclass(eq=False)
class RuleDictionary:
    """A rule base's dictionary (see the module's text). `written` remembers the compact parts of
    program assessments already written with it (they are shared between assessments; the rule
    base's `References.compact_written`, which `clear_caches` clears)."""

    edition: str
    digest: str
    programs: dict[str, ProgramEntry]
    rules: dict[str, RuleEntry]
    questions: dict[str, str]
    benefits: dict[str, BenefitEntry]
    concepts: tuple[str, ...]
    sources: dict[str, dict[str, Any]]
    caveats: dict[str, str]
    assessment_format: str = FORMAT
    disclaimer: str = DISCLAIMER
    written: dict[int, tuple[Any, dict[str, Any]]] = field(default_factory=dict, repr=False)
    # Each program's caveats as its rules' results give them, by (program, results): see `advice.compact`.
    derived_caveats: dict[tuple[str, str], list[str]] = field(default_factory=dict, repr=False)
    # The ids of a program's caveats, by the caveats (None where one is not the rule base's).
    caveat_ids: dict[tuple[str, ...], list[str] | None] = field(default_factory=dict, repr=False)
    # A missing fact's compact entry, per missing fact (made once per rule base, see `engine.explain`).
    missing_entries: dict[int, tuple[MissingFact, Any]] = field(default_factory=dict, repr=False)
    # Each rule's citations as its firings hand them over (`advice.evaluation.rule_citations`), with
    # the ids the export gives them, where those are the ids the rule's entry lists.
    firing_citations: dict[str, tuple[tuple[Any, ...], tuple[str, ...]]] = field(default_factory=dict, repr=False)

    def missing_entry(self, missing: MissingFact) -> Any:
        """A missing fact in a compact line: [fact, rule] or [fact, rule, via] where the dictionary
        has its question, else the whole record; remembered per missing fact (the explanations
        make each once per rule base, see `engine.explain`)."""
        known = self.missing_entries.get(id(missing))
        if known is not None and known[0] is missing:
            return known[1]
        entry: Any = [missing.path, missing.rule_id, *([list(missing.via)] if missing.via else [])]
        if self.question(missing.rule_id, missing.path) != missing.question:
            entry = _missing_dict(missing)
        return remember(self.missing_entries, id(missing), (missing, entry), References.RULE_LIMIT)[1]

    def question(self, rule: str, fact: str) -> str | None:
        """The question asked when `fact` is missing behind `rule`, as the rule base words it
        (None where the dictionary does not know: the line then keeps the question itself)."""
        entry = self.rules.get(rule)
        return (entry.ask.get(fact) if entry is not None else None) or self.questions.get(fact)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": DICTIONARY_FORMAT,
            "rules": {"edition": self.edition, "digest": self.digest},
            "assessment": {"format": self.assessment_format, "disclaimer": self.disclaimer},
            "programs": {key: entry.to_dict() for key, entry in self.programs.items()},
            "rule_entries": {key: entry.to_dict() for key, entry in self.rules.items()},
            "questions": self.questions,
            "benefits": {key: entry.to_dict() for key, entry in self.benefits.items()},
            "concepts": list(self.concepts),
            "sources": self.sources,
            "caveats": self.caveats,
        }

    def to_json(self) -> str:
        """The dictionary as one line of compact JSON, ended by a newline."""
        return compact(self.to_dict()) + "\n"

    @classmethod
    def from_dict(cls, data: Any, file: str) -> RuleDictionary:
        """The dictionary `to_dict` wrote; a clear `InputError` naming `file` for anything else."""
        if not isinstance(data, dict) or data.get("format") != DICTIONARY_FORMAT:
            found = data.get("format") if isinstance(data, dict) else None
            raise input_error(file, "format", f"expected a rule-base dictionary ({DICTIONARY_FORMAT!r}), "
                              f"found {found!r}")
        try:
            return cls(
                edition=str(data["rules"]["edition"]), digest=str(data["rules"]["digest"]),
                programs={key: ProgramEntry(e["name"], e["kind"], tuple(e["rules"]), tuple(e["caveats"]),
                                            tuple(e["concept_caveats"]))
                          for key, e in data["programs"].items()},
                rules={key: RuleEntry(e["title"], e["concludes"], e["explanation"], tuple(e["citations"]),
                                      tuple(e["caveats"]), e["derives"], dict(e.get("ask", {})))
                       for key, e in data["rule_entries"].items()},
                questions=dict(data["questions"]),
                benefits={key: BenefitEntry(e["text"], tuple(e["citations"])) for key, e in data["benefits"].items()},
                concepts=tuple(data["concepts"]),
                sources=dict(data["sources"]), caveats=dict(data["caveats"]),
                assessment_format=data["assessment"]["format"], disclaimer=data["assessment"]["disclaimer"])
        except (KeyError, TypeError, AttributeError) as exc:
            raise input_error(file, "", f"not a complete rule-base dictionary (missing or malformed {exc})") from None


def dictionary_for(rulebase: RuleBase) -> RuleDictionary:
    """The (cached) dictionary of a rule base, with the ids its assessments' exports use."""
    from bgtc_rules.advice.evaluation import references_for, rule_citations

    references = references_for(rulebase)
    return engine_for(rulebase).kept("dictionary", lambda: _build(rulebase, references, rule_citations(rulebase)))


def _build(rulebase: RuleBase, references: References,
           firing_citations: Mapping[str, tuple[Any, ...]] | None = None) -> RuleDictionary:
    def cite(citations: Any) -> tuple[str, ...]:
        return tuple(dict.fromkeys(references.citations[c] for c in citations))

    def note(caveats: Any) -> tuple[str, ...]:
        return tuple(dict.fromkeys(references.caveats[c] for c in caveats))

    rules = {rule.id: RuleEntry(
        title=rule.spec.title,
        concludes=f"{rule.program}: {rule.outcome.value if rule.outcome else ''}",
        explanation=rule.spec.explanation,
        citations=cite(rule.spec.citations),
        caveats=note(rule.spec.caveats),
        derives=derived_text(rule.concept, rule.program, rule.outcome),
        ask=dict(rule.spec.ask)) for rule in rulebase.rules}
    programs = {key: ProgramEntry(
        program.name, program.kind.value, tuple(rule.id for rule in rulebase.program_rules(key)),
        note(program.caveats),
        note(c for rule in rulebase.program_rules(key) for dependency in rulebase.dependencies[rule.id]
             for c in dependency.spec.caveats)) for key, program in sorted(rulebase.programs.items())}
    benefits: dict[str, BenefitEntry] = {}
    for _, program in sorted(rulebase.programs.items()):
        for benefit in program.benefits:  # the first wording met; a line keeps any other itself
            benefits.setdefault(benefit.id, BenefitEntry(benefit.text, cite(benefit.citations)))
    # What `Tables.cite` gives a firing's citations, for the rules whose ids it gives are their entry's.
    fired: dict[str, tuple[tuple[Any, ...], tuple[str, ...]]] = {}
    for rule_id, citations in (firing_citations or {}).items():
        if rule_id in rules and all(id(c) in references.by_object for c in citations):
            ids = tuple(dict.fromkeys(references.by_object[id(c)] for c in citations))
            if ids == rules[rule_id].citations:
                fired[rule_id] = (citations, ids)
    return RuleDictionary(
        written=references.compact_written, firing_citations=fired,
        edition=rulebase.edition, digest=rulebase.digest, programs=programs, rules=rules,
        questions=dict(rulebase.questions), benefits=benefits, concepts=tuple(sorted(rulebase.concepts)),
        sources={key: citation_dict(citation) for citation, key in references.citations.items()},
        caveats={key: text for text, key in references.caveats.items()})
