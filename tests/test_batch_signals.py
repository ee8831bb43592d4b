"""SIGTERM (a service manager stopping a batch, `kill PID`) unwinds a batch as Ctrl-C does: the
workers' spool directory is removed and the partial output kept for `--resume`; the batch then
ends by SIGTERM. Only SIGKILL, which no program can catch, leaves the spool directory."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

from .paths import AS_OF
from .test_batch_faults import TIME_LIMIT, _bgtc, _env, _partial, dossiers  # noqa: F401  (a fixture)


def test_sigterm_removes_the_spool_directory_and_keeps_the_partial_output(dossiers: Path,  # noqa: F811
                                                                        tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    spools = tmp_path / "tmp"
    spools.mkdir()
    command = _bgtc("batch", str(dossiers), "-o", str(out), "--as-of", AS_OF.isoformat(), "--backend", "reference",
                    "--jobs", "2")
    process = subprocess.Popen(command, env={**_env(), "TMPDIR": str(spools)}, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + TIME_LIMIT
    while time.monotonic() < deadline and process.poll() is None and not (
            _partial(out) and _partial(out)[0].stat().st_size > 400_000 and any(spools.iterdir())):  # dictionary, lines
        time.sleep(0.05)
    assert process.poll() is None and any(spools.iterdir()), "the batch ended before it could be stopped"
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=TIME_LIMIT)
    assert process.returncode == -signal.SIGTERM, stderr
    assert b"Traceback" not in stderr
    assert list(spools.iterdir()) == []  # the spool directory is gone
    assert _partial(out) and not out.exists()  # kept for --resume


def test_a_signal_sent_while_the_pool_forks_arrives_once_it_has() -> None:
    from bgtc_rules.advice.batch_pool import _signals_held

    arrived: list[int] = []
    before = signal.signal(signal.SIGTERM, lambda signum, frame: arrived.append(signum))
    try:
        with _signals_held():
            signal.raise_signal(signal.SIGTERM)
            assert arrived == [] and signal.SIGTERM in signal.sigpending()
        assert arrived == [signal.SIGTERM]
        assert signal.SIGTERM not in signal.pthread_sigmask(signal.SIG_BLOCK, [])
    finally:
        signal.signal(signal.SIGTERM, before)
