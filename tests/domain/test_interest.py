"""Late interest (CEL art. XIX.4; law of 2 August 2002 art. 5 al. 2; law of 5 May 1865).

Every expected figure is computed by hand in the case's comment: principal x sum of (rate x days)
/ 36500, truncated to the cent once.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amicable.domain.errors import DomainError, UnknownRateError
from amicable.domain.interest import (
    DEFAULT_RATES,
    MissingRate,
    RateTable,
    accrued_interest,
    missing_rates,
)


@pytest.mark.parametrize(
    ("principal", "first_day", "last_day", "rate", "expected"),
    [
        # 10 days at the H1 2025 cap 11.5 + 10 days at the H2 2025 cap 10.5 = 220;
        # 1000 x 220 / 36500 = 6.027...
        pytest.param(
            "1000.00",
            date(2025, 6, 21),
            date(2025, 7, 10),
            "12",
            "6.02",
            id="xix4_half_year_boundary_contractual_above_cap",
        ),
        # 10 days of 2024 at 5.75 + 10 days of 2025 at 4.50 = 102.5; 1000 x 102.5 / 36500 = 2.808...
        pytest.param(
            "1000.00",
            date(2024, 12, 22),
            date(2025, 1, 10),
            None,
            "2.80",
            id="law_1865_civil_rate_year_boundary",
        ),
        # 2024 has 366 days, each still 1/365: 1000 x 5.75 x 366 / 36500 = 57.657...
        pytest.param(
            "1000.00",
            date(2024, 1, 1),
            date(2024, 12, 31),
            None,
            "57.65",
            id="law_1865_leap_year_still_over_365",
        ),
        # February 2024, 29 days, contractual 10 below the 12.5 cap:
        # 1000 x 10 x 29 / 36500 = 7.945...
        pytest.param(
            "1000.00",
            date(2024, 2, 1),
            date(2024, 2, 29),
            "10",
            "7.94",
            id="xix4_leap_february_contractual_below_cap",
        ),
        # 90 days of Q1 2025 at 8 (below the 11.5 cap): 2500 x 8 x 90 / 36500 = 49.315...
        pytest.param(
            "2500.00",
            date(2025, 1, 1),
            date(2025, 3, 31),
            "8",
            "49.31",
            id="xix4_contractual_below_cap_kept",
        ),
        # 15 % capped: 31 days at 12.0 (H2 2023) + 31 days at 12.5 (H1 2024) = 759.5;
        # 1000 x 759.5 / 36500 = 20.808...
        pytest.param(
            "1000.00",
            date(2023, 12, 1),
            date(2024, 1, 31),
            "15",
            "20.80",
            id="art5_al2_cap_across_year_and_half_year",
        ),
        # Contractual rate between the two halves' caps: 11 on H1 2025 (cap 11.5) is kept, on
        # H2 2025 (cap 10.5) is cut: 30 x 11 + 31 x 10.5 = 655.5;
        # 3650 x 655.5 / 36500 = 65.55 exactly.
        pytest.param(
            "3650.00",
            date(2025, 6, 1),
            date(2025, 7, 31),
            "11",
            "65.55",
            id="art5_al2_cap_bites_only_in_second_half",
        ),
        # One day: 1000 x 4.5 / 36500 = 0.123...
        pytest.param(
            "1000.00",
            date(2025, 3, 1),
            date(2025, 3, 1),
            None,
            "0.12",
            id="law_1865_single_day_both_ends_included",
        ),
        # Summed exactly, truncated once: 2 x 100000 x 4.5 / 36500 = 24.657...; truncating each
        # half-year period on its own would give 12.32 + 12.32 = 24.64.
        pytest.param(
            "100000.00",
            date(2025, 6, 30),
            date(2025, 7, 1),
            None,
            "24.65",
            id="xix4_truncated_once_not_per_period",
        ),
        # Whole published civil table, 2019 to 2026: the eight rates add up to 27.00, so
        # 27.00 x 365 + 1.75 (29 Feb 2020) + 5.75 (29 Feb 2024) = 9862.5;
        # 365 x 9862.5 / 36500 = 98.625
        pytest.param(
            "365.00",
            date(2019, 1, 1),
            date(2026, 12, 31),
            None,
            "98.62",
            id="law_1865_eight_years_of_civil_rates",
        ),
        pytest.param(
            "0.00", date(2025, 1, 1), date(2025, 12, 31), None, "0.00", id="zero_principal"
        ),
        pytest.param("1000.00", date(2025, 1, 1), date(2025, 12, 31), "0", "0.00", id="zero_rate"),
        pytest.param(
            "1000.00",
            date(2025, 7, 10),
            date(2025, 7, 9),
            None,
            "0.00",
            id="empty_period_last_before_first",
        ),
    ],
)
def test_accrued_interest(
    principal: str, first_day: date, last_day: date, rate: str | None, expected: str
) -> None:
    contractual = None if rate is None else Decimal(rate)
    result = accrued_interest(Decimal(principal), first_day, last_day, contractual)
    assert str(result) == expected


def test_accrued_interest_empty_period_ignores_missing_rates() -> None:
    # No day, so no rate is looked up, even in a year the table does not know.
    assert accrued_interest(Decimal("5.00"), date(2031, 1, 2), date(2031, 1, 1), None) == Decimal(
        "0.00"
    )


@pytest.mark.parametrize(
    ("first_day", "last_day", "rate", "message"),
    [
        pytest.param(
            date(2026, 12, 30),
            date(2027, 1, 2),
            None,
            r"No civil legal interest rate is known for 2027-01-01 \(year 2027\)",
            id="law_1865_civil_rate_unknown_year",
        ),
        pytest.param(
            date(2018, 12, 31),
            date(2019, 1, 2),
            None,
            r"No civil legal interest rate is known for 2018-12-31",
            id="law_1865_civil_rate_before_table",
        ),
        pytest.param(
            date(2026, 6, 29),
            date(2026, 7, 2),
            "8",
            r"art. 5 al. 2\) is known for 2026-07-01 \(half-year 2 of 2026\)",
            id="art5_al2_commercial_rate_unknown_half",
        ),
    ],
)
def test_accrued_interest_refuses_a_day_without_a_rate(
    first_day: date, last_day: date, rate: str | None, message: str
) -> None:
    contractual = None if rate is None else Decimal(rate)
    with pytest.raises(UnknownRateError, match=message) as caught:
        accrued_interest(Decimal("100.00"), first_day, last_day, contractual)
    assert isinstance(caught.value, DomainError)
    assert "an administrator must add the rate" in str(caught.value)


@pytest.mark.parametrize(
    ("principal", "rate", "error", "message"),
    [
        pytest.param(-1, None, ValueError, "principal must be 0 or more", id="negative_principal"),
        pytest.param(100, -1, ValueError, "contractual rate must be 0 or more", id="negative_rate"),
        pytest.param(100.0, None, TypeError, "principal must be a Decimal", id="float_principal"),
        pytest.param(100, 8.0, TypeError, "contractual rate must be a Decimal", id="float_rate"),
        pytest.param(Decimal("NaN"), None, ValueError, "finite", id="nan_principal"),
    ],
)
def test_accrued_interest_refuses_bad_arguments(
    principal: object, rate: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        accrued_interest(principal, date(2025, 1, 1), date(2025, 1, 2), rate)  # type: ignore[arg-type]


def test_accrued_interest_uses_the_table_it_is_given() -> None:
    rates = DEFAULT_RATES.with_civil(2027, Decimal("3.65")).with_commercial(2027, 1, Decimal("7.3"))
    # 1000 x 3.65 x 10 / 36500 = 1.00 exactly; contractual 9 capped at 7.3 gives 2.00.
    assert accrued_interest(
        Decimal("1000.00"), date(2027, 1, 1), date(2027, 1, 10), None, rates=rates
    ) == Decimal("1.00")
    assert accrued_interest(
        Decimal("1000.00"), date(2027, 1, 1), date(2027, 1, 10), Decimal("9"), rates=rates
    ) == Decimal("2.00")


def test_rate_table_default_figures_of_legal_md() -> None:
    assert {year: str(rate) for year, rate in DEFAULT_RATES.civil.items()} == {
        2019: "2.00", 2020: "1.75", 2021: "1.75", 2022: "1.50",
        2023: "5.25", 2024: "5.75", 2025: "4.50", 2026: "4.50",
    }  # fmt: skip
    assert {key: str(rate) for key, rate in DEFAULT_RATES.commercial.items()} == {
        (2022, 1): "8.0", (2022, 2): "8.0", (2023, 1): "10.5", (2023, 2): "12.0",
        (2024, 1): "12.5", (2024, 2): "12.5", (2025, 1): "11.5", (2025, 2): "10.5",
        (2026, 1): "10.5",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2023, 6, 30), "10.5", id="last_day_of_h1"),
        pytest.param(date(2023, 7, 1), "12.0", id="first_day_of_h2"),
        pytest.param(date(2023, 12, 31), "12.0", id="last_day_of_h2"),
    ],
)
def test_art5_al2_commercial_rate_per_half_year(day: date, expected: str) -> None:
    assert str(DEFAULT_RATES.commercial_rate(day)) == expected


def test_rate_table_with_methods_return_a_new_table() -> None:
    extended = DEFAULT_RATES.with_commercial(2026, 2, Decimal("9.5"))
    assert extended.commercial_rate(date(2026, 9, 1)) == Decimal("9.5")
    assert (2026, 2) not in DEFAULT_RATES.commercial
    replaced = DEFAULT_RATES.with_civil(2025, Decimal("4.00"))
    assert replaced.civil_rate(date(2025, 1, 1)) == Decimal("4.00")
    assert DEFAULT_RATES.civil_rate(date(2025, 1, 1)) == Decimal("4.50")


def test_rate_table_is_not_changed_through_the_mapping_it_was_built_from() -> None:
    civil = {2025: Decimal("4.50")}
    table = RateTable(civil=civil, commercial={})
    civil[2025] = Decimal("99")
    assert table.civil_rate(date(2025, 5, 5)) == Decimal("4.50")
    with pytest.raises(TypeError):
        table.civil[2026] = Decimal("1")  # type: ignore[index]


@pytest.mark.parametrize(
    ("civil", "commercial", "error", "message"),
    [
        pytest.param(
            {}, {(2025, 3): Decimal("1")}, ValueError, "half-year must be 1 or 2", id="half_3"
        ),
        pytest.param({2025: 4.5}, {}, TypeError, "civil rate must be a Decimal", id="float_civil"),
        pytest.param({}, {(2025, 1): Decimal("-1")}, ValueError, "0 or more", id="negative"),
    ],
)
def test_rate_table_refuses_bad_data(
    civil: dict[int, Decimal],
    commercial: dict[tuple[int, int], Decimal],
    error: type[Exception],
    message: str,
) -> None:
    with pytest.raises(error, match=message):
        RateTable(civil=civil, commercial=commercial)


_KNOWN_DAYS = st.dates(min_value=date(2022, 1, 1), max_value=date(2026, 6, 30))
_PRINCIPALS = st.decimals(min_value=0, max_value=10**7, places=2)
_RATES = st.one_of(st.none(), st.decimals(min_value=0, max_value=20, places=2))


@settings(max_examples=40, deadline=None, database=None)
@given(
    principal=_PRINCIPALS,
    first_day=_KNOWN_DAYS,
    length=st.integers(min_value=1, max_value=700),
    cut=st.integers(min_value=0, max_value=699),
    rate=_RATES,
)
def test_xix4_interest_is_additive_over_a_split_within_a_cent(
    principal: Decimal, first_day: date, length: int, cut: int, rate: Decimal | None
) -> None:
    last_day = min(first_day + timedelta(days=length - 1), date(2026, 6, 30))
    split = min(first_day + timedelta(days=cut % length), last_day)
    whole = accrued_interest(principal, first_day, last_day, rate)
    before = accrued_interest(principal, first_day, split, rate)
    after = accrued_interest(principal, split + timedelta(days=1), last_day, rate)
    assert whole >= Decimal("0.00")
    assert Decimal("0.00") <= whole - (before + after) <= Decimal("0.01")


# --- the rates still to add (law of 5 May 1865 art. 2; law of 2 August 2002 art. 5 al. 2) ------


def test_no_rate_is_missing_up_to_the_last_day_of_the_table() -> None:
    assert missing_rates(DEFAULT_RATES, today=date(2026, 6, 30)) == ()
    assert missing_rates(DEFAULT_RATES, today=date(2019, 1, 1)) == ()


def test_each_period_from_the_day_after_the_table_to_today_is_missing() -> None:
    # The commercial rate is published per half-year, the civil rate per calendar year: from
    # 1 July 2026 the second half of 2026 is missing; from 1 January 2027 also the civil rate of
    # 2027 and the first commercial half of 2027.
    assert missing_rates(DEFAULT_RATES, today=date(2026, 7, 1)) == (MissingRate(2026, 2),)
    assert missing_rates(DEFAULT_RATES, today=date(2027, 3, 1)) == (
        MissingRate(2027),
        MissingRate(2026, 2),
        MissingRate(2027, 1),
    )


def test_a_rate_added_is_no_longer_missing_and_a_gap_inside_the_table_is() -> None:
    table = DEFAULT_RATES.with_commercial(2026, 2, Decimal("10.5"))
    assert missing_rates(table, today=date(2026, 12, 31)) == ()
    gap = DEFAULT_RATES.with_commercial(2027, 1, Decimal("10"))
    assert missing_rates(gap, today=date(2027, 1, 2)) == (MissingRate(2027), MissingRate(2026, 2))


def test_a_missing_period_knows_its_days_and_its_table() -> None:
    half = MissingRate(2026, 2)
    assert (half.civil, half.first_day, half.last_day) == (
        False,
        date(2026, 7, 1),
        date(2026, 12, 31),
    )
    first = MissingRate(2027, 1)
    assert (first.first_day, first.last_day) == (date(2027, 1, 1), date(2027, 6, 30))
    year = MissingRate(2027)
    assert (year.civil, year.first_day, year.last_day) == (
        True,
        date(2027, 1, 1),
        date(2027, 12, 31),
    )


def test_an_empty_table_misses_the_period_of_today() -> None:
    empty = RateTable(civil={}, commercial={})
    assert missing_rates(empty, today=date(2026, 9, 1)) == (MissingRate(2026), MissingRate(2026, 2))
