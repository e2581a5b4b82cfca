"""The interest rate table in force: the package defaults plus the rates staff have added."""

from __future__ import annotations

from amicable.domain.interest import DEFAULT_RATES, RateTable
from amicable.files.models import InterestRate, RateKind


def rate_table() -> RateTable:
    table = DEFAULT_RATES
    for kind, year, half, rate in InterestRate.objects.values_list("kind", "year", "half", "rate"):
        if kind == RateKind.CIVIL:
            table = table.with_civil(year, rate)
        elif half in (1, 2):
            table = table.with_commercial(year, half, rate)
    return table
