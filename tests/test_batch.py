"""`bgtc batch` and `bgtc_rules.advice.batch`: parallel evaluation, per-item failures, ordering, summary."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import bgtc_rules.advice.batch_pool as batch_pool_module
import bgtc_rules.advice.evaluation as evaluate_module
from benchmarks.generate import generate, write
from bgtc_rules import RuleBase, dossier_from_mapping, evaluate
from bgtc_rules.advice.assessment import Assessment
from bgtc_rules.advice.batch import BatchOptions, Chunk, ItemResult
from bgtc_rules.advice.batch_inputs import Item, collect_inputs
from bgtc_rules.advice.batch_pool import run_batch, run_batch_chunks
from bgtc_rules.advice.compact import rebuild_dict
from bgtc_rules.advice.dictionary import RuleDictionary
from bgtc_rules.base.errors import BgtcError
from bgtc_rules.base.outputs import AtomicOutput
from bgtc_rules.cli import main

from .paths import AS_OF, SCENARIOS

DATE = AS_OF.isoformat()
THREE = ("aav_phase12_pediatric_neuro.yaml", "aav_pre_ind_pediatric_neuro.yaml",
         "adult_rare_with_available_therapy.yaml")


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["batch", *args])
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


def _lines(path: Path) -> list[dict[str, Any]]:
    """The items' lines of a batch output (without the dictionary at its head)."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return records[1:] if records and records[0].get("format") == "bgtc.dictionary/1" else records


