"""uvicorn's httptools protocol, guarded (see `service.guard`); httptools comes with `uvicorn[standard]`."""

from __future__ import annotations

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from bgtc_rules.service.guard import ConnectionGuard


class GuardedHttpToolsProtocol(ConnectionGuard, HttpToolsProtocol):
    """uvicorn's httptools protocol, guarded."""
