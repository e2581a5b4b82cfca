"""Prescription: when a claim can no longer be collected (docs/legal.md, section 8).

The rule is in the old Civil Code, still applicable to these claims:

- supply over the water, gas and electricity networks, electronic communications and
  broadcasting: **5 years** from the due date (art. 2277 al. 2, since 3 August 2017);
- goods sold by a merchant to a consumer: **1 year** (art. 2272 al. 2), a presumption of
  payment that falls only with the debtor's written acknowledgement;
- medical care 2 years, hotel and restaurant bills 6 months;
- other personal claims: **10 years** (art. 2262bis).

The period runs from the due date and starts again from the day of an event that interrupts
it: an acknowledgement by the debtor, including a partial payment or a request for a payment
plan (and, outside this product, a summons, a bailiff's order or a seizure). A collection
agency's letter never interrupts it. The periods are data (a category per claim, extendable by
an administrator); :data:`SEEDED_PERIODS` holds the ones the product ships with.

A period of months ends on the same day of the month as it started; one that starts on a day
the last month does not have (31 January + 1 month) ends on that month's last day. The claim is
time-barred from the day after its last day: the whole last day belongs to the creditor.

>>> last_day(due_date=date(2024, 3, 10), period_months=12, interruptions=())
datetime.date(2025, 3, 10)
>>> is_time_barred(due_date=date(2024, 3, 10), period_months=12, interruptions=(),
...                on=date(2025, 3, 11))
True
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType

__all__ = [
    "DEFAULT_CATEGORY_BY_SECTOR",
    "GENERAL_PERIOD_MONTHS",
    "SEEDED_PERIODS",
    "Interruption",
    "SeededCategory",
    "add_months",
    "clock_start",
    "default_category",
    "is_time_barred",
    "last_day",
]


class Interruption(StrEnum):
    """What restarts the clock (old Civil Code, docs/legal.md section 8); never an agency's
    letter, which is why no letter kind appears here."""

    #: The debtor acknowledged the debt in writing.
    ACKNOWLEDGEMENT = "acknowledgement"
    #: A partial payment was booked: paying part of a debt acknowledges it.
    PARTIAL_PAYMENT = "partial_payment"
    #: The debtor asked for a payment plan: asking for time to pay acknowledges the debt.
    PLAN_REQUEST = "plan_request"
    #: The creditor declared an interruption at hand-over, with its date and evidence.
    DECLARED_AT_HANDOVER = "declared_at_handover"


@dataclass(frozen=True, slots=True)
class SeededCategory:
    """A claim category as the product ships it; administrators add others."""

    code: str
    name: str
    period_months: int
    legal_basis: str


#: The categories seeded by the data migration (docs/legal.md, section 8).
SEEDED_PERIODS: tuple[SeededCategory, ...] = (
    SeededCategory(
        "consumer_goods",
        "Goods sold by a merchant to a consumer",
        12,
        "Old Civil Code art. 2272 al. 2",
    ),
    SeededCategory(
        "network_supply",
        "Energy, water and electronic communications (periodic supply)",
        60,
        "Old Civil Code art. 2277 al. 2",
    ),
    SeededCategory("medical_care", "Medical care", 24, "Old Civil Code (docs/legal.md, section 8)"),
    SeededCategory(
        "hotel_restaurant", "Hotel and restaurant bills", 6, "Old Civil Code (docs/legal.md, §8)"
    ),
    SeededCategory("general", "Other personal claims", 120, "Old Civil Code art. 2262bis"),
)

#: Other personal claims: 10 years (old Civil Code art. 2262bis); also the period of a claim
#: that has no category.
GENERAL_PERIOD_MONTHS = 120

#: The category a claim gets when the creditor names none, by the creditor's sector: energy and
#: telecom invoice a periodic supply (art. 2277 al. 2), a web shop sells goods (art. 2272 al. 2),
#: anything else takes the general period (art. 2262bis).
DEFAULT_CATEGORY_BY_SECTOR: Mapping[str, str] = MappingProxyType(
    {
        "energy": "network_supply",
        "telecom": "network_supply",
        "retail": "consumer_goods",
        "other": "general",
    }
)


def default_category(sector: str) -> str:
    """The category code of a claim whose creditor names none (old Civil Code art. 2262bis,
    the general period, for a sector without its own rule).

    >>> default_category("telecom"), default_category("retail"), default_category("insurance")
    ('network_supply', 'consumer_goods', 'general')
    """
    return DEFAULT_CATEGORY_BY_SECTOR.get(sector, "general")


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or that month's last day if it has no such day.

    >>> add_months(date(2024, 1, 31), 1), add_months(date(2024, 2, 29), 12)
    (datetime.date(2024, 2, 29), datetime.date(2025, 2, 28))
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def clock_start(*, due_date: date, interruptions: Iterable[date | None]) -> date:
    """The day the period runs from: the due date, or the latest interruption after it.

    An event before the due date interrupts nothing: the period had not begun.
    """
    later = [d for d in interruptions if d is not None and d > due_date]
    return max(later, default=due_date)


def last_day(*, due_date: date, period_months: int, interruptions: Iterable[date | None]) -> date:
    """The last day the claim can be collected: its period counted from :func:`clock_start`
    (old Civil Code art. 2262bis, 2272 al. 2, 2277 al. 2: the period of its category)."""
    if period_months <= 0:
        raise ValueError("A prescription period is a positive number of months.")
    start = clock_start(due_date=due_date, interruptions=interruptions)
    return add_months(start, period_months)


#: The days of the shortest month: a period of n months is never shorter than 28 x n days.
_SHORTEST_MONTH_DAYS = 28


def is_time_barred(
    *, due_date: date, period_months: int, interruptions: Iterable[date | None], on: date
) -> bool:
    """Whether the claim's period is over on ``on``: only events up to ``on`` count.

    docs/legal.md section 8: interrupted by an acknowledgement, a partial payment or a plan
    request; an agency's letter is not an event here and so never keeps a claim alive.
    """
    if period_months > 0 and (on - due_date).days <= _SHORTEST_MONTH_DAYS * period_months:
        # No month is shorter than 28 days and the period never starts before the due date:
        # the claim cannot be barred yet (the daily run asks it of every claim every day).
        return False
    known = [d for d in interruptions if d is not None and d <= on]
    return on > last_day(due_date=due_date, period_months=period_months, interruptions=known)
