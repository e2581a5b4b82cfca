"""The interest rate table in force: the package defaults plus the rates staff have added."""

from __future__ import annotations

from datetime import date

from amicable.domain.interest import DEFAULT_RATES, RateTable
from amicable.files.models import InterestRate, RateKind


def rate_table() -> RateTable:
    table = DEFAULT_RATES
    for row in InterestRate.objects.all():
        if row.kind == RateKind.CIVIL:
            table = table.with_civil(row.year, row.rate)
        elif row.half in (1, 2):
            table = table.with_commercial(row.year, row.half, row.rate)
    return table


def last_day_with_rates(table: RateTable) -> date:
    """The last day for which both tables know a rate: interest is never computed past it.

    Computing interest with a rate that is not published yet would be guessing; stopping there
    is the safer choice for the consumer, and the balance says up to which day it runs.
    """
    year, half = max(table.commercial)
    commercial_end = date(year, 6, 30) if half == 1 else date(year, 12, 31)
    civil_end = date(max(table.civil), 12, 31)
    return min(commercial_end, civil_end)
