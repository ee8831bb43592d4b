"""`bgtc batch` and the CLI under faults (issue 17, part 3): killed midway, resumed, out of space,
read-only, a reader that goes away, Ctrl-C. Each runs the real program in a subprocess, bounded in
time; none asserts a speed.
"""

from __future__ import annotations

import errno
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.generate import write
from bgtc_rules.advice.batch import BatchOptions
from bgtc_rules.advice.batch_inputs import collect_inputs
from bgtc_rules.base.outputs import LineJournal
from bgtc_rules.cli import main
from bgtc_rules.language.rulebase import RuleBase

from .paths import AS_OF, SCENARIOS

TIME_LIMIT = 180  # seconds: a guard against hangs, not a speed requirement
BATCH = ["--as-of", AS_OF.isoformat(), "--backend", "reference", "--jobs", "1"]


def _bgtc(*args: str) -> list[str]:
    return [sys.executable, "-m", "bgtc_rules", *args]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1"}


@pytest.fixture(scope="module")
def dossiers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough generated dossiers that a batch is still running when the test interrupts it."""
    source = tmp_path_factory.mktemp("faults") / "dossiers.jsonl"
    write(1500, seed=1717, out=source)
    return source


@pytest.fixture(scope="module")
def expected(dossiers: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The output of an uninterrupted batch."""
    out = tmp_path_factory.mktemp("clean") / "out.jsonl"
    done = subprocess.run(_bgtc("batch", str(dossiers), "-o", str(out), *BATCH), capture_output=True,
                          timeout=TIME_LIMIT, check=False)
    assert done.returncode == 0, done.stderr
    return out.read_bytes()


def _partial(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f"{out.name}.partial-*"))


