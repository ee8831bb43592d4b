"""Load rule directories into a checked, ordered `RuleBase`.

Loading refuses anything a reviewer would not sign: unknown fields, duplicate ids, fact paths the dossier does not
have, values of the wrong type, concepts no rule concludes, programs never declared, dependency cycles, rules
without a citation or citing a source not in sources.yaml, and facts read with no question to ask when they are
unknown. Every problem names file, line and rule id. questions.yaml's interview guide and change limits are
checked by `language.guide`.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import Any

from bgtc_rules.base.documents import Document, PathKey, parse_document
from bgtc_rules.base.errors import InputError, Problem
from bgtc_rules.base.inputs import read_input
from bgtc_rules.base.validation import did_you_mean, validate_document
from bgtc_rules.language import spec_data
from bgtc_rules.language.cache import cached, content_key
from bgtc_rules.language.catalog import base_path, fact_catalog
from bgtc_rules.language.course_links import course_problems
from bgtc_rules.language.guide import ChangeLimits, GuideBuilder, InterviewGuide, guide_from_data, guide_to_data
from bgtc_rules.language.leaves import make_leaf
from bgtc_rules.language.limit_culprit import first_crossing
from bgtc_rules.language.normal_form import (
    RuleTooComplex,
    Term,
    check_rule_shape,
    mentions,
    network_problems,
)
from bgtc_rules.language.sources import SOURCES_FILE, resolve
from bgtc_rules.language.spec import (
    AllCondition,
    AnyCondition,
    ConceptCondition,
    ConceptWords,
    Condition,
    Edition,
    FactCondition,
    NotCondition,
    Program,
    Rule,
    RuleFile,
    Source,
)
from bgtc_rules.language.tree import AllNode, AnyNode, CompiledRule, ConceptNode, Node, NotNode
from bgtc_rules.language.valuation import ValuationPlan

RULE_FILE_BYTES = 512 * 1024


def bundled_rules_dir() -> Path:
    """The rules shipped with the package (inside the wheel, or the repository's `rules/`)."""
    here = Path(__file__).resolve().parent.parent  # the package
    for candidate in (here / "rules", here.parent / "rules"):
        if (candidate / "edition.yaml").is_file():
            return candidate
    raise InputError([Problem(str(here), "", "bundled rules directory not found; reinstall bgtc-rules")])


@dataclass(frozen=True)
class _Parsed:
    doc: Document
    spec: RuleFile


def _rule_context(doc: Document) -> object:
    def context(path: PathKey) -> str:
        if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
            rules = doc.data.get("rules") if isinstance(doc.data, dict) else None
            if isinstance(rules, list) and path[1] < len(rules) and isinstance(rules[path[1]], dict):
                return f"rule {rules[path[1]].get('id', '#' + str(path[1]))}: "
        return ""
    return context


def _rule_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise InputError([Problem(str(directory), "", "rules directory not found")])
    return sorted(p for p in directory.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


class _Builder:
    """Collects files, then checks and compiles them; problems are gathered, not thrown one by one."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.programs: dict[str, Program] = {}
        self.questions: dict[str, str] = {}
        self.draft_questions: dict[str, str] = {}
        self.concept_words: dict[str, ConceptWords] = {}
        self.editions: list[Edition] = []
        self.sources: dict[str, Source] = {}
        self.rules: list[CompiledRule] = []
        self.guide = GuideBuilder(problems=self.problems)  # reports into the same list
        self._where: dict[str, tuple[str, int | None]] = {}

    def problem(self, file: str, where: str, message: str, line: int | None) -> None:
        self.problems.append(Problem(file, where, message, line))

    def add(self, parsed: _Parsed) -> None:
        doc, spec = parsed.doc, parsed.spec
        if spec.edition:
            self.editions.append(spec.edition)
        for key, source in spec.sources.items():
            if self.sources.setdefault(key, source) is not source:
                self.problem(doc.source, f"sources.{key}", "source id given twice", doc.line_of(("sources", key)))
        if spec.program:
            if spec.program.id in self.programs:
                self.problem(doc.source, "program.id", f"program {spec.program.id!r} is declared twice",
                             doc.line_of(("program", "id")))
            self.programs[spec.program.id] = spec.program
        # the questions (and the drafts' own), the interview guide, the change limits
        self.guide.add(doc, spec, self.questions, self.draft_questions)
        for name, words in spec.concepts.items():
            if self.concept_words.setdefault(name, words) is not words:
                self.problem(doc.source, f"concepts.{name}", "given twice", doc.line_of(("concepts", name)))
        for index, rule in enumerate(spec.rules):
            line = doc.line_of(("rules", index))
            if rule.id in self._where:
                first = self._where[rule.id]
                self.problem(doc.source, f"rule {rule.id}", f"duplicate rule id (first at {first[0]}:{first[1]})", line)
                continue
            self._where[rule.id] = (doc.source, line)
            when = self._compile(rule.when, doc, ("rules", index, "when"), rule.id)
            if when is not None:
                self.rules.append(CompiledRule(len(self.rules), rule, doc.source, line, when))

    def _compile(self, cond: Condition, doc: Document, path: PathKey, rule_id: str) -> Node | None:
        if isinstance(cond, (AllCondition, AnyCondition)):
            items = cond.all if isinstance(cond, AllCondition) else cond.any
            key = "all" if isinstance(cond, AllCondition) else "any"
            parts = [self._compile(c, doc, (*path, key, i), rule_id) for i, c in enumerate(items)]
            if any(p is None for p in parts):
                return None
            kind = AllNode if isinstance(cond, AllCondition) else AnyNode
            return kind(tuple(p for p in parts if p is not None))
        if isinstance(cond, NotCondition):
            inner = self._compile(cond.not_, doc, (*path, "not"), rule_id)
            return None if inner is None else NotNode(inner)
        if isinstance(cond, ConceptCondition):
            return ConceptNode(cond.concept)
        assert isinstance(cond, FactCondition)
        fact = fact_catalog().get(cond.fact)
        line = doc.line_of(path)
        if fact is None:
            hint = did_you_mean(cond.fact, fact_catalog())
            self.problem(doc.source, f"rule {rule_id}", f"unknown fact path {cond.fact!r}{hint}", line)
            return None
        try:
            return make_leaf(cond, fact)
        except ValueError as exc:
            values = cond.value if isinstance(cond.value, list) else [cond.value]
            unknown = [v for v in values if isinstance(v, str) and fact.domain and v not in fact.domain]
            hint = did_you_mean(unknown[0], fact.domain) if unknown else ""
            self.problem(doc.source, f"rule {rule_id}", f"{exc}{hint}", line)
            return None

    def check(self) -> None:
        concluded = {r.concept for r in self.rules if r.concept}
        for rule in self.rules:
            where = f"rule {rule.id}"
            for concept in rule.concepts_read():
                if concept not in concluded:
                    hint = did_you_mean(concept, concluded)
                    self.problem(rule.file, where, f"unknown concept {concept!r}: no rule concludes it{hint}",
                                 rule.line)
            if rule.program and rule.program not in self.programs:
                self.problem(rule.file, where, f"unknown program {rule.program!r}: declare it in a `program:` block",
                             rule.line)
            read = {leaf.path for leaf in rule.leaves()}
            for path in sorted(set(rule.spec.ask) - read):
                self.problem(rule.file, where, f"ask names {path!r}, which this rule does not read", rule.line)
            unasked = {p for p in read - set(rule.spec.ask) if base_path(p) not in self.questions}
            for path in sorted(unasked):
                self.problem(rule.file, where, f"no question for fact {path!r}: add it to `ask` or to questions.yaml",
                             rule.line)
        self.problems.extend(course_problems(self.programs, concluded, self._compile))
        for program in self.programs.values():
            for included in program.includes:
                if included not in self.programs:
                    self.problems.append(Problem("rules", f"program {program.id}",
                                                 f"includes unknown program {included!r}"))
            for designation in program.available_with:
                if designation not in self.programs or designation == program.id:
                    self.problems.append(Problem("rules", f"program {program.id}", (
                        f"available_with names {designation!r}, which is not another program"
                        f"{did_you_mean(designation, set(self.programs))}")))
        self._check_engine_limits()
        if len(self.editions) > 1:
            self.problems.append(Problem("rules", "edition", "more than one edition.yaml among the rule directories"))

    def _check_engine_limits(self) -> None:
        used: list[tuple[CompiledRule, Term]] = []
        for rule in self.rules:
            try:
                true_terms, false_terms = check_rule_shape(rule.when)
            except RuleTooComplex as exc:
                self.problem(rule.file, f"rule {rule.id}", f"too complex: {exc}; move part of it into a concept",
                             rule.line)
                continue
            used.extend((rule, term) for term in true_terms + false_terms)
        concluding = Counter(r.concept for r in self.rules if r.concept)
        refuting = sum(1 for r in self.rules if r.concept and concluding[r.concept] > 1)
        for limit in network_problems([term for _, term in used], refuting):
            involved = list({rule.id: rule for rule, term in used
                             if limit.subject is None or mentions(term, limit.subject)}.values())
            culprit = first_crossing(used, limit, concluding) or (involved[-1] if involved else None)
            others = [r.id for r in involved if r is not culprit]
            also = f" (also read by {', '.join(others[:3])}{', ...' if len(others) > 3 else ''})" if others else ""
            about = f"{limit.subject}: " if limit.subject else ""
            message = f"too large for the rules engine: {about}{limit.message}{also}"
            if culprit is None:
                self.problems.append(Problem("rules", "", message))
            else:
                self.problem(culprit.file, f"rule {culprit.id}", message, culprit.line)


def _topological(rules: list[CompiledRule], problems: list[Problem]) -> list[CompiledRule]:
    """Order rules so that every concept is concluded before it is read; report cycles."""
    by_concept: dict[str, list[CompiledRule]] = defaultdict(list)
    for rule in rules:
        if rule.concept:
            by_concept[rule.concept].append(rule)
    order: list[CompiledRule] = []
    state: dict[str, int] = {}

    def visit(rule: CompiledRule, trail: list[str]) -> None:
        if state.get(rule.id) == 2:
            return
        if state.get(rule.id) == 1:
            cycle = " -> ".join([*trail[trail.index(rule.id):], rule.id])
            problems.append(Problem(rule.file, f"rule {rule.id}", f"dependency cycle: {cycle}", rule.line))
            return
        state[rule.id] = 1
        for concept in sorted(set(rule.concepts_read())):
            for dependency in by_concept.get(concept, []):
                visit(dependency, [*trail, rule.id])
        state[rule.id] = 2
        order.append(rule)

    for rule in rules:
        visit(rule, [])
    return order


@dataclass(frozen=True)
class RuleBase:
    """A checked set of rules, in dependency order, with programs, questions and concepts' words."""

    rules: tuple[CompiledRule, ...]
    programs: dict[str, Program]
    questions: dict[str, str]
    edition: str
    digest: str
    concept_words: dict[str, ConceptWords] = field(default_factory=dict)  # concept -> its name and sentences
    interview: InterviewGuide = field(default_factory=InterviewGuide)  # questions.yaml (see `language.guide`)
    changes: ChangeLimits = field(default_factory=ChangeLimits)
    draft_questions: dict[str, str] = field(default_factory=dict)  # questions.yaml `drafts:` (request drafts only)
    sources: dict[str, Source] = field(default_factory=dict)  # sources.yaml: every source cited, by id

    @classmethod
    def load(cls, extra_dirs: Sequence[str | Path] = (), include_bundled: bool = True) -> RuleBase:
        """Load the bundled rules plus any extra directories (a consultancy's own rules); the compiled
        result is cached by the content of the files (see `language.cache`)."""
        dirs = ([bundled_rules_dir()] if include_bundled else []) + [Path(d) for d in extra_dirs]
        # Read once: the cache key and the rules from the same bytes (a save meanwhile cannot poison the cache).
        sources = [(f, read_input(f, RULE_FILE_BYTES)) for d in dirs for f in _rule_files(d)]
        custom = bool(extra_dirs)
        key = content_key(sources, f"custom={custom};{spec_data.LAYOUT}")
        return cached(key, RuleBase.to_data, cls.from_data, lambda: cls.from_sources(sources, custom=custom))

    @classmethod
    def from_sources(cls, sources: Iterable[tuple[Path, bytes]], custom: bool = False) -> RuleBase:
        """The rule base of these rule files, given with the bytes read from them."""
        builder = _Builder()
        digest = hashlib.sha256()
        docs = []
        for path, raw in sources:
            digest.update(path.name.encode() + b"\0" + raw + b"\0")
            try:
                docs.append(parse_document(raw, str(path), path.suffix.lower() == ".json", RULE_FILE_BYTES))
            except InputError as exc:
                builder.problems.extend(exc.problems)
        bundled = bundled_rules_dir().resolve()
        for doc in sorted(docs, key=lambda d: Path(d.source).name != SOURCES_FILE):  # sources.yaml first: the
            try:  # citations of the other files are filled in from it
                if unresolved := resolve(doc, builder.sources, _rule_context(doc), bundled):
                    builder.problems.extend(unresolved)  # validating would only add "document missing" for each
                    continue
                builder.add(_Parsed(doc, validate_document(RuleFile, doc, _rule_context(doc))))  # type: ignore[arg-type]
            except InputError as exc:
                builder.problems.extend(exc.problems)
        builder.check()
        ordered = _topological(builder.rules, builder.problems)
        if builder.problems:
            raise InputError(builder.problems)
        edition = builder.editions[0] if builder.editions else None
        name = f"{edition.name} ({edition.date.isoformat()})" if edition else "custom"
        if custom and edition:
            name += " + custom rules"
        rules = tuple(CompiledRule(i, r.spec, r.file, r.line, r.when) for i, r in enumerate(ordered))
        return cls(rules, builder.programs, builder.questions, name, digest.hexdigest()[:16], builder.concept_words,
                   builder.guide.interview, builder.guide.changes, builder.draft_questions, builder.sources)

    def to_data(self) -> dict[str, Any]:
        """The compiled rule base as JSON data, for the cache (see `from_data`)."""
        return {
            "rules": [{"spec": spec_data.to_data(r.spec), "file": r.file, "line": r.line} for r in self.rules],
            "programs": spec_data.to_data(self.programs),
            "questions": self.questions, "draft_questions": self.draft_questions,
            "edition": self.edition, "digest": self.digest, "sources": spec_data.to_data(self.sources),
            "concept_words": spec_data.to_data(self.concept_words), **guide_to_data(self.interview, self.changes)}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> RuleBase:
        """The rule base `to_data` wrote (the cache keeps data, never code); condition trees are
        compiled again. Raises `ValueError` (or `TypeError`, `KeyError`) if it is not one."""
        builder = _Builder()
        rules = []
        for index, item in enumerate(data["rules"]):
            spec = spec_data.from_data(item["spec"])
            file, line = item["file"], item["line"]
            if not isinstance(spec, Rule) or not isinstance(file, str) or not isinstance(line, int | None):
                raise ValueError(f"cached rule #{index} is not a rule")
            when = builder._compile(spec.when, Document(file, None), ("rules",), spec.id)
            if when is None:
                raise ValueError(f"cached rule {spec.id} does not compile: {builder.problems[-1].message}")
            rules.append(CompiledRule(index, spec, file, line, when))
        programs = spec_data.from_data(data["programs"])
        if not all(isinstance(p, Program) for p in programs.values()):
            raise ValueError("cached programs are not programs")
        words = {str(k): w for k, w in spec_data.from_data(data["concept_words"]).items() if type(w) is ConceptWords}
        drafts = {str(k): str(v) for k, v in data.get("draft_questions", {}).items()}
        cited = {str(k): v for k, v in spec_data.from_data(data["sources"]).items() if type(v) is Source}
        return cls(tuple(rules), programs, {str(k): str(v) for k, v in data["questions"].items()},
                   str(data["edition"]), str(data["digest"]), words, *guide_from_data(data), drafts, cited)

    def __getstate__(self) -> dict[str, object]:
        """Only the fields: what is derived from them (indexes, generated code) is rebuilt on use."""
        return {f.name: self.__dict__[f.name] for f in fields(self)}

    @cached_property
    def valuation(self) -> ValuationPlan:
        """The rules compiled into one evaluator of every condition node (see `valuation`)."""
        return ValuationPlan(self.rules)

    @cached_property
    def by_id(self) -> dict[str, CompiledRule]:
        return {rule.id: rule for rule in self.rules}

    @cached_property
    def concepts(self) -> dict[str, tuple[CompiledRule, ...]]:
        """Concept name -> the rules that conclude it."""
        grouped: dict[str, list[CompiledRule]] = defaultdict(list)
        for rule in self.rules:
            if rule.concept:
                grouped[rule.concept].append(rule)
        return {name: tuple(rules) for name, rules in grouped.items()}

    @cached_property
    def _by_program(self) -> dict[str, tuple[CompiledRule, ...]]:
        grouped: dict[str, list[CompiledRule]] = defaultdict(list)
        for rule in self.rules:
            if rule.program:
                grouped[rule.program].append(rule)
        return {program: tuple(rules) for program, rules in grouped.items()}

    def program_rules(self, program: str) -> tuple[CompiledRule, ...]:
        return self._by_program.get(program, ())

    @cached_property
    def dependencies(self) -> dict[str, tuple[CompiledRule, ...]]:
        """Rule id -> the concept rules it depends on, transitively, nearest first."""
        found: dict[str, tuple[CompiledRule, ...]] = {}
        for rule in self.rules:
            order: list[CompiledRule] = []
            seen: set[str] = set()
            pending = list(rule.concepts_read())
            while pending:
                concept = pending.pop(0)
                if concept in seen:
                    continue
                seen.add(concept)
                for dependency in self.concepts.get(concept, ()):
                    order.append(dependency)
                    pending.extend(dependency.concepts_read())
            found[rule.id] = tuple(order)
        return found

    def question(self, rule: CompiledRule, path: str) -> str:
        """The question to ask when `path` is unknown, preferring the rule's own wording."""
        return rule.spec.ask.get(path) or self.questions.get(path) or self.questions.get(base_path(path), path)
