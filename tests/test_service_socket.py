"""`bgtc serve` on a real loopback socket (ephemeral port, child process, every wait bounded): concurrent
clients get the sequential library results, a slow body gets 408, worker processes serve, the command
fails cleanly on a port in use or bad rules, and `bgtc` does not import the web stack for other commands."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from benchmarks.service_process import ServiceProcess, start_service
from bgtc_rules import evaluate
from bgtc_rules.dossier.loading import dossier_to_json

from .paths import AS_OF, ROOT
from .pools import bundled_rules, pool

REQUEST_TIMEOUT = 30


@pytest.fixture(scope="module")
def service() -> Iterator[ServiceProcess]:
    started = start_service(["--no-access-log", "--timeout", "2", "--threads", "4"])
    yield started
    assert started.stop() == 0, "".join(started.log)


def _post(port: int, path: str, body: str, connection: http.client.HTTPConnection | None = None,
          ) -> tuple[int, bytes]:
    """POST a JSON body, on `connection` (kept open) or on a new connection (closed after)."""
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request("POST", path, body.encode(), {"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        if own:
            connection.close()


def test_32_concurrent_clients_get_the_sequential_results(service: ServiceProcess) -> None:
    dossiers = pool(24)
    expected = [evaluate(d, bundled_rules(), as_of=AS_OF).to_json(indent=None).encode() for d in dossiers]
    bodies = [dossier_to_json(d) for d in dossiers]

    def client(number: int) -> list[tuple[int, int, bytes]]:
        connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=REQUEST_TIMEOUT)
        try:  # one kept-alive connection per client, as a web application's pool holds them
            return [(i, *_post(service.port, f"/evaluate?as_of={AS_OF}", bodies[i], connection))
                    for i in ((number + 7 * k) % len(bodies) for k in range(6))]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=32) as clients:
        answers = [answer for batch in clients.map(client, range(32)) for answer in batch]
    assert len(answers) == 192
    for index, status, body in answers:
        assert status == 200, body[:500]
        assert body == expected[index], f"dossier {index} differs when 32 clients ask at once"


def test_a_body_that_stops_arriving_gets_408_within_the_timeout(service: ServiceProcess) -> None:
    with socket.create_connection(("127.0.0.1", service.port), timeout=REQUEST_TIMEOUT) as raw:
        raw.sendall(b"POST /evaluate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 1000\r\n\r\n{\"schema_version\": 1")
        started = time.monotonic()
        response = http.client.HTTPResponse(raw)
        response.begin()
        body = response.read().decode()
    assert time.monotonic() - started < 10
    assert response.status == 408, body
    assert response.getheader("content-type") == "application/problem+json"
    assert json.loads(body)["detail"] == "the body did not arrive within 2 s"


def test_a_client_that_hangs_up_mid_body_is_no_internal_error(service: ServiceProcess) -> None:
    with socket.create_connection(("127.0.0.1", service.port), timeout=REQUEST_TIMEOUT) as raw:
        raw.sendall(b"POST /evaluate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{\"sche")
    status, _ = _post(service.port, f"/evaluate?as_of={AS_OF}", dossier_to_json(pool(24)[0]))
    assert status == 200
    assert not [line for line in service.log if "internal error" in line or "Traceback" in line]


def test_health_and_openapi_over_the_socket(service: ServiceProcess) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=REQUEST_TIMEOUT)
    connection.request("GET", "/health")
    health = json.loads(connection.getresponse().read())
    connection.request("GET", "/openapi.json")
    document = json.loads(connection.getresponse().read())
    connection.close()
    assert health["status"] == "ok" and health["rules"]["digest"] == bundled_rules().digest
    assert "/evaluate" in document["paths"]


def test_worker_processes_serve_and_stop_on_ctrl_c() -> None:
    started = start_service(["--workers", "2", "--no-access-log"])
    try:
        body = dossier_to_json(pool(24)[0])
        expected = evaluate(pool(24)[0], bundled_rules(), as_of=AS_OF).to_json(indent=None).encode()
        with ThreadPoolExecutor(max_workers=8) as clients:
            answers = list(clients.map(lambda _: _post(started.port, f"/evaluate?as_of={AS_OF}", body), range(16)))
        assert answers == [(200, expected)] * 16
    finally:
        code = started.stop()
    assert code == 0, "".join(started.log)
    assert "Traceback" not in "".join(started.log)


def _serve(*options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bgtc_rules", "serve", *options], capture_output=True, text=True,
                          timeout=60, check=False, cwd=ROOT)


def test_a_port_in_use_and_bad_rules_are_input_errors() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = _serve("--port", str(taken.getsockname()[1]))
    assert result.returncode == 2
    assert "error: --port: cannot listen on 127.0.0.1:" in result.stderr and "Traceback" not in result.stderr
    result = _serve("--port", "0", "--rules", "no/such/rules")
    assert result.returncode == 2 and "no/such/rules" in result.stderr and "Traceback" not in result.stderr


def test_other_commands_do_not_import_the_web_stack() -> None:
    probe = ("import sys; from click.testing import CliRunner; from bgtc_rules.cli import main; "
             "CliRunner().invoke(main, ['evaluate', 'scenarios/aav_phase12_pediatric_neuro.yaml']); "
             "CliRunner().invoke(main, ['serve', '--help']); "
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'starlette', 'uvicorn', 'anyio'}))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True,
                            cwd=ROOT)
    assert result.stdout.strip() == "[]"


def test_the_load_test_runs_and_reports_every_figure() -> None:
    result = subprocess.run([sys.executable, "-m", "benchmarks.load", "--requests", "60", "--clients", "6",
                             "--workers", "1", "--deadline", "120"], capture_output=True, text=True, timeout=300,
                            check=False, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    for figure in ("completed 60, errors 0", "latency p50 ", " p99 ", "server CPU ", "server RSS", "before ", "after ",
                   "per worker", "one-line answers", "connections per worker process: ", " ms per request)"):
        assert figure in result.stdout, figure


def test_the_load_test_compares_worker_counts_on_pretty_health_answers() -> None:
    result = subprocess.run([sys.executable, "-m", "benchmarks.load", "--mix", "health", "--pretty", "--requests", "20",
                             "--clients", "2", "--workers", "1,2"], capture_output=True, text=True, timeout=300,
                            check=False, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("completed 20, errors 0") == 2 and "health 100%" in result.stdout
    assert "2 workers: " in result.stdout and "x the throughput of 1" in result.stdout
