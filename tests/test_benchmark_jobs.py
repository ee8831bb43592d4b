"""benchmarks.jobs: a small run gives every figure and checks that one job and two write the same bytes."""

from __future__ import annotations

import io
from contextlib import redirect_stdout

from benchmarks import jobs


def test_a_small_run_reports_both_ratios_and_identical_outputs() -> None:
    printed = io.StringIO()
    with redirect_stdout(printed):
        assert jobs.main(["--count", "6", "--rounds", "1", "--backend", "reference"]) == 0
    lines = printed.getvalue().splitlines()
    assert lines[0].startswith("bgtc batch, 6 distinct dossiers")
    assert lines[-1] == "outputs identical across jobs and trees"
    assert len(lines) == 3 and "CPU-normalised" in lines[1] and "before forking" in lines[1]
