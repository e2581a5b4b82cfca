"""Working days in Belgium (new Civil Code art. 1.7, docs/legal.md, section 1)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amicable.domain.calendar import (
    add_working_days,
    is_working_day,
    next_working_day_on_or_after,
)

# The ten legal public holidays of 2025 (Easter 2025 is 20 April).
LEGAL_HOLIDAYS_2025 = [
    pytest.param(date(2025, 1, 1), id="new_year"),
    pytest.param(date(2025, 4, 21), id="easter_monday"),
    pytest.param(date(2025, 5, 1), id="labour_day"),
    pytest.param(date(2025, 5, 29), id="ascension"),
    pytest.param(date(2025, 6, 9), id="whit_monday"),
    pytest.param(date(2025, 7, 21), id="national_day"),
    pytest.param(date(2025, 8, 15), id="assumption"),
    pytest.param(date(2025, 11, 1), id="all_saints_saturday"),
    pytest.param(date(2025, 11, 11), id="armistice"),
    pytest.param(date(2025, 12, 25), id="christmas"),
]


@pytest.mark.parametrize("day", LEGAL_HOLIDAYS_2025)
def test_civil_code_1_7_legal_holiday_is_not_a_working_day(day: date) -> None:
    assert is_working_day(day) is False


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(date(2025, 4, 18), id="good_friday_bank_holiday_only"),
        pytest.param(date(2025, 12, 26), id="boxing_day_bank_holiday_only"),
        pytest.param(date(2025, 3, 3), id="ordinary_monday"),
        pytest.param(date(2025, 3, 7), id="ordinary_friday"),
        pytest.param(date(2024, 2, 29), id="leap_day_thursday"),
    ],
)
def test_civil_code_1_7_weekday_without_legal_holiday_is_a_working_day(day: date) -> None:
    assert is_working_day(day) is True


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(date(2025, 3, 8), id="saturday"),
        pytest.param(date(2025, 3, 9), id="sunday"),
    ],
)
def test_civil_code_1_7_weekend_is_not_a_working_day(day: date) -> None:
    assert is_working_day(day) is False


def test_civil_code_1_7_holiday_on_a_weekend_is_not_moved() -> None:
    # 1 November 2025 is a Saturday: the Monday after is an ordinary working day.
    assert is_working_day(date(2025, 11, 3)) is True


def test_civil_code_1_7_legal_holidays_falling_on_weekdays_in_2026() -> None:
    # The weekdays of 2026 that are not working days are exactly the legal holidays that fall
    # Monday to Friday: no bank holiday (Good Friday 3 April, 26 December) among them.
    day = date(2026, 1, 1)
    off_weekdays = []
    while day.year == 2026:
        if day.weekday() < 5 and not is_working_day(day):
            off_weekdays.append(day)
        day += timedelta(days=1)
    assert off_weekdays == [
        date(2026, 1, 1),
        date(2026, 4, 6),
        date(2026, 5, 1),
        date(2026, 5, 14),
        date(2026, 5, 25),
        date(2026, 7, 21),
        date(2026, 11, 11),
        date(2026, 12, 25),
    ]  # 15 August and 1 November 2026 fall on a Saturday and a Sunday.


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        pytest.param(date(2025, 3, 3), 0, date(2025, 3, 3), id="zero_is_the_day_itself"),
        pytest.param(date(2025, 3, 8), 0, date(2025, 3, 8), id="zero_on_saturday"),
        pytest.param(date(2025, 3, 3), 1, date(2025, 3, 4), id="monday_plus_one"),
        pytest.param(date(2025, 3, 7), 1, date(2025, 3, 10), id="friday_plus_one_skips_weekend"),
        pytest.param(date(2025, 3, 8), 1, date(2025, 3, 10), id="saturday_plus_one"),
        pytest.param(date(2025, 4, 17), 3, date(2025, 4, 23), id="over_easter_monday"),
        pytest.param(date(2025, 12, 24), 1, date(2025, 12, 26), id="over_christmas"),
        pytest.param(date(2025, 12, 31), 1, date(2026, 1, 2), id="over_new_year"),
    ],
)
def test_add_working_days(day: date, n: int, expected: date) -> None:
    assert add_working_days(day, n) == expected


def test_add_working_days_refuses_a_negative_count() -> None:
    with pytest.raises(ValueError, match="0 or more, not -1"):
        add_working_days(date(2025, 3, 3), -1)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2025, 7, 18), date(2025, 7, 18), id="working_day_itself"),
        pytest.param(date(2025, 7, 19), date(2025, 7, 22), id="saturday_to_after_national_day"),
        pytest.param(date(2025, 11, 11), date(2025, 11, 12), id="armistice"),
        pytest.param(date(2025, 12, 25), date(2025, 12, 26), id="christmas_to_boxing_day"),
    ],
)
def test_next_working_day_on_or_after(day: date, expected: date) -> None:
    assert next_working_day_on_or_after(day) == expected


@settings(max_examples=50, deadline=None, database=None)
@given(
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    n=st.integers(min_value=1, max_value=30),
)
def test_add_working_days_lands_on_a_working_day_after_exactly_n(day: date, n: int) -> None:
    result = add_working_days(day, n)
    assert is_working_day(result)
    counted = sum(
        is_working_day(day + timedelta(days=offset)) for offset in range(1, (result - day).days + 1)
    )
    assert counted == n
