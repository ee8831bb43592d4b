"""Federal business days: weekends and the legal public holidays of 5 U.S.C. 6103, computed from its text.

5 U.S.C. 6103(a) names eleven holidays, by date or by weekday of a month; (b) and Executive Order
11582 move one that falls on a Saturday to the Friday before and one on a Sunday to the Monday after,
for employees who work Monday to Friday (as FDA's offices do); (c) makes January 20 of every fourth
year after 1965, Inauguration Day, a holiday for employees in the District of Columbia and the
nearby counties, which include FDA's White Oak campus in Montgomery County, Maryland (the next day
when the 20th is a Sunday). Juneteenth was added on June 17, 2021 (Pub. L. 117-17), the birthday
of Martin Luther King, Jr. took effect in 1986 (Pub. L. 98-144); dates before those have neither.
The Monday holidays are computed as the section reads now (since 1978), for planning ahead.
Days the President closes offices by executive order (for example December 24 in some years) are
not known in advance and are not counted.

Source: 5 U.S.C. 6103, https://www.govinfo.gov/content/pkg/USCODE-2023-title5/html/
USCODE-2023-title5-partIII-subpartE-chap61-subchapI-sec6103.htm
"""

from __future__ import annotations

import datetime as dt
import functools

SECTION = "5 U.S.C. 6103"
_MONDAY, _THURSDAY, _SATURDAY, _SUNDAY = 0, 3, 5, 6


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The `n`th `weekday` (0 = Monday) of a month; `n = -1` for the last."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: dt.date) -> dt.date:
    """Where 6103(b) puts a holiday for a Monday-to-Friday workweek: Saturday to Friday, Sunday to Monday."""
    if day.weekday() == _SATURDAY:
        return day - dt.timedelta(days=1)
    if day.weekday() == _SUNDAY:
        return day + dt.timedelta(days=1)
    return day


@functools.cache
def federal_holidays(year: int) -> dict[dt.date, str]:
    """The days of `year` on which a legal public holiday is observed, with its name.

    Examples:
        >>> holidays = federal_holidays(2027)
        >>> holidays[dt.date(2027, 1, 18)], holidays[dt.date(2027, 6, 18)]
        ('Birthday of Martin Luther King, Jr.', 'Juneteenth National Independence Day (observed)')
        >>> holidays[dt.date(2027, 12, 24)], holidays[dt.date(2027, 12, 31)]  # Jan 1, 2028 is a Saturday
        ('Christmas Day (observed)', "New Year's Day (observed)")
        >>> dt.date(2029, 1, 20) in federal_holidays(2029), len(federal_holidays(2027))  # 2029-01-20: a Saturday
        (False, 12)
    """
    named = [
        (dt.date(year, 1, 1), "New Year's Day"),
        (_nth_weekday(year, 2, _MONDAY, 3), "Washington's Birthday"),
        (_nth_weekday(year, 5, _MONDAY, -1), "Memorial Day"),
        (dt.date(year, 7, 4), "Independence Day"),
        (_nth_weekday(year, 9, _MONDAY, 1), "Labor Day"),
        (_nth_weekday(year, 10, _MONDAY, 2), "Columbus Day"),
        (dt.date(year, 11, 11), "Veterans Day"),
        (_nth_weekday(year, 11, _THURSDAY, 4), "Thanksgiving Day"),
        (dt.date(year, 12, 25), "Christmas Day"),
    ]
    if year >= 1986:
        named.append((_nth_weekday(year, 1, _MONDAY, 3), "Birthday of Martin Luther King, Jr."))
    if year >= 2021:
        named.append((dt.date(year, 6, 19), "Juneteenth National Independence Day"))
    found = {}
    for day, name in named:
        observed = _observed(day)
        found[observed] = name if observed == day else f"{name} (observed)"
    if year > 1965 and (year - 1965) % 4 == 0:  # 6103(c): not moved to a Friday, only off a Sunday
        inauguration = dt.date(year, 1, 20)
        if inauguration.weekday() == _SUNDAY:
            inauguration += dt.timedelta(days=1)
        if inauguration.weekday() < _SATURDAY:
            found.setdefault(inauguration, "Inauguration Day (Washington, D.C. area, where FDA's offices are)")
    # New Year's Day on a Saturday is observed on December 31 of the year before
    next_new_year = dt.date(year + 1, 1, 1)
    if next_new_year.weekday() == _SATURDAY:
        found[next_new_year - dt.timedelta(days=1)] = "New Year's Day (observed)"
    found.pop(dt.date(year, 1, 1) - dt.timedelta(days=1), None)  # that one belongs to the year before
    return dict(sorted(found.items()))


def non_business_day(day: dt.date) -> str | None:
    """Why `day` is not a federal business day ("Sunday", "Saturday", a holiday's name), or `None`.

    Examples:
        >>> [non_business_day(dt.date(2027, 2, day)) for day in (7, 15, 16)]
        ['Sunday', "Washington's Birthday", None]
    """
    if day.weekday() >= _SATURDAY:
        return day.strftime("%A")
    return federal_holidays(day.year).get(day)


def business_day_before(day: dt.date) -> dt.date:
    """The last federal business day before `day`.

    Examples:
        >>> business_day_before(dt.date(2027, 2, 16))
        datetime.date(2027, 2, 12)
    """
    day -= dt.timedelta(days=1)
    while non_business_day(day) is not None:
        day -= dt.timedelta(days=1)
    return day
