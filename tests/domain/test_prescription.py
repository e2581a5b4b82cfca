"""Prescription periods and their interruption (docs/legal.md, section 8; old Civil Code
art. 2262bis, 2272 al. 2, 2277 al. 2)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amicable.domain.prescription import (
    DEFAULT_CATEGORY_BY_SECTOR,
    GENERAL_PERIOD_MONTHS,
    SEEDED_PERIODS,
    add_months,
    clock_start,
    default_category,
    is_time_barred,
    last_day,
)

PERIODS = {category.code: category.period_months for category in SEEDED_PERIODS}


@pytest.mark.parametrize(
    ("code", "months", "article"),
    [
        # Goods sold by a merchant to a consumer: 1 year (old Civil Code art. 2272 al. 2).
        ("consumer_goods", 12, "art. 2272 al. 2"),
        # Energy, water, electronic communications: 5 years (art. 2277 al. 2).
        ("network_supply", 60, "art. 2277 al. 2"),
        # Other personal claims: 10 years (art. 2262bis).
        ("general", 120, "art. 2262bis"),
        # Medical care 2 years, hotel and restaurant bills 6 months (docs/legal.md, §8).
        ("medical_care", 24, "Old Civil Code"),
        ("hotel_restaurant", 6, "Old Civil Code"),
    ],
)
def test_seeded_periods_are_the_spec_s(code: str, months: int, article: str) -> None:
    (category,) = [c for c in SEEDED_PERIODS if c.code == code]
    assert category.period_months == months
    assert article in category.legal_basis
    assert PERIODS["general"] == GENERAL_PERIOD_MONTHS


@pytest.mark.parametrize(
    ("code", "due", "on", "barred"),
    [
        # art. 2272 al. 2: a web shop's sale due 10 March 2024 is collectable through
        # 10 March 2025, time-barred from the 11th.
        ("consumer_goods", date(2024, 3, 10), date(2025, 3, 10), False),
        ("consumer_goods", date(2024, 3, 10), date(2025, 3, 11), True),
        # art. 2277 al. 2: an energy invoice, 5 years.
        ("network_supply", date(2020, 6, 30), date(2025, 6, 30), False),
        ("network_supply", date(2020, 6, 30), date(2025, 7, 1), True),
        # art. 2262bis: 10 years.
        ("general", date(2015, 1, 31), date(2025, 1, 31), False),
        ("general", date(2015, 1, 31), date(2025, 2, 1), True),
        # A two-year-old sale (the case of the issue): time-barred, a two-year-old energy bill
        # is not.
        ("consumer_goods", date(2023, 5, 2), date(2025, 5, 2), True),
        ("network_supply", date(2023, 5, 2), date(2025, 5, 2), False),
    ],
)
def test_period_runs_from_the_due_date(code: str, due: date, on: date, barred: bool) -> None:
    assert (
        is_time_barred(due_date=due, period_months=PERIODS[code], interruptions=(), on=on) is barred
    )


def test_an_acknowledgement_restarts_the_whole_period() -> None:
    """docs/legal.md §8: an acknowledgement, a partial payment or a plan request interrupts the
    prescription; the period (art. 2272 al. 2: one year) starts again from that day."""
    due = date(2024, 1, 15)
    paid_part = date(2024, 11, 20)
    assert last_day(due_date=due, period_months=12, interruptions=(paid_part,)) == date(
        2025, 11, 20
    )
    assert not is_time_barred(
        due_date=due, period_months=12, interruptions=(paid_part,), on=date(2025, 6, 1)
    )
    assert is_time_barred(
        due_date=due, period_months=12, interruptions=(paid_part,), on=date(2025, 11, 21)
    )


def test_only_events_known_on_the_day_count_and_none_before_the_due_date() -> None:
    due = date(2024, 1, 15)
    # An event after the day asked about does not keep the claim alive on that day.
    assert is_time_barred(
        due_date=due, period_months=12, interruptions=(date(2025, 3, 1),), on=date(2025, 2, 1)
    )
    # Before the due date no period ran: nothing to interrupt.
    assert clock_start(due_date=due, interruptions=(date(2023, 12, 1), None)) == due


def test_month_ends_and_leap_days() -> None:
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2024, 8, 31), 6) == date(2025, 2, 28)
    assert add_months(date(2024, 12, 15), 1) == date(2025, 1, 15)


def test_default_category_by_sector() -> None:
    """Energy and telecom: art. 2277 al. 2; a web shop: art. 2272 al. 2; else art. 2262bis."""
    assert dict(DEFAULT_CATEGORY_BY_SECTOR) == {
        "energy": "network_supply",
        "telecom": "network_supply",
        "retail": "consumer_goods",
        "other": "general",
    }
    assert default_category("unknown") == "general"


days = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))


@settings(max_examples=300, deadline=None, database=None)
@given(
    due=days,
    months=st.sampled_from([1, 6, 12, 24, 60, 120]),
    interruptions=st.lists(st.one_of(st.none(), days), max_size=3),
    on=days,
)
def test_barred_exactly_when_the_day_is_past_the_last_day(
    due: date, months: int, interruptions: list[date | None], on: date
) -> None:
    """Whatever shortcut the check takes, a claim is barred exactly on the days after the last
    day of its period counted from the events known on that day."""
    known = [d for d in interruptions if d is not None and d <= on]
    expected = on > last_day(due_date=due, period_months=months, interruptions=known)
    assert (
        is_time_barred(due_date=due, period_months=months, interruptions=interruptions, on=on)
        is expected
    )


def test_a_period_is_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        last_day(due_date=date(2024, 1, 1), period_months=0, interruptions=())
