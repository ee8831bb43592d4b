"""Keep-alive connections spread evenly over the worker processes.

Every worker accepts from the one listening socket, and a keep-alive connection stays with the
worker that accepted it. Eight clients connecting at the same moment were split 4 + 4 in a third of
30 trials, and 5 + 3, 6 + 2 or 7 + 1 in the rest: the worker with more clients answered them more
slowly, in smaller shares of its core, while the other had too few to keep busy.

So each worker writes how many connections it holds into a directory the workers share (`bgtc
serve` makes it when it starts more than one, and removes it), one small file per process. A
worker holding more than its share (the workers' total divided among them, rounded up) asks one
client to reconnect, at most once every `INTERVAL_SECONDS`: the answer to that client's next
request carries `Connection: close`, as HTTP/1.1 allows, and its next connection goes to whichever
worker accepts it first (often the same one, whose loop has just written the answer: then it asks
again). Eight clients split 5 + 3 were 4 + 4 within 0.2-0.9 s. Nothing is lost: the request is
answered in full, and clients reconnect after such an answer (a connection pool does it unasked).
"""

from __future__ import annotations

import contextlib
import os

ENV_VAR = "BGTC_SERVICE_BOARD"  # the shared directory, for the worker processes
INTERVAL_SECONDS = 0.05  # between two looks at the others' counts (and two clients asked); 0.25 s took 4x longer


class Board:
    """This worker's count of open connections, written where the other workers read it."""

    def __init__(self, directory: str) -> None:
        self.directory = directory
        self._descriptor = os.open(os.path.join(directory, str(os.getpid())), os.O_RDWR | os.O_CREAT, 0o600)
        self._looked = float("-inf")
        self.hold(0)  # counted from now on, connections or not

    def hold(self, connections: int) -> None:
        """Write how many connections this worker holds now."""
        with contextlib.suppress(OSError):  # the directory was removed: the service is stopping
            os.pwrite(self._descriptor, b"%10d" % connections, 0)

    def over_share(self, connections: int, now: float) -> bool:
        """Whether this worker, holding `connections`, holds more than its share; looked at no more
        often than every `INTERVAL_SECONDS` (`now` on any steady clock), else False."""
        if now - self._looked < INTERVAL_SECONDS:
            return False
        self._looked = now
        counts = [connections, *self._others()]
        return connections > -(-sum(counts) // len(counts))

    def _others(self) -> list[int]:
        """The counts of the other workers still running."""
        counts = []
        with contextlib.suppress(OSError):
            for name in os.listdir(self.directory):
                if not name.isdigit() or int(name) == os.getpid() or not _running(int(name)):
                    continue
                with contextlib.suppress(OSError, ValueError), open(os.path.join(self.directory, name), "rb") as held:
                    counts.append(int(held.read(16)))
        return counts


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False  # a worker that died (uvicorn starts another, with its own file)
    except PermissionError:
        return True
    return True


def board_from_environment() -> Board | None:
    """The board of this worker process, if `bgtc serve` started several workers (it names their
    directory in `$BGTC_SERVICE_BOARD`)."""
    directory = os.environ.get(ENV_VAR)
    return Board(directory) if directory and os.path.isdir(directory) else None
