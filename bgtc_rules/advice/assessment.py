"""The result of evaluating one dossier: per-program determinations with their evidence.

`Assessment.to_dict()` is the versioned JSON export (`format: bgtc.assessment/1`); its key
order and list order are stable, so the same input gives byte-identical JSON.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bgtc_rules.base.jsontext import compact
from bgtc_rules.base.memo import remember
from bgtc_rules.engine.explain import ConditionResult, MissingFact
from bgtc_rules.engine.results import (
    Determination,
    FiredRule,
    ProgramAssessment,
    RuleResult,
    citation_dict,
    plain_value,
    truth_word,
)
from bgtc_rules.language.leaves import Truth
from bgtc_rules.language.spec import Citation

FORMAT = "bgtc.assessment/1"
DISCLAIMER = "Decision support only; not a determination by FDA."


@dataclass(frozen=True)
class StackingNote:
    """What a program the sponsor qualifies for adds beyond the others it holds or qualifies for."""

    program: str
    new_benefits: tuple[str, ...]
    covered: tuple[tuple[str, tuple[str, ...]], ...]  # benefit -> the other programs that offer it
    superseded_by: tuple[str, ...] = ()  # other programs that each offer every benefit of this one

    @property
    def adds_nothing(self) -> bool:
        return not self.new_benefits


@dataclass(frozen=True)
class Assessment:
    dossier_name: str
    source: str
    as_of: dt.date
    backend: str
    rules_edition: str
    rules_digest: str
    programs: tuple[ProgramAssessment, ...]
    concepts: dict[str, Truth]
    firings: tuple[FiredRule, ...]
    stacking: tuple[StackingNote, ...] = ()
    rule_outcomes: Mapping[str, Truth] = field(default_factory=dict)  # every rule: held, refuted or unknown
    # The rule base's ids for its citations and caveats (see `References`); first-use ids without it.
    references: References | None = field(default=None, compare=False, repr=False)

    def program(self, program_id: str) -> ProgramAssessment:
        for item in self.programs:
            if item.program == program_id:
                return item
        raise KeyError(program_id)

    def determinations(self) -> dict[str, str]:
        return {p.program: p.determination.value for p in self.programs}

    def to_dict(self) -> dict[str, Any]:
        """The versioned export. Citations and caveats, shared by many rules, are listed once in
        `sources` and `caveats` and referred to by id (`c1`, `k1`, ...). The ids are the rule
        base's (the same source has the same id in every assessment of that rule base); each
        table lists the entries used, in id order."""
        tables = _Tables(self.references)
        return self._export(tables, [_program_dict(p, tables) for p in self.programs])

    def _export(self, tables: _Tables, programs: list[dict[str, Any]] | None) -> dict[str, Any]:
        """The export; with `programs` None, the programs and both tables are left as `_SPLICE`
        marks for `to_json` to fill in."""
        fired = [_firing_dict(f, tables) for f in self.firings]
        spliced = programs is None
        return {
            "format": FORMAT,
            "disclaimer": DISCLAIMER,
            "dossier": {"name": self.dossier_name, "source": self.source},
            "as_of": self.as_of.isoformat(),
            "backend": self.backend,
            "rules": {"edition": self.rules_edition, "digest": self.rules_digest},
            "programs": _SPLICE if spliced else programs,
            "stacking": [
                {"program": n.program, "adds": list(n.new_benefits), "superseded_by": list(n.superseded_by),
                 "already_offered_by": {benefit: list(by) for benefit, by in n.covered}}
                for n in self.stacking
            ],
            "concepts": {name: truth_word(value) for name, value in sorted(self.concepts.items())},
            "fired_rules": fired,
            "sources": _SPLICE if spliced else {key: citation_dict(c) for key, c in tables.used_citations()},
            "caveats": _SPLICE if spliced else dict(tables.used_caveats()),
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The export as text; `indent=None` writes one compact line (much faster, for batches)."""
        if indent is not None:
            return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False) + "\n"
        # Each program's part is written once per rule base and case (programs are shared between
        # assessments, see `engine.determine.Determiner`), each source once per rule base; the parts are
        # spliced into the rest, which is written as usual.
        tables = _Tables(self.references)
        programs = "[" + ",".join(_program_json(p, tables) for p in self.programs) + "]"
        before, after_programs, after_sources, after_caveats = _compact(self._export(tables, None)).split(
            _SPLICE_JSON)
        return "".join((before, programs, after_programs, tables.sources_json(), after_sources,
                        tables.caveats_json(), after_caveats, "\n"))


