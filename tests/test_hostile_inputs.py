"""Hostile inputs beyond one file's contents: many problems at once, inputs that are not regular
files, JSONL lines that never end, dates at the end of the calendar.

Each runs the command line in a subprocess under a time limit and an address-space limit, and
must end with a clear message and exit 2 (or, for a batch, report the bad item and go on).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from bgtc_rules.base.documents import MAX_DOCUMENT_BYTES
from bgtc_rules.base.errors import MAX_PROBLEMS

from .paths import AS_OF, ROOT, SCENARIOS

TIME_LIMIT = 120  # seconds: a guard against hangs, not a speed requirement
MEMORY_LIMIT = 1024 * 2**20
DOSSIER = SCENARIOS / "aav_phase12_pediatric_neuro.yaml"
DATE = ["--as-of", AS_OF.isoformat()]


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _bgtc(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bgtc_rules", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=TIME_LIMIT, preexec_fn=_limit_memory, check=False,
                          env={**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)})


def test_a_dossier_with_40000_unknown_fields_gets_the_first_problems_and_a_count(tmp_path: Path) -> None:
    dossier = tmp_path / "many.yaml"
    fields = "".join(f"unknown_field_{i}: {i}\n" for i in range(40_000))
    dossier.write_text(f"schema_version: 1\nprogram: {{name: AAV9-NRX1}}\n{fields}")
    done = _bgtc("evaluate", str(dossier), *DATE)
    assert done.returncode == 2, done.stderr[-2000:]
    lines = done.stderr.splitlines()
    assert len(lines) == MAX_PROBLEMS + 1
    assert lines[0].startswith(f"error: {dossier}:3: unknown_field_0: unknown field")
    assert lines[-1] == f"error: {dossier}: and {40_000 - MAX_PROBLEMS} more problems (correct the ones above first)"


def test_a_list_of_misspelled_values_is_capped(tmp_path: Path) -> None:
    dossier = tmp_path / "misspelled.json"
    values = ", ".join(['"improvment"'] * 100_000)
    dossier.write_text(f'{{"schema_version": 1, "program": {{"name": "AAV9-NRX1"}}, '
                       f'"therapy_landscape": {{"advantages": [{values}]}}}}')
    done = _bgtc("evaluate", str(dossier), *DATE)
    assert done.returncode == 2 and len(done.stderr) < 40_000, done.stderr[-2000:]
    assert done.stderr.splitlines()[-1].endswith(f"and {100_000 - MAX_PROBLEMS} more problems (correct the ones "
                                                 "above first)")


def test_a_named_pipe_in_a_batch_is_one_failed_item_not_a_hang(tmp_path: Path) -> None:
    directory = tmp_path / "dossiers"
    directory.mkdir()
    (directory / "a.yaml").write_bytes(DOSSIER.read_bytes())
    os.mkfifo(directory / "b.yaml")
    done = _bgtc("batch", str(directory), *DATE, "--jobs", "1", "--backend", "reference")
    assert done.returncode == 0, done.stderr
    assert f"failed: {directory / 'b.yaml'}: is a named pipe (FIFO); expected a regular file" in done.stderr
    assert "2 dossiers, 1 evaluated, 1 failed" in done.stderr


def test_a_jsonl_input_that_is_a_device_is_refused(tmp_path: Path) -> None:
    endless = tmp_path / "zero.jsonl"
    endless.symlink_to("/dev/zero")
    done = _bgtc("batch", str(endless), *DATE)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"error: {endless}: is a device; expected a regular file")


def test_a_jsonl_line_that_never_ends_fails_alone_in_bounded_memory(tmp_path: Path) -> None:
    source = tmp_path / "long.jsonl"
    good = b'{"schema_version": 1, "program": {"name": "AAV9-NRX1"}}\n'
    with source.open("wb") as out:
        out.write(good)
        out.write(b'{"schema_version": 1, "program": {"name": "' + b"x" * (3 * MAX_DOCUMENT_BYTES))
        out.write(b'"}}\n')
        out.write(good)
    done = _bgtc("batch", str(source), *DATE, "--jobs", "1", "--backend", "reference")
    assert done.returncode == 0, done.stderr
    assert f"failed: {source}:2: line is longer than {MAX_DOCUMENT_BYTES // 1024} KiB" in done.stderr
    assert "3 dossiers, 2 evaluated, 1 failed" in done.stderr


@pytest.mark.parametrize("command", [
    ["plan", str(DOSSIER), "--start", "9999-12-31"],
    ["plan", str(DOSSIER), "--as-of", "9999-12-31"],
    ["draft", str(DOSSIER), "mtg_pre_ind", "--start", "9999-12-31"],
    ["draft", str(DOSSIER), "cover", "--as-of", "9999-12-31"],
    ["evaluate", str(DOSSIER), "--format", "html", "--as-of", "9999-12-31"],
    ["evaluate", str(DOSSIER), "--as-of", "0001-01-01"],
], ids=lambda c: " ".join(c[0:1] + c[-2:]))
def test_a_date_at_the_end_of_the_calendar_is_a_clear_exit_2(command: list[str]) -> None:
    done = _bgtc(*command)
    assert done.returncode == 2, done.stderr
    option = command[-2]
    assert done.stderr.startswith(f"error: {option}: {command[-1]} is too far"), done.stderr


@pytest.mark.parametrize("command", [
    ["plan", str(DOSSIER), "--start", "9959-12-31", "--as-of", "9959-12-31"],
    ["draft", str(DOSSIER), "mtg_pre_ind", "--start", "9959-12-31"],
    ["evaluate", str(DOSSIER), "--format", "html", "--as-of", "9959-12-31"],
], ids=lambda c: " ".join(c[0:1] + c[-2:]))
def test_the_latest_date_accepted_can_be_planned_with(command: list[str]) -> None:
    done = _bgtc(*command)
    assert done.returncode == 0, done.stderr