def _interrupt(dossiers: Path, out: Path, signum: int) -> subprocess.CompletedProcess[bytes]:
    """Start a batch, wait until it has written some lines, and send it `signum`."""
    process = subprocess.Popen(_bgtc("batch", str(dossiers), "-o", str(out), *BATCH), env=_env(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + TIME_LIMIT
    while time.monotonic() < deadline and process.poll() is None:
        partial = _partial(out)
        if partial and partial[0].stat().st_size > 400_000:  # the dictionary (about 200 KB) and a few lines
            break
        time.sleep(0.05)
    assert process.poll() is None, "the batch ended before it could be interrupted"
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=TIME_LIMIT)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def _resume(dossiers: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_bgtc("batch", str(dossiers), "-o", str(out), "--resume", "--format", "json", *BATCH),
                          capture_output=True, text=True, timeout=TIME_LIMIT, check=False)


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_an_interrupted_batch_leaves_the_previous_output_and_resumes(
        dossiers: Path, expected: bytes, tmp_path: Path, signum: int) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(b"previous\n")
    stopped = _interrupt(dossiers, out, signum)
    assert stopped.returncode == -signum  # ended by the signal, as a shell expects of Ctrl-C
    assert b"Traceback" not in stopped.stderr
    if signum == signal.SIGINT:
        assert stopped.stderr.strip() == b""  # quiet
    assert out.read_bytes() == b"previous\n"  # never a truncated output
    (partial,) = _partial(out)
    written = partial.read_bytes()
    assert expected.startswith(written[: written.rfind(b"\n") + 1])  # complete lines, in order
    resumed = _resume(dossiers, out)
    assert resumed.returncode == 0, resumed.stderr
    assert "resuming after" in resumed.stderr
    assert out.read_bytes() == expected and not _partial(out)
    summary = json.loads(resumed.stdout)
    assert summary["dossiers"] == summary["evaluated"] == 1500  # kept lines are counted too


def test_resume_needs_an_output_file_and_leaves_other_batches_partial_files(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    other = LineJournal(out, "0" * 16).partial
    other.write_text('{"source": "another batch", "ok": false, "errors": []}\n')
    options = ["--as-of", AS_OF.isoformat(), "--backend", "reference", "--jobs", "1"]
    resumed = CliRunner().invoke(main, ["batch", str(SCENARIOS), "-o", str(out), "--resume", *options])
    assert resumed.exit_code == 0, resumed.output
    assert f"ignoring {other}: a partial output of a batch with other inputs or options" in resumed.output
    assert other.exists() and out.exists() and _partial(out) == [other]
    no_output = CliRunner().invoke(main, ["batch", str(SCENARIOS), "--resume", *options])
    assert no_output.exit_code == 2 and "error: --resume: needs --output FILE" in no_output.output


def test_resume_refuses_a_damaged_partial_file(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    options = ["--as-of", AS_OF.isoformat(), "--backend", "reference", "--jobs", "1"]
    first = CliRunner().invoke(main, ["batch", str(SCENARIOS), "-o", str(out), *options])
    assert first.exit_code == 0
    lines = out.read_text().splitlines()  # the dictionary, then one line per dossier
    # what an interrupted run of the same batch leaves, then damaged: its third line is another item's
    key = BatchOptions((), "reference", AS_OF, False).resolved().resume_key(collect_inputs([SCENARIOS]),
                                                                          RuleBase.load())
    partial = out.with_name(f"{out.name}.partial-{key}")
    partial.write_text("\n".join([lines[0], lines[1], lines[3]]) + "\n")
    damaged = CliRunner().invoke(main, ["batch", str(SCENARIOS), "-o", str(out), "--resume", *options])
    assert damaged.exit_code == 2
    assert f"{partial}: line 3 is for" in damaged.output and "delete the file to start over" in damaged.output
    partial.write_text(lines[0] + "\n" + lines[1] + "\n" + lines[2][:50])  # the third line cut short by a crash
    resumed = CliRunner().invoke(main, ["batch", str(SCENARIOS), "-o", str(out), "--resume", *options])
    assert resumed.exit_code == 0 and "resuming after 1 dossiers" in resumed.output
    assert out.read_text().splitlines() == lines


def test_resume_splits_the_partial_file_at_newlines_only(tmp_path: Path) -> None:
    """A dossier's text may hold a Unicode line separator (U+2028), which JSON lines carry as is:
    the kept lines are the file's newline-terminated lines, not what `str.splitlines` would see."""
    source = tmp_path / "in.jsonl"
    names = ["First\u2028second line", "Plain", "Third"]
    source.write_text("".join(json.dumps({"schema_version": 1, "program": {"name": n}}) + "\n" for n in names))
    out = tmp_path / "out.jsonl"
    options = ["--as-of", AS_OF.isoformat(), "--backend", "reference", "--jobs", "1"]
    assert CliRunner().invoke(main, ["batch", str(source), "-o", str(out), *options]).exit_code == 0
    expected = out.read_bytes()
    assert "\u2028".encode() in expected.split(b"\n")[1]  # after the dictionary
    key = BatchOptions((), "reference", AS_OF, False).resolved().resume_key(collect_inputs([source]), RuleBase.load())
    out.with_name(f"{out.name}.partial-{key}").write_bytes(b"".join(expected.splitlines(keepends=True)[:3]))
    resumed = CliRunner().invoke(main, ["batch", str(source), "-o", str(out), "--resume", *options])
    assert resumed.exit_code == 0, resumed.output
    assert "resuming after 2 dossiers" in resumed.output and out.read_bytes() == expected


def _limit_file_size(limit: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so a write past the limit fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_full_disk_is_a_clear_exit_2_and_no_file(dossiers: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    done = subprocess.run(_bgtc("batch", str(dossiers), "-o", str(out), *BATCH), capture_output=True, text=True,
                          timeout=TIME_LIMIT, check=False, preexec_fn=lambda: _limit_file_size(1_000_000))
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"error: {out}: cannot write: {os.strerror(errno.EFBIG)}")
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_no_space_on_standard_output_is_a_clear_exit_2() -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(_bgtc("evaluate", str(SCENARIOS / "aav_phase12_pediatric_neuro.yaml")), stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=TIME_LIMIT, check=False)
    assert done.returncode == 2
    assert done.stderr == f"error: standard output: cannot write: {os.strerror(errno.ENOSPC)}\n"


def _read_only_directory(tmp_path: Path) -> Path:
    if os.getuid() != 0:
        directory = tmp_path / "read-only"
        directory.mkdir()
        directory.chmod(0o555)
        return directory
    if os.access("/sys", os.W_OK) and not os.path.ismount("/sys"):
        pytest.skip("no directory this (root) user cannot write")
    return Path("/sys")  # sysfs: root cannot create files in it either


def test_a_read_only_target_is_a_clear_exit_2(tmp_path: Path) -> None:
    out = _read_only_directory(tmp_path) / "out.jsonl"
    dossier = str(SCENARIOS / "aav_phase12_pediatric_neuro.yaml")
    for command in (["batch", str(SCENARIOS), "-o", str(out)], ["evaluate", dossier, "-o", str(out)]):
        result = CliRunner().invoke(main, [*command, "--as-of", AS_OF.isoformat()])
        assert result.exit_code == 2, result.output
        assert f"error: {out}: cannot write here:" in result.output
        assert not out.exists()


def test_a_reader_that_goes_away_ends_the_program_quietly() -> None:
    command = _bgtc("evaluate", str(SCENARIOS / "aav_phase12_pediatric_neuro.yaml"), "--format", "json", "--detail")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    process.stdout.read(10)
    process.stdout.close()  # as `| head -c 10` does once it has its bytes
    _, stderr = process.communicate(timeout=TIME_LIMIT)
    assert process.returncode == 128 + signal.SIGPIPE and stderr == b""


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the workers end with their parent on Linux")
def test_workers_end_when_the_batch_is_killed(dossiers: Path, tmp_path: Path) -> None:
    """A worker waits for work on a queue whose writing end it holds itself: killed with SIGKILL,
    the batch would leave its workers waiting for ever, had they not asked the kernel to end them."""
    out = tmp_path / "out.jsonl"
    command = _bgtc("batch", str(dossiers), "-o", str(out), "--as-of", AS_OF.isoformat(), "--backend", "reference",
                    "--jobs", "2")
    spools = tmp_path / "tmp"  # where the killed batch leaves its spool directory
    spools.mkdir()
    process = subprocess.Popen(command, env={**_env(), "TMPDIR": str(spools)}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + TIME_LIMIT
    workers: list[int] = []
    while time.monotonic() < deadline and process.poll() is None and not (_partial(out) and len(workers) == 2):
        workers = _children(process.pid)
        time.sleep(0.02)
    assert process.poll() is None and len(workers) == 2, "the batch ended before its workers could be seen"
    process.kill()
    process.wait(timeout=TIME_LIMIT)
    ends = time.monotonic() + 30
    while time.monotonic() < ends and any(_alive(pid) for pid in workers):
        time.sleep(0.05)
    left = [pid for pid in workers if _alive(pid)]
    for pid in left:  # not to leave them behind when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not left
