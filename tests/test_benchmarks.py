"""benchmarks.run: a quick smoke run gives every figure; the CLIPS yardstick reaches the reference's outcomes.

The figures themselves are not checked against the issue's targets: a test machine's speed says
nothing about the code. CLIPS (clipspy) is a benchmark-only extra (`.[bench]`); without it the
CLIPS parts are skipped.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import json
import math
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from benchmarks import run as runner
from benchmarks.generate import generate
from bgtc_rules import RuleBase, dossier_from_mapping, load_dossier
from bgtc_rules.engine.backends import create_backend, durable_available
from bgtc_rules.engine.facts import dossier_facts

from .paths import AS_OF, SCENARIOS

HAVE_CLIPS = importlib.util.find_spec("clips") is not None
NO_CLIPS = "clipspy is not installed (a benchmark-only extra: pip install -e '.[bench]')"


@pytest.fixture(scope="module")
def quick(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    out = tmp_path_factory.mktemp("bench") / "figures.json"
    printed = io.StringIO()
    with redirect_stdout(printed):
        assert runner.main(["--quick", "--count", "6", "--json", str(out)]) == 0
    return printed.getvalue(), json.loads(out.read_text(encoding="utf-8"))


def _positive(value: Any) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value) and value > 0


def _sample_ok(sample: dict[str, Any]) -> None:
    for key in ("per_second_cpu", "per_second_wall", "p50_ms", "p99_ms", "p50_cpu_ms", "cpu_ms_per_item"):
        assert _positive(sample[key]), (key, sample)
    assert sample["p99_ms"] >= sample["p50_ms"]


def test_the_quick_run_gives_every_figure(quick: tuple[str, dict[str, Any]]) -> None:
    text, figures = quick
    backends = ["reference", *(["durable-rules"] if durable_available() else []), *(["clips"] if HAVE_CLIPS else [])]
    assert figures["meta"]["count"] == 6 and figures["meta"]["rules"] > 0
    for key in ("load_first_s", "load_again_s", "load_no_cache_s"):
        assert _positive(figures["rules"][key]), key
    for name in backends:
        for form in ("yaml", "mapping", "lean"):
            _sample_ok(figures["end_to_end"][name][form])
        _sample_ok(figures["inference"][name])
        stages = figures["stages"][name]
        assert _positive(stages["inference_ms"]) and _positive(stages["json_ms"]) and stages["json_bytes"] > 1000
    for stage in ("parse_yaml_ms", "validate_ms", "facts_ms"):
        assert _positive(figures["stages"][stage])
    for name in backends[:2]:  # the product backends
        _sample_ok(figures["whatif"][name])
    assert _positive(figures["rss_mib"]["peak_in_process"])
    for command in ("evaluate", "evaluate_no_cache", "version"):
        assert _positive(figures["cli"][command]["median_s"]) and _positive(figures["cli"][command]["max_rss_mib"])
    batch = figures["batch"]
    if "skipped" in batch:
        assert "skipped" in text and batch["skipped"]
    else:
        assert batch["jobs1"]["lines"] == batch["jobs2"]["lines"] == 6 and _positive(batch["speedup"])
        assert len(batch["round_speedups"]) == batch["rounds"] and _positive(batch["median_round_speedup"])
        assert "median of the rounds" in text
    if durable_available():
        assert _positive(figures["rules"]["durable_first_inference_s"])
        malloc = figures["malloc"]
        assert "skipped" in malloc or all(
            _positive(malloc[config]["end_to_end"]["cpu_ms_per_item"]) for config in ("default", "tuned"))

    targets = {t["name"]: t for t in figures["targets"]}
    expected = ["bgtc evaluate cold wall", "reference what-if p50", "reference end to end from YAML text, per core"]
    if durable_available():
        expected += ["durable-rules end to end from YAML text, per core", "durable-rules what-if p50"]
    if HAVE_CLIPS and durable_available():
        expected += ["durable-rules / CLIPS end to end", "durable-rules / CLIPS inference only"]
    if "skipped" not in batch:
        expected.append("bgtc batch 2 jobs / 1 job")
    for name in expected:
        assert name in targets and isinstance(targets[name]["met"], bool), name
    marked = [line for line in text.splitlines() if " target " in line]
    assert len(marked) == len(figures["targets"])
    assert all(line.endswith((" met", " NOT MET")) for line in marked)


def test_the_quick_run_checks_clips_against_the_reference(quick: tuple[str, dict[str, Any]]) -> None:
    if not HAVE_CLIPS:
        pytest.skip(NO_CLIPS)
    text, figures = quick
    agreement = figures["agreement"]["clips"]
    assert agreement["checked"] == 6 and agreement["mismatched_dossiers"] == 0
    assert agreement["identical_json"] == 6
    assert "0 of 6 dossiers differ" in text


@pytest.mark.parametrize("as_of", [AS_OF, dt.date(2024, 6, 1)])
def test_clips_reaches_the_reference_outcomes_on_generated_dossiers(rulebase: RuleBase, as_of: dt.date) -> None:
    if not HAVE_CLIPS:
        pytest.skip(NO_CLIPS)
    from benchmarks.clips_backend import ClipsBackend

    clips, reference = ClipsBackend(rulebase), create_backend(rulebase, "reference")
    durable = create_backend(rulebase, "durable-rules") if durable_available() else None
    dossiers = [dossier_from_mapping(m) for m in generate(50, seed=11)]
    dossiers += [load_dossier(path) for path in sorted(Path(SCENARIOS).glob("*.yaml"))]
    for index, dossier in enumerate(dossiers):
        facts = dossier_facts(dossier)
        expected, got = reference.infer(facts, as_of), clips.infer(facts, as_of)
        assert dict(got.outcomes) == dict(expected.outcomes), index
        assert dict(got.concepts) == dict(expected.concepts), index
        if durable is not None:  # the trace follows the same normal-form terms as the Rete backend's
            assert got.firings == durable.infer(facts, as_of).firings, index


def test_the_clips_translation_is_readable_clips(rulebase: RuleBase) -> None:
    if not HAVE_CLIPS:
        pytest.skip(NO_CLIPS)
    from benchmarks.clips_backend import translate

    text = translate(rulebase, AS_OF)
    assert text.count("(defrule ") > len(rulebase.rules)
    assert "(deftemplate f " in text and "=> (assert (o (x " in text


def test_the_distinct_workload_clears_the_cases_before_every_dossier(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks import distinct

    cleared = []
    real_clear = distinct.clear_caches
    monkeypatch.setattr(distinct, "clear_caches", lambda: (cleared.append(1), real_clear()))
    out = tmp_path / "distinct.json"
    printed = io.StringIO()
    with redirect_stdout(printed):
        assert distinct.main(["--count", "20", "--rounds", "2", "--skip", "clips", "--json", str(out)]) == 0
    figures = json.loads(out.read_text(encoding="utf-8"))
    backends = ["reference", *(["durable-rules"] if durable_available() else [])]
    assert sorted(figures["end_to_end"]) == sorted(backends)
    for name in backends:
        _sample_ok(figures["end_to_end"][name])
        assert figures["end_to_end"][name]["count"] == 20
    # One at a time: once before each dossier. In chunks: at the start of each of a dossier's three
    # stages (determinations, assessment, line), since a chunk runs each stage for all its dossiers.
    assert len(cleared) == (1 + 3) * 20 * len(backends)
    assert all(same == 20 for same in figures["identical_lines"].values())
    assert figures["batched_identical_lines"] == {name: 20 for name in backends}
    assert sorted(figures["batched"]) == sorted(backends)
    assert all(sample["count"] == 20 and sample["per_second_cpu"] > 0 for sample in figures["batched"].values())
    assert "caches cleared before every dossier" in printed.getvalue()
    assert "as `bgtc batch` runs it, in chunks of 50" in printed.getvalue()
    # the stages are themselves again once measured
    assert not any(hasattr(getattr(owner, name), "__wrapped__") for owner, name in distinct._STAGES)


def test_the_compact_benchmark_measures_old_and_new_on_jsonl_input(tmp_path: Path) -> None:
    from benchmarks import compact, distinct

    out = tmp_path / "compact.json"
    printed = io.StringIO()
    with redirect_stdout(printed):
        assert compact.main(["--count", "4", "--json", str(out)]) == 0
        assert distinct.main(["--count", "20", "--rounds", "1", "--skip", "clips", "--input", "jsonl"]) == 0
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert set(figures["parse"]) == {"yaml", "json (locating parser)", "json (fast path)"}
    assert figures["line"]["full"]["mean_bytes"] > 3 * figures["line"]["compact"]["mean_bytes"]
    assert "full / compact" in printed.getvalue() and "as jsonl input, compact lines" in printed.getvalue()


def test_the_stage_script_times_every_stage() -> None:
    from benchmarks.stages import STAGES, stage_times

    times, size = stage_times(2, "reference")
    assert list(times) == list(STAGES) and all(ms >= 0 for ms in times.values())
    assert size > 1000


@pytest.mark.skipif(not durable_available(), reason="durable-rules is not importable here")
def test_the_durable_versions_script_times_both_versions_side_by_side() -> None:
    from benchmarks import durable_versions

    printed = io.StringIO()
    with redirect_stdout(printed):
        assert durable_versions.main(["--base", "HEAD", "--count", "3", "--rounds", "2", "--sessions", "1,2"]) == 0
    lines = printed.getvalue().splitlines()
    assert [line.split(":")[0].strip() for line in lines] == [  # one at a time also in sessions not kept
        "HEAD, 1/session, not kept", "HEAD, 1/session", "this tree, 1/session, not kept", "this tree, 1/session",
        "HEAD, 2/session", "this tree, 2/session"]
    assert all("ms CPU per dossier (median; rounds " in line for line in lines)
