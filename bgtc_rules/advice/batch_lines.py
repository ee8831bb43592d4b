"""A batch's output line for an evaluated item, the rule-base dictionary line at its head, and the
lines of a batch output rebuilt in full (`bgtc rebuild`).

A line holds the item's determinations and standing, then the assessment: compact (pointing into
the rule base's dictionary, `advice.dictionary`), full (`--full`, the assessment's own JSON) or
left out (`--lean`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Protocol

from bgtc_rules.base.errors import input_error
from bgtc_rules.base.jsontext import compact
from bgtc_rules.base.safetext import visible, visible_json
from bgtc_rules.language.rulebase import RuleBase

if TYPE_CHECKING:
    from bgtc_rules.advice.assessment import Assessment
    from bgtc_rules.advice.dictionary import RuleDictionary


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


def full_lines(lines: Iterable[str], file: str, dictionary: RuleDictionary | None = None) -> Iterator[str]:
    """The lines of a batch output with each compact assessment rebuilt in full: each line as
    `bgtc batch --full` writes it (without its newline). The dictionary is the file's first line,
    or `dictionary` (read from the file `bgtc batch --dictionary beside` wrote); a dictionary line
    is left out. Failed items' lines, and lines already full, are given as they are."""
    from bgtc_rules.advice.compact import rebuild
    from bgtc_rules.advice.dictionary import RuleDictionary

    for number, line in enumerate(lines, 1):
        where = f"{file}:{number}"
        try:
            record = json.loads(line)
        except ValueError:
            raise input_error(where, "", "not a line of JSON (expected a batch output line)") from None
        if number == 1 and isinstance(record, dict) and "rule_entries" in record:
            dictionary = RuleDictionary.from_dict(record, where)
            continue
        if not isinstance(record, dict) or "compact" not in record:
            yield line
            continue
        if dictionary is None:
            raise input_error(file, "", "holds compact lines but no dictionary: the first line is not one; "
                              "give the dictionary file written beside it (--dictionary FILE)")
        head = {key: value for key, value in record.items() if key != "compact"}
        full = rebuild(record["compact"], dictionary, indent=None, file=where).rstrip("\n")
        yield visible(f'{compact(head)[:-1]},"assessment":{full}}}')
