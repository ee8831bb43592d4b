"""`service.balance`: each worker counts its connections where the others read them, and one that holds
more than its share asks a client to reconnect; with two workers, eight keep-alive clients end 4 + 4."""

from __future__ import annotations

import http.client
import os
import threading
import time
from pathlib import Path

from benchmarks.load import connections_per_process
from benchmarks.service_process import start_service
from bgtc_rules.service.balance import INTERVAL_SECONDS, Board


def _gone_pid() -> int:
    """A process number nobody has now."""
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid -= 1


def test_a_worker_over_its_share_is_told_at_most_once_an_interval(tmp_path: Path) -> None:
    board = Board(str(tmp_path))
    assert (tmp_path / str(os.getpid())).read_bytes().strip() == b"0", "counted from the start"
    (tmp_path / str(os.getppid())).write_bytes(b"%10d" % 2)  # another worker, running, with 2
    (tmp_path / str(_gone_pid())).write_bytes(b"%10d" % 9)  # a worker that died: not counted
    assert board.over_share(5, now=100.0), "5 of 7 over two workers: the share is 4"
    assert not board.over_share(5, now=100.0 + INTERVAL_SECONDS / 2), "looked again too soon"
    assert not board.over_share(3, now=101.0), "3 of 5: its share, rounded up"
    board.hold(3)
    assert int((tmp_path / str(os.getpid())).read_bytes()) == 3


def test_a_worker_alone_is_never_over_its_share(tmp_path: Path) -> None:
    assert not Board(str(tmp_path)).over_share(1_000, now=0.0)


def _board_of(pid: int) -> Path:
    """The directory `bgtc serve` made for its workers: in their environment (it set it before starting them)."""
    for worker in Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="ascii").split():
        for variable in Path(f"/proc/{worker}/environ").read_bytes().split(b"\0"):
            if variable.startswith(b"BGTC_SERVICE_BOARD="):
                return Path(variable.split(b"=", 1)[1].decode())
    raise AssertionError("no worker was given the directory")


def test_two_workers_end_with_the_clients_split_evenly() -> None:
    service = start_service(["--workers", "2", "--no-access-log"])
    stop = threading.Event()
    failures: list[str] = []

    def client() -> None:  # keep-alive; http.client reconnects after an answer that closes
        connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=30)
        try:
            while not stop.is_set():
                connection.request("GET", "/health")
                response = connection.getresponse()
                if response.status != 200 or not response.read():
                    failures.append(str(response.status))
        except (OSError, http.client.HTTPException) as exc:
            failures.append(repr(exc))
        finally:
            connection.close()

    clients = [threading.Thread(target=client) for _ in range(8)]
    board: Path | None = None
    split: list[int] = []
    try:
        board = _board_of(service.process.pid)
        for thread in clients:
            thread.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and split != [4, 4]:
            time.sleep(INTERVAL_SECONDS)
            split = connections_per_process(service.process.pid, service.port)
    finally:
        stop.set()
        for thread in clients:
            if thread.ident is not None:  # started
                thread.join(30)
        code = service.stop()
    assert split == [4, 4] and not failures and code == 0, (split, failures[:3], "".join(service.log)[-2000:])
    assert board is not None and not board.exists(), "bgtc serve removes the workers' directory when it stops"