def _summed(records: list[dict[str, Any]]) -> dict[str, Counter[str]]:
    sums: dict[str, Counter[str]] = {}
    for record in records:
        for program, determination in record.get("determinations", {}).items():
            sums.setdefault(program, Counter())[determination] += 1
    return sums


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three example dossiers whose headers state rmat: eligible, not_yet and undetermined."""
    directory = tmp_path_factory.mktemp("three")
    for name in THREE:
        (directory / name).write_bytes((SCENARIOS / name).read_bytes())
    return directory


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """24 generated dossiers as YAML files (some in a subdirectory) and 16 more as JSONL."""
    root = tmp_path_factory.mktemp("generated")
    write(16, seed=41, out=root / "set" / "a")
    write(8, seed=42, out=root / "set" / "b" / "nested")
    write(16, seed=43, out=root / "more.jsonl")
    return root


def test_summary_counts_equal_the_sum_of_the_item_results(generated: Path, tmp_path: Path,
                                                          rulebase: RuleBase) -> None:
    out = tmp_path / "results.jsonl"
    code, stdout, _ = _run(str(generated / "set"), str(generated / "more.jsonl"), "--jobs", "1",
                           "--as-of", DATE, "-o", str(out), "--format", "json")
    assert code == 0
    summary, records = json.loads(stdout), _lines(out)
    dictionary = RuleDictionary.from_dict(json.loads(out.read_text(encoding="utf-8").split("\n", 1)[0]), str(out))
    assert summary["dossiers"] == summary["evaluated"] == len(records) == 40 and summary["failed"] == 0
    sums = _summed(records)
    assert set(summary["programs"]) == set(rulebase.programs) == set(sums)
    for program, counts in summary["programs"].items():
        assert counts == {d: sums[program][d] for d in counts}, program
        assert sum(counts.values()) == 40
    for determination, count in summary["dossiers_with"].items():
        assert count == sum(1 for r in records if determination in r["determinations"].values())
    # each item is what `evaluate` gives for that dossier on its own
    for record, data in zip(records[-16:], generate(16, seed=43), strict=True):
        alone = evaluate(dossier_from_mapping(data), rulebase, as_of=AS_OF, source=record["source"])
        assert record["determinations"] == alone.determinations()
        assert rebuild_dict(record, dictionary) == alone.to_dict()


def test_items_come_in_input_order_whatever_the_workers(generated: Path, tmp_path: Path) -> None:
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"results-{jobs}.jsonl"
        code, _, _ = _run(str(generated / "more.jsonl"), str(generated / "set"), "--jobs", jobs,
                          "--as-of", DATE, "-o", str(out))
        assert code == 0
        outputs.append(out.read_bytes())
        sources = [r["source"] for r in _lines(out)]
        jsonl = str(generated / "more.jsonl")
        set_a, set_b = generated / "set" / "a", generated / "set" / "b" / "nested"
        assert sources == ([f"{jsonl}:{n}" for n in range(1, 17)]
                           + [str(set_a / f"dossier-{n:05d}.yaml") for n in range(1, 17)]
                           + [str(set_b / f"dossier-{n:05d}.yaml") for n in range(1, 9)])
    assert outputs[0] == outputs[1]  # byte-identical with one worker or two


def test_failures_are_reported_per_item_and_do_not_stop_the_batch(tmp_path: Path) -> None:
    directory = tmp_path / "dossiers"
    directory.mkdir()
    (directory / "1_good.yaml").write_text((SCENARIOS / "aav_phase12_pediatric_neuro.yaml").read_text())
    (directory / "2_bad_yaml.yaml").write_text("program:\n  name: X\n  modality: [\n")
    (directory / "3_invalid.yaml").write_text("program:\n  name: X\nindication:\n  us_prevalence: lots\n")
    (directory / "4_bad.json").write_text('{"program": {"name": "X"},}')
    (directory / "notes.txt").write_text("not a dossier")
    (directory / ".hidden.yaml").write_text("not: [valid")
    good_line = json.dumps(generate(1, seed=1)[0])
    jsonl = tmp_path / "items.jsonl"
    jsonl.write_text("\n".join([good_line, "", '{"program": {"name": "Y", "modality": "magic"}}',
                                "{not json", "[1, 2]", good_line]) + "\n")
    out = tmp_path / "results.jsonl"
    code, stdout, stderr = _run(str(directory), str(jsonl), "--jobs", "2", "--as-of", DATE, "-o", str(out),
                                "--format", "json")
    assert code == 0
    records = {r["source"]: r for r in _lines(out)}
    assert list(records) == [str(directory / n) for n in ("1_good.yaml", "2_bad_yaml.yaml", "3_invalid.yaml",
                                                          "4_bad.json")] + [f"{jsonl}:{n}" for n in (1, 3, 4, 5, 6)]
    assert [r["ok"] for r in records.values()] == [True, False, False, False, True, False, False, False, True]
    invalid = records[str(directory / "3_invalid.yaml")]["errors"]
    assert invalid[0] | {"message": ""} == {"file": str(directory / "3_invalid.yaml"), "line": 4,
                                            "path": "indication.us_prevalence", "message": ""}
    assert records[f"{jsonl}:3"]["errors"][0]["line"] == 3
    assert records[f"{jsonl}:3"]["errors"][0]["path"] == "program.modality"
    assert records[f"{jsonl}:4"]["errors"][0]["message"].startswith("invalid JSON")
    assert records[f"{jsonl}:5"]["errors"][0]["message"] == "expected a mapping of fields"
    summary = json.loads(stdout)
    assert (summary["dossiers"], summary["evaluated"], summary["failed"]) == (9, 3, 6)
    assert [f["source"] for f in summary["failures"]] == [s for s, r in records.items() if not r["ok"]]
    assert f"failed: {directory / '3_invalid.yaml'}:4: indication.us_prevalence:" in stderr
    assert f"failed: {jsonl}:3: program.modality:" in stderr
    assert "9 dossiers, 3 evaluated, 6 failed" in stderr


@pytest.mark.parametrize("backend", ["durable-rules", "reference"])
def test_items_evaluated_together_give_the_lines_they_give_one_by_one(three: Path, backend: str) -> None:
    from bgtc_rules.engine.backends import durable_available

    if backend == "durable-rules" and not durable_available():
        pytest.skip("durable-rules is not importable here")
    options = BatchOptions(as_of=AS_OF, backend=backend)
    together = [r.line for r in run_batch(collect_inputs([three, three]), options, chunk_size=6)]
    alone = [r.line for r in run_batch(collect_inputs([three, three]), options, chunk_size=1)]
    assert together == alone and len(together) == 6 and all('"ok":true' in line for line in together)


def test_an_internal_error_on_one_item_is_reported_on_that_item(three: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The items are evaluated together; a bug met on one of them fails that one alone (the
    others are evaluated again one by one)."""
    real, real_many = evaluate_module.evaluate, evaluate_module.evaluate_many

    def flaky(dossier: Any, *args: Any, **kwargs: Any) -> Any:
        if "pre-IND" in dossier.program.name:
            raise RuntimeError("engine exploded")
        return real(dossier, *args, **kwargs)

    def flaky_many(dossiers: Any, *args: Any, **kwargs: Any) -> Any:
        if any("pre-IND" in dossier.program.name for dossier in dossiers):
            raise RuntimeError("engine exploded")
        return real_many(dossiers, *args, **kwargs)

    monkeypatch.setattr(evaluate_module, "evaluate", flaky)
    monkeypatch.setattr(evaluate_module, "evaluate_many", flaky_many)
    for chunk_size in (1, 3):
        results = list(run_batch(collect_inputs([three]), BatchOptions(as_of=AS_OF), chunk_size=chunk_size))
        assert [r.ok for r in results] == [True, False, True]
        assert "internal error: RuntimeError: engine exploded" in results[1].problems[0].message


