"""What a service process is started with; passed to uvicorn's worker processes through the environment."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field

from bgtc_rules.base.documents import MAX_DOCUMENT_BYTES

ENV_VAR = "BGTC_SERVICE_SETTINGS"


@dataclass(frozen=True)
class ServiceSettings:
    """Limits and rules of one service.

    `threads` bounds the evaluations that run at once in one worker process (they take the GIL and
    the durable backend's lock, so more threads add no speed, only memory); the `POST /evaluate`
    requests waiting at one moment are evaluated together in one of them (`service.gather`), so
    another stays free for the other routes. `max_waiting` bounds
    the requests waiting for a thread, beyond which the answer is 503 at once. `timeout_seconds`
    covers reading the body, waiting and evaluating. `header_seconds` bounds the time a connection
    may take to send a request's headers, `max_connections` the connections open in one worker
    process (`None`: 1,000, at most half the files the process may open); see `service.guard`.

    Examples:
        >>> ServiceSettings.from_json(ServiceSettings(rule_dirs=("my-rules",)).to_json()).rule_dirs
        ('my-rules',)
    """

    rule_dirs: tuple[str, ...] = field(default=())
    backend: str | None = None
    max_body_bytes: int = MAX_DOCUMENT_BYTES
    timeout_seconds: float = 10.0
    threads: int = 2
    max_waiting: int = 64
    header_seconds: float = 10.0
    max_connections: int | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> ServiceSettings:
        data = json.loads(text)
        data["rule_dirs"] = tuple(data.get("rule_dirs", ()))
        return cls(**data)

    @classmethod
    def from_environment(cls) -> ServiceSettings:
        """The settings `bgtc serve` put in `$BGTC_SERVICE_SETTINGS`, else the defaults."""
        text = os.environ.get(ENV_VAR)
        return cls() if text is None else cls.from_json(text)
