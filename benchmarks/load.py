"""Load test of `bgtc serve`: many requests from concurrent clients on 127.0.0.1, every answer checked.

    .venv/bin/python -m benchmarks.load                       # 2,000 requests, 32 clients, a worker per core
    .venv/bin/python -m benchmarks.load --requests 5000 --clients 64 --workers 2 --json load.json
    .venv/bin/python -m benchmarks.load --mix evaluate --clients 8 --workers 1,2   # scaling with workers
    .venv/bin/python -m benchmarks.load --mix health --clients 1                    # latency of a small answer

The server is started as a user starts it (`bgtc serve --host 127.0.0.1 --port 0`, access log off)
in a child process; it listens on loopback only and is stopped at the end. The requests are a
fixed, seeded mix over generated dossiers: `POST /evaluate` (most), `/plan`, `/explain/{program}`
and `/whatif` (`--mix evaluate`: only the first; `--mix health`: only `GET /health`), each
compared byte for byte with what the library writes in this process for the same input, on one
line as the service answers by default (`--pretty`: indented, as `?pretty=true` asks); an error
is any other status, a different body, or a failed connection. Each client keeps one connection
open (HTTP/1.1 keep-alive), as a web application's connection pool does. The clients run on the
server's cores, so they are lean: one thread drives them all (a selector), each request is encoded
once before the load and sent whole on a raw socket, and its answer is read into a buffer of its
Content-Length and compared byte for byte (an honest HTTP round trip, at about 0.11 ms of the
clients' CPU a request, against 0.28 ms with `http.client` in eight threads).

Bounded: at most `--requests` requests, and no new request after `--deadline` seconds. Printed:
the errors, throughput (and per worker), the clients' CPU per request, how the worker processes
split the connections half-way through (each accepts from the one listening socket, and a
keep-alive connection stays with the worker that accepted it until it is asked to reconnect:
`bgtc_rules/service/balance.py`), latency p50/p99/max (wall time from sending to the last
byte), the CPU time the server's processes used during the load (per request: on a machine shared
with other work, a steadier measure of the server's cost than throughput), and the resident memory
of the server's processes before the load (after start-up) and after it; with several `--workers`
counts, one run each and the throughput of each against the first. The exit status is 1 if any
request failed or the deadline cut the run short.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import random
import selectors
import socket
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate  # noqa: E402
from benchmarks.service_process import start_service  # noqa: E402
from bgtc_rules import RuleBase, dossier_from_mapping, evaluate  # noqa: E402
from bgtc_rules.advice.explanation import explain  # noqa: E402
from bgtc_rules.advice.plan import plan_for  # noqa: E402
from bgtc_rules.advice.whatif import what_if  # noqa: E402
from bgtc_rules.cli.common import cores_available  # noqa: E402
from bgtc_rules.dossier.loading import dossier_to_json  # noqa: E402

AS_OF = dt.date(2026, 11, 21)
HOST = "127.0.0.1"  # loopback only, whatever the options
PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")
MIXES = {"mixed": (("evaluate", 80), ("plan", 10), ("explain", 5), ("whatif", 5)),
         "evaluate": (("evaluate", 100),), "health": (("health", 100),)}
EXPLAINED = ("rmat", "fast_track", "orphan_drug_designation", "breakthrough_therapy")


@dataclass(frozen=True)
class Call:
    path: str
    body: bytes | None  # None: a GET
    expected: bytes

    def request(self, port: int) -> bytes:
        """The whole HTTP/1.1 request, as sent: encoded once per run, so that the clients, who
        share the server's cores, spend no CPU building it."""
        head = f"{'GET' if self.body is None else 'POST'} {self.path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
        if self.body is None:
            return f"{head}\r\n".encode("ascii")
        return f"{head}Content-Type: application/json\r\nContent-Length: {len(self.body)}\r\n\r\n".encode(
            "ascii") + self.body


