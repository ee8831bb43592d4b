"""The compact export of an assessment (`bgtc.compact/1`), and the full export rebuilt from it.

A compact export keeps everything about its dossier: each program's determination, reason,
deciding rules, missing evidence, caveats, every rule's outcome with its failed conditions and
missing facts, the standing with each designation, the recommended course, the benefit rows,
every concept's value, and each fired rule with the values it matched. Everything the same for
every dossier (names, titles, explanations, questions, benefit wording, the sources and caveats
tables) is in the rule base's dictionary (`advice.dictionary`), written once. Where a part differs
from what the dictionary would give, the export keeps the part itself, so nothing is lost.

`rebuild` gives back, from a compact export and the dictionary of the same rule base, the text
`Assessment.to_json()` gives, byte for byte; a dictionary of another rule base is refused.

Examples:
    >>> import datetime as dt
    >>> from bgtc_rules.advice.dictionary import dictionary_for
    >>> from bgtc_rules.advice.evaluation import evaluate
    >>> from bgtc_rules.dossier.loading import load_dossier
    >>> from bgtc_rules.language.rulebase import RuleBase
    >>> rules = RuleBase.load()
    >>> assessment = evaluate(load_dossier("scenarios/aav_phase12_pediatric_neuro.yaml"), rules,
    ...                       as_of=dt.date(2026, 11, 21), backend="reference")
    >>> dictionary = dictionary_for(rules)
    >>> line = compact_export(assessment, dictionary)
    >>> rebuild(line, dictionary) == assessment.to_json()
    True
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, cast

from bgtc_rules.advice.assessment import Assessment
from bgtc_rules.advice.dictionary import RuleDictionary
from bgtc_rules.advice.export_parts import firing_dict, program_dict, standing_dict
from bgtc_rules.advice.references import References, Tables, in_id_order
from bgtc_rules.advice.standing import Standing
from bgtc_rules.base.errors import input_error
from bgtc_rules.base.jsontext import compact
from bgtc_rules.base.memo import remember
from bgtc_rules.engine.explain import MissingFact
from bgtc_rules.engine.results import (
    Determination,
    FiredRule,
    ProgramAssessment,
    RuleResult,
    citation_dict,
    plain_value,
)
from bgtc_rules.language.truth import truth_word

COMPACT_FORMAT = "bgtc.compact/1"
_CODES = {"true": "t", "false": "f", "unknown": "u"}
_WORDS = {code: word for word, code in _CODES.items()}
_TRUTH_CODES = {True: "t", False: "f", None: "u"}
_NO_STANDING = {"state": "none"}
_UNSEEN = object()


def compact_export(assessment: Assessment, dictionary: RuleDictionary) -> dict[str, Any]:
    """The compact export of `assessment`, pointing into `dictionary` (its rule base's)."""
    data: dict[str, Any] = {"format": COMPACT_FORMAT, "rules": assessment.rules_digest}
    if assessment.references is None or assessment.rules_digest != dictionary.digest:
        data["full"] = assessment.to_dict()  # ids of its own: nothing to point into
        return data
    tables, designations = Tables(assessment.references), assessment.designations
    # In the order the full export gives ids to sources not in the rule base: programs, firings, course, benefits.
    programs = [_program_entry(item, dictionary, tables) for item in assessment.programs]
    fired = [_firing_entry(f, dictionary, tables) for f in assessment.firings]
    course = assessment.course.to_dict(tables.cite)
    benefits = assessment.benefits.to_dict(tables.cite)
    data.update({
        "dossier": {"name": assessment.dossier_name, **({"source": assessment.source} if assessment.source else {})},
        "as_of": assessment.as_of.isoformat(),
        "backend": assessment.backend,
        "programs": programs,
        "standing": {p.program: standing_dict(state) for p in assessment.programs  # not {"state": "none"}
                     if (state := designations.get(p.program)) is not None and (
                         state.standing is not Standing.NONE or state.date is not None
                         or state.response_due is not None)},
        "course": course,
        "benefits": {"benefits": [_benefit_entry(b, dictionary) for b in benefits["benefits"]],
                     "rows": benefits["rows"]},
        "concepts": _concepts_entry(assessment, dictionary),
        "fired": fired,
    })
    if tables.new_citations:
        data["new_sources"] = {key: citation_dict(c) for c, key in tables.new_citations.items() if key in tables.cited}
    if tables.new_caveats:
        data["new_caveats"] = {key: text for text, key in tables.new_caveats.items() if key in tables.noted}
    return data


def _program_entry(item: ProgramAssessment, dictionary: RuleDictionary, tables: Tables) -> dict[str, Any]:
    """The program's compact part, remembered per program assessment (they are shared between
    assessments); the full part where the dictionary would not give it back exactly."""
    known = dictionary.written.get(id(item))
    if known is not None and known[0] is item:
        return known[1]
    entry = _encode_program(item, dictionary, tables.references)
    if entry is None:
        own = Tables(tables.references)
        full = program_dict(item, own)
        if own.new_citations or own.new_caveats:  # ids that depend on this export: not remembered
            return {"full": program_dict(item, tables)}
        entry = {"full": full}
    return remember(dictionary.written, id(item), (item, entry), References.LIMIT)[1]


def _encode_program(item: ProgramAssessment, dictionary: RuleDictionary,
                    references: References | None) -> dict[str, Any] | None:
    """The compact part of a program assessment, or None where the dictionary would not give
    the full part back: a program or rule it does not know as the assessment has it, a condition
    tree, a source or caveat the rule base does not list."""
    spec = dictionary.programs.get(item.program)
    if (references is None or spec is None or item.name != spec.name or item.kind != spec.kind
            or len(item.rules) != len(spec.rules)):
        return None
    entries, deciding_ids, codes, why, deciding = dictionary.rules, item.deciding_rules, [], {}, []
    for result, rule_id in zip(item.rules, spec.rules, strict=True):
        entry = entries[rule_id]
        if (result.rule_id != rule_id or result.conditions is not None or result.title != entry.title
                or result.concludes != entry.concludes):
            return None
        codes.append(_TRUTH_CODES[result.value])
        if rule_id in deciding_ids:
            deciding.append(result)
        if result.failed or result.missing:
            reasons: dict[str, Any] = {}
            if result.failed:
                reasons["failed"] = list(result.failed)
            if result.missing:
                reasons["missing"] = [dictionary.missing_entry(m) for m in result.missing]
            why[rule_id] = reasons
    # The ids of its sources and caveats: the rule base's (`Tables.cite` and `Tables.caveat` give
    # them so); one it does not list has an id of this export's, which the dictionary cannot give.
    by_object, by_citation, by_caveat = references.by_object, references.citations, references.caveats
    cited: list[str] = []  # the ids of the deciding rules' sources, and those the dictionary lists for them
    listed: list[str] = []
    for result in deciding:
        entry = entries[result.rule_id]
        if result.explanation != entry.explanation:
            return None
        for citation in result.citations:
            key = by_object.get(id(citation)) or by_citation.get(citation)
            if key is None:
                return None
            cited.append(key)
        listed.extend(entry.citations)
    caveats = _caveat_ids(item.caveats, by_caveat, dictionary)
    if caveats is None or (cited != listed and list(dict.fromkeys(cited)) != list(dict.fromkeys(listed))):
        return None
    # `_value_`: an enum member's `.value` is a descriptor call, ten times as slow (32 per dossier)
    program: dict[str, Any] = {"program": item.program, "determination": item.determination._value_,
                               "reason": item.reason}
    if item.available_once:
        program["available_once"] = list(item.available_once)
    program["deciding_rules"] = list(item.deciding_rules)
    program["results"] = results = "".join(codes)
    if why:
        program["why"] = why
    # The program's missing facts and caveats only where they are not those its rules give (see `_program_from`).
    if (item.missing or item.determination is Determination.UNDETERMINED) and \
            item.missing != _derived_missing(item, deciding):
        program["missing"] = [dictionary.missing_entry(m) for m in item.missing]
    if caveats != _derived_caveats(item.program, results, dictionary):
        program["caveats"] = caveats
    return program


def _caveat_ids(caveats: tuple[str, ...], ids: dict[str, str], dictionary: RuleDictionary) -> list[str] | None:
    """The ids of a program's caveats, each once, or None where one is not the rule base's;
    remembered by the caveats (a program's are one of few tuples, mostly the same object)."""
    known = dictionary.caveat_ids.get(caveats, _UNSEEN)
    if known is _UNSEEN:
        noted = [ids.get(text) for text in caveats]
        known = remember(dictionary.caveat_ids, caveats, None if None in noted else
                         [key for key in dict.fromkeys(noted) if key is not None], References.RULE_LIMIT)
    return cast("list[str] | None", known)


def _derived_caveats(program: str, results: str, dictionary: RuleDictionary) -> list[str]:
    """The program's own caveats, those of its rules not refuted, and those of the concepts its
    rules read (what `engine.determine` gives it), for its rules' `results`; remembered."""
    key = (program, results)
    known = dictionary.derived_caveats.get(key)
    if known is None:
        spec, entries = dictionary.programs[program], dictionary.rules
        known = remember(dictionary.derived_caveats, key, list(dict.fromkeys([
            *spec.caveats, *(caveat for rule_id, code in zip(spec.rules, results, strict=True) if code != "f"
                             for caveat in entries[rule_id].caveats), *spec.concept_caveats])), References.RULE_LIMIT)
    return known


def _derived_missing(item: ProgramAssessment, deciding: list[RuleResult]) -> tuple[MissingFact, ...]:
    """The facts missing for an undetermined program: its deciding rules' missing facts, each fact once."""
    if item.determination is not Determination.UNDETERMINED:
        return ()
    by_fact: dict[str, MissingFact] = {}
    for result in deciding:
        for fact in result.missing:
            by_fact.setdefault(fact.path, fact)
    return tuple(by_fact.values())


def _firing_entry(firing: FiredRule, dictionary: RuleDictionary, tables: Tables) -> Any:
    """[rule, [[source, value], ...]] where the dictionary gives back what the rule derives and
    cites, else the whole record (`firing_dict`)."""
    known = dictionary.firing_citations.get(firing.rule_id)
    if known is not None and known[0] is firing.citations:  # the rule's own: their ids are its entry's
        tables.cited.update(known[1])
        cited = list(known[1])
    else:
        cited = tables.cite(firing.citations)  # in the firings' order, as the full export gives new ids
    rule = dictionary.rules.get(firing.rule_id)
    if rule is None or firing.derived != rule.derives or cited != list(rule.citations):
        return firing_dict(firing, tables)
    return [firing.rule_id, [[source, plain_value(value)] for source, value in firing.matched]]


def _benefit_entry(benefit: dict[str, Any], dictionary: RuleDictionary) -> Any:
    entry = dictionary.benefits.get(benefit["id"])
    if entry is None or benefit["text"] != entry.text or benefit["citations"] != list(entry.citations):
        return benefit
    return benefit["id"]


def _concepts_entry(assessment: Assessment, dictionary: RuleDictionary) -> Any:
    """Each concept's value as one letter (t, f, u) in the dictionary's order of concepts, or the
    names and values themselves where the concepts are not the dictionary's."""
    concepts = assessment.concepts
    if len(concepts) != len(dictionary.concepts) or any(name not in concepts for name in dictionary.concepts):
        return {name: truth_word(value) for name, value in sorted(concepts.items())}
    return "".join([_TRUTH_CODES[concepts[name]] for name in dictionary.concepts])


# --- rebuilding the full export -----------------------------------------------------------------


def rebuild(data: Any, dictionary: RuleDictionary, indent: int | None = 2, file: str = "compact export") -> str:
    """The text `Assessment.to_json(indent)` gives, from the compact export `data` (or a batch line
    holding it under `compact`) and the dictionary of its rule base. An `InputError` naming `file`
    for a dictionary of another rule base, or for something that is not a compact export."""
    full = rebuild_dict(data, dictionary, file)
    if indent is None:
        return compact(full) + "\n"
    return json.dumps(full, indent=indent, ensure_ascii=False) + "\n"


def rebuild_dict(data: Any, dictionary: RuleDictionary, file: str = "compact export") -> dict[str, Any]:
    """`Assessment.to_dict()`, from the compact export and the dictionary (see `rebuild`)."""
    if isinstance(data, dict) and "compact" in data and "format" not in data:
        data = data["compact"]  # a batch line
    if not isinstance(data, dict) or data.get("format") != COMPACT_FORMAT:
        raise input_error(file, "format", f"expected a compact assessment ({COMPACT_FORMAT!r})")
    if data.get("rules") != dictionary.digest:
        raise input_error(file, "rules", f"written with the rule base whose digest is {data.get('rules')!r}, but "
                          f"the dictionary is of the rule base {dictionary.digest!r} (edition "
                          f"{dictionary.edition!r}); use the dictionary written with this line")
    if "full" in data:
        return dict(data["full"])
    try:
        return _rebuilt(data, dictionary)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise input_error(file, "", f"not a complete compact assessment (missing or malformed {exc})") from None


def _rebuilt(data: dict[str, Any], dictionary: RuleDictionary) -> dict[str, Any]:
    standing = data.get("standing", {})
    programs = []
    for entry in data["programs"]:
        program = dict(entry["full"]) if "full" in entry else _program_from(entry, dictionary)
        program["standing"] = standing.get(program["program"], _NO_STANDING)
        programs.append(program)
    fired = [_firing_from(entry, dictionary) for entry in data["fired"]]
    benefits = {"benefits": [_benefit_from(entry, dictionary) for entry in data["benefits"]["benefits"]],
                "rows": data["benefits"]["rows"]}
    concepts = data["concepts"]
    if isinstance(concepts, str):
        concepts = {name: _WORDS[code] for name, code in zip(dictionary.concepts, concepts, strict=True)}
    cited = set(_ids(programs, "citations")) | set(_ids([data["course"], benefits, fired], "citations"))
    noted = set(_ids(programs, "caveats"))
    new_sources, new_caveats = data.get("new_sources", {}), data.get("new_caveats", {})
    return {
        "format": dictionary.assessment_format,
        "disclaimer": dictionary.disclaimer,
        "dossier": data["dossier"],
        "as_of": data["as_of"],
        "backend": data["backend"],
        "rules": {"edition": dictionary.edition, "digest": dictionary.digest},
        "programs": programs,
        "course": data["course"],
        "benefits": benefits,
        "concepts": concepts,
        "fired_rules": fired,
        "sources": {key: new_sources[key] if key in new_sources else dictionary.sources[key]
                    for key in in_id_order(cited)},
        "caveats": {key: new_caveats[key] if key in new_caveats else dictionary.caveats[key]
                    for key in in_id_order(noted)},
    }


def _program_from(entry: dict[str, Any], dictionary: RuleDictionary) -> dict[str, Any]:
    """The program's full part (without its standing) from its compact part."""
    spec = dictionary.programs[entry["program"]]
    deciding = set(entry["deciding_rules"])
    why = entry.get("why", {})
    rules: list[dict[str, Any]] = []
    chosen = []
    for rule_id, code in zip(spec.rules, entry["results"], strict=True):
        rule = dictionary.rules[rule_id]
        if rule_id in deciding:
            chosen.append(rule)
        word = _WORDS[code]
        data: dict[str, Any] = {"id": rule_id, "title": rule.title, "concludes": rule.concludes, "result": word}
        if rule.caveats and word != "false":
            data["caveats"] = list(rule.caveats)
        reasons = why.get(rule_id, {})
        if "failed" in reasons:
            data["failed"] = reasons["failed"]
        if "missing" in reasons:
            data["missing"] = [_missing_from(m, dictionary) for m in reasons["missing"]]
        rules.append(data)
    if "missing" in entry:
        missing = [_missing_from(m, dictionary) for m in entry["missing"]]
    elif entry["determination"] == Determination.UNDETERMINED:  # the deciding rules' missing facts, each fact once
        by_fact: dict[str, dict[str, Any]] = {}
        for written in rules:
            if written["id"] in deciding:
                for fact in written.get("missing", ()):
                    by_fact.setdefault(fact["fact"], fact)
        missing = list(by_fact.values())
    else:
        missing = []
    caveats = entry["caveats"] if "caveats" in entry else list(_derived_caveats(entry["program"], entry["results"],
                                                                                dictionary))
    return {
        "program": entry["program"],
        "name": spec.name,
        "kind": spec.kind,
        "determination": entry["determination"],
        "reason": entry["reason"],
        "available_once": entry.get("available_once", []),
        "deciding_rules": entry["deciding_rules"],
        "explanation": [rule.explanation for rule in chosen],
        "citations": list(dict.fromkeys(key for rule in chosen for key in rule.citations)),
        "missing": missing,
        "caveats": caveats,
        "rules": rules,
    }


def _missing_from(entry: Any, dictionary: RuleDictionary) -> dict[str, Any]:
    if isinstance(entry, dict):
        return entry
    fact, rule = entry[0], entry[1]
    data: dict[str, Any] = {"fact": fact, "question": dictionary.question(rule, fact), "rule": rule}
    if len(entry) > 2:
        data["via"] = entry[2]
    return data


def _firing_from(entry: Any, dictionary: RuleDictionary) -> dict[str, Any]:
    if isinstance(entry, dict):
        return entry
    rule = dictionary.rules[entry[0]]
    return {"rule": entry[0], "matched": [{"source": source, "value": value} for source, value in entry[1]],
            "derived": rule.derives, "citations": list(rule.citations)}


def _benefit_from(entry: Any, dictionary: RuleDictionary) -> dict[str, Any]:
    if isinstance(entry, dict):
        return entry
    benefit = dictionary.benefits[entry]
    return {"id": entry, "text": benefit.text, "citations": list(benefit.citations)}


def _ids(value: Any, key: str) -> Iterator[str]:
    """Every id listed under `key` anywhere in `value` (the ids a full export's tables list)."""
    if isinstance(value, dict):
        for name, item in value.items():
            if name == key and isinstance(item, list):
                yield from (i for i in item if isinstance(i, str))
            else:
                yield from _ids(item, key)
    elif isinstance(value, list):
        for item in value:
            yield from _ids(item, key)
