"""Working days in Belgium (new Civil Code art. 1.7).

Definition used throughout amicable: a **working day** is Monday to Friday, unless that day is a
Belgian legal public holiday. Saturday is not a working day (new Civil Code art. 1.7). The ten
legal public holidays are:

1 January (New Year), Easter Monday, 1 May (Labour Day), Ascension Day, Whit Monday,
21 July (National Day), 15 August (Assumption), 1 November (All Saints), 11 November
(Armistice) and 25 December (Christmas).

A holiday that falls on a weekend is not moved to another day. Good Friday and 26 December are
*bank* holidays, not legal public holidays: they are working days. The dates come from the
``holidays`` package (country ``BE``, default ``PUBLIC`` category, never ``BANK``); that package
also lists Easter Sunday and Whit Sunday, which are Sundays and change nothing.

"Today" is always a parameter: nothing in this module reads the clock.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from holidays import PUBLIC, country_holidays

__all__ = ["add_working_days", "is_working_day", "next_working_day_on_or_after"]

_SATURDAY = 5  # date.weekday(): Monday is 0, so 5 and 6 are the weekend.
_ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    """The Belgian legal public holidays of ``year``, built once per year.

    The daily run asks about the same few dates for a million files, so the ``holidays``
    computation (Easter and friends) happens once per year and every later lookup is a set
    membership test.
    """
    # categories=PUBLIC is the package default; it is spelled out because BANK would turn
    # Good Friday and 26 December into non-working days, which the law does not do.
    # country_holidays("BE") is holidays.BE, through the package's typed entry point.
    return frozenset(country_holidays("BE", years=year, categories=(PUBLIC,)))


def is_public_holiday(day: date) -> bool:
    """Whether ``day`` is one of the ten Belgian legal public holidays (even on a weekend).

    >>> is_public_holiday(date(2025, 11, 1))
    True
    """
    return day in _public_holidays(day.year)


def is_working_day(day: date) -> bool:
    """Whether ``day`` is a working day: Monday to Friday, not a legal public holiday.

    New Civil Code art. 1.7; the ten holidays are listed in the module docstring.

    >>> is_working_day(date(2025, 3, 3))   # Monday
    True
    >>> is_working_day(date(2025, 3, 8))   # Saturday
    False
    >>> is_working_day(date(2025, 4, 21))  # Easter Monday
    False
    >>> is_working_day(date(2025, 4, 18))  # Good Friday is a bank holiday only
    True
    """
    if day.weekday() >= _SATURDAY:
        return False
    return day not in _public_holidays(day.year)


def add_working_days(day: date, n: int) -> date:
    """The ``n``-th working day strictly after ``day`` (``day`` itself when ``n`` is 0).

    The starting day never counts, whether or not it is a working day: this is how the paper
    reminder's period starts on the 3rd working day after sending (CEL art. XIX.2).

    >>> add_working_days(date(2025, 3, 3), 3)   # Monday -> Thursday
    datetime.date(2025, 3, 6)
    >>> add_working_days(date(2025, 4, 17), 3)  # Easter Monday skipped, Good Friday counts
    datetime.date(2025, 4, 23)
    >>> add_working_days(date(2025, 3, 8), 0)
    datetime.date(2025, 3, 8)
    """
    if n < 0:
        raise ValueError(f"The number of working days must be 0 or more, not {n}.")
    current = day
    remaining = n
    while remaining:
        current += _ONE_DAY
        if is_working_day(current):
            remaining -= 1
    return current


def next_working_day_on_or_after(day: date) -> date:
    """``day`` if it is a working day, otherwise the first working day after it.

    This is the civil-code rule for a period whose last day is not a working day: it moves to
    the next working day.

    >>> next_working_day_on_or_after(date(2025, 7, 19))  # Saturday, then Sunday and 21 July
    datetime.date(2025, 7, 22)
    >>> next_working_day_on_or_after(date(2025, 7, 18))
    datetime.date(2025, 7, 18)
    """
    current = day
    while not is_working_day(current):
        current += _ONE_DAY
    return current
