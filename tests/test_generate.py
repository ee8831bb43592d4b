"""benchmarks.generate: seeded, valid, realistic dossiers."""

from __future__ import annotations

import datetime as dt
import doctest
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from benchmarks import generate as generator
from benchmarks.generate import CORE_FIELDS, MODALITIES, STAGES, generate, iter_dossiers
from bgtc_rules import RuleBase, dossier_from_mapping, evaluate, load_dossier

from .paths import AS_OF


@pytest.fixture(scope="module")
def sample() -> list[dict[str, Any]]:
    return generate(400, seed=2024)


def test_every_generated_dossier_validates() -> None:
    for seed in (0, 1, 99):
        for index, data in enumerate(iter_dossiers(300, seed)):
            dossier = dossier_from_mapping(data, source=f"seed {seed} #{index}")
            assert dossier.program.name == data["program"]["name"]


def test_the_same_seed_gives_the_same_dossiers_and_another_seed_others() -> None:
    assert generate(50, seed=5) == generate(50, seed=5)
    assert json.dumps(generate(50, seed=5)) == json.dumps(generate(50, seed=5))
    assert generate(50, seed=5) != generate(50, seed=6)
    assert generate(20, seed=5) == generate(50, seed=5)[:20]  # a dossier does not depend on the count


def test_program_names_are_unique_within_a_set(sample: list[dict[str, Any]]) -> None:
    names = [d["program"]["name"] for d in sample]
    assert len(set(names)) == len(names)


def test_the_set_covers_stages_modalities_prevalences_and_clinical_data(sample: list[dict[str, Any]]) -> None:
    def values(section: str, key: str) -> list[Any]:
        return [d[section][key] for d in sample if key in d.get(section, {})]

    assert set(values("development", "stage")) == set(STAGES)
    assert set(values("program", "modality")) == set(MODALITIES)
    prevalences = values("indication", "us_prevalence")
    assert min(prevalences) < 100 and max(prevalences) > 1_000_000
    assert any(1_000 <= p < 200_000 for p in prevalences) and any(p >= 200_000 for p in prevalences)
    assert set(values("indication", "serious")) == {True, False}
    assert set(values("indication", "serious_manifestations_before_18")) == {True, False}
    therapies = values("therapy_landscape", "available_therapies")
    assert [] in therapies and any(len(t) >= 2 for t in therapies)
    effects = {e["effect"] for endpoints in values("clinical", "endpoints") for e in endpoints}
    assert {"substantial_improvement", "improvement", "no_change", "not_yet_measured"} <= effects
    assert [] in values("clinical", "endpoints") and 0 in values("clinical", "patients_dosed")
    questions = [q for qs in values("meeting", "questions") for q in qs]
    assert len({q["topic"] for q in questions}) >= 10 and len({q["discipline"] for q in questions}) >= 5
    held = [r for d in sample for r in d.get("designations") or [] if r["status"] == "granted"]
    assert {"orphan_drug_designation", "rare_pediatric_disease", "fast_track", "rmat"} <= {r["program"] for r in held}
    assert any("expanded_access" in d for d in sample)


def test_fields_are_coherent_with_the_stage(sample: list[dict[str, Any]]) -> None:
    for data in sample:
        development, clinical = data.get("development", {}), data.get("clinical", {})
        if development.get("stage") in {"research", "ind_enabling"}:
            assert clinical.get("patients_dosed", 0) == 0 and clinical.get("endpoints", []) == []
            assert development.get("pivotal_started", False) is False
        if development.get("stage") in {"bla_submitted", "bla_approved"}:
            assert development.get("pivotal_completed", True) is True
            assert development.get("phase", "phase_3") != "none"


def test_about_one_field_in_seven_is_left_unknown(sample: list[dict[str, Any]]) -> None:
    missing = sum(1 for d in sample for section, key in CORE_FIELDS if key not in d.get(section, {}))
    rate = missing / (len(sample) * len(CORE_FIELDS))
    assert 0.10 <= rate <= 0.20
    per_dossier = Counter(sum(1 for s, k in CORE_FIELDS if k not in d.get(s, {})) for d in sample)
    assert per_dossier[0] > 0 and max(per_dossier) >= 4  # some complete, some sparse dossiers


def test_the_set_reaches_every_determination(rulebase: RuleBase, sample: list[dict[str, Any]]) -> None:
    seen: dict[str, Counter[str]] = {}
    for data in sample[:150]:
        assessment = evaluate(dossier_from_mapping(data), rulebase, as_of=AS_OF)
        for program, determination in assessment.determinations().items():
            seen.setdefault(program, Counter())[determination] += 1
    reached = {"fast_track": {"eligible", "not_eligible", "undetermined", "not_yet"},
               "orphan_drug_designation": {"eligible", "not_eligible", "undetermined", "closed"},
               "rmat": {"eligible", "not_eligible", "undetermined", "not_yet", "closed"},
               "rolling_review": {"eligible", "conditional", "not_yet", "closed"}}
    for program, determinations in reached.items():
        assert determinations <= set(seen[program]), program


def test_command_line_writes_yaml_files_that_load(tmp_path: Path) -> None:
    out = tmp_path / "dossiers"
    assert generator.main(["--count", "12", "--seed", "3", "--out", str(out)]) == 0
    files = sorted(out.iterdir())
    assert [f.name for f in files][:2] == ["dossier-00001.yaml", "dossier-00002.yaml"]
    assert len(files) == 12
    expected = generate(12, seed=3)
    for path, data in zip(files, expected, strict=True):
        assert yaml.safe_load(path.read_text(encoding="utf-8")) == data
        assert load_dossier(path).program.name == data["program"]["name"]


def test_command_line_writes_one_jsonl_file(tmp_path: Path) -> None:
    out = tmp_path / "set" / "dossiers.jsonl"
    assert generator.main(["--count", "7", "--seed", "4", "--out", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == generate(7, seed=4)


def test_command_line_refuses_a_negative_count(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        generator.main(["--count", "-1", "--out", str(tmp_path / "x")])
    assert exit_info.value.code == 2


def test_dates_are_iso_strings() -> None:
    dates = [r["date"] for d in generate(300, seed=8) for r in d.get("designations") or [] if "date" in r]
    assert dates and all(dt.date.fromisoformat(d).isoformat() == d for d in dates)


def test_doctests() -> None:
    assert doctest.testmod(generator).failed == 0
