"""One output-file policy for every command that writes (`base.outputs.AtomicOutput`).

A regular file (or a new path) is replaced atomically and keeps its permissions; a symbolic link is
followed and kept; a device or a named pipe is written in place, never replaced; a second writer of
the same file is refused with a clear message; a write that fails (a full disk, a file-size limit)
is exit 2 with `error: FILE: cannot write: ...`, never an internal error.
"""

from __future__ import annotations

import errno
import os
import resource
import signal
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from bgtc_rules.base.outputs import AtomicOutput, TargetLock

from .paths import AS_OF, ROOT, SCENARIOS

TIME_LIMIT = 300  # seconds: a guard against hangs, not a speed requirement
DOSSIER = str(SCENARIOS / "aav_phase12_pediatric_neuro.yaml")
DATE = ["--as-of", AS_OF.isoformat()]

# Every command that writes a file given on its command line, with OUT where the file goes.
COMMANDS: dict[str, list[str]] = {
    "evaluate": ["evaluate", DOSSIER, *DATE, "-o", "OUT"],
    "evaluate html": ["evaluate", DOSSIER, *DATE, "--format", "html", "-o", "OUT"],
    "draft": ["draft", DOSSIER, "orphan_drug_designation", *DATE, "-o", "OUT"],
    "draft docx": ["draft", DOSSIER, "orphan_drug_designation", *DATE, "--format", "docx", "-o", "OUT"],
    "init": ["init", "OUT"],
    "batch": ["batch", DOSSIER, *DATE, "--jobs", "1", "--backend", "reference", "-o", "OUT"],
    "plan ics": ["plan", DOSSIER, *DATE, "--ics", "OUT"],
    "plan csv": ["plan", DOSSIER, *DATE, "--csv", "OUT"],
    "schema": ["schema", "-o", "OUT"],
}


def _bgtc(args: list[str], out: str | Path, preexec: Callable[[], None] | None = None,
          ) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "bgtc_rules", *(str(out) if a == "OUT" else a for a in args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=TIME_LIMIT, check=False,
                          preexec_fn=preexec, cwd=ROOT)


def _init_args(name: str, args: list[str]) -> list[str]:
    """`bgtc init FILE` refuses to overwrite an existing file unless told."""
    return [*args, "--force"] if name == "init" else args


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_device_output_is_written_in_place(name: str) -> None:
    done = _bgtc(_init_args(name, COMMANDS[name]), "/dev/null")
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("name", ["evaluate", "batch", "plan ics", "draft docx"])
def test_a_full_device_is_a_clear_exit_2(name: str) -> None:
    done = _bgtc(COMMANDS[name], "/dev/full")
    assert done.returncode == 2, done.stderr
    assert f"error: /dev/full: cannot write: {os.strerror(errno.ENOSPC)}" in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr


def _limit_file_size(limit: int) -> Callable[[], None]:
    def limit_it() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return limit_it


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_full_disk_is_a_clear_exit_2_and_no_file(name: str, tmp_path: Path) -> None:
    out = tmp_path / "out.file"
    done = _bgtc(COMMANDS[name], out, _limit_file_size(64))
    assert done.returncode == 2, done.stderr
    assert f"error: {out}: cannot write: {os.strerror(errno.EFBIG)}" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_under_bgtc_docs_is_a_clear_exit_2(tmp_path: Path) -> None:
    done = _bgtc(["docs", "-o", "OUT"], tmp_path / "handbook", _limit_file_size(64))
    assert done.returncode == 2, done.stderr
    assert f"cannot write: {os.strerror(errno.EFBIG)}" in done.stderr and "internal error" not in done.stderr


@pytest.mark.parametrize("name", ["evaluate", "batch", "plan csv", "draft docx", "init"])
def test_a_symlinked_output_stays_a_link_and_its_target_keeps_its_mode(name: str, tmp_path: Path) -> None:
    target = tmp_path / "real" / "report.out"
    target.parent.mkdir()
    target.write_text("old\n")
    target.chmod(0o600)
    link = tmp_path / "link.out"
    link.symlink_to(target)
    done = _bgtc(_init_args(name, COMMANDS[name]), link)
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_bytes() != b"old\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.out"]


def test_a_named_pipe_output_is_written_in_place(tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    done = _bgtc(COMMANDS["evaluate"], fifo)
    reader.join(TIME_LIMIT)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode) and b"RMAT" in received[0]


@pytest.mark.parametrize("name", ["evaluate", "batch", "plan ics", "draft"])
def test_a_second_writer_of_the_same_file_is_refused(name: str, tmp_path: Path) -> None:
    out = tmp_path / "out.file"
    out.write_text("the first writer's\n")
    lock = TargetLock(out, str(out))  # as a first command writing it holds it
    try:
        done = _bgtc(COMMANDS[name], out)
    finally:
        lock.release()
    assert done.returncode == 2, done.stderr
    assert f"error: {out}: another bgtc command is writing this file right now" in done.stderr
    assert out.read_text() == "the first writer's\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.file"]


def test_the_lock_is_released_and_leaves_no_file(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    for text in ("one\n", "two\n"):
        with AtomicOutput(out) as stream:
            stream.write(text)
    assert out.read_text() == "two\n" and [p.name for p in tmp_path.iterdir()] == ["out.txt"]
