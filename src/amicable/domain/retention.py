"""How long personal data is kept, and from which day it is erased (docs/legal.md, section 7).

GDPR art. 5(1)(e) (storage limitation): personal data is kept no longer than the purpose needs;
art. 17(1)(a): it is then erased. The purposes, and so the periods, are the agency's policy:

- a file **closed paid** is kept **7 years** after it closed: its money is in the agency's
  accounting records, whose supporting documents are kept seven years (the policy of
  docs/legal.md, section 7);
- a file **closed unpaid or withdrawn** is kept **1 year** after it closed: long enough to
  answer a late question of the debtor or the creditor, nothing to account for;
- data **tied to no file** (a phishing report, a bank movement nobody claimed, a sign-in
  failure, a throttle record, a post run's printer file) is kept **1 year** after it was
  recorded.

Erasure then removes or pseudonymises the personal data; the amounts stay, anonymised, for the
accounts (the ledger is append-only). An open file is never erased, however old.

A period of years ends on the same day of the month; one that starts on 29 February ends on
1 March when the last year has no 29 February (the full years must have passed). Hence the two
functions below agree for every day: ``erasure_day(rule, start) <= today`` exactly when
``start <= last_start_due(rule, today)``.

>>> erasure_day(Retention.PAID_FILE, date(2018, 5, 31))
datetime.date(2025, 5, 31)
>>> last_start_due(Retention.PAID_FILE, date(2025, 5, 31))
datetime.date(2018, 5, 31)
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from amicable.domain.lifecycle import FileState

__all__ = [
    "PERIOD_YEARS",
    "Retention",
    "erasure_day",
    "last_start_due",
    "retention_of_file",
]


class Retention(StrEnum):
    """Which retention period applies; the values name the rule in reports."""

    #: A file closed paid: 7 years after its closing day.
    PAID_FILE = "paid_file"
    #: A file closed unpaid or withdrawn: 1 year after its closing day.
    CLOSED_FILE = "closed_file"
    #: Data tied to no file: 1 year after it was recorded.
    NO_FILE = "no_file"


#: The length of each period, in years (docs/legal.md, section 7).
PERIOD_YEARS: Mapping[Retention, int] = MappingProxyType(
    {Retention.PAID_FILE: 7, Retention.CLOSED_FILE: 1, Retention.NO_FILE: 1}
)


def retention_of_file(state: FileState) -> Retention | None:
    """The period that runs for a file in ``state``; None while the file is open.

    >>> retention_of_file(FileState.PAID), retention_of_file(FileState.CLOSED)
    (<Retention.PAID_FILE: 'paid_file'>, <Retention.CLOSED_FILE: 'closed_file'>)
    >>> retention_of_file(FileState.DISPUTED) is None
    True
    """
    if state == FileState.PAID:
        return Retention.PAID_FILE
    if state == FileState.CLOSED:
        return Retention.CLOSED_FILE
    return None


def erasure_day(rule: Retention, start: date) -> date:
    """The first day the data whose period started on ``start`` is erased.

    >>> erasure_day(Retention.CLOSED_FILE, date(2024, 2, 29))
    datetime.date(2025, 3, 1)
    >>> erasure_day(Retention.PAID_FILE, date(2020, 2, 29))
    datetime.date(2027, 3, 1)
    """
    year = start.year + PERIOD_YEARS[rule]
    try:
        return start.replace(year=year)
    except ValueError:  # 29 February, in a year without one.
        return date(year, 3, 1)


def last_start_due(rule: Retention, today: date) -> date:
    """The last start day whose period is over on ``today``: everything that started on or
    before it is erased today.

    >>> last_start_due(Retention.CLOSED_FILE, date(2025, 2, 28))
    datetime.date(2024, 2, 28)
    >>> last_start_due(Retention.CLOSED_FILE, date(2024, 2, 29))
    datetime.date(2023, 2, 28)
    """
    year = today.year - PERIOD_YEARS[rule]
    try:
        return today.replace(year=year)
    except ValueError:  # Today is 29 February: a year earlier had none.
        return date(year, 2, 28)
