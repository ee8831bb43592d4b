"""The guarded protocol `bgtc serve` hands uvicorn: which one, and TCP_NODELAY on its connections."""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import socket

from bgtc_rules.service.guard import ConnectionGuard, guarded_protocol, no_delay


class _Transport(asyncio.BaseTransport):
    def __init__(self, sock: socket.socket | None) -> None:
        super().__init__({"socket": sock} if sock is not None else {})


def test_no_delay_is_set_on_a_tcp_connection() -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener, \
            socket.create_connection(listener.getsockname()[:2]) as _client:
        accepted, _ = listener.accept()
        with accepted:
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
            no_delay(_Transport(accepted))
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0


def test_no_delay_leaves_a_unix_socket_or_no_socket_alone() -> None:
    one, other = socket.socketpair()
    with one, other:
        no_delay(_Transport(one))  # a Unix socket has no TCP options: nothing to set, no error
    no_delay(_Transport(None))


def test_the_guarded_protocol_is_httptools_when_installed() -> None:
    module_name, class_name = guarded_protocol().split(":")
    protocol = getattr(importlib.import_module(module_name), class_name)
    assert issubclass(protocol, ConnectionGuard)
    uses_httptools = importlib.util.find_spec("httptools") is not None
    assert ("HttpTools" in class_name) == uses_httptools