def test_text_summary_lists_every_program_and_the_item_counts(three: Path, rulebase: RuleBase) -> None:
    code, stdout, stderr = _run(str(three), "--as-of", DATE, "--jobs", "1")
    assert code == 0
    header, *rows = stdout.split("\n\n")[0].splitlines()
    assert header.split() == ["Program", "eligible", "not_eligible", "undetermined", "not_yet", "closed", "conditional",
                              "held", "pending"]
    table = {row.split()[0]: [int(n) for n in row.split()[1:]] for row in rows}
    assert set(table) == set(rulebase.programs)
    assert table["rmat"][:6] == [1, 0, 1, 1, 0, 0] and all(sum(counts[:6]) == 3 for counts in table.values())
    assert all(counts[6:] == [0, 0] for counts in table.values())  # none of the three records a designation
    assert "Dossiers: 3 (3 evaluated, 0 failed)" in stdout and stdout.count("not a determination by FDA") == 1
    assert stderr.startswith("bgtc batch: 3 dossiers, 3 evaluated, 0 failed in ")  # nothing but the summary


def test_lean_output_leaves_the_assessment_out(generated: Path, tmp_path: Path) -> None:
    out = tmp_path / "lean.jsonl"
    code, _, _ = _run(str(generated / "more.jsonl"), "--lean", "--jobs", "1", "--as-of", DATE, "-o", str(out))
    assert code == 0
    records = _lines(out)
    assert len(records) == 16 and all(set(r) == {"source", "ok", "determinations", "standing"} for r in records)


def test_dash_writes_the_items_to_stdout_and_the_summary_to_stderr(three: Path) -> None:
    code, stdout, stderr = _run(str(three), "--as-of", DATE, "--jobs", "1", "--lean", "-o", "-")
    assert code == 0
    records = [json.loads(line) for line in stdout.splitlines()]
    assert [r["determinations"]["rmat"] for r in records] == ["eligible", "not_yet", "undetermined"]
    assert "Dossiers: 3 (3 evaluated, 0 failed)" in stderr


@pytest.mark.parametrize(
    ("fail_on", "expected"),
    [
        (["undetermined"], 1),
        (["eligible", "not_yet"], 1),
        (["failed"], 0),
        ([], 0),
    ],
)
def test_fail_on_exits_1_when_a_dossier_matches(three: Path, fail_on: list[str], expected: int) -> None:
    options = [arg for name in fail_on for arg in ("--fail-on", name)]
    code, _, stderr = _run(str(three), "--as-of", DATE, "--jobs", "1", *options)
    assert code == expected
    assert ("--fail-on matched" in stderr) == (expected == 1)


def test_fail_on_failed_and_on_a_determination_no_dossier_got(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("program: {}\n")
    (tmp_path / "good.yaml").write_text("program: {name: X}\ndevelopment: {stage: research}\n")
    code, _, stderr = _run(str(tmp_path), "--as-of", DATE, "--jobs", "1", "--fail-on", "failed")
    assert code == 1 and "--fail-on matched: failed" in stderr
    code, _, _ = _run(str(tmp_path / "good.yaml"), "--as-of", DATE, "--jobs", "1", "--fail-on", "failed")
    assert code == 0


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["missing-dir"], "missing-dir: no such file or directory"),
        (["{empty}"], "no .yaml, .yml or .json dossier files"),
        (["{notes}"], "expected a directory, a .jsonl file or a .yaml/.yml/.json dossier"),
        ([str(SCENARIOS), "-o", "{nowhere}/results.jsonl"], "the output directory does not exist"),
        ([str(SCENARIOS), "-o", "{empty}"], "is a directory"),
        ([str(SCENARIOS), "--as-of", "21/11/2026"], "YYYY-MM-DD"),
        ([str(SCENARIOS), "--jobs", "0"], "--jobs"),
        ([str(SCENARIOS), "--fail-on", "maybe"], "--fail-on"),
        ([], "Missing argument"),
    ],
)
def test_bad_arguments_exit_2_without_a_traceback(tmp_path: Path, arguments: list[str], expected: str) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes.txt").write_text("x")
    places = {"empty": tmp_path / "empty", "notes": tmp_path / "notes.txt", "nowhere": tmp_path / "nowhere"}
    code, stdout, stderr = _run(*(a.format(**places) for a in arguments))
    assert code == 2
    assert expected in stderr
    assert stdout == ""


