"""A batch's output line for an evaluated item, and the rule-base dictionary line at its head.

A line holds the item's determinations and standing, then the assessment: compact (pointing into
the rule base's dictionary, `advice.dictionary`), full (`--full`, the assessment's own JSON) or
left out (`--lean`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from bgtc_rules.base.jsontext import compact
from bgtc_rules.base.safetext import visible_json
from bgtc_rules.language.rulebase import RuleBase

if TYPE_CHECKING:
    from bgtc_rules.advice.assessment import Assessment


class LineOptions(Protocol):
    """What a line depends on of the batch's options (`advice.batch.BatchOptions`)."""

    @property
    def full(self) -> bool: ...

    @property
    def lean(self) -> bool: ...


def assessment_line(source: str, assessment: Assessment, rules: RuleBase, options: LineOptions) -> str:
    """The output line of an evaluated item, as `options` ask for it (without a newline)."""
    line = compact({"source": source, "ok": True, "determinations": assessment.determinations(),
                    "standing": assessment.standings()})
    if options.full:  # the assessment's own compact JSON, as the record's last member
        line = f'{line[:-1]},"assessment":{assessment.to_json(indent=None).rstrip()}}}'
    elif not options.lean:  # the compact assessment, pointing into the rule base's dictionary
        line = f'{line[:-1]},"compact":{compact_json(assessment, rules)}}}'
    return visible_json(line)  # DEL and C1 controls as JSON escapes


def compact_json(assessment: Assessment, rules: RuleBase) -> str:
    """The compact export of `assessment` as one line of JSON (written by orjson, a C writer,
    where it can write every value: not an integer beyond 64 bits)."""
    import orjson

    from bgtc_rules.advice.compact import compact_export
    from bgtc_rules.advice.dictionary import dictionary_for

    data = compact_export(assessment, dictionary_for(rules))
    try:
        return orjson.dumps(data).decode("utf-8")
    except orjson.JSONEncodeError:
        return compact(data)


def is_dictionary_line(line: str) -> bool:
    """Whether an output line is the rule-base dictionary written at the head of a batch's output."""
    return line.startswith('{"format":"bgtc.dictionary/')
