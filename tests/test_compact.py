"""The compact export (`advice.compact`) and the rule-base dictionary (`advice.dictionary`): the full
export rebuilt byte for byte, a dictionary of another rule base refused, `bgtc rebuild`."""

from __future__ import annotations

import datetime as dt
import doctest
import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

import bgtc_rules.advice.compact as compact_module
import bgtc_rules.advice.dictionary as dictionary_module
from benchmarks.generate import iter_dossiers
from bgtc_rules import RuleBase, dossier_from_mapping, evaluate
from bgtc_rules.advice.batch_lines import full_lines
from bgtc_rules.advice.compact import compact_export, rebuild
from bgtc_rules.advice.dictionary import RuleDictionary, dictionary_for
from bgtc_rules.base.errors import InputError
from bgtc_rules.cli import main

from .paths import AS_OF, SCENARIOS

DISTINCT = 1000


def _through_a_line(data: dict[str, Any]) -> Any:
    """What a reader of a batch line gets back: the export written by orjson and read by `json`."""
    return json.loads(orjson.dumps(data))


def test_the_full_export_is_rebuilt_byte_for_byte_on_a_thousand_distinct_dossiers(rulebase: RuleBase) -> None:
    """The line and the dictionary together hold everything of `Assessment.to_json()`, indented
    and on one line. Dates alternate so that windows are open, not yet open and closed."""
    dictionary = RuleDictionary.from_dict(_through_a_line(dictionary_for(rulebase).to_dict()), "dictionary")
    seen, kept_whole = set(), 0
    for number, data in enumerate(iter_dossiers(DISTINCT, seed=2512)):
        as_of = (AS_OF, dt.date(2024, 6, 1), dt.date(2029, 1, 15))[number % 3]
        assessment = evaluate(dossier_from_mapping(data), rulebase, as_of=as_of, backend="reference",
                              source=f"generated:{number}")
        line = _through_a_line(compact_export(assessment, dictionary_for(rulebase)))
        assert rebuild(line, dictionary) == assessment.to_json(), number
        if number % 10 == 0:
            assert rebuild(line, dictionary, indent=None) == assessment.to_json(indent=None), number
        kept_whole += sum(1 for program in line["programs"] if "full" in program)
        seen.add(assessment.to_json(indent=None))
    assert len(seen) == DISTINCT  # distinct dossiers, distinct assessments
    assert kept_whole == 0  # every program was written compactly: the rebuild was exercised, not bypassed


def test_a_changed_line_rebuilds_another_export(rulebase: RuleBase) -> None:
    """The byte-equality test can fail: a line changed in one outcome rebuilds another export."""
    assessment = evaluate(dossier_from_mapping(next(iter_dossiers(1, seed=3))), rulebase, as_of=AS_OF,
                          backend="reference")
    dictionary = dictionary_for(rulebase)
    line = _through_a_line(compact_export(assessment, dictionary))
    results = line["programs"][0]["results"]
    line["programs"][0]["results"] = ("t" if results[0] != "t" else "f") + results[1:]
    assert rebuild(line, dictionary) != assessment.to_json()


def test_detailed_assessments_keep_their_programs_whole_and_still_rebuild(rulebase: RuleBase) -> None:
    from bgtc_rules.dossier.loading import load_dossier

    dossier = load_dossier(SCENARIOS / "aav_phase12_pediatric_neuro.yaml")
    assessment = evaluate(dossier, rulebase, as_of=AS_OF, backend="reference", detail=True)
    line = _through_a_line(compact_export(assessment, dictionary_for(rulebase)))
    assert all("full" in program for program in line["programs"])
    assert rebuild(line, dictionary_for(rulebase)) == assessment.to_json()