def calls(count: int, seed: int, distinct: int = 200, pretty: bool = False, mix: str = "mixed") -> list[Call]:
    """`count` requests of `mix` over `distinct` generated dossiers, with the library's answer to each,
    on one line unless `pretty`."""
    rules = RuleBase.load()
    rng = random.Random(seed)
    dossiers = [dossier_from_mapping(m) for m in generate(distinct, seed=seed)]
    bodies = [dossier_to_json(d).encode() for d in dossiers]
    kinds = [kind for kind, weight in MIXES[mix] for _ in range(weight)]
    answers: dict[tuple[str, int], Call] = {}
    chosen = []
    for _ in range(count):
        kind, index = rng.choice(kinds), rng.randrange(distinct)
        if (kind, index) not in answers:
            answers[kind, index] = _call(kind, index, dossiers[index], bodies[index], rules, pretty)
        chosen.append(answers[kind, index])
    return chosen


def _call(kind: str, index: int, dossier: Any, body: bytes, rules: RuleBase, pretty: bool) -> Call:
    indent = 2 if pretty else None
    query = f"?as_of={AS_OF.isoformat()}" + ("&pretty=true" if pretty else "")
    if kind == "health":
        from bgtc_rules.engine.backends import resolve_backend_name
        from bgtc_rules.service.endpoints import health
        from bgtc_rules.service.settings import ServiceSettings

        answer = health(rules, ServiceSettings(), [("pretty", "true")] if pretty else [], {})(None)
        assert resolve_backend_name(None) in answer
        return Call("/health" + ("?pretty=true" if pretty else ""), None, answer.encode())
    if kind == "evaluate":
        return Call("/evaluate" + query, body, evaluate(dossier, rules, as_of=AS_OF).to_json(indent).encode())
    if kind == "plan":
        return Call("/plan" + query, body, plan_for(dossier, rules, as_of=AS_OF).to_json(indent).encode())
    if kind == "explain":
        program = EXPLAINED[index % len(EXPLAINED)]
        explained = explain(dossier, rules, program, as_of=AS_OF).to_json(indent).encode()
        return Call(f"/explain/{program}{query}", body, explained)
    changes = {"clinical.patients_dosed": 1 + index % 12, "development.stage": "ind_active"}
    request = json.dumps({"dossier": json.loads(body), "set": changes}).encode()
    compared = what_if(dossier, rules, changes, as_of=AS_OF, changes_source="request body, set/unset")
    return Call("/whatif" + query, request, compared.to_json(indent).encode())


def tree_rss_mb(pid: int) -> dict[int, float]:
    """Resident memory (MiB) of a process and its descendants, from /proc."""
    return {process: int(statm.split()[1]) * PAGE / 2**20 for process, statm in _tree(pid, "statm").items()}


def tree_cpu_s(pid: int) -> float:
    """CPU time (user and system, seconds) used so far by a process and its descendants, from /proc."""
    # /proc/PID/stat: fields 14 and 15 (utime, stime), counted after the command's closing parenthesis
    return sum(sum(int(field) for field in stat.rsplit(")", 1)[1].split()[11:13])
               for stat in _tree(pid, "stat").values()) / TICKS


def _tree(pid: int, name: str) -> dict[int, str]:
    """The file `/proc/PID/name` of a process and of each of its descendants."""
    found, frontier = {}, [pid]
    while frontier:
        current = frontier.pop()
        try:
            with open(f"/proc/{current}/{name}", encoding="ascii") as text:
                found[current] = text.read()
            with open(f"/proc/{current}/task/{current}/children", encoding="ascii") as children:
                frontier.extend(int(child) for child in children.read().split())
        except FileNotFoundError:
            continue
    return found


