"""The interest rate table in force: the package defaults plus the rates staff have added."""

from __future__ import annotations

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