_SPLICE = "\x00splice\x00"  # a string no export contains: JSON writes NUL escaped
_SPLICE_JSON = json.dumps(_SPLICE)  # how it reads in the compact text


_compact = compact


class References:
    """Ids for a rule base's citations and caveats (`c1`, `k1`, ...), in the order given; the
    compact JSON of each entry, and of program assessments already written with these ids."""

    LIMIT = 4096  # program parts written
    RULE_LIMIT = 8192  # rule parts written

    def __init__(self, citations: Iterable[Citation], caveats: Iterable[str]) -> None:
        self.citations: dict[Citation, str] = {}
        self.caveats: dict[str, str] = {}
        # Rules hand over the same citation objects every time: find them by identity first
        # (hashing a citation is slow). The objects are kept, so that their ids stay theirs.
        self._objects = list(citations)
        for citation in self._objects:
            self.citations.setdefault(citation, f"c{len(self.citations) + 1}")
        for caveat in caveats:
            self.caveats.setdefault(caveat, f"k{len(self.caveats) + 1}")
        self.by_object = {id(c): self.citations[c] for c in self._objects}
        self.entries = {key: _compact({key: citation_dict(c)})[1:-1] for c, key in self.citations.items()}
        self.entries.update((key, _compact({key: text})[1:-1]) for text, key in self.caveats.items())
        self.written: Written = {}  # id(program assessment) -> (it, JSON, citation ids, caveat ids)
        self.rules_written: Written = {}  # the same per rule result
        # The opening of each rule's part, `{"id":...,"title":...,"concludes":...`: the same for
        # every result of the rule, so written once (bounded by the rule base's size).
        self.rule_heads: dict[tuple[str, str, str], str] = {}
        # The whole part of a rule result that holds nothing of the dossier (no failed conditions,
        # no missing facts), with its caveat ids: the same for every such result of the rule with
        # that value, so written once too (at most three per rule).
        self.plain_rules: dict[tuple[Any, ...], tuple[str, tuple[str, ...]]] = {}
        # Each program's opening and each rule's explanation, as JSON (see `_program_text`).
        self.texts: dict[Any, str] = {}


class _Tables:
    """The ids used by one export: the rule base's, and new ones (after those) for anything else."""

    def __init__(self, references: References | None) -> None:
        self.references = references
        self._citations: dict[Citation, str] = references.citations if references else {}
        self._caveats: dict[str, str] = references.caveats if references else {}
        self._by_object: dict[int, str] = references.by_object if references else {}
        self.new_citations: dict[Citation, str] = {}
        self.new_caveats: dict[str, str] = {}
        self.cited: set[str] = set()
        self.noted: set[str] = set()

    def _citation_id(self, citation: Citation) -> str:
        key = self._by_object.get(id(citation)) or self._citations.get(citation)
        if key is None:
            key = self.new_citations.setdefault(citation, f"c{len(self._citations) + len(self.new_citations) + 1}")
        return key

    def _caveat_id(self, text: str) -> str:
        key = self._caveats.get(text)
        if key is None:
            key = self.new_caveats.setdefault(text, f"k{len(self._caveats) + len(self.new_caveats) + 1}")
        return key

    def cite(self, citations: Iterable[Citation]) -> list[str]:
        ids = list(dict.fromkeys(self._citation_id(c) for c in citations))
        self.cited.update(ids)
        return ids

    def caveat(self, texts: Iterable[str]) -> list[str]:
        ids = list(dict.fromkeys(self._caveat_id(t) for t in texts))
        self.noted.update(ids)
        return ids

    def used_citations(self) -> list[tuple[str, Citation]]:
        found = {k: c for table in (self._citations, self.new_citations) for c, k in table.items() if k in self.cited}
        return [(key, found[key]) for key in _in_id_order(found)]

    def used_caveats(self) -> list[tuple[str, str]]:
        found = {k: t for table in (self._caveats, self.new_caveats) for t, k in table.items() if k in self.noted}
        return [(key, found[key]) for key in _in_id_order(found)]

    def sources_json(self) -> str:
        """The `sources` table as compact JSON (what `used_citations` lists)."""
        return self._entries_json(self.cited, self.used_citations, citation_dict)

    def caveats_json(self) -> str:
        return self._entries_json(self.noted, self.used_caveats, lambda text: text)

    def _entries_json(self, used: set[str], listed: Any, plain: Any) -> str:
        if self.references is None or self.new_citations or self.new_caveats:
            return _compact({key: plain(value) for key, value in listed()})
        entries = self.references.entries
        return "{" + ",".join(entries[key] for key in _in_id_order(used)) + "}"


