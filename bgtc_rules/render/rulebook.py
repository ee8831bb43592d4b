"""Readable views of the rule base for browsing: program summaries and single entries."""

from __future__ import annotations

import contextlib
from typing import Any

import yaml

from bgtc_rules.base.errors import input_error
from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.language.spec import Citation


def _cite(citation: Citation) -> str:
    url = f" <{citation.url}>" if citation.url else ""
    return f"{citation.document}, {citation.section}{url}"


def program_entries(rulebase: RuleBase) -> list[dict[str, Any]]:
    """Per program: kind, name, the window its rules are in force, its rules and citations."""
    entries = []
    for pid in sorted(rulebase.programs):
        program = rulebase.programs[pid]
        rules = rulebase.program_rules(pid)
        starts = [r.spec.effective_from for r in rules]
        ends = [r.spec.effective_until for r in rules]
        citations = [_cite(c) for c in program.citations]
        citations += [_cite(c) for r in rules for c in r.spec.citations if _cite(c) not in citations]
        entries.append({
            "id": pid,
            "kind": program.kind.value,
            "name": program.name,
            "effective_from": min(starts).isoformat() if starts else None,
            "effective_until": None if not ends or None in ends else max(e for e in ends if e).isoformat(),
            "rules": [r.id for r in rules],
            "citations": list(dict.fromkeys(citations)),
        })
    return entries


def program_list(rulebase: RuleBase) -> dict[str, Any]:
    """The rules edition and every program's entry (`bgtc rules list --format json`, `GET /programs`)."""
    return {"edition": rulebase.edition, "programs": program_entries(rulebase)}


def program_detail(rulebase: RuleBase, program_id: str) -> dict[str, Any]:
    """A program's definition and its rules as they were written (a `KeyError` for an unknown id)."""
    return {
        "program": rulebase.programs[program_id].model_dump(mode="json", exclude_none=True, exclude_defaults=True),
        "rules": [_rule(rulebase, r.id) for r in rulebase.program_rules(program_id)],
    }


def describe(rulebase: RuleBase, identifier: str) -> str:
    """A program (with its rules; its id in any case or its common name) or a single rule, as YAML text."""
    if identifier not in rulebase.by_id:
        from bgtc_rules.base.errors import InputError
        from bgtc_rules.language.program_names import resolve_program

        with contextlib.suppress(InputError):
            identifier = resolve_program(rulebase.programs, identifier)
    if identifier in rulebase.programs:
        data = program_detail(rulebase, identifier)
    elif identifier in rulebase.by_id:
        data = _rule(rulebase, identifier)
    else:
        raise input_error("ID", identifier, "no program or rule with this id; see `bgtc rules list`")
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _rule(rulebase: RuleBase, rule_id: str) -> dict[str, Any]:
    rule = rulebase.by_id[rule_id]
    data = rule.spec.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_defaults=True)
    data["source"] = f"{rule.file}:{rule.line}"
    return data
