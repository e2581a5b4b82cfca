"""Book XIX of the Code of Economic Law: grace period, caps and the charging guard.

Every figure of docs/legal.md, sections 1 and 2 is a row here; each test names its article.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amicable.domain.calendar import is_working_day
from amicable.domain.errors import DomainError, UnknownRateError
from amicable.domain.interest import DEFAULT_RATES
from amicable.domain.law import (
    BOOK_XIX_CONTRACTS_FROM,
    FREE_REMINDERS_PER_YEAR_REGULAR_SUPPLY,
    REMINDER_COST_FLAT,
    Channel,
    ChargeDecision,
    ChargeKind,
    ChargeRefused,
    GracePeriod,
    IndemnityClause,
    RateDecision,
    Refusal,
    RefusalReason,
    check_charge,
    contractual_indemnity,
    decide_indemnity,
    decide_interest_rate,
    grace_period,
    max_indemnity,
    max_reminder_cost,
    may_charge_reminder,
    refusal_for,
    reminder_refusal,
)

FAST = settings(max_examples=60, deadline=None, database=None)

# --- art. XIX.2: grace period ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent_on", "channel", "starts_on", "last_day"),
    [
        pytest.param(
            date(2025, 3, 3),
            "paper",
            date(2025, 3, 6),
            date(2025, 3, 19),
            id="xix2_paper_reminder_sent_monday",
        ),
        pytest.param(
            date(2025, 4, 17),
            "paper",
            date(2025, 4, 23),
            date(2025, 5, 6),
            id="xix2_paper_over_easter_good_friday_counts",
        ),
        pytest.param(
            date(2025, 7, 5),
            "electronic",
            date(2025, 7, 6),
            date(2025, 7, 22),
            id="xix2_email_sent_saturday_last_day_past_national_day",
        ),
        pytest.param(
            date(2025, 10, 28),
            "electronic",
            date(2025, 10, 29),
            date(2025, 11, 12),
            id="xix2_email_day_14_is_armistice",
        ),
        pytest.param(
            date(2025, 3, 7),
            "paper",
            date(2025, 3, 12),
            date(2025, 3, 25),
            id="xix2_paper_sent_friday_weekend_not_counted",
        ),
        pytest.param(
            date(2025, 12, 24),
            "paper",
            date(2025, 12, 30),
            date(2026, 1, 12),
            id="xix2_paper_over_christmas_and_new_year_day_14_sunday",
        ),
    ],
)
def test_xix2_grace_period_examples(
    sent_on: date, channel: str, starts_on: date, last_day: date
) -> None:
    assert grace_period(sent_on, channel) == GracePeriod(
        sent_on=sent_on,
        channel=Channel(channel),
        starts_on=starts_on,
        last_day=last_day,
        first_chargeable_day=last_day + timedelta(days=1),
    )


def test_xix2_grace_period_accepts_the_enum() -> None:
    period = grace_period(date(2025, 3, 3), Channel.PAPER)
    assert period.channel is Channel.PAPER
    assert period.first_chargeable_day == date(2025, 3, 20)


@pytest.mark.parametrize("channel", ["email", "PAPER", "", "registered"])
def test_xix2_grace_period_refuses_an_unknown_channel(channel: str) -> None:
    with pytest.raises(ValueError, match="use one of 'paper', 'electronic'") as caught:
        grace_period(date(2025, 3, 3), channel)
    assert repr(channel) in str(caught.value)


@FAST
@given(
    sent_on=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    channel=st.sampled_from(Channel),
)
def test_xix2_grace_period_is_never_shorter_than_14_days(sent_on: date, channel: Channel) -> None:
    period = grace_period(sent_on, channel)
    assert period.starts_on > sent_on
    assert (period.last_day - period.starts_on).days + 1 >= 14
    assert is_working_day(period.last_day)
    # Moved only as far as the first working day on or after day 14.
    day_14 = period.starts_on + timedelta(days=13)
    assert all(
        not is_working_day(day_14 + timedelta(days=offset))
        for offset in range((period.last_day - day_14).days)
    )
    assert period.first_chargeable_day == period.last_day + timedelta(days=1)
    if channel is Channel.PAPER:
        assert is_working_day(period.starts_on)
    else:
        assert period.starts_on == sent_on + timedelta(days=1)


# --- art. XIX.4: lump-sum indemnity cap ------------------------------------------------------


@pytest.mark.parametrize(
    ("balance", "cap"),
    [
        pytest.param("0.00", "20.00", id="xix4_zero_balance_first_bracket"),
        pytest.param("150.00", "20.00", id="xix4_150_00_first_bracket"),
        pytest.param("150.01", "30.00", id="xix4_150_01_second_bracket"),
        pytest.param("215.00", "36.50", id="xix4_215_00"),
        pytest.param("215.55", "36.55", id="xix4_215_55_truncated_not_rounded"),
        pytest.param("500.00", "65.00", id="xix4_500_00_end_of_second_bracket"),
        pytest.param("500.01", "65.00", id="xix4_500_01_third_bracket_truncated"),
        pytest.param("1000.00", "90.00", id="xix4_1000_00"),
        pytest.param("39199.99", "1999.99", id="xix4_just_under_the_ceiling"),
        pytest.param("39200", "2000.00", id="xix4_39200_reaches_2000"),
        pytest.param("1000000.00", "2000.00", id="xix4_never_above_2000"),
    ],
)
def test_xix4_max_indemnity(balance: str, cap: str) -> None:
    assert str(max_indemnity(Decimal(balance))) == cap


@pytest.mark.parametrize(
    ("balance", "error", "message"),
    [
        pytest.param(Decimal("-0.01"), ValueError, "0.00 or more", id="negative"),
        pytest.param(Decimal("NaN"), ValueError, "finite", id="nan"),
        pytest.param(Decimal("Infinity"), ValueError, "finite", id="infinity"),
        pytest.param(150.0, TypeError, "not a float", id="float"),
    ],
)
def test_xix4_max_indemnity_refuses(balance: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        max_indemnity(balance)


def _formula(balance: Decimal) -> Fraction:
    exact = Fraction(balance)
    if exact <= 150:
        return Fraction(20)
    if exact <= 500:
        return 30 + (exact - 150) / 10
    return 65 + (exact - 500) / 20


_BALANCES = st.decimals(min_value=0, max_value=100_000, places=2)


@FAST
@given(balance=_BALANCES)
def test_xix4_cap_never_exceeds_the_formula_nor_2000(balance: Decimal) -> None:
    cap = max_indemnity(balance)
    assert cap <= Decimal("2000.00")
    assert Fraction(cap) <= _formula(balance)
    assert cap == min(Decimal("2000.00"), cap)
    if _formula(balance) <= 2000:
        assert _formula(balance) - Fraction(cap) < Fraction(1, 100)
    assert cap.as_tuple().exponent == -2


@FAST
@given(first=_BALANCES, second=_BALANCES)
def test_xix4_cap_is_monotone_in_the_balance(first: Decimal, second: Decimal) -> None:
    low, high = sorted((first, second))
    assert max_indemnity(low) <= max_indemnity(high)


# --- art. XIX.2: reminder costs --------------------------------------------------------------


@pytest.mark.parametrize(
    ("postage", "expected"),
    [
        pytest.param("0.00", "7.50", id="xix2_email_no_postage"),
        pytest.param("1.43", "8.93", id="xix2_with_postage"),
        pytest.param("2", "9.50", id="xix2_whole_euro_postage"),
    ],
)
def test_xix2_max_reminder_cost(postage: str, expected: str) -> None:
    assert str(REMINDER_COST_FLAT) == "7.50"
    assert str(max_reminder_cost(Decimal(postage))) == expected


@pytest.mark.parametrize(
    ("postage", "error", "message"),
    [
        pytest.param(Decimal("-0.01"), ValueError, "0.00 or more", id="negative"),
        pytest.param(Decimal("1.005"), ValueError, "more than two decimals", id="sub_cent"),
        pytest.param(1.43, TypeError, "not a float", id="float"),
    ],
)
def test_xix2_max_reminder_cost_refuses(postage: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        max_reminder_cost(postage)


@pytest.mark.parametrize(
    ("is_first", "regular", "earlier", "chargeable"),
    [
        pytest.param(True, False, 0, False, id="xix2_first_reminder_always_free"),
        pytest.param(True, True, 5, False, id="xix2_first_reminder_free_even_late_in_year"),
        pytest.param(False, False, 0, True, id="xix2_second_reminder_chargeable"),
        pytest.param(False, True, 0, False, id="xix2_regular_supply_1st_of_year_free"),
        pytest.param(False, True, 2, False, id="xix2_regular_supply_3rd_of_year_free"),
        pytest.param(False, True, 3, True, id="xix2_regular_supply_4th_of_year_chargeable"),
        pytest.param(False, True, 10, True, id="xix2_regular_supply_11th_of_year_chargeable"),
    ],
)
def test_xix2_may_charge_reminder(
    is_first: bool, regular: bool, earlier: int, chargeable: bool
) -> None:
    assert FREE_REMINDERS_PER_YEAR_REGULAR_SUPPLY == 3
    result = may_charge_reminder(
        is_first_reminder=is_first, regular_supply=regular, earlier_reminders_this_year=earlier
    )
    assert result is chargeable
    refusal = reminder_refusal(
        is_first_reminder=is_first, regular_supply=regular, earlier_reminders_this_year=earlier
    )
    if chargeable:
        assert refusal is None
    else:
        assert refusal is not None
        assert refusal.reason is RefusalReason.REMINDER_NOT_CHARGEABLE
        assert refusal.article == "CEL art. XIX.2"


def test_xix2_may_charge_reminder_refuses_a_negative_count() -> None:
    with pytest.raises(ValueError, match="0 or more, not -1"):
        may_charge_reminder(
            is_first_reminder=False, regular_supply=True, earlier_reminders_this_year=-1
        )


# --- art. XIX.4: the damages clause and its limitation ---------------------------------------


@pytest.mark.parametrize(
    ("clause", "balance", "expected"),
    [
        pytest.param(
            IndemnityClause(percent=Decimal("10")), "215.55", "21.55", id="percent_truncated"
        ),
        pytest.param(
            IndemnityClause(percent=Decimal("15"), minimum=Decimal("25")),
            "100.00",
            "25.00",
            id="percent_below_minimum",
        ),
        pytest.param(
            IndemnityClause(percent=Decimal("15"), minimum=Decimal("25")),
            "1000.00",
            "150.00",
            id="percent_above_minimum",
        ),
        pytest.param(IndemnityClause(fixed=Decimal("40")), "5.00", "40.00", id="fixed"),
        pytest.param(IndemnityClause(), "500.00", "0.00", id="no_figure_gives_nothing"),
    ],
)
def test_xix4_contractual_indemnity_applies_the_clause_as_written(
    clause: IndemnityClause, balance: str, expected: str
) -> None:
    assert str(contractual_indemnity(clause, Decimal(balance))) == expected


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        pytest.param(
            {"percent": Decimal("10"), "fixed": Decimal("40")},
            ValueError,
            "not both",
            id="percent_and_fixed",
        ),
        pytest.param(
            {"minimum": Decimal("10"), "fixed": Decimal("40")},
            ValueError,
            "not both",
            id="minimum_and_fixed",
        ),
        pytest.param(
            {"minimum": Decimal("10")}, ValueError, "needs a percentage", id="minimum_alone"
        ),
        pytest.param({"percent": Decimal("-1")}, ValueError, "0 or more", id="negative_percent"),
        pytest.param({"fixed": Decimal("40.001")}, ValueError, "two decimals", id="sub_cent_fixed"),
        pytest.param({"percent": 10.0}, TypeError, "not a float", id="float_percent"),
    ],
)
def test_xix4_indemnity_clause_refuses_an_ambiguous_clause(
    fields: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        IndemnityClause(**fields)


OLD = date(2023, 8, 31)
NEW = BOOK_XIX_CONTRACTS_FROM


@pytest.mark.parametrize(
    ("balance", "clause", "requested", "contract_date", "requested_out", "allowed", "rule"),
    [
        pytest.param(
            "215.00",
            None,
            None,
            NEW,
            "0.00",
            "0.00",
            "no_clause",
            id="xix4_no_clause_nothing",
        ),
        pytest.param(
            "215.00",
            None,
            "20.00",
            OLD,
            "20.00",
            "0.00",
            "no_clause",
            id="xix4_no_clause_request_refused",
        ),
        pytest.param(
            "215.00",
            IndemnityClause(percent=Decimal("10")),
            None,
            NEW,
            "21.50",
            "21.50",
            "within_cap",
            id="xix4_clause_within_cap",
        ),
        pytest.param(
            "215.00",
            IndemnityClause(fixed=Decimal("36.50")),
            None,
            NEW,
            "36.50",
            "36.50",
            "within_cap",
            id="xix4_clause_exactly_at_cap",
        ),
        pytest.param(
            "215.00",
            IndemnityClause(percent=Decimal("10")),
            "30.00",
            NEW,
            "30.00",
            "21.50",
            "trimmed_to_clause",
            id="xix4_request_above_clause_trimmed_to_clause",
        ),
        pytest.param(
            "215.00",
            IndemnityClause(percent=Decimal("10")),
            "15.00",
            NEW,
            "15.00",
            "15.00",
            "within_cap",
            id="xix4_request_below_clause_kept",
        ),
        pytest.param(
            "215.00",
            IndemnityClause(fixed=Decimal("50")),
            None,
            NEW,
            "50.00",
            "0.00",
            "clause_void_above_cap",
            id="xix4_new_contract_clause_above_cap_void",
        ),
        pytest.param(
            "215.00",
            IndemnityClause(fixed=Decimal("50")),
            "30.00",
            NEW,
            "30.00",
            "0.00",
            "clause_void_above_cap",
            id="xix4_new_contract_void_even_if_request_within_cap",
        ),
        pytest.param(
            "215.00",
            IndemnityClause(fixed=Decimal("50")),
            None,
            None,
            "50.00",
            "0.00",
            "clause_void_above_cap",
            id="xix4_unknown_contract_date_treated_as_new",
        ),
        pytest.param(
            "215.00",
            IndemnityClause(fixed=Decimal("50")),
            None,
            OLD,
            "50.00",
            "36.50",
            "trimmed_to_cap",
            id="xix4_old_contract_reduced_to_cap",
        ),
        pytest.param(
            "215.00",
            IndemnityClause(fixed=Decimal("50")),
            "60.00",
            OLD,
            "60.00",
            "36.50",
            "trimmed_to_cap",
            id="xix4_old_contract_request_above_clause_and_cap",
        ),
        pytest.param(
            "215.00",
            IndemnityClause(fixed=Decimal("50")),
            "30.00",
            OLD,
            "30.00",
            "30.00",
            "within_cap",
            id="xix4_old_contract_request_within_reduced_clause",
        ),
        pytest.param(
            "100.00",
            IndemnityClause(percent=Decimal("10"), minimum=Decimal("25")),
            None,
            NEW,
            "25.00",
            "0.00",
            "clause_void_above_cap",
            id="xix4_minimum_above_cap_voids_clause",
        ),
    ],
)
def test_xix4_decide_indemnity(
    balance: str,
    clause: IndemnityClause | None,
    requested: str | None,
    contract_date: date | None,
    requested_out: str,
    allowed: str,
    rule: str,
) -> None:
    decision = decide_indemnity(
        balance=Decimal(balance),
        clause=clause,
        requested=None if requested is None else Decimal(requested),
        contract_date=contract_date,
    )
    assert (str(decision.requested), str(decision.allowed), decision.rule) == (
        requested_out,
        allowed,
        rule,
    )
    assert decision.article == "CEL art. XIX.4"


def test_xix4_decide_indemnity_explains_with_the_figures() -> None:
    assert decide_indemnity(
        balance=Decimal("215.00"),
        clause=IndemnityClause(fixed=Decimal("50")),
        requested=None,
        contract_date=OLD,
    ) == ChargeDecision(
        requested=Decimal("50.00"),
        allowed=Decimal("36.50"),
        rule="trimmed_to_cap",
        explanation=(
            "The clause gives €50.00 on a balance of €215.00, above the legal cap of €36.50; for "
            "a contract concluded before 1 September 2023 it is reduced to the cap; €36.50 "
            "allowed of €50.00 requested."
        ),
        article="CEL art. XIX.4",
    )
    void = decide_indemnity(
        balance=Decimal("215.00"),
        clause=IndemnityClause(fixed=Decimal("50")),
        requested=None,
        contract_date=NEW,
    )
    assert void.explanation == (
        "The clause gives €50.00 on a balance of €215.00, above the legal cap of €36.50; for a "
        "contract concluded from 1 September 2023 (or of unknown date) such a clause is deemed "
        "unwritten, so €0.00 is allowed."
    )


@pytest.mark.parametrize(
    ("requested", "error"),
    [
        pytest.param(Decimal("-1.00"), ValueError, id="negative"),
        pytest.param(Decimal("1.001"), ValueError, id="sub_cent"),
        pytest.param(20.0, TypeError, id="float"),
    ],
)
def test_xix4_decide_indemnity_refuses_a_bad_request(
    requested: Any, error: type[Exception]
) -> None:
    with pytest.raises(error):
        decide_indemnity(
            balance=Decimal("215.00"),
            clause=IndemnityClause(fixed=Decimal("20")),
            requested=requested,
            contract_date=NEW,
        )


# --- art. XIX.4: the interest rate -----------------------------------------------------------

H2_2025 = date(2025, 7, 1)  # art. 5 al. 2 rate 10.5


@pytest.mark.parametrize(
    ("rate", "has_clause", "contract_date", "expected_rate", "applies", "rule"),
    [
        pytest.param(None, False, NEW, None, False, "no_clause", id="xix4_no_clause_no_interest"),
        pytest.param(
            "8", False, OLD, None, False, "no_clause", id="xix4_rate_without_clause_ignored"
        ),
        pytest.param(
            None, True, NEW, None, True, "civil_legal_rate", id="xix4_clause_without_rate"
        ),
        pytest.param("8", True, NEW, "8", True, "within_cap", id="xix4_rate_below_cap_kept"),
        pytest.param("10.5", True, NEW, "10.5", True, "within_cap", id="xix4_rate_at_cap_kept"),
        pytest.param(
            "12",
            True,
            NEW,
            None,
            True,
            "clause_void_above_cap",
            id="xix4_new_contract_rate_above_cap_void",
        ),
        pytest.param(
            "12",
            True,
            None,
            None,
            True,
            "clause_void_above_cap",
            id="xix4_unknown_date_rate_above_cap_void",
        ),
        pytest.param(
            "12",
            True,
            OLD,
            "12",
            True,
            "capped_per_day",
            id="xix4_old_contract_capped_per_day",
        ),
    ],
)
def test_xix4_decide_interest_rate(
    rate: str | None,
    has_clause: bool,
    contract_date: date | None,
    expected_rate: str | None,
    applies: bool,
    rule: str,
) -> None:
    decision = decide_interest_rate(
        contractual_rate=None if rate is None else Decimal(rate),
        has_clause=has_clause,
        contract_date=contract_date,
        on=H2_2025,
    )
    assert decision.rate == (None if expected_rate is None else Decimal(expected_rate))
    assert (decision.applies, decision.rule, decision.article) == (applies, rule, "CEL art. XIX.4")


def test_xix4_decide_interest_rate_explains_with_the_figures() -> None:
    assert decide_interest_rate(
        contractual_rate=Decimal("12"), has_clause=True, contract_date=NEW, on=H2_2025
    ) == RateDecision(
        rate=None,
        applies=True,
        rule="clause_void_above_cap",
        explanation=(
            "The contractual rate of 12 % is above the legal maximum of 10.5 % in force on "
            "2025-07-01; for a contract concluded from 1 September 2023 (or of unknown date) the "
            "clause is deemed unwritten, so the civil legal interest rate applies."
        ),
        article="CEL art. XIX.4",
    )


def test_art5_al2_decide_interest_rate_uses_the_table_given() -> None:
    rates = DEFAULT_RATES.with_commercial(2026, 2, Decimal("13"))
    decision = decide_interest_rate(
        contractual_rate=Decimal("12"),
        has_clause=True,
        contract_date=NEW,
        on=date(2026, 8, 1),
        rates=rates,
    )
    assert (decision.rate, decision.rule) == (Decimal("12"), "within_cap")


def test_art5_al2_decide_interest_rate_refuses_an_unknown_rate() -> None:
    with pytest.raises(UnknownRateError, match="2026-08-01"):
        decide_interest_rate(
            contractual_rate=Decimal("8"), has_clause=True, contract_date=NEW, on=date(2026, 8, 1)
        )


def test_xix4_decide_interest_rate_refuses_a_float_or_negative_rate() -> None:
    with pytest.raises(TypeError, match="not a float"):
        decide_interest_rate(
            contractual_rate=8.0,  # type: ignore[arg-type]
            has_clause=True,
            contract_date=NEW,
            on=H2_2025,
        )
    with pytest.raises(ValueError, match="0 or more"):
        decide_interest_rate(
            contractual_rate=Decimal("-1"), has_clause=True, contract_date=NEW, on=H2_2025
        )


# --- the charging guard ----------------------------------------------------------------------

ALLOWED: dict[str, Any] = {
    "kind": ChargeKind.INDEMNITY,
    "amount": Decimal("20.00"),
    "on": date(2025, 3, 20),
    "first_chargeable_day": date(2025, 3, 20),
    "charging_allowed": True,
    "has_clause": True,
    "cap": Decimal("20.00"),
}


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({}, id="xix2_on_first_chargeable_day_amount_at_cap"),
        pytest.param({"cap": None}, id="xix4_no_cap_given"),
        pytest.param(
            {"kind": ChargeKind.INTEREST, "on": date(2026, 1, 1)}, id="xix4_interest_later"
        ),
        pytest.param(
            {"kind": ChargeKind.REMINDER_COST, "amount": Decimal("8.93"), "cap": Decimal("8.93")},
            id="xix2_reminder_cost_at_cap",
        ),
    ],
)
def test_xix4_check_charge_allows(changes: dict[str, Any]) -> None:
    arguments = {**ALLOWED, **changes}
    assert refusal_for(**arguments) is None
    assert check_charge(**arguments) is None


@pytest.mark.parametrize(
    ("changes", "reason", "article"),
    [
        pytest.param(
            {"amount": Decimal("0.00")},
            RefusalReason.NOT_POSITIVE,
            "CEL art. XIX.4",
            id="xix4_zero_amount",
        ),
        pytest.param(
            {"amount": Decimal("-5.00")},
            RefusalReason.NOT_POSITIVE,
            "CEL art. XIX.4",
            id="xix4_negative_amount",
        ),
        pytest.param(
            {"charging_allowed": False},
            RefusalReason.FILE_SUSPENDED,
            "CEL Book XIX; Judicial Code art. 1675/7",
            id="xix_file_suspended",
        ),
        pytest.param(
            {"has_clause": False},
            RefusalReason.NO_CONTRACT_CLAUSE,
            "CEL art. XIX.4",
            id="xix4_no_contract_clause",
        ),
        pytest.param(
            {"first_chargeable_day": None},
            RefusalReason.NO_FIRST_REMINDER,
            "CEL art. XIX.2",
            id="xix2_no_first_reminder",
        ),
        pytest.param(
            {"on": date(2025, 3, 19)},
            RefusalReason.GRACE_PERIOD_RUNNING,
            "CEL art. XIX.2",
            id="xix2_last_day_of_grace",
        ),
        pytest.param(
            {"amount": Decimal("20.01")},
            RefusalReason.ABOVE_CAP,
            "CEL art. XIX.4",
            id="xix4_indemnity_above_cap",
        ),
        pytest.param(
            {"kind": ChargeKind.REMINDER_COST, "amount": Decimal("9.00"), "cap": Decimal("8.93")},
            RefusalReason.ABOVE_CAP,
            "CEL art. XIX.2",
            id="xix2_reminder_cost_above_cap",
        ),
    ],
)
def test_xix4_check_charge_refuses(
    changes: dict[str, Any], reason: RefusalReason, article: str
) -> None:
    arguments = {**ALLOWED, **changes}
    refusal = refusal_for(**arguments)
    assert refusal is not None
    assert (refusal.reason, refusal.article) == (reason, article)
    with pytest.raises(ChargeRefused) as caught:
        check_charge(**arguments)
    assert caught.value.refusal == refusal
    assert isinstance(caught.value, DomainError)
    assert str(caught.value) == f"{refusal.message} ({refusal.article})"


def test_xix4_check_charge_order_of_the_checks() -> None:
    # Everything wrong at once; remove the faults one by one, in the documented order.
    arguments: dict[str, Any] = {
        **ALLOWED,
        "amount": Decimal("0.00"),
        "charging_allowed": False,
        "has_clause": False,
        "first_chargeable_day": None,
        "cap": Decimal("0.00"),
    }
    steps: list[tuple[RefusalReason | None, dict[str, Any]]] = [
        (RefusalReason.NOT_POSITIVE, {"amount": Decimal("30.00")}),
        (RefusalReason.FILE_SUSPENDED, {"charging_allowed": True}),
        (RefusalReason.NO_CONTRACT_CLAUSE, {"has_clause": True}),
        (RefusalReason.NO_FIRST_REMINDER, {"first_chargeable_day": date(2025, 4, 1)}),
        (RefusalReason.GRACE_PERIOD_RUNNING, {"first_chargeable_day": date(2025, 3, 1)}),
        (RefusalReason.ABOVE_CAP, {"cap": Decimal("30.00")}),
        (None, {}),
    ]
    for expected, fix in steps:
        refusal = refusal_for(**arguments)
        assert (None if refusal is None else refusal.reason) == expected
        arguments.update(fix)


def test_xix2_check_charge_messages_say_what_to_do() -> None:
    grace = refusal_for(**{**ALLOWED, "on": date(2025, 3, 10)})
    assert grace == Refusal(
        reason=RefusalReason.GRACE_PERIOD_RUNNING,
        message=(
            "The 14-day period after the first reminder is still running on 2025-03-10; a "
            "lump-sum indemnity may be charged from 2025-03-20."
        ),
        article="CEL art. XIX.2",
    )
    above = refusal_for(**{**ALLOWED, "amount": Decimal("36.56"), "cap": Decimal("36.55")})
    assert above is not None
    assert above.message == (
        "€36.56 is above the legal maximum of €36.55 for this lump-sum indemnity; "
        "charge at most €36.55."
    )


def test_refusal_reason_values_are_stable() -> None:
    assert [str(member) for member in RefusalReason] == [
        "not_positive",
        "file_suspended",
        "no_contract_clause",
        "no_first_reminder",
        "grace_period_running",
        "above_cap",
        "reminder_not_chargeable",
        "clause_not_reciprocal",
        "reciprocity_not_declared",
    ]
    assert [str(member) for member in ChargeKind] == ["indemnity", "interest", "reminder_cost"]
    assert [str(member) for member in Channel] == ["paper", "electronic"]


def test_xix4_check_charge_refuses_a_float_amount() -> None:
    with pytest.raises(TypeError, match="not a float"):
        refusal_for(**{**ALLOWED, "amount": 20.0})


def test_decisions_are_frozen() -> None:
    decision = decide_indemnity(
        balance=Decimal("100"), clause=None, requested=None, contract_date=None
    )
    with pytest.raises(AttributeError):
        decision.allowed = Decimal("5")  # type: ignore[misc]
    assert replace(decision, allowed=Decimal("5")).allowed == Decimal("5")


@given(
    cents=st.integers(min_value=0, max_value=10_000_000),
    extra=st.sampled_from(["", "0", "00", "000"]),
)
def test_max_indemnity_on_whole_cents_is_the_exact_bracket_formula(cents: int, extra: str) -> None:
    """Art. XIX.4: 20 up to 150; 30 + 10 % above 150 up to 500; 65 + 5 % above 500, at most
    2,000; truncated to the cent. The integer path for balances in whole cents must give the
    exact rational result, whatever the balance's written precision (12.3, 12.30, 12.300)."""
    balance = Decimal(cents).scaleb(-2)
    written = Decimal(f"{balance}{extra}") if "." in str(balance) else balance
    exact = Fraction(balance)
    if exact <= 150:
        expected = Fraction(20)
    elif exact <= 500:
        expected = 30 + (exact - 150) / 10
    else:
        expected = min(65 + (exact - 500) / 20, Fraction(2000))
    assert max_indemnity(written) == Decimal(int(expected * 100)).scaleb(-2)
    assert max_indemnity(written).as_tuple().exponent == -2
