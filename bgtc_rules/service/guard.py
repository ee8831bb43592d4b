"""uvicorn's HTTP/1.1 protocols with two bounds they lack, time to send a request's headers and
the number of open connections, and with Nagle's algorithm off.

uvicorn waits for a request's headers for ever: a client that connects and sends nothing (or a
byte now and then) holds a connection, and its file descriptor, as long as it likes; about a
thousand of them exhausted a worker's descriptors and `/health` stopped answering. Here:

- a connection has `header_seconds` to deliver each request's headers (from its first byte, or
  from the connection itself for the first request), else it is closed;
- at most `max_connections` are open per worker process: when one more arrives, the connection
  that has waited longest without a request in progress (sending headers slowly, or idle between
  requests) is closed to make room, and only if every connection is busy with a request is the
  new one refused. A flood of slow or half-open connections thus cannot lock out a client that
  sends its request at once.

The bounds come from `ServiceSettings` (`bgtc serve --header-timeout`, `--max-connections`).

TCP_NODELAY is set on every connection here because nobody else does: uvicorn takes the socket
`bgtc serve` binds (`fd=`) for a Unix socket, so the event loop never sets it, and an answer
written in two parts (headers, then body) waited for the client's delayed acknowledgement, about
40 ms, before its second part left.

The guard is a mixin over uvicorn's h11 protocol (always there) and its httptools protocol (with
`uvicorn[standard]`, faster); `guarded_protocol()` names the one to use.
Exposed beyond one machine, the service still belongs behind a reverse proxy (see the README).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import logging
import resource
import socket
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from bgtc_rules.service.balance import Board, board_from_environment
from bgtc_rules.service.settings import ServiceSettings

log = logging.getLogger("bgtc.service")
_DESCRIPTORS_KEPT = 64  # for the listening socket, logs, the rule files, the worker's pipes


def connection_limits(requested: int | None) -> tuple[int, int]:
    """The connections a worker keeps open (`requested`, by default 1,000) and the connections it
    accepts at once (the listening backlog), together within the files the process may open.

    asyncio accepts up to a backlog's worth of waiting connections in one go, before any of them
    reaches `connection_made`, and a closed connection's descriptor is freed a few turns of the
    event loop later: the connections kept plus about four bursts must fit in the descriptors
    left, or a flood of connections exhausts them before the oldest can be closed.

    Examples:
        >>> connection_limits(None)[0] <= 1_000 and connection_limits(10) == (10, connection_limits(10)[1])
        True
    """
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    usable = 4_096 if soft == resource.RLIM_INFINITY else max(16, soft - _DESCRIPTORS_KEPT)
    kept = min(requested or 1_000, usable // 2)
    return kept, max(8, min(2_048, (usable - kept) // 4))


def guarded_protocol() -> str:
    """The import path of the guarded protocol `bgtc serve` hands uvicorn: httptools' if installed."""
    if importlib.util.find_spec("httptools") is not None:
        return "bgtc_rules.service.guard_httptools:GuardedHttpToolsProtocol"
    return "bgtc_rules.service.guard:GuardedH11Protocol"


def no_delay(transport: asyncio.BaseTransport) -> None:
    """Send small writes at once (TCP_NODELAY); nothing for a transport that is not TCP."""
    sock = transport.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):  # a Unix socket has no such option
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class ConnectionGuard(asyncio.Protocol):
    """A header-read timeout, a bound on open connections and TCP_NODELAY (see the module), mixed
    into one of uvicorn's HTTP protocols, whose attributes it uses."""

    _settings: ServiceSettings | None = None
    _board: Board | None = None  # this worker process's `service.balance` board, once looked for
    _board_looked_for = False
    cycle: Any
    connections: set[Any]
    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport
    client: tuple[str, int] | None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = ConnectionGuard._settings
        if settings is None:
            settings = ConnectionGuard._settings = ServiceSettings.from_environment()
        self._header_seconds = settings.header_seconds
        self._max_connections = connection_limits(settings.max_connections)[0]
        self._header_timer: asyncio.TimerHandle | None = None
        self._waiting_cycle: object = None  # the request cycle in place when the wait for headers began
        self._idle_since: float | None = None  # when it last had no request in progress

    @classmethod
    def board(cls) -> Board | None:
        """Where this worker counts its connections for the others (`service.balance`), if there are others."""
        if not ConnectionGuard._board_looked_for:
            ConnectionGuard._board, ConnectionGuard._board_looked_for = board_from_environment(), True
        return ConnectionGuard._board

    # -- the connection bound --------------------------------------------------------------
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        no_delay(transport)
        super().connection_made(transport)
        if (board := self.board()) is not None:
            board.hold(len(self.connections))
        self._idle_since = self.loop.time()
        if len(self.connections) > self._max_connections and not self._make_room():
            log.warning("refusing a connection: %d open, all busy with requests", len(self.connections) - 1)
            self.transport.close()
            return
        self._await_headers()

    def _make_room(self) -> bool:
        """Close the connection that has waited longest without a request in progress."""
        waiting = [c for c in self.connections
                   if isinstance(c, ConnectionGuard) and c is not self and c._idle_since is not None]
        if not waiting:
            return False
        oldest = min(waiting, key=lambda c: c._idle_since or 0.0)
        oldest._close("closing the connection waiting longest: the connection limit is reached")
        return True

    # -- the header timeout ----------------------------------------------------------------
    def _await_headers(self) -> None:
        if self._header_timer is None:
            self._waiting_cycle = self.cycle
            self._header_timer = self.loop.call_later(self._header_seconds, self._headers_too_slow)

    def _headers_arrived(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None
        self._idle_since = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.cycle is self._waiting_cycle:
            self._close(f"closing a connection that sent no request headers within {self._header_seconds:g} s")

    def data_received(self, data: bytes) -> None:
        if self.cycle is None or self.cycle.response_complete:  # the first bytes of a next request
            self._await_headers()
        super().data_received(data)
        if self.cycle is not None and self.cycle is not self._waiting_cycle:
            self._headers_arrived()

    def on_response_complete(self) -> None:
        super().on_response_complete()  # type: ignore[misc]  # uvicorn's protocol, after this one in the MRO
        self._idle_since = self.loop.time()  # between requests: uvicorn's keep-alive timeout applies

    def connection_lost(self, exc: Exception | None) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None
        self._idle_since = None
        super().connection_lost(exc)
        if (board := self.board()) is not None:
            board.hold(len(self.connections))

    def _keep_alive_unless_over_share(self) -> None:
        """Answer this request with `Connection: close` if this worker holds more than its share of
        the connections (`service.balance`): the client's next connection may go to another."""
        board = self.board()
        if board is not None and self.cycle is not None and board.over_share(len(self.connections), self.loop.time()):
            self.cycle.keep_alive = False

    def _close(self, reason: str) -> None:
        client = f"{self.client[0]}:{self.client[1]}" if self.client else "unknown client"
        log.info("%s (%s)", reason, client)
        self._idle_since = None
        if self.transport is not None and not self.transport.is_closing():
            self.transport.close()


class GuardedH11Protocol(ConnectionGuard, H11Protocol):
    """uvicorn's h11 protocol, guarded."""
