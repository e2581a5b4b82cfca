"""The interest rate table in force: the package defaults plus the rates staff have added."""

from __future__ import annotations

from amicable.domain.interest import DEFAULT_RATES, RateTable
from amicable.files.models import InterestRate, RateKind
from amicable.files.prepared import PreparedRead

#: Read on every page that shows interest: prepared (``files.prepared``), and never cached, so
#: that a rate an agent adds counts from the next request on.
_RATES = PreparedRead(
    "the interest rates", lambda: InterestRate.objects.values_list("kind", "year", "half", "rate")
)


def rate_table() -> RateTable:
    table = DEFAULT_RATES
    for kind, year, half, rate in _RATES():
        if kind == RateKind.CIVIL:
            table = table.with_civil(year, rate)
        elif half in (1, 2):
            table = table.with_commercial(year, half, rate)
    return table