def connections_per_process(pid: int, port: int) -> list[int]:
    """How many established connections to `port` each process of the tree holds, most first: how
    the workers, which accept from one listening socket, split the clients' keep-alive connections."""
    established = set()
    with open("/proc/net/tcp", encoding="ascii") as table:  # the service listens on 127.0.0.1 (IPv4)
        for row in table.read().splitlines()[1:]:
            fields = row.split()
            if int(fields[1].split(":")[1], 16) == port and fields[3] == "01":  # local port, ESTABLISHED
                established.add(f"socket:[{fields[9]}]")
    counts = []
    for process in _tree(pid, "stat"):
        try:
            descriptors = os.listdir(f"/proc/{process}/fd")
        except FileNotFoundError:
            continue
        held = 0
        for descriptor in descriptors:
            with contextlib.suppress(OSError):
                held += os.readlink(f"/proc/{process}/fd/{descriptor}") in established
        if held:
            counts.append(held)
    return sorted(counts, reverse=True)


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Nearest rank."""
    if not sorted_values:
        return float("nan")
    rank = max(1, round(fraction * len(sorted_values) + 0.5))
    return sorted_values[min(rank, len(sorted_values)) - 1]


class Client:
    """One client: a keep-alive HTTP/1.1 connection and the request it waits on. Lean, because the
    load generator runs on the server's cores: a request is sent whole, already encoded; the answer
    is read to the end of its body (Content-Length, as the service always sends), its headers looked
    at for that and `Connection: close` only (`http.client` parses them with the email package,
    about 0.2-0.3 ms a request)."""

    def __init__(self) -> None:
        self.sock: socket.socket | None = None
        self.index = -1  # the call waited on
        self.started = 0.0
        self._received = b""  # until the headers are complete
        self._head = b""
        self._body = bytearray()
        self._view = memoryview(self._body)
        self._have = 0
        self._length = -1

    def send(self, port: int, index: int, request: bytes) -> None:
        if self.sock is None:
            self.sock = socket.create_connection((HOST, port), timeout=60)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.index, self.started = index, time.perf_counter()
        self._received, self._head, self._have, self._length = b"", b"", 0, -1
        self.sock.sendall(request)

    def receive(self) -> tuple[int, bytes | bytearray, bool] | None:
        """Read what has arrived: the status, body and whether the server closes, once it is whole.
        The body is read into a buffer of its length (an answer is about 130 KB; a `recv` of that
        size allocates and frees as much each time)."""
        assert self.sock is not None
        if self._length >= 0:
            read = self.sock.recv_into(self._view[self._have:])
            if not read:
                raise ConnectionError("the server closed the connection")
            self._have += read
        else:
            data = self.sock.recv(65_536)
            if not data:
                raise ConnectionError("the server closed the connection")
            self._received += data
            end = self._received.find(b"\r\n\r\n")
            if end < 0:
                return None
            head = self._head = self._received[:end].lower()
            if not head.startswith(b"http/1.1 ") or (at := head.find(b"\r\ncontent-length:")) < 0:
                raise http.client.HTTPException(f"not an answer with a length: {head[:200]!r}")
            line_end = head.find(b"\r\n", at + 2)
            self._length = int(head[at + len(b"\r\ncontent-length:"):line_end if line_end > 0 else len(head)])
            start = self._received[end + 4:]
            if len(start) > self._length:
                raise http.client.HTTPException(f"{len(start) - self._length} bytes more than the answer's length")
            self._body = bytearray(self._length)
            self._view = memoryview(self._body)
            self._view[:len(start)] = start
            self._have = len(start)
        if self._have < self._length:
            return None
        return int(self._head[9:12]), self._body, b"\r\nconnection: close" in self._head

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


class Load:
    """Clients that share one queue of calls and record latency and failures, all driven by one
    thread (a selector): no thread switches or lock hand-offs among them on the server's cores."""

    def __init__(self, port: int, work: list[Call], deadline: float) -> None:
        self.port, self.work, self.deadline = port, work, deadline
        encoded: dict[int, bytes] = {}  # a call repeated in the work is the same object: encoded once
        self.requests = [encoded.setdefault(id(call), call.request(port)) for call in work]
        self.next = 0
        self.latencies: list[float] = []
        self.errors: list[str] = []

    def run(self, clients: int, halfway: Callable[[], None] = lambda: None) -> None:
        """Every client sends its next request as soon as its answer is whole, until the work is
        done or the deadline passes; `halfway` is called once, when half the work is answered."""
        selector = selectors.DefaultSelector()
        mark = max(min(2 * clients, len(self.work)), len(self.work) // 2)
        for _ in range(clients):
            self._next(Client(), selector)
        while selector.get_map():
            ready = selector.select(60)
            if not ready:  # nothing answered within a minute: every waiting request failed
                for key in list(selector.get_map().values()):
                    self._answered(key.data, "TimeoutError: no answer within 60 s")
                    selector.unregister(key.fileobj)
                    key.data.close()
                break
            for key, _ in ready:
                client: Client = key.data
                try:
                    answer = client.receive()
                except (OSError, http.client.HTTPException, ValueError) as exc:
                    error, closes = f"{type(exc).__name__}: {exc}", True
                else:
                    if answer is None:
                        continue
                    status, body, closes = answer
                    expected = self.work[client.index].expected
                    error = "" if status == 200 and body == expected else (
                        f"status {status}, body {'differs' if status == 200 else repr(body[:200])}")
                self._answered(client, error)
                if len(self.latencies) == mark:
                    halfway()
                selector.unregister(key.fileobj)
                if closes:
                    client.close()
                self._next(client, selector)

    def _next(self, client: Client, selector: selectors.BaseSelector) -> None:
        """Send the client's next request, if any is left (a failure to send is that request's error)."""
        while self.next < len(self.work) and time.monotonic() <= self.deadline:
            self.next += 1
            try:
                client.send(self.port, self.next - 1, self.requests[self.next - 1])
            except OSError as exc:
                client.index = self.next - 1
                self._answered(client, f"{type(exc).__name__}: {exc}")
                client.close()
                continue
            assert client.sock is not None, "sent on it"
            selector.register(client.sock, selectors.EVENT_READ, client)
            return
        client.close()

    def _answered(self, client: Client, error: str) -> None:
        self.latencies.append(time.perf_counter() - client.started)
        if error:
            self.errors.append(f"{self.work[client.index].path}: {error}")


def run(requests: int, clients: int, workers: int, threads: int, deadline_s: float, seed: int,
        pretty: bool = False, mix: str = "mixed", work: list[Call] | None = None) -> dict[str, Any]:
    prepared = time.perf_counter()
    work = work if work is not None else calls(requests, seed, pretty=pretty, mix=mix)
    prepared = time.perf_counter() - prepared
    service = start_service(["--workers", str(workers), "--threads", str(threads), "--no-access-log"])
    try:
        rss_before, cpu_before = tree_rss_mb(service.process.pid), tree_cpu_s(service.process.pid)
        load = Load(service.port, work, time.monotonic() + deadline_s)
        split: list[int] = []
        started, client_cpu = time.perf_counter(), time.process_time()
        load.run(clients, halfway=lambda: split.extend(connections_per_process(service.process.pid, service.port)))
        wall, client_cpu = time.perf_counter() - started, time.process_time() - client_cpu
        rss_after, server_cpu = tree_rss_mb(service.process.pid), tree_cpu_s(service.process.pid) - cpu_before
    finally:
        code = service.stop()
    latencies = sorted(load.latencies)
    return {
        "requests": requests, "completed": len(latencies), "errors": len(load.errors),
        "first_errors": load.errors[:5], "clients": clients, "workers": workers, "threads": threads,
        "mix": dict(MIXES[mix]), "pretty": pretty, "wall_s": wall, "client_cpu_s": client_cpu,
        "throughput_per_s": len(latencies) / wall if wall else 0.0,
        "throughput_per_worker_per_s": len(latencies) / wall / workers if wall else 0.0,
        "p50_ms": percentile(latencies, 0.50) * 1000, "p99_ms": percentile(latencies, 0.99) * 1000,
        "max_ms": latencies[-1] * 1000 if latencies else float("nan"),
        "server_cpu_s": server_cpu, "server_cpu_per_request_ms": server_cpu / len(latencies) * 1000
        if latencies else float("nan"),
        "rss_before_mb": sum(rss_before.values()), "rss_after_mb": sum(rss_after.values()),
        "processes": len(rss_after), "server_exit": code, "connections_per_worker": split, "prepare_s": prepared,
        "load_average": os.getloadavg(),
    }


def report(figures: dict[str, Any]) -> str:
    return "\n".join([
        f"bgtc serve load test on {HOST}: {figures['requests']} requests from {figures['clients']} concurrent clients "
        f"(keep-alive), {figures['workers']} worker process(es) x {figures['threads']} thread(s)",
        "mix: " + ", ".join(f"{kind} {weight}%" for kind, weight in figures["mix"].items())
        + (" (pretty=true: indented answers)" if figures["pretty"] else " (one-line answers, the default)")
        + "; every answer compared byte for byte with the library's",
        f"completed {figures['completed']}, errors {figures['errors']}"
        + "".join(f"\n  {e}" for e in figures["first_errors"]),
        f"wall {figures['wall_s']:.2f} s, throughput {figures['throughput_per_s']:.0f} requests/s, "
        f"{figures['throughput_per_worker_per_s']:.0f} per worker "
        f"(the clients, on the same cores, used {figures['client_cpu_s']:.2f} s CPU, "
        f"{figures['client_cpu_s'] / max(1, figures['completed']) * 1000:.3f} ms per request)",
        "connections per worker process: " + (" + ".join(map(str, figures["connections_per_worker"])) or "not seen"),
        f"latency p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms, max {figures['max_ms']:.1f} ms",
        f"server CPU {figures['server_cpu_s']:.2f} s, {figures['server_cpu_per_request_ms']:.2f} ms per request"
        + (f" (at {1000 / figures['server_cpu_per_request_ms']:.0f} requests/s per core: what a worker with a "
           "core to itself would answer)" if figures["server_cpu_per_request_ms"] > 0 else ""),
        f"server RSS ({figures['processes']} processes): before {figures['rss_before_mb']:.1f} MiB, "
        f"after {figures['rss_after_mb']:.1f} MiB",
        "load average after: " + " ".join(f"{x:.2f}" for x in figures["load_average"]),
    ])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=_counts, default=[cores_available()],
                        help="server worker processes, or several counts (1,2) for one run each "
                             "(default: one per core available, as `bgtc serve`)")
    parser.add_argument("--threads", type=int, default=2, help="evaluation threads per worker")
    parser.add_argument("--deadline", type=float, default=300.0, help="seconds; no new request after it")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--pretty", action="store_true", help="ask for indented answers (?pretty=true)")
    parser.add_argument("--mix", choices=sorted(MIXES), default="mixed",
                        help="the requests: the weighted mix, only POST /evaluate, or only GET /health")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    options = parser.parse_args(argv)
    work = calls(options.requests, options.seed, pretty=options.pretty, mix=options.mix)
    runs = []
    for workers in options.workers:
        figures = run(options.requests, options.clients, workers, options.threads, options.deadline, options.seed,
                      options.pretty, options.mix, work)
        print(report(figures) + "\n", flush=True)
        runs.append(figures)
    for figures in runs[1:]:
        print(f"{figures['workers']} workers: {figures['throughput_per_s'] / runs[0]['throughput_per_s']:.2f}x "
              f"the throughput of {runs[0]['workers']}")
    if options.json is not None:
        options.json.write_text(json.dumps(runs[0] if len(runs) == 1 else runs, indent=2) + "\n", encoding="utf-8")
    ok = all(f["errors"] == 0 and f["completed"] == f["requests"] and f["server_exit"] == 0 for f in runs)
    return 0 if ok else 1


def _counts(text: str) -> list[int]:
    """`2` or `1,2`: worker counts, each at least 1."""
    try:
        counts = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a count or counts like 1,2, got {text!r}") from None
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError(f"expected counts of at least 1, got {text!r}")
    return counts


if __name__ == "__main__":
    sys.exit(main())
