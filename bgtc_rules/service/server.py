"""Run the service on uvicorn: bind the socket, say where it listens, start the worker processes.

The socket is bound here, before uvicorn starts, so that `--port 0` (an ephemeral port, as the
tests and the load test use) can be reported, and a port in use is a clear error rather than a
log line. uvicorn serves on it (`fd`), in this process or in `workers` spawned processes that
share it; each worker builds the application from `$BGTC_SERVICE_SETTINGS`, and several workers
keep their connections even through a directory made here (`service.balance`).
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import tempfile

from bgtc_rules.base.errors import InputError, Problem
from bgtc_rules.service.balance import ENV_VAR as BOARD_ENV_VAR
from bgtc_rules.service.settings import ENV_VAR, ServiceSettings

FACTORY = "bgtc_rules.service.app:app_from_environment"
BACKLOG = 2048


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket, or `InputError` naming the option that cannot be used."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    except (socket.gaierror, UnicodeError) as exc:
        raise InputError([Problem("--host", "", f"cannot resolve {host!r}: {exc}")]) from None
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise InputError([Problem("--port", "", f"cannot listen on {host}:{port}: {exc.strerror or exc}")]) from None
    sock.listen(BACKLOG)
    sock.set_inheritable(True)
    return sock


def serve(settings: ServiceSettings, host: str, port: int, workers: int, access_log: bool) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM)."""
    import uvicorn

    from bgtc_rules.service.guard import connection_limits, guarded_protocol

    sock = bind(host, port)
    bound_host, bound_port = sock.getsockname()[:2]
    os.environ[ENV_VAR] = settings.to_json()
    # where the workers count their connections, to spread them evenly (`service.balance`)
    board = tempfile.mkdtemp(prefix="bgtc-serve-") if workers > 1 else None
    os.environ.pop(BOARD_ENV_VAR, None)  # one worker keeps its own count, whatever the environment says
    if board is not None:
        os.environ[BOARD_ENV_VAR] = board
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    print(f"bgtc serve: listening on http://{shown}:{bound_port} ({workers} worker process(es), "
          f"{settings.threads} evaluation thread(s) each); Ctrl-C to stop", file=sys.stderr, flush=True)
    print(f"bgtc serve: the web page is at http://{shown}:{bound_port}/", file=sys.stderr, flush=True)
    try:
        uvicorn.run(FACTORY, factory=True, fd=sock.fileno(), workers=workers, access_log=access_log,
                    log_level="info", timeout_graceful_shutdown=int(settings.timeout_seconds) + 1,
                    server_header=False, http=guarded_protocol(),
                    backlog=connection_limits(settings.max_connections)[1])
    finally:
        sock.close()
        if board is not None:
            os.environ.pop(BOARD_ENV_VAR, None)
            shutil.rmtree(board, ignore_errors=True)
