"""Bounded memory for remembered results (see `engine.determine.Determiner`, `advice.references.References`)."""

from __future__ import annotations

from itertools import islice
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


def remember(memo: dict[K, V], key: K, value: V, limit: int) -> V:
    """Store `value` under `key` and return it. A full `memo` (`limit` entries) first forgets its
    older half, in the order entries were stored, so memory stays bounded and recent cases stay.

    Examples:
        >>> memo: dict[int, int] = {}
        >>> for n in range(5):
        ...     _ = remember(memo, n, n * n, limit=4)
        >>> sorted(memo)
        [2, 3, 4]
    """
    if len(memo) >= limit:
        for old in list(islice(memo, len(memo) // 2 or 1)):
            del memo[old]
    memo[key] = value
    return value
