"""`bgtc serve` in a child process on an ephemeral loopback port, for the socket tests and the load test."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

LISTENING = re.compile(r"listening on (http://127\.0\.0\.1:(\d+))")


@dataclass
class ServiceProcess:
    """A running `bgtc serve --host 127.0.0.1 --port 0`; `url` is where it listens."""

    process: subprocess.Popen[str]
    url: str
    port: int
    log: list[str] = field(default_factory=list)
    reader: threading.Thread | None = None

    def stop(self, timeout: float = 20) -> int:
        """SIGINT (as Ctrl-C), then SIGKILL if it has not stopped within `timeout` seconds."""
        try:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGINT)
                try:
                    self.process.wait(timeout)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(5)
                    raise
        finally:
            if self.reader is not None:
                self.reader.join(5)
            if self.process.stderr is not None:
                self.process.stderr.close()
        return self.process.returncode


def start_service(options: Sequence[str] = (), startup_timeout: float = 60,
                  preexec_fn: Callable[[], None] | None = None) -> ServiceProcess:
    """Start the service and wait (bounded) until it says where it listens; `preexec_fn` runs in
    the child before it starts (to set a resource limit)."""
    command = [sys.executable, "-m", "bgtc_rules", "serve", "--host", "127.0.0.1", "--port", "0", *options]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "NO_COLOR": "1"}, preexec_fn=preexec_fn)
    lines: queue.Queue[str | None] = queue.Queue()
    log: list[str] = []

    def drain() -> None:  # keeps reading, so that a chatty log never blocks the server on a full pipe
        assert process.stderr is not None
        for line in process.stderr:
            log.append(line)
            lines.put(line)
        lines.put(None)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        while True:
            line = lines.get(timeout=startup_timeout)
            if line is None:
                raise RuntimeError(f"bgtc serve stopped before listening: {''.join(log)}")
            found = LISTENING.search(line)
            if found:
                break
    except (queue.Empty, RuntimeError):
        process.kill()
        ServiceProcess(process, "", 0, log, reader).stop()
        raise
    service = ServiceProcess(process, found.group(1), int(found.group(2)), log, reader)
    if "--workers" in options:  # wait until every worker has started (each logs it), bounded
        workers = int(options[list(options).index("--workers") + 1])
        while sum("Application startup complete" in line for line in log) < workers:
            if lines.get(timeout=startup_timeout) is None:
                service.stop()
                raise RuntimeError(f"bgtc serve stopped while starting: {''.join(log)}")
    return service
