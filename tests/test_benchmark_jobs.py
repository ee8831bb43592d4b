"""benchmarks.jobs: a small run gives every figure and checks that one job and two write the same bytes."""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import pytest

from benchmarks import jobs


def test_a_small_run_reports_both_ratios_and_identical_outputs() -> None:
    printed = io.StringIO()
    with redirect_stdout(printed):
        assert jobs.main(["--count", "6", "--rounds", "1", "--backend", "reference"]) == 0
    lines = printed.getvalue().splitlines()
    assert lines[0].startswith("bgtc batch, 6 distinct dossiers")
    assert lines[-1] == "outputs identical across jobs and trees"
    assert "CPU-normalised" in lines[1] and "before forking" in lines[1]
    assert "per 1,000 dossiers" in lines[2] and "after forking" in lines[2]
    # the timeline needs two chunks from each worker, which six items do not always give
    assert len(lines) == 4 or (len(lines) == 5 and "idle tail" in lines[3])


def test_the_timeline_of_two_workers() -> None:
    # each chunk: start, end (seconds from the process's start), CPU, items
    first = [[0.40, 0.60, 0.20, 10], [0.60, 0.70, 0.10, 10]]
    second = [[0.42, 0.55, 0.13, 10], [0.55, 0.75, 0.20, 20]]
    figures = jobs._timeline([first, second], wall=0.80)
    assert figures["first_busy"] == pytest.approx(0.40)
    assert figures["idle_tail"] == pytest.approx(0.05)
    assert figures["after_last"] == pytest.approx(0.05)
    assert figures["warm_up"] == pytest.approx(((0.20 - 0.10) + (0.13 - 0.10)) / 2)
    assert jobs._timeline([first], wall=0.80) == {}


def test_the_ceiling_is_amdahls() -> None:
    assert jobs._ceiling(10.0, 0.0, 2) == pytest.approx(2.0)
    assert jobs._ceiling(10.0, 1.0, 2) == pytest.approx(10 / 5.5)
