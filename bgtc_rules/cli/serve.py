"""`bgtc serve`: the HTTP service (Starlette on uvicorn, imported only by this command)."""

from __future__ import annotations

from pathlib import Path

import click

from bgtc_rules.cli.common import backend_option, cores_available, friendly_errors, rules_option


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 for every interface: put a TLS proxy in front).")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on; 0 picks a free one (printed at start).")
@click.option("--workers", type=click.IntRange(1, 64), metavar="N",
              help="Worker processes, each with its own rule base and engine (default: one per core available).")
@click.option("--threads", default=2, show_default=True, type=click.IntRange(1, 32),
              help="Evaluations running at once in each worker process.")
@click.option("--timeout", "timeout_seconds", default=10.0, show_default=True, type=click.FloatRange(0.1, 600),
              help="Seconds for reading a request, waiting and evaluating; then 408 or 503.")
@click.option("--max-body", "max_body_bytes", default=2 * 1024 * 1024, show_default=True,
              type=click.IntRange(1024, 64 * 1024 * 1024), help="Largest request body in bytes; larger: 413.")
@click.option("--max-waiting", default=64, show_default=True, type=click.IntRange(0, 10_000),
              help="Requests per worker that may be evaluating or waiting for a thread; more: 503 at once.")
@click.option("--header-timeout", "header_seconds", default=10.0, show_default=True,
              type=click.FloatRange(0.1, 600),
              help="Seconds a connection has to send a request's headers; then it is closed.")
@click.option("--max-connections", type=click.IntRange(1, 100_000), metavar="N",
              help="Open connections per worker; beyond, the one waiting longest without a request is "
                   "closed (default: 1000, at most half the files the process may open).")
@click.option("--access-log/--no-access-log", default=True, show_default=True, help="Log every request.")
@rules_option
@backend_option
@friendly_errors
def serve(host: str, port: int, workers: int | None, threads: int, timeout_seconds: float, max_body_bytes: int,
          max_waiting: int, header_seconds: float, max_connections: int | None, access_log: bool,
          rule_dirs: tuple[Path, ...], backend: str | None) -> None:
    """Serve evaluations over HTTP: POST /evaluate, /explain/{program}, /whatif, /plan; GET /programs,
    /programs/{id}, /schema, /health, /openapi.json. Decision support only; not a determination by FDA."""
    from bgtc_rules.engine.backends import resolve_backend_name
    from bgtc_rules.language.rulebase import RuleBase
    from bgtc_rules.service.server import serve as run
    from bgtc_rules.service.settings import ServiceSettings

    resolve_backend_name(backend)  # a bad --backend or $BGTC_BACKEND fails here, not in every worker
    RuleBase.load(rule_dirs)  # bad rules fail here with their problems; the workers load them from the cache
    settings = ServiceSettings(rule_dirs=tuple(str(d) for d in rule_dirs), backend=backend,
                               max_body_bytes=max_body_bytes, timeout_seconds=timeout_seconds, threads=threads,
                               max_waiting=max_waiting, header_seconds=header_seconds,
                               max_connections=max_connections)
    run(settings, host, port, workers or cores_available(), access_log)
