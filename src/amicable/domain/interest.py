"""Late interest on a consumer debt (CEL art. XIX.4).

Rule: the contract may provide late interest, at most at the rate of art. 5 al. 2 of the law of
2 August 2002 on late payment in commercial transactions (the "commercial rate", published per
half-year). Without a valid contractual rate, the civil legal interest rate (law of 5 May 1865 on
loans at interest, published per calendar year) applies.

Policy (docs/legal.md, section 2): simple interest on the outstanding principal, actual days / 365
(also in a leap year), no capitalisation; each day bears the rate in force that day, so a period
that crosses a half-year or a year is split at the boundary; the exact sum is truncated to the
cent once, at the end, never per day or per period.

Rates are data, not code: :class:`RateTable` holds the published figures and an administrator
extends it (``with_civil``, ``with_commercial``) when the Moniteur belge publishes a new one. A day
without a known rate raises :class:`~amicable.domain.errors.UnknownRateError`; the rate is never
guessed.

>>> accrued_interest(Decimal("1000.00"), date(2025, 1, 1), date(2025, 12, 31), None)
Decimal('45.00')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

from amicable.domain.errors import UnknownRateError
from amicable.domain.money import as_decimal, to_cents_down

__all__ = [
    "DEFAULT_RATES",
    "InterestPeriod",
    "MissingRate",
    "RateTable",
    "accrued_interest",
    "interest_periods",
    "missing_rates",
]

_DAYS_PER_YEAR = 365  # Policy: actual days / 365, a leap year included.
_PERCENT = 100


def _half_of(day: date) -> int:
    """The half-year of ``day``: 1 for January to June, 2 for July to December."""
    return 1 if day.month <= 6 else 2


def _end_of_half(day: date) -> date:
    """The last day of the half-year that contains ``day``."""
    return date(day.year, 6, 30) if _half_of(day) == 1 else date(day.year, 12, 31)


def _check_rate(rate: Decimal, *, what: str) -> Decimal:
    checked = as_decimal(rate, name=what)
    if checked < 0:
        raise ValueError(f"The {what} must be 0 or more, not {rate}.")
    return checked


@dataclass(frozen=True)
class RateTable:
    """The published interest rates, in percent per year.

    ``civil`` maps a year to the civil legal interest rate of that year (law of 5 May 1865);
    ``commercial`` maps ``(year, half)``, half 1 (January to June) or 2 (July to December), to
    the rate of art. 5 al. 2 of the law of 2 August 2002. The table is immutable: the ``with_*``
    methods return a new table.

    >>> DEFAULT_RATES.civil_rate(date(2025, 3, 1))
    Decimal('4.50')
    >>> DEFAULT_RATES.commercial_rate(date(2025, 7, 1))
    Decimal('10.5')
    >>> DEFAULT_RATES.with_civil(2027, Decimal("4.00")).civil_rate(date(2027, 1, 1))
    Decimal('4.00')
    """

    civil: Mapping[int, Decimal]
    commercial: Mapping[tuple[int, int], Decimal]

    def __post_init__(self) -> None:
        # Copy into read-only mappings so that nobody changes a table in use behind our back.
        civil = {
            int(year): _check_rate(rate, what="civil rate") for year, rate in self.civil.items()
        }
        commercial: dict[tuple[int, int], Decimal] = {}
        for (year, half), rate in self.commercial.items():
            if half not in (1, 2):
                raise ValueError(f"The half-year must be 1 or 2, not {half} (year {year}).")
            commercial[(int(year), int(half))] = _check_rate(rate, what="commercial rate")
        object.__setattr__(self, "civil", MappingProxyType(civil))
        object.__setattr__(self, "commercial", MappingProxyType(commercial))

    def civil_rate(self, day: date) -> Decimal:
        """The civil legal interest rate in force on ``day`` (law of 5 May 1865)."""
        try:
            return self.civil[day.year]
        except KeyError:
            raise UnknownRateError(
                f"No civil legal interest rate is known for {day.isoformat()} (year {day.year}) "
                "in the civil rate table; an administrator must add the rate published in the "
                "Moniteur belge."
            ) from None

    def commercial_rate(self, day: date) -> Decimal:
        """The rate of art. 5 al. 2 of the law of 2 August 2002 in force on ``day``."""
        half = _half_of(day)
        try:
            return self.commercial[(day.year, half)]
        except KeyError:
            raise UnknownRateError(
                f"No commercial late-payment rate (law of 2 August 2002, art. 5 al. 2) is known "
                f"for {day.isoformat()} (half-year {half} of {day.year}) in the commercial rate "
                "table; an administrator must add the rate published in the Moniteur belge."
            ) from None

    def with_civil(self, year: int, rate: Decimal) -> RateTable:
        """A new table with the civil legal rate of ``year`` set to ``rate``."""
        return RateTable(civil={**self.civil, year: rate}, commercial=self.commercial)

    def with_commercial(self, year: int, half: int, rate: Decimal) -> RateTable:
        """A new table with the commercial rate of ``(year, half)`` set to ``rate``."""
        return RateTable(civil=self.civil, commercial={**self.commercial, (year, half): rate})


# docs/legal.md, section 2, as published in the Moniteur belge.
DEFAULT_RATES = RateTable(
    civil={
        2019: Decimal("2.00"),
        2020: Decimal("1.75"),
        2021: Decimal("1.75"),
        2022: Decimal("1.50"),
        2023: Decimal("5.25"),
        2024: Decimal("5.75"),
        2025: Decimal("4.50"),
        2026: Decimal("4.50"),
    },
    commercial={
        (2022, 1): Decimal("8.0"),
        (2022, 2): Decimal("8.0"),
        (2023, 1): Decimal("10.5"),
        (2023, 2): Decimal("12.0"),
        (2024, 1): Decimal("12.5"),
        (2024, 2): Decimal("12.5"),
        (2025, 1): Decimal("11.5"),
        (2025, 2): Decimal("10.5"),
        (2026, 1): Decimal("10.5"),
    },
)


@dataclass(frozen=True, slots=True)
class MissingRate:
    """A rate period the table does not know: a year of the civil legal rate (``half`` None)
    or a half-year (1 or 2) of the commercial rate of the law of 2 August 2002."""

    year: int
    half: int | None = None

    @property
    def civil(self) -> bool:
        return self.half is None

    @property
    def first_day(self) -> date:
        return date(self.year, 7 if self.half == 2 else 1, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)


def missing_rates(rates: RateTable, *, today: date) -> tuple[MissingRate, ...]:
    """The periods up to the one holding ``today`` for which ``rates`` knows no rate, civil
    years first, then commercial half-years, each in order.

    Counted from the first period each table knows (a gap inside the table is missing too);
    an empty table misses the period of ``today``. Interest stops at the last day with a known
    rate (:func:`amicable.domain.charges.last_day_with_rates`): these are the rates staff must
    add, as the Moniteur belge publishes them, for it to run again.

    >>> missing_rates(DEFAULT_RATES, today=date(2026, 6, 30))
    ()
    >>> [(m.year, m.half) for m in missing_rates(DEFAULT_RATES, today=date(2027, 1, 4))]
    [(2027, None), (2026, 2), (2027, 1)]
    """
    civil_years = range(min(rates.civil, default=today.year), today.year + 1)
    missing = [MissingRate(year) for year in civil_years if year not in rates.civil]
    year, half = min(rates.commercial, default=(today.year, _half_of(today)))
    while (year, half) <= (today.year, _half_of(today)):
        if (year, half) not in rates.commercial:
            missing.append(MissingRate(year, half))
        year, half = (year, 2) if half == 1 else (year + 1, 1)
    return tuple(missing)


def accrued_interest(
    principal: Decimal,
    first_day: date,
    last_day: date,
    contractual_rate: Decimal | None,
    *,
    rates: RateTable = DEFAULT_RATES,
) -> Decimal:
    """Simple late interest on ``principal`` for every day from ``first_day`` to ``last_day``.

    CEL art. XIX.4: each day bears ``min(contractual_rate, commercial rate of that day)``, the
    commercial rate being that of art. 5 al. 2 of the law of 2 August 2002 for the day's
    half-year; with ``contractual_rate`` None (no valid contractual rate) each day bears the civil
    legal rate of its year (law of 5 May 1865). Both days are included; each day is 1/365 of a
    year, in a leap year too. The days are grouped by rate period (at most one group per
    half-year), the products are summed as exact fractions, and the total is truncated to the
    cent once (``ROUND_DOWN``), so the consumer never pays a rounding.

    ``first_day`` after ``last_day`` is an empty period: 0.00. A negative principal or rate raises
    ``ValueError``, a float ``TypeError``, a day without a published rate ``UnknownRateError``.

    Half-year boundary, 1,000.00 at the contractual 12 % from 2025-06-21 to 2025-07-10: ten days
    at 11.5 (cap of H1 2025) and ten at 10.5 (cap of H2 2025), 1000 x 220 / 36500 = 6.027...

    >>> accrued_interest(Decimal("1000.00"), date(2025, 6, 21), date(2025, 7, 10), Decimal("12"))
    Decimal('6.02')
    >>> accrued_interest(Decimal("1000.00"), date(2025, 7, 10), date(2025, 7, 9), None)
    Decimal('0.00')
    """
    exact = sum(
        (
            period.exact
            for period in interest_periods(
                principal, first_day, last_day, contractual_rate, rates=rates
            )
        ),
        Fraction(0),
    )
    return to_cents_down(exact)


@dataclass(frozen=True, slots=True)
class InterestPeriod:
    """Days that bear one rate on one principal, and their interest as an exact fraction.

    ``rate`` is the yearly rate applied (percent); ``legal_rate`` tells whether it is the civil
    legal rate (no valid contractual rate) rather than the contract's rate, capped that day.
    """

    first_day: date
    last_day: date
    principal: Decimal
    rate: Decimal
    legal_rate: bool

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def exact(self) -> Fraction:
        """principal x rate x days / 36,500, as an exact fraction."""
        return (
            Fraction(self.principal) * Fraction(self.rate) * self.days / (_PERCENT * _DAYS_PER_YEAR)
        )


def interest_periods(
    principal: Decimal,
    first_day: date,
    last_day: date,
    contractual_rate: Decimal | None,
    *,
    rates: RateTable = DEFAULT_RATES,
) -> tuple[InterestPeriod, ...]:
    """The days from ``first_day`` to ``last_day`` split by rate, each with its exact interest.

    The rule of :func:`accrued_interest`, before the one truncation to the cent: a period ends
    at the end of its half-year (the civil rate changes per year, which is also a half-year end,
    so one rate holds over each period). Nothing is rounded here.

    >>> [(p.first_day.isoformat(), p.rate) for p in interest_periods(
    ...     Decimal("1000.00"), date(2025, 6, 21), date(2025, 7, 10), Decimal("12"))]
    [('2025-06-21', Decimal('11.5')), ('2025-07-01', Decimal('10.5'))]
    """
    amount = as_decimal(principal, name="principal")
    if amount < 0:
        raise ValueError(f"The principal must be 0 or more, not {principal}.")
    rate = (
        None if contractual_rate is None else _check_rate(contractual_rate, what="contractual rate")
    )
    periods: list[InterestPeriod] = []
    start = first_day
    while start <= last_day:
        end = min(_end_of_half(start), last_day)
        if rate is None:
            day_rate = rates.civil_rate(start)
        else:
            day_rate = min(rate, rates.commercial_rate(start))
        periods.append(
            InterestPeriod(
                first_day=start,
                last_day=end,
                principal=amount,
                rate=day_rate,
                legal_rate=rate is None,
            )
        )
        start = end + timedelta(days=1)
    return tuple(periods)
