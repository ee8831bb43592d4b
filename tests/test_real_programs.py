"""The real-program validation set: no designation FDA granted comes out not_eligible on the evidence
public at the grant date, and every snapshot field says where it comes from."""

from __future__ import annotations

import io
import json
import re
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest
import yaml

from benchmarks import real_programs
from benchmarks.real_programs import Grant, GrantResult, evaluate_grants, evaluate_refusals, load_grants
from bgtc_rules import RuleBase, dossier_from_mapping, evaluate

GRANTS = load_grants()
# A header line naming the fields it sources: `#   indication.serious, indication.progressive: [1] ...`
_FIELD_LINE = re.compile(r"^#\s+((?:[a-z0-9_]+(?:\.[a-z0-9_]+)?)(?:,\s*[a-z0-9_]+(?:\.[a-z0-9_]+)?)*):\s")
_SOURCE_LINE = re.compile(r"^#\s+\[\d+\]\s")
_URL = re.compile(r"https?://\S+")


def _header(path: Path) -> list[str]:
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return lines


def _field_paths(data: dict[str, Any]) -> set[str]:
    """The dossier's fields as `section.field` (or `section` for a top-level list), schema_version aside."""
    paths: set[str] = set()
    for key, value in data.items():
        if key == "schema_version":
            continue
        if isinstance(value, dict):
            paths.update(f"{key}.{field}" for field in value)
        else:
            paths.add(key)
    return paths


def _sourced_paths(header: list[str]) -> set[str]:
    return {path.strip() for line in header if (match := _FIELD_LINE.match(line))
            for path in match.group(1).split(",")}


def test_the_manifest_lists_every_snapshot_once() -> None:
    listed = [grant.snapshot.name for grant in GRANTS]
    present = sorted(p.name for p in real_programs.VALIDATION_SET.glob("*.yaml") if p != real_programs.MANIFEST)
    assert sorted(listed) == present
    assert len(set(listed)) == len(listed)


def test_the_set_covers_at_least_15_programs_and_the_main_grant_kinds(rulebase: RuleBase) -> None:
    programs = {grant.program.split(",")[0].split(" / ")[0] for grant in GRANTS}
    kinds = {designation for grant in GRANTS for designation in grant.granted}
    assert len(programs) >= 15, sorted(programs)
    assert {"orphan_drug_designation", "rare_pediatric_disease", "fast_track", "breakthrough_therapy", "rmat",
            "priority_review", "accelerated_approval"} <= kinds
    assert kinds <= set(rulebase.programs), kinds - set(rulebase.programs)


@pytest.mark.parametrize("grant", GRANTS, ids=lambda g: g.snapshot.name)
def test_every_field_of_a_snapshot_names_its_source(grant: Grant) -> None:
    header = _header(grant.snapshot)
    assert any(_SOURCE_LINE.match(line) for line in header), f"{grant.snapshot.name}: no numbered sources"
    assert any(_URL.search(line) for line in header), f"{grant.snapshot.name}: no source URL"
    assert any(grant.date.isoformat() in line for line in header), f"{grant.snapshot.name}: grant date not in header"
    data = yaml.safe_load(grant.snapshot.read_text(encoding="utf-8"))
    unsourced = _field_paths(data) - _sourced_paths(header)
    assert not unsourced, f"{grant.snapshot.name}: fields without a source line in the header: {sorted(unsourced)}"


@pytest.mark.parametrize("grant", GRANTS, ids=lambda g: g.snapshot.name)
def test_no_granted_designation_is_not_eligible_as_of_its_grant_date(rulebase: RuleBase, grant: Grant) -> None:
    refused = [r for r in evaluate_grants([grant], rulebase) if r.determination == "not_eligible"]
    assert not refused, "\n".join(
        f"{grant.program}: FDA granted {r.designation} on {grant.date}, the rules say not_eligible: "
        f"{r.why_not_eligible()}" for r in refused)


REFUSALS = [grant for grant in GRANTS if grant.refused]


def test_the_set_holds_at_least_40_grants_and_some_documented_refusals() -> None:
    assert sum(len(grant.granted) for grant in GRANTS) >= 40
    assert REFUSALS


@pytest.mark.parametrize("grant", REFUSALS, ids=lambda g: g.snapshot.name)
def test_no_refused_designation_is_eligible_as_of_its_date(rulebase: RuleBase, grant: Grant) -> None:
    wrong = [r for r in evaluate_refusals([grant], rulebase) if r.determination == "eligible"]
    assert not wrong, "\n".join(f"{grant.program}: FDA refused {r.designation} on {grant.date}, the rules say eligible"
                                for r in wrong)


def test_a_refusal_names_the_rule_and_the_failed_condition(rulebase: RuleBase) -> None:
    """The failure message of the test above, on a snapshot changed so that the condition is not serious."""
    grant = next(g for g in GRANTS if g.snapshot.name == "lenmeldy_priority_review_2023.yaml")
    data = yaml.safe_load(grant.snapshot.read_text(encoding="utf-8"))
    data["indication"]["serious"] = False
    data["development"]["priority_review_voucher_held"] = False
    assessment = evaluate(dossier_from_mapping(data), rulebase, as_of=grant.date)
    result = GrantResult(grant, "priority_review", assessment.program("priority_review"))
    assert result.determination == "not_eligible"
    assert "priority_review.not_serious holds" in result.why_not_eligible()


def test_the_script_prints_the_shares_and_the_deciding_unknowns() -> None:
    printed = io.StringIO()
    with redirect_stdout(printed):
        status = real_programs.main([])
    text = printed.getvalue()
    assert status == 0
    for name in real_programs.DETERMINATIONS:
        assert re.search(rf"^  {name}\s+\d+\s+\d+\.\d%$", text, re.MULTILINE), name
    assert f"{sum(len(g.granted) for g in GRANTS)} granted designations" in text
    report = real_programs.summary(evaluate_grants(GRANTS, RuleBase.load()))
    assert sum(share["count"] for share in report["shares"].values()) == report["grants"]
    undetermined = [r for r in report["results"] if r["determination"] == "undetermined"]
    assert all(r["deciding_unknowns"] for r in undetermined)


def test_the_script_writes_the_same_figures_as_json() -> None:
    printed = io.StringIO()
    with redirect_stdout(printed):
        assert real_programs.main(["--json"]) == 0
    report = json.loads(printed.getvalue())
    assert report["grants"] == sum(len(g.granted) for g in GRANTS)
    assert set(report["shares"]) == set(real_programs.DETERMINATIONS)
    assert len(report["results"]) == report["grants"]


def test_a_malformed_manifest_entry_is_refused_with_its_field(tmp_path: Path) -> None:
    manifest = tmp_path / "grants.yaml"
    manifest.write_text("grants:\n  - {snapshot: a.yaml, program: X, platform: AAV, granted: [], date: 2020-01-01,"
                        " source: https://example.org}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"grants\[0\]\.granted: expected a non-empty list"):
        load_grants(manifest)