def test_progress_only_when_asked_for_off_a_terminal(generated: Path) -> None:
    args = (str(generated / "set" / "b"), "--as-of", DATE, "--jobs", "1", "--lean")
    _, _, quiet = _run(*args)
    assert quiet.splitlines() == [line for line in quiet.splitlines() if line.startswith("bgtc batch: 8 dossiers")]
    _, _, shown = _run(*args, "--progress")
    assert "evaluated 8/8 dossiers" in shown.splitlines()
    assert shown.splitlines()[-1].startswith("bgtc batch: 8 dossiers")


def test_a_failed_run_leaves_the_previous_output_untouched(three: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "results.jsonl"
    out.write_text("previous\n")

    def broken(items: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        yield from []
        raise RuntimeError("a worker failed")

    monkeypatch.setattr(batch_pool_module, "run_batch_chunks", broken)
    result = CliRunner().invoke(main, ["batch", str(three), "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 3 and "a worker failed" in result.output
    assert out.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.jsonl"]  # no partial file left (see
    # test_batch_faults for an interruption, which keeps it for --resume)


def test_atomic_output_replaces_the_file_only_on_success(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with AtomicOutput(out) as stream:
        stream.write("one\n")
        assert not out.exists()
    assert out.read_text() == "one\n"
    with pytest.raises(RuntimeError), AtomicOutput(out) as stream:
        stream.write("two\n")
        raise RuntimeError
    assert out.read_text() == "one\n" and [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_run_batch_reads_ahead_only_a_few_chunks(rulebase: RuleBase) -> None:
    """Items are pulled lazily: at most 2 * jobs chunks are in flight, not the whole batch."""
    data = generate(60, seed=9)
    pulled = 0

    def items() -> Iterator[Item]:
        nonlocal pulled
        for index, dossier in enumerate(data, 1):
            pulled += 1
            yield Item(f"gen.jsonl:{index}", "gen.jsonl", index, json.dumps(dossier).encode())

    results = run_batch(items(), BatchOptions(as_of=AS_OF, lean=True), jobs=2, chunk_size=3, rules=rulebase)
    first = next(results)
    assert first.source == "gen.jsonl:1" and first.ok
    assert pulled <= 2 * 2 * 3 + 3
    rest = list(results)
    assert [r.source for r in rest] == [f"gen.jsonl:{n}" for n in range(2, 61)]
    assert pulled == 60


def test_a_thousand_generated_dossiers_with_two_workers(tmp_path: Path) -> None:
    """The whole pipeline at scale. The reference backend and lean lines keep it quick (both backends
    give the same determinations, see test_backends_agree; full lines are checked above)."""
    source = tmp_path / "thousand.jsonl"
    write(1000, seed=1000, out=source)
    out = tmp_path / "results.jsonl"
    code, stdout, stderr = _run(str(source), "--jobs", "2", "--lean", "--backend", "reference", "--as-of", DATE,
                                "-o", str(out), "--format", "json")
    assert code == 0, stderr
    summary, records = json.loads(stdout), _lines(out)
    assert [r["source"] for r in records] == [f"{source}:{n}" for n in range(1, 1001)]
    assert summary["dossiers"] == summary["evaluated"] == 1000 and summary["failed"] == 0
    sums = _summed(records)
    assert {p: dict(c) for p, c in summary["programs"].items()} == {
        p: {d: sums[p][d] for d in ("eligible", "not_eligible", "undetermined", "not_yet", "closed", "conditional")}
        for p in sums}


def test_workers_hand_their_lines_over_in_spool_files_that_are_removed(
        generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rulebase: RuleBase) -> None:
    """A worker's chunk comes back as results without lines and a spool file holding them; each
    file is gone once the next chunk is taken, and the private directory once the batch ends."""
    spools = tmp_path / "tmp"
    spools.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spools))
    items = list(collect_inputs([generated / "more.jsonl"]))
    alone = list(run_batch(items, BatchOptions(as_of=AS_OF), jobs=1, rules=rulebase))
    seen: list[Path] = []
    copied = tmp_path / "copied.jsonl"
    with copied.open("wb") as out:
        for chunk in run_batch_chunks(items, BatchOptions(as_of=AS_OF), jobs=2, chunk_size=5, rules=rulebase):
            assert chunk.spool is not None and all(result.line == "" for result in chunk.results)
            assert not any(path.exists() for path in seen)  # the chunks before are removed
            seen.append(Path(chunk.spool))
            assert seen[-1].parent.stat().st_mode & 0o077 == 0  # the lines hold the dossiers: private
            chunk.write_lines(out.fileno())
    assert len(seen) == 4 and not any(spools.iterdir())
    assert copied.read_text(encoding="utf-8") == "".join(f"{result.line}\n" for result in alone)


def test_a_spool_file_is_split_at_newlines_only_and_must_hold_one_line_per_result(tmp_path: Path) -> None:
    spool = tmp_path / "chunk.jsonl"
    spool.write_text('{"source":"a","text":"one\u2028two"}\n{"source":"b"}\n', encoding="utf-8")
    results = (ItemResult("a", {}, (), ""), ItemResult("b", {}, (), ""))
    lines = [result.line for result in Chunk(results, str(spool)).with_lines()]
    assert lines == ['{"source":"a","text":"one\u2028two"}', '{"source":"b"}']
    with pytest.raises(BgtcError, match="one line per result"):
        Chunk(results[:1], str(spool)).with_lines()


def test_without_an_output_file_no_assessment_is_written(three: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The summary needs only the determinations: the ~100 KB of JSON per dossier is not made."""
    code, with_lines, _ = _run(str(three), "--as-of", DATE, "--jobs", "1", "--format", "json",
                               "-o", str(tmp_path / "out.jsonl"))
    assert code == 0

    def refused(self: Assessment, *args: Any, **kwargs: Any) -> str:
        raise AssertionError("an assessment was serialised for nothing")

    monkeypatch.setattr(Assessment, "to_json", refused)
    code, summary, stderr = _run(str(three), "--as-of", DATE, "--jobs", "1", "--format", "json")
    assert code == 0, stderr
    expected, got = json.loads(with_lines), json.loads(summary)
    assert got["evaluated"] == 3 and got["programs"] == expected["programs"]


def test_two_workers_to_a_pipe_write_the_same_bytes_as_to_a_file(generated: Path, tmp_path: Path) -> None:
    """Standard output is written through its descriptor; a pipe takes the spool files' bytes
    the slow way (read and written), a file the kernel's way: the same bytes either way."""
    out = tmp_path / "out.jsonl"
    args = [sys.executable, "-m", "bgtc_rules", "batch", str(generated / "set"), "--jobs", "2", "--as-of", DATE,
            "--backend", "reference"]
    to_file = subprocess.run([*args, "-o", str(out)], capture_output=True, timeout=300, check=False)
    to_pipe = subprocess.run([*args, "-o", "-"], capture_output=True, timeout=300, check=False)
    assert to_file.returncode == to_pipe.returncode == 0, to_pipe.stderr
    assert to_pipe.stdout == out.read_bytes() and to_pipe.stdout.count(b"\n") == 25  # the dictionary, 24 lines


def test_the_fingerprint_names_files_by_their_resolved_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same inputs reached from another directory, or through a linked directory, are the
    same batch (a --resume finds its partial file); a changed file is another batch."""
    real = tmp_path / "real" / "dossiers"
    write(3, seed=5, out=real)
    (tmp_path / "link").symlink_to(tmp_path / "real")
    absolute = collect_inputs([real]).fingerprint()
    monkeypatch.chdir(tmp_path / "real")
    assert collect_inputs([Path("dossiers")]).fingerprint() == absolute
    assert collect_inputs([tmp_path / "link" / "dossiers"]).fingerprint() == absolute
    first = sorted(real.iterdir())[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert collect_inputs([real]).fingerprint() != absolute


def test_an_output_file_is_sent_to_disk_as_it_is_written(three: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """`-o FILE`: each chunk's bytes are handed to the kernel's writeback as soon as they are
    written (`base.outputs.write_behind`), every byte of the file once, in order."""
    import bgtc_rules.base.outputs as outputs

    advised: list[tuple[int, int]] = []
    monkeypatch.setattr(outputs.os, "posix_fadvise",
                        lambda fd, offset, length, advice: advised.append((offset, length)))
    out = tmp_path / "out.jsonl"
    code, _, _ = _run(str(three), "--as-of", DATE, "--jobs", "1", "-o", str(out))
    assert code == 0
    size = out.stat().st_size
    assert len(advised) == 4 and advised[0][0] == 0  # the dictionary at the head, then one chunk per dossier
    assert all(a + n == b for (a, n), (b, _) in itertools.pairwise(advised))
    assert advised[-1][0] + advised[-1][1] == size
