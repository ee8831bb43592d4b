"""The range of dates the rules can plan with.

A plan adds day counts to a date (a response due 60 days after a request, a meeting package due
before the meeting, a reply after the preliminary responses): a date near the end of the calendar
overflows. No day count in the rules may exceed `MAX_DAY_COUNT` (the rule schema checks it), and
a chain of them is at most `_CHAIN` long, so every date given (`--as-of`, `--start`, a dossier's
dates, the service's query) must lie within `EARLIEST_DATE`..`LATEST_DATE`.
"""

from __future__ import annotations

import datetime as dt

MAX_DAY_COUNT = 3650  # the largest day count a rule may state (ten years)
_CHAIN = 4  # the most day counts a plan adds one after another, with room to spare
_MARGIN = dt.timedelta(days=_CHAIN * MAX_DAY_COUNT + 1)
EARLIEST_DATE = dt.date((dt.date.min + _MARGIN).year + 1, 1, 1)  # whole years: easier to say
LATEST_DATE = dt.date((dt.date.max - _MARGIN).year - 1, 12, 31)


def out_of_range(value: dt.date) -> str | None:
    """Why `value` is too early or too late to plan with, or `None` if it is fine.

    Examples:
        >>> out_of_range(dt.date(2026, 11, 21)) is None
        True
        >>> out_of_range(dt.date(9999, 12, 31))
        '9999-12-31 is too far ahead: dates up to 9959-12-31 can be planned with'
    """
    if value > LATEST_DATE:
        return f"{value.isoformat()} is too far ahead: dates up to {LATEST_DATE.isoformat()} can be planned with"
    if value < EARLIEST_DATE:
        return f"{value.isoformat()} is too far back: dates from {EARLIEST_DATE.isoformat()} can be planned with"
    return None
