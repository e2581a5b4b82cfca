"""The agency's payment plan rules: amounts, due dates, and when an agent must answer."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.conf import LazySettings

from amicable.domain.lifecycle import FileState
from amicable.plans.rules import (
    Breach,
    PlanRules,
    breaches,
    current_rules,
    due_dates,
    may_ask_for_plan,
    split_amounts,
)


@pytest.mark.parametrize(
    ("total", "count", "expected"),
    [
        ("457.76", 3, ("152.60", "152.58", "152.58")),
        ("100.00", 4, ("25.00", "25.00", "25.00", "25.00")),
        ("100.01", 2, ("50.01", "50.00")),
        ("0.05", 3, ("0.03", "0.01", "0.01")),
        ("201.92", 6, ("33.67", "33.65", "33.65", "33.65", "33.65", "33.65")),
    ],
    ids=["sample_case", "even_case", "odd_cent_case", "tiny_case", "six_case"],
)
def test_split_adds_up_exactly_and_the_first_carries_the_cents(
    total: str, count: int, expected: tuple[str, ...]
) -> None:
    amounts = split_amounts(Decimal(total), count)
    assert amounts == tuple(Decimal(a) for a in expected)
    assert sum(amounts) == Decimal(total)


def test_split_refuses_a_float() -> None:
    with pytest.raises(TypeError):
        split_amounts(100.0, 2)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("first", "expected"),
    [
        (date(2025, 1, 31), (date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31))),
        (date(2025, 11, 15), (date(2025, 11, 15), date(2025, 12, 15), date(2026, 1, 15))),
        (date(2024, 1, 30), (date(2024, 1, 30), date(2024, 2, 29), date(2024, 3, 30))),
    ],
    ids=["month_end_case", "new_year_case", "leap_year_case"],
)
def test_due_dates_are_monthly_on_the_same_day_or_the_months_last(
    first: date, expected: tuple[date, ...]
) -> None:
    assert due_dates(first, 3) == expected


TODAY = date(2025, 5, 20)


@pytest.mark.parametrize(
    ("total", "count", "first_due", "state", "expected"),
    [
        ("300.00", 12, date(2025, 6, 19), FileState.IN_COLLECTION, ()),
        (
            "300.00",
            13,
            date(2025, 6, 19),
            FileState.IN_COLLECTION,
            (Breach.TOO_MANY_INSTALMENTS, Breach.INSTALMENT_TOO_SMALL),
        ),
        ("299.99", 12, date(2025, 6, 19), FileState.IN_COLLECTION, (Breach.INSTALMENT_TOO_SMALL,)),
        ("300.00", 2, date(2025, 6, 20), FileState.WAITING_PERIOD, (Breach.FIRST_DUE_TOO_LATE,)),
        ("300.00", 2, TODAY, FileState.FORMAL_NOTICE, ()),
        ("300.00", 2, TODAY, FileState.GRACE_PERIOD, (Breach.FILE_STAGE,)),
        ("300.00", 2, TODAY, FileState.DISPUTED, (Breach.FILE_STAGE,)),
        ("300.00", 2, TODAY, FileState.PAYMENT_PLAN, (Breach.FILE_STAGE,)),
    ],
    ids=[
        "limits_case",
        "thirteen_case",
        "below_minimum_case",
        "thirty_one_days_case",
        "today_case",
        "grace_period_case",
        "disputed_case",
        "plan_running_case",
    ],
)
def test_breaches_of_the_default_rules(
    total: str, count: int, first_due: date, state: FileState, expected: tuple[Breach, ...]
) -> None:
    found = breaches(
        total=Decimal(total), count=count, first_due=first_due, today=TODAY, state=state
    )
    assert found == expected


def test_rules_follow_the_setting(settings: LazySettings) -> None:
    settings.PAYMENT_PLAN_RULES = {"max_instalments": 6, "min_instalment": Decimal("50.00")}
    rules = current_rules()
    assert rules == PlanRules(max_instalments=6, min_instalment=Decimal("50.00"))
    assert breaches(
        total=Decimal("350.00"),
        count=7,
        first_due=TODAY,
        today=TODAY,
        state=FileState.IN_COLLECTION,
        rules=rules,
    ) == (Breach.TOO_MANY_INSTALMENTS,)


@pytest.mark.parametrize(
    "overrides",
    [{"max_instalments": 0}, {"min_instalment": 25.0}, {"max_days_to_first_due": True}],
    ids=["zero_case", "float_case", "bool_case"],
)
def test_rules_refuse_nonsense(overrides: dict[str, object]) -> None:
    with pytest.raises((ValueError, TypeError)):
        PlanRules(**overrides)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (FileState.IN_COLLECTION, True),
        (FileState.GRACE_PERIOD, True),
        (FileState.DISPUTED, True),
        (FileState.COLLECTIVE_SETTLEMENT, False),
        (FileState.PAID, False),
        (FileState.CLOSED, False),
    ],
    ids=str,
)
def test_plan_form_offered_on_open_files_except_collective_settlement(
    state: FileState, expected: bool
) -> None:
    assert may_ask_for_plan(state) is expected


def test_examples_in_the_module_hold() -> None:
    import doctest

    from amicable.plans import rules

    result = doctest.testmod(rules)
    assert (result.attempted, result.failed) == (3, 0)
