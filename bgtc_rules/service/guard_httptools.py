"""uvicorn's httptools protocol, guarded (see `service.guard`); httptools comes with `uvicorn[standard]`."""

from __future__ import annotations

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from bgtc_rules.service.guard import ConnectionGuard


class GuardedHttpToolsProtocol(ConnectionGuard, HttpToolsProtocol):
    """uvicorn's httptools protocol, guarded; with several workers, a client may be asked to reconnect
    (`service.balance`: this protocol writes `Connection: close` on an answer that is to close; h11's
    does not, so there the connections stay where they were accepted)."""

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        self._keep_alive_unless_over_share()
