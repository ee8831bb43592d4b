"""The policy handbook (`bgtc docs`): generated from rules/ and features/, committed, never drifting."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_bdd.feature import get_features

from bgtc_rules import InputError, RuleBase
from bgtc_rules.cli import main
from bgtc_rules.policy.features import parse_feature
from bgtc_rules.render.handbook import MARKER, build_handbook, write_handbook

from .paths import ROOT

FEATURES = ROOT / "features"
COMMITTED = ROOT / "docs" / "handbook"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The handbook as `bgtc docs` writes it, into a fresh directory."""
    output = tmp_path_factory.mktemp("handbook")
    result = CliRunner().invoke(main, ["docs", "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.stdout
    return output


def _files(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.glob("*.md"))}


def test_committed_handbook_is_what_the_rules_and_features_give(generated: Path) -> None:
    fresh, committed = _files(generated), _files(COMMITTED)
    assert sorted(fresh) == sorted(committed), "pages added or removed: run `bgtc docs`"
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert not stale, f"docs/handbook is out of date ({', '.join(stale)}): run `bgtc docs`"


def test_a_second_run_gives_identical_bytes(generated: Path, tmp_path: Path) -> None:
    write_handbook(tmp_path, FEATURES)
    assert _files(tmp_path) == _files(generated)


def test_one_page_per_program_plus_concepts_and_index(generated: Path, rulebase: RuleBase) -> None:
    assert set(_files(generated)) == {f"{p}.md" for p in rulebase.programs} | {"concepts.md", "index.md"}
    for text in (path.read_text(encoding="utf-8") for path in generated.glob("*.md")):
        assert text.startswith(MARKER) and text.endswith("\n") and "\n\n\n" not in text
        assert str(ROOT) not in text  # no absolute paths


def test_program_page_has_rules_data_and_computed_scenario_outcomes(generated: Path) -> None:
    page = (generated / "orphan_drug_designation.md").read_text(encoding="utf-8")
    # conditions written out in the rules' sentences
    assert ("- The disease is not rare under the Orphan Drug Act. "
            "(see [Rare disease](concepts.md#concept-rare-disease))") in page
    assert "### `orphan_drug_designation.not_rare`: The disease is not rare" in page
    assert "Concludes **closed**; in force from 1983-01-04" in page
    assert "90 calendar days after the request" in page and "Orphan Drug Modernization Plan" in page
    assert "### Request window" in page and "### Benefits" in page
    assert "#### Scenario outline: Prevalence on either side of 200,000" in page
    assert "| `199999` | `eligible` | **eligible** (by [`orphan_drug_designation.eligible`]" in page
    assert "| `200000` | `not_eligible` | **not eligible** (by [`orphan_drug_designation.not_rare`]" in page
    assert "Questions asked:" in page and "How many people in the United States have the disease" in page

    concepts = (generated / "concepts.md").read_text(encoding="utf-8")
    assert "- Fewer than 200,000 people in the U.S. have the disease." in concepts

    meeting = (generated / "mtg_type_d.md").read_text(encoding="utf-8")
    assert "### Meeting timeline" in meeting and "| Meeting held | 50 calendar days after the request." in meeting

    rpd = (generated / "rare_pediatric_disease.md").read_text(encoding="utf-8")
    assert "in force from 2012-07-09 to 2024-12-20 (inclusive)" in rpd  # lapsed for new designations
    assert "in force from 2026-02-03 to 2029-09-30 (inclusive)" in rpd  # Consolidated Appropriations Act, 2026
    assert ("| `2029-10-01` | `closed` | **closed** (by [`rare_pediatric_disease.voucher_authority_ended`]"
            "(rare_pediatric_disease.md#rule-rare-pediatric-disease-voucher-authority-ended)) |") in rpd


def test_index_counts_scenarios_by_outcome(generated: Path, rulebase: RuleBase) -> None:
    index = (generated / "index.md").read_text(encoding="utf-8")
    assert f"{len(rulebase.rules)} rules" in index
    assert f"Rule coverage of the scenarios: {len(rulebase.rules)} of {len(rulebase.rules)} rules" in index
    assert "| [Fast track designation](fast_track.md) | designation | from 1997-11-21 |" in index


def test_parser_reads_the_features_as_pytest_bdd_does() -> None:
    theirs = {Path(f.filename).name: f for f in get_features([str(FEATURES)])}
    assert set(theirs) == {p.name for p in FEATURES.glob("*.feature")}
    for name, reference in theirs.items():
        feature = parse_feature(FEATURES / name)
        assert feature.name == reference.name
        scenarios = {s.name: (rule, s) for rule, s in feature.scenarios}
        assert list(scenarios) == list(reference.scenarios), name
        for title, template in reference.scenarios.items():
            rule, scenario = scenarios[title]
            ours = [(s.text, s.table) for s in (*feature.background, *rule.background, *scenario.steps)]
            expected = [(s.name, tuple(tuple(row) for row in s.datatable.raw()) if s.datatable else None)
                        for s in template.steps]
            assert ours == expected, f"{name}: {title}"
            rows = [tuple(row) for ex in template.examples for row in ex.examples]
            assert [tuple(c.values()) for c in scenario.contexts()] == (rows or [()]), f"{name}: {title}"
            assert (rule.name or None) == (template.rule.name if template.rule else None)


def _feature(tmp_path: Path, name: str, text: str) -> Path:
    directory = tmp_path / "features"
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return directory


FAST_TRACK = """\
    Feature: Fast track designation

      Background:
        Given the example dossier "aav_phase12_pediatric_neuro.yaml"

      Rule: The condition must be serious

        Scenario: Not serious
          Given the dossier states "indication.serious" is "false"
          When it is evaluated as of "2026-11-21"
          Then "fast_track" is "{determination}"
    """


def test_a_scenario_the_rules_do_not_bear_out_stops_the_handbook(tmp_path: Path, rulebase: RuleBase) -> None:
    features = _feature(tmp_path, "fast_track.feature", FAST_TRACK.format(determination="eligible"))
    with pytest.raises(InputError) as caught:
        build_handbook(features, rulebase, ROOT / "scenarios")
    message = str(caught.value)
    assert "features/fast_track.feature:11: scenario 'Not serious'" in message
    assert 'Then "fast_track" is "eligible": the rules give not_eligible' in message

    features = _feature(tmp_path, "fast_track.feature", FAST_TRACK.format(determination="not_eligible"))
    pages = build_handbook(features, rulebase, ROOT / "scenarios")
    assert "Outcome: `fast_track` is **not eligible**" in pages["fast_track.md"]
    assert "No feature file describes this program yet." in pages["rmat.md"]


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("fast_track.feature", "Feature: F\n  Scenario: S\n    Given the dossier is lovely\n",
         "fast_track.feature:3: scenario 'S': Given the dossier is lovely: not a step of the policy vocabulary"),
        ("fast_track.feature", 'Feature: F\n  Scenario: S\n    Given a doc string\n      """\n      text\n      """\n',
         "fast_track.feature:4: doc strings are not part of the policy step vocabulary"),
        ("fast_track.feature", 'Feature: F\n  Scenario: S\n    Given a doc string\n      """\n',
         "fast_track.feature:5: unexpected end of file"),
        ("fast_track.feature", "Feature: F\n  Scenario Outline: S\n    Given x <y>\n",
         "fast_track.feature:2: scenario outline 'S' has no examples"),
        ("fast_track.feature", "Feature: F\n  Scenario: S\n  Scenario: S\n",
         "fast_track.feature:3: a second scenario named 'S'"),
        ("fast_track.feature", "Feature: F\n  Scenario: S\n    Given a dossier with:\n      | a | b |\n      | c |\n",
         "fast_track.feature:5: inconsistent cell count within the table"),
        ("no_such_program.feature", "Feature: F\n", "no program 'no_such_program' in the rules"),
    ],
)
def test_bad_feature_files_are_refused_with_file_and_line(tmp_path: Path, rulebase: RuleBase, name: str, text: str,
                                                          expected: str) -> None:
    features = _feature(tmp_path, name, text)
    with pytest.raises(InputError) as caught:
        build_handbook(features, rulebase, ROOT / "scenarios")
    assert expected in str(caught.value)


def test_stale_generated_pages_go_and_other_files_stay(tmp_path: Path) -> None:
    output = tmp_path / "out"
    output.mkdir()
    (output / "retired_program.md").write_text(MARKER + "\n\n# Retired\n", encoding="utf-8")
    (output / "notes.md").write_text("# My notes\n", encoding="utf-8")
    features = _feature(tmp_path, "cnpv.feature", "Feature: CNPV\n")
    write_handbook(output, features)
    assert not (output / "retired_program.md").exists()
    assert (output / "notes.md").read_text(encoding="utf-8") == "# My notes\n"
    assert (output / "cnpv.md").is_file() and (output / "index.md").is_file()


def test_cli_reports_a_missing_features_directory(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["docs", "--output", str(tmp_path / "out"), "--features",
                                       str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "features directory not found" in result.stderr
    assert "Traceback" not in result.output