def test_a_dictionary_of_another_rule_base_is_refused(rulebase: RuleBase) -> None:
    assessment = evaluate(dossier_from_mapping(next(iter_dossiers(1, seed=4))), rulebase, as_of=AS_OF,
                          backend="reference")
    line = _through_a_line(compact_export(assessment, dictionary_for(rulebase)))
    other = dictionary_for(rulebase).to_dict()
    other["rules"] = {"edition": "another edition", "digest": "0123456789abcdef"}
    with pytest.raises(InputError) as refused:
        rebuild(line, RuleDictionary.from_dict(other, "other.json"), file="out.jsonl:2")
    message = str(refused.value)
    assert "out.jsonl:2" in message and rulebase.digest in message and "0123456789abcdef" in message
    assert "use the dictionary written with this line" in message


def test_what_is_not_a_dictionary_is_refused_clearly() -> None:
    with pytest.raises(InputError, match="expected a rule-base dictionary"):
        RuleDictionary.from_dict({"format": "bgtc.assessment/2"}, "x.json")
    with pytest.raises(InputError, match="not a complete rule-base dictionary"):
        RuleDictionary.from_dict({"format": "bgtc.dictionary/1"}, "x.json")


def _batch(*args: str) -> None:
    result = CliRunner().invoke(main, ["batch", *args, "--as-of", AS_OF.isoformat(), "--backend", "reference",
                                       "--jobs", "1"])
    assert result.exit_code == 0, result.output


def test_rebuild_gives_back_the_full_lines_of_a_batch(tmp_path: Path) -> None:
    """`bgtc rebuild` of compact lines (dictionary at the head, or beside) writes what `--full` writes."""
    failing = tmp_path / "bad.jsonl"
    failing.write_text('{"program": {"name": "X"}, "indication": {"us_prevalence": "lots"}}\n', encoding="utf-8")
    inputs = [str(SCENARIOS / "aav_phase12_pediatric_neuro.yaml"), str(SCENARIOS / "aav_ind_on_clinical_hold.yaml"),
              str(failing)]
    _batch(*inputs, "-o", str(tmp_path / "full.jsonl"), "--full")
    _batch(*inputs, "-o", str(tmp_path / "head.jsonl"))
    _batch(*inputs, "-o", str(tmp_path / "beside.jsonl"), "--dictionary", "beside")
    full = (tmp_path / "full.jsonl").read_bytes()
    head = (tmp_path / "head.jsonl").read_bytes()
    assert head.count(b"\n") == 4 and head.startswith(b'{"format":"bgtc.dictionary/1"')
    assert len(head) < len(full)
    runner = CliRunner()
    rebuilt = runner.invoke(main, ["rebuild", str(tmp_path / "head.jsonl")])
    assert rebuilt.exit_code == 0 and rebuilt.stdout_bytes == full
    beside = tmp_path / "beside.dictionary.json"
    assert beside.read_bytes() == head.split(b"\n", 1)[0] + b"\n"
    out = tmp_path / "rebuilt.jsonl"
    rebuilt = runner.invoke(main, ["rebuild", str(tmp_path / "beside.jsonl"), "--dictionary", str(beside),
                                   "-o", str(out)])
    assert rebuilt.exit_code == 0 and out.read_bytes() == full
    missing = runner.invoke(main, ["rebuild", str(tmp_path / "beside.jsonl")])
    assert missing.exit_code == 2 and "no dictionary" in missing.output and "Traceback" not in missing.output


def test_full_lines_name_the_line_of_a_broken_file() -> None:
    with pytest.raises(InputError, match=r"out\.jsonl:2: not a line of JSON"):
        list(full_lines(['{"source": "a", "ok": false, "errors": []}', "{broken"], "out.jsonl"))


def test_lean_and_full_cannot_be_asked_together() -> None:
    result = CliRunner().invoke(main, ["batch", str(SCENARIOS), "--lean", "--full"])
    assert result.exit_code == 2 and "--full: cannot be given with --lean" in result.output


def test_doctests() -> None:
    assert doctest.testmod(compact_module).failed == 0
    assert doctest.testmod(dictionary_module).failed == 0
