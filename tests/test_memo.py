"""Bounded memory: a full memo forgets its older half, and never holds more than its limit."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bgtc_rules.base.memo import remember


@given(keys=st.lists(st.integers(0, 50), max_size=200), limit=st.integers(1, 20))
def test_a_memo_never_outgrows_its_limit_and_keeps_the_newest(keys: list[int], limit: int) -> None:
    memo: dict[int, str] = {}
    for key in keys:
        assert remember(memo, key, str(key), limit) == str(key)
        assert len(memo) <= limit
        assert memo[key] == str(key)  # what was just stored is always there
