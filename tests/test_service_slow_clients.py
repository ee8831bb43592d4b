"""`bgtc serve` under slow and half-open connections keeps answering `/health` within 1 s.

On a real loopback socket, the service runs with few file descriptors (128, as a small container
might give it): more half-open connections (connected, nothing sent) and slow ones (headers sent a
byte at a time) than it can hold are opened, and `/health` must still answer, each request within
a 1 s socket timeout, while they are open; the server closes a connection that does not deliver its
headers within `--header-timeout`. Every loop is bounded, only 127.0.0.1 is used, and everything
is closed at the end (the service is stopped by SIGINT, then SIGKILL).
"""

from __future__ import annotations

import contextlib
import http.client
import resource
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from benchmarks.service_process import ServiceProcess, start_service

FILES = 128  # the service's limit on open files
HALF_OPEN = 240  # more than it can hold
SLOW = 20
HEADER_SECONDS = 3
ANSWER_SECONDS = 1.0  # a socket timeout, not a measurement: /health must answer within it
TRICKLE = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"x" * 200


def _few_files() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (FILES, FILES))


@pytest.fixture
def service() -> Iterator[ServiceProcess]:
    started = start_service(["--no-access-log", "--header-timeout", str(HEADER_SECONDS)], preexec_fn=_few_files)
    try:
        yield started
    finally:
        started.stop()


def _health(port: int, timeout: float = ANSWER_SECONDS) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", "/health")
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _connect(port: int) -> socket.socket | None:
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.settimeout(2)
    try:
        client.connect(("127.0.0.1", port))
    except OSError:
        client.close()
        return None
    return client


def _closed_by_server(client: socket.socket) -> bool:
    try:
        return client.recv(1024) == b""
    except (ConnectionResetError, BrokenPipeError):
        return True
    except OSError:  # still open after the socket timeout
        return False


def test_health_answers_within_1_s_under_slow_and_half_open_connections(service: ServiceProcess) -> None:
    port = service.port
    half_open = [c for c in (_connect(port) for _ in range(HALF_OPEN)) if c is not None]
    slow = [c for c in (_connect(port) for _ in range(SLOW)) if c is not None]
    stop = threading.Event()

    def trickle() -> None:  # a byte per connection every 0.2 s, for at most 2 x the header timeout
        for index in range(len(TRICKLE)):
            if stop.is_set() or index * 0.2 > 2 * HEADER_SECONDS:
                return
            for client in slow:
                with contextlib.suppress(OSError):
                    client.send(TRICKLE[index:index + 1])
            stop.wait(0.2)

    trickler = threading.Thread(target=trickle, daemon=True)
    trickler.start()
    try:
        # once the flood has been taken in (on a loaded machine that may take a while), every
        # /health answers within the second while the connections are held and trickling
        assert _health(port, timeout=30) == 200
        answers = []
        for _ in range(10):
            answers.append(_health(port))
            stop.wait(0.3)
        assert answers == [200] * 10
        assert len(half_open) + len(slow) > FILES  # more than the service could have held
        # after the header timeout, the server has closed what it still held of both kinds
        time.sleep(HEADER_SECONDS + 1)
        for client in half_open + slow:
            client.settimeout(HEADER_SECONDS + 2)
        assert all(_closed_by_server(client) for client in half_open[-10:] + slow)
        assert _health(port) == 200
        assert not any("Too many open files" in line for line in service.log), "".join(service.log)[-3000:]
    finally:
        stop.set()
        trickler.join(10)
        for client in half_open + slow:
            client.close()