def _in_id_order(keys: Iterable[str]) -> list[str]:
    return sorted(keys, key=lambda key: int(key[1:]))


Written = dict[int, tuple[Any, str, tuple[str, ...], tuple[str, ...]]]


def _written(item: Any, tables: _Tables, written: Written, limit: int, write: Callable[[_Tables], str]) -> str:
    """`write(tables)`, the item's compact JSON, remembered per item (by identity, the item kept
    alive with it) together with the ids it uses, when those are all the rule base's own."""
    known = written.get(id(item))
    if known is None or known[0] is not item:
        own = _Tables(tables.references)
        text = write(own)
        if own.new_citations or own.new_caveats:  # a source the rule base does not list: no own id
            return write(tables)
        known = remember(written, id(item), (item, text, tuple(own.cited), tuple(own.noted)), limit)
    tables.cited.update(known[2])
    tables.noted.update(known[3])
    return known[1]


def _rule_json(rule: RuleResult, tables: _Tables) -> str:
    """`_rule_dict` as compact JSON, remembered per rule result (rule results are shared too)."""
    assert tables.references is not None
    references = tables.references
    if not rule.failed and not rule.missing:
        return _plain_rule_json(rule, tables, references)
    return _written(rule, tables, references.rules_written, References.RULE_LIMIT,
                    lambda own: _rule_text(rule, own, references.rule_heads))


def _plain_rule_json(rule: RuleResult, tables: _Tables, references: References) -> str:
    """`_rule_json` of a result without failed conditions or missing facts: its text depends on
    the rule and the value alone, so it is written once per rule base, whichever dossier."""
    key = (rule.rule_id, rule.title, rule.concludes, rule.value, rule.caveats)
    known = references.plain_rules.get(key)
    if known is None:
        own = _Tables(references)
        text = _rule_text(rule, own, references.rule_heads)
        if own.new_caveats:  # a caveat the rule base does not list: no own id
            return _rule_text(rule, tables, references.rule_heads)
        known = remember(references.plain_rules, key, (text, tuple(own.noted)), References.RULE_LIMIT)
    tables.noted.update(known[1])
    return known[0]


_RESULT_TEXT = {value: f',"result":"{truth_word(value)}"' for value in (True, False, None)}


def _rule_text(rule: RuleResult, tables: _Tables, heads: dict[tuple[str, str, str], str]) -> str:
    """`_compact(_rule_dict(rule, tables))` for a rule without its condition tree, from the
    rule's opening written once and the few parts that vary."""
    key = (rule.rule_id, rule.title, rule.concludes)
    head = heads.get(key)
    if head is None:
        head = remember(heads, key, _compact({"id": rule.rule_id, "title": rule.title,
                                              "concludes": rule.concludes})[:-1], References.RULE_LIMIT)
    parts = [head, _RESULT_TEXT[rule.value]]
    if rule.caveats and rule.value is not False:
        parts.append(',"caveats":' + _compact(tables.caveat(rule.caveats)))
    if rule.failed:
        parts.append(',"failed":' + _compact(list(rule.failed)))
    if rule.missing:
        parts.append(',"missing":' + _compact([_missing_dict(m) for m in rule.missing]))
    parts.append("}")
    return "".join(parts)


def _program_json(item: ProgramAssessment, tables: _Tables) -> str:
    """`_program_dict` as compact JSON, remembered per program assessment when the ids are the
    rule base's (a program assessment with condition trees is too rarely shared to keep)."""
    if tables.references is None or any(r.conditions is not None for r in item.rules):
        return _compact(_program_dict(item, tables))

    def write(own: _Tables) -> str:
        rules = "[" + ",".join(_rule_json(rule, own) for rule in item.rules) + "]"
        return _program_text(item, own, rules)

    return _written(item, tables, tables.references.written, References.LIMIT, write)


