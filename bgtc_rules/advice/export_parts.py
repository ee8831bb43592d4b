"""The parts of an assessment's export: each program, rule result and firing as a dict
(`to_dict`) and as compact JSON (`to_json(indent=None)`), the same text either way.

The compact writers splice text written once where they can: a rule's opening, a result that
holds nothing of the dossier, a program's opening and its rules' explanations are the rule
base's and written once (`References`); a program assessment or rule result met again (they are
shared between assessments, see `engine.determine.Determiner`) is not written again.
"""

from __future__ import annotations

import json
from typing import Any

from bgtc_rules.advice.references import References, Tables, written_once
from bgtc_rules.advice.standing import DesignationState, Standing
from bgtc_rules.base.jsontext import compact
from bgtc_rules.base.memo import remember
from bgtc_rules.engine.explain import ConditionResult, MissingFact
from bgtc_rules.engine.results import (
    Determination,
    FiredRule,
    ProgramAssessment,
    RuleResult,
    plain_value,
)
from bgtc_rules.language.truth import truth_word

_compact = compact


def _rule_json(rule: RuleResult, tables: Tables) -> str:
    """`_rule_dict` as compact JSON, remembered per rule result (rule results are shared too)."""
    assert tables.references is not None
    references = tables.references
    if not rule.failed and not rule.missing:
        return _plain_rule_json(rule, tables, references)
    return written_once(rule, tables, references.rules_written, References.RULE_LIMIT,
                        lambda own: _rule_text(rule, own, references.rule_heads))


def _plain_rule_json(rule: RuleResult, tables: Tables, references: References) -> str:
    """`_rule_json` of a result without failed conditions or missing facts: its text depends on
    the rule and the value alone, so it is written once per rule base, whichever dossier."""
    key = (rule.rule_id, rule.title, rule.concludes, rule.value, rule.caveats)
    known = references.plain_rules.get(key)
    if known is None:
        own = Tables(references)
        text = _rule_text(rule, own, references.rule_heads)
        if own.new_caveats:  # a caveat the rule base does not list: no own id
            return _rule_text(rule, tables, references.rule_heads)
        known = remember(references.plain_rules, key, (text, tuple(own.noted)), References.RULE_LIMIT)
    tables.noted.update(known[1])
    return known[0]


def _ids_json(ids: list[str]) -> str:
    """Citation or caveat ids as a JSON list: they are `c` or `k` and digits (`Tables` makes
    them), nothing to escape, so the encoder is not needed.

    Examples:
        >>> _ids_json(["c1", "c12"]), _ids_json([])
        ('["c1","c12"]', '[]')
    """
    return '["' + '","'.join(ids) + '"]' if ids else "[]"


_RESULT_TEXT = {value: f',"result":"{truth_word(value)}"' for value in (True, False, None)}


def _rule_text(rule: RuleResult, tables: Tables, heads: dict[tuple[str, str, str], str]) -> str:
    """`_compact(_rule_dict(rule, tables))` for a rule without its condition tree, from the
    rule's opening written once and the few parts that vary."""
    key = (rule.rule_id, rule.title, rule.concludes)
    head = heads.get(key)
    if head is None:
        head = remember(heads, key, _compact({"id": rule.rule_id, "title": rule.title,
                                              "concludes": rule.concludes})[:-1], References.RULE_LIMIT)
    parts = [head, _RESULT_TEXT[rule.value]]
    if rule.caveats and rule.value is not False:
        parts.append(',"caveats":' + _ids_json(tables.caveat(rule.caveats)))
    if rule.failed:
        parts.append(',"failed":' + _compact(list(rule.failed)))
    if rule.missing:
        parts.append(',"missing":' + _compact([_missing_dict(m) for m in rule.missing]))
    parts.append("}")
    return "".join(parts)


def program_json(item: ProgramAssessment, tables: Tables) -> str:
    """`program_dict` as compact JSON, remembered per program assessment when the ids are the
    rule base's (a program assessment with condition trees is too rarely shared to keep)."""
    if tables.references is None or any(r.conditions is not None for r in item.rules):
        return _compact(program_dict(item, tables))

    def write(own: Tables) -> str:
        rules = "[" + ",".join(_rule_json(rule, own) for rule in item.rules) + "]"
        return _program_text(item, own, rules)

    return written_once(item, tables, tables.references.written, References.LIMIT, write)


_DETERMINATION_TEXT = {d: f',"determination":{json.dumps(d.value)},"reason":' for d in Determination}


def _program_text(item: ProgramAssessment, tables: Tables, rules: str) -> str:
    """`_compact(program_dict(item, tables))`, its rules' part given: the program's opening and
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
        ',"available_once":', _compact(list(item.available_once)),
        ',"deciding_rules":', _compact(list(item.deciding_rules)),
        ',"explanation":[', ",".join(_string_json(texts, r.explanation) for r in deciding),
        '],"citations":', _ids_json(tables.cite(c for r in deciding for c in r.citations)),
        ',"missing":', _compact([_missing_dict(m) for m in item.missing]),
        ',"caveats":', _ids_json(tables.caveat(item.caveats)), ',"rules":', rules, "}"))


def _string_json(texts: dict[Any, str], text: str) -> str:
    """A string of the rule base (a rule's explanation) as JSON, written once."""
    found = texts.get(text)
    if found is None:
        found = remember(texts, text, _compact(text), References.RULE_LIMIT)
    return found


def _condition_dict(result: ConditionResult) -> dict[str, Any]:
    data: dict[str, Any] = {"condition": result.expression, "says": result.text, "result": truth_word(result.value)}
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


def _rule_dict(rule: RuleResult, tables: Tables) -> dict[str, Any]:
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


def program_dict(item: ProgramAssessment, tables: Tables) -> dict[str, Any]:
    """The program's export."""
    deciding = [r for r in item.rules if r.rule_id in item.deciding_rules]
    return {
        "program": item.program,
        "name": item.name,
        "kind": item.kind,
        "determination": item.determination.value,
        "reason": item.reason,
        "available_once": list(item.available_once),
        "deciding_rules": list(item.deciding_rules),
        "explanation": [r.explanation for r in deciding],
        "citations": tables.cite(c for r in deciding for c in r.citations),
        "missing": [_missing_dict(m) for m in item.missing],
        "caveats": tables.caveat(item.caveats),
        "rules": [_rule_dict(r, tables) for r in item.rules],
    }


def standing_dict(state: DesignationState) -> dict[str, Any]:
    """A program's standing with its designation: `state` (none, planned, pending, held, denied,
    withdrawn, ended), with the date of the record it rests on and, when pending, FDA's answer due date."""
    data: dict[str, Any] = {"state": state.standing.value}
    if state.date is not None:
        data["date"] = state.date.isoformat()
    if state.response_due is not None:
        data["response_due"] = state.response_due.isoformat()
    return data


_NO_STANDING = _compact({"state": Standing.NONE.value})


def standing_json(state: DesignationState | None) -> str:
    """`standing_dict` as compact JSON."""
    if state is None or (state.standing is Standing.NONE and state.date is None):
        return _NO_STANDING
    return _compact(standing_dict(state))


def firing_dict(firing: FiredRule, tables: Tables) -> dict[str, Any]:
    return {
        "rule": firing.rule_id,
        "matched": [{"source": source, "value": plain_value(value)} for source, value in firing.matched],
        "derived": firing.derived,
        "citations": tables.cite(firing.citations),
    }