_DETERMINATION_TEXT = {d: f',"determination":{json.dumps(d.value)},"reason":' for d in Determination}


def _program_text(item: ProgramAssessment, tables: _Tables, rules: str) -> str:
    """`_compact(_program_dict(item, tables))`, its rules' part given: the program's opening and
    each rule's explanation are the rule base's, written once; the rest is written here."""
    assert tables.references is not None
    texts = tables.references.texts
    key = (item.program, item.name, item.kind)
    head = texts.get(key)
    if head is None:
        head = remember(texts, key, _compact({"program": item.program, "name": item.name,
                                              "kind": item.kind})[:-1], References.RULE_LIMIT)
    deciding = [r for r in item.rules if r.rule_id in item.deciding_rules]
    return "".join((
        head, _DETERMINATION_TEXT[item.determination], _compact(item.reason),
        ',"deciding_rules":', _compact(list(item.deciding_rules)),
        ',"explanation":[', ",".join(_string_json(texts, r.explanation) for r in deciding),
        '],"citations":', _compact(tables.cite(c for r in deciding for c in r.citations)),
        ',"missing":', _compact([_missing_dict(m) for m in item.missing]),
        ',"caveats":', _compact(tables.caveat(item.caveats)), ',"rules":', rules, "}"))


def _string_json(texts: dict[Any, str], text: str) -> str:
    """A string of the rule base (a rule's explanation) as JSON, written once."""
    found = texts.get(text)
    if found is None:
        found = remember(texts, text, _compact(text), References.RULE_LIMIT)
    return found


def _condition_dict(result: ConditionResult) -> dict[str, Any]:
    data: dict[str, Any] = {"condition": result.text, "result": truth_word(result.value)}
    if result.fact is not None:
        data["fact"] = result.fact
        data["fact_value"] = plain_value(result.fact_value)
    if result.children:
        data["parts"] = [_condition_dict(child) for child in result.children]
    return data


def _missing_dict(missing: MissingFact) -> dict[str, Any]:
    data: dict[str, Any] = {"fact": missing.path, "question": missing.question, "rule": missing.rule_id}
    if missing.via:
        data["via"] = list(missing.via)
    return data


def _rule_dict(rule: RuleResult, tables: _Tables) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": rule.rule_id,
        "title": rule.title,
        "concludes": rule.concludes,
        "result": truth_word(rule.value),
    }
    if rule.conditions is not None:
        data["explanation"] = rule.explanation
        data["citations"] = tables.cite(rule.citations)
        data["conditions"] = _condition_dict(rule.conditions)
    if rule.caveats and rule.value is not False:
        data["caveats"] = tables.caveat(rule.caveats)
    if rule.failed:
        data["failed"] = list(rule.failed)
    if rule.missing:
        data["missing"] = [_missing_dict(m) for m in rule.missing]
    return data


def _program_dict(item: ProgramAssessment, tables: _Tables, rules: bool = True) -> dict[str, Any]:
    """The program's export; with `rules` False, its rules are left as a `_SPLICE` mark."""
    deciding = [r for r in item.rules if r.rule_id in item.deciding_rules]
    return {
        "program": item.program,
        "name": item.name,
        "kind": item.kind,
        "determination": item.determination.value,
        "reason": item.reason,
        "deciding_rules": list(item.deciding_rules),
        "explanation": [r.explanation for r in deciding],
        "citations": tables.cite(c for r in deciding for c in r.citations),
        "missing": [_missing_dict(m) for m in item.missing],
        "caveats": tables.caveat(item.caveats),
        "rules": [_rule_dict(r, tables) for r in item.rules] if rules else _SPLICE,
    }


def _firing_dict(firing: FiredRule, tables: _Tables) -> dict[str, Any]:
    return {
        "rule": firing.rule_id,
        "matched": [{"source": source, "value": plain_value(value)} for source, value in firing.matched],
        "derived": firing.derived,
        "citations": tables.cite(firing.citations),
    }
