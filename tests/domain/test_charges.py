"""What may be booked on a file (amicable.domain.charges): interest day by day on what was due,
the file's indemnity cap, the reminder cost. Each test names its article."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amicable.domain.charges import (
    ClaimIndemnity,
    ClaimInterest,
    decide_file_indemnities,
    decide_reminder_cost,
    interest_due,
    interest_lines,
    interest_window_end,
    last_day_with_rates,
    reminders_earlier_this_year,
)
from amicable.domain.interest import DEFAULT_RATES, accrued_interest
from amicable.domain.law import (
    ARTICLE_RECIPROCITY,
    IndemnityClause,
    Reciprocity,
    RefusalReason,
    max_indemnity,
)
from amicable.domain.money import to_cents_down

FAST = settings(max_examples=80, deadline=None, database=None)
D = Decimal
START = date(2025, 3, 20)


def claim(base: str = "200.00", rate: str | None = "8", **paid: str) -> ClaimInterest:
    """A claim chargeable from 20 March 2025; ``paid`` maps ISO days to principal paid."""
    return ClaimInterest(
        applies=True,
        first_chargeable_day=START,
        rate=None if rate is None else D(rate),
        base=D(base),
        paid=tuple(sorted((date.fromisoformat(day), D(amount)) for day, amount in paid.items())),
    )


# --- interest (CEL art. XIX.4) ------------------------------------------------------------------


def test_xix4_interest_without_payments_is_accrued_interest() -> None:
    # 20 March to 30 April 2025, 42 days on 200.00 at 8 %: 1.8410 -> 1.84.
    assert accrued_interest(D("200.00"), START, date(2025, 4, 30), D("8")) == D("1.84")
    assert interest_due(
        claim(), through=date(2025, 4, 30), stops_on=None, rates=DEFAULT_RATES
    ) == D("1.84")


def test_xix4_each_day_bears_interest_on_what_was_due_that_day() -> None:
    # 100.00 paid on 15 April: 26 days on 200.00 and 16 days on 100.00.
    # 200 x 8 % x 26 / 365 + 100 x 8 % x 16 / 365 = 1.1397 + 0.3507 = 1.4904 -> 1.49.
    paid = claim(**{"2025-04-15": "100.00"})
    assert interest_due(paid, through=date(2025, 4, 30), stops_on=None, rates=DEFAULT_RATES) == D(
        "1.49"
    )


def test_xix4_the_lines_add_up_to_the_interest_due_and_name_the_legal_rate() -> None:
    # The civil legal rate, 4.50 % in 2025 and in 2026: one line across the year end.
    lines = interest_lines(
        claim(rate=None), through=date(2026, 1, 10), stops_on=None, rates=DEFAULT_RATES
    )
    assert [(line.first_day, line.last_day, line.rate, line.legal_rate) for line in lines] == [
        (START, date(2026, 1, 10), D("4.50"), True)
    ]
    assert sum(line.amount for line in lines) == interest_due(
        claim(rate=None), through=date(2026, 1, 10), stops_on=None, rates=DEFAULT_RATES
    )


def test_xix4_contract_rate_lines_follow_the_cap_of_each_half_year() -> None:
    # 12 % in the contract, capped at 11.5 % (H1 2025) then 10.5 % (H2 2025).
    lines = interest_lines(
        claim(rate="12"), through=date(2025, 7, 10), stops_on=None, rates=DEFAULT_RATES
    )
    assert [(line.rate, line.legal_rate) for line in lines] == [
        (D("11.5"), False),
        (D("10.5"), False),
    ]


def test_judicial_code_1675_7_interest_stops_the_day_before_admissibility() -> None:
    assert interest_window_end(
        through=date(2025, 9, 30), stops_on=date(2025, 9, 10), rates=DEFAULT_RATES
    ) == date(2025, 9, 9)
    # 20 March to 15 April, 27 days: 1.1835 -> 1.18, whatever the day asked for.
    assert interest_due(
        claim(), through=date(2025, 12, 31), stops_on=date(2025, 4, 16), rates=DEFAULT_RATES
    ) == D("1.18")


def test_xix4_no_interest_past_the_last_published_rate() -> None:
    last = last_day_with_rates(DEFAULT_RATES)
    assert interest_due(
        claim(), through=last + timedelta(days=400), stops_on=None, rates=DEFAULT_RATES
    ) == interest_due(claim(), through=last, stops_on=None, rates=DEFAULT_RATES)


def test_xix4_no_clause_or_no_first_reminder_no_interest() -> None:
    no_clause = ClaimInterest(applies=False, first_chargeable_day=START, rate=None, base=D("9"))
    no_reminder = ClaimInterest(applies=True, first_chargeable_day=None, rate=None, base=D("9"))
    for each in (no_clause, no_reminder):
        assert (
            interest_lines(each, through=date(2026, 1, 1), stops_on=None, rates=DEFAULT_RATES) == ()
        )


def test_xix4_a_window_that_ends_before_the_first_chargeable_day_owes_nothing() -> None:
    """No day to count: nothing owed, whatever the principal (not even checked for cents)."""
    later = ClaimInterest(
        applies=True, first_chargeable_day=date(2025, 6, 1), rate=None, base=D("10.005")
    )
    assert interest_due(later, through=date(2025, 5, 31), stops_on=None, rates=DEFAULT_RATES) == 0


days = st.integers(min_value=0, max_value=400)
money = st.decimals(min_value=D("0.01"), max_value=D("5000"), places=2)


@FAST
@given(
    base=money,
    payments=st.lists(st.tuples(days, money), max_size=5),
    through=days,
    later=days,
)
def test_xix4_interest_is_exact_and_never_falls_with_time(
    base: Decimal, payments: list[tuple[int, Decimal]], through: int, later: int
) -> None:
    """Truncated once, the lines add up to the exact sum; more days never owe less; paying
    never owes more."""
    paid = tuple(sorted((START + timedelta(days=d), amount) for d, amount in payments))
    terms = ClaimInterest(
        applies=True, first_chargeable_day=START, rate=D("8"), base=base, paid=paid
    )
    end = START + timedelta(days=through)
    due = interest_due(terms, through=end, stops_on=None, rates=DEFAULT_RATES)
    exact = Fraction(0)
    day = START
    while day <= min(end, last_day_with_rates(DEFAULT_RATES)):
        exact += Fraction(terms.principal_on(day)) * Fraction(8, 100) / 365
        day += timedelta(days=1)
    assert due == to_cents_down(exact)
    assert (
        interest_due(terms, through=end + timedelta(days=later), stops_on=None, rates=DEFAULT_RATES)
        >= due
    )
    unpaid = ClaimInterest(applies=True, first_chargeable_day=START, rate=D("8"), base=base)
    assert interest_due(unpaid, through=end, stops_on=None, rates=DEFAULT_RATES) >= due


def test_xix4_interest_follows_the_rate_table_it_is_given() -> None:
    """The same window counted with another table (a rate published or corrected) gives that
    table's interest, then the first table's again: what is counted once per window is kept
    per table."""
    terms = ClaimInterest(
        applies=True, first_chargeable_day=date(2025, 1, 1), rate=None, base=D("1000.00")
    )
    year_end = date(2025, 12, 31)
    corrected = DEFAULT_RATES.with_civil(2025, D("6.00"))
    assert interest_due(terms, through=year_end, stops_on=None, rates=DEFAULT_RATES) == D("45.00")
    assert interest_due(terms, through=year_end, stops_on=None, rates=corrected) == D("60.00")
    assert interest_due(terms, through=year_end, stops_on=None, rates=DEFAULT_RATES) == D("45.00")


# --- the lump-sum indemnity of a file (CEL art. XIX.4) ------------------------------------------


def indemnity(n: int, balance: str, **terms: object) -> ClaimIndemnity:
    values: dict[str, object] = {
        "claim_id": n,
        "balance": D(balance),
        "clause": IndemnityClause(fixed=D("25.00")),
        "requested": None,
        "contract_date": date(2024, 1, 10),
        "allowed_at_intake": D("99999"),
        "first_chargeable_day": START,
        # Reciprocal unless a test says otherwise: these tests are about the caps of XIX.4.
        "reciprocity": Reciprocity.RECIPROCAL,
    }
    values.update(terms)
    return ClaimIndemnity(**values)  # type: ignore[arg-type]


# --- reciprocity of the damages clause (CEL art. VI.83, 17°; docs/legal.md, section 2) ---------


@pytest.mark.parametrize(
    ("declared", "reason"),
    [
        (Reciprocity.NOT_DECLARED, RefusalReason.RECIPROCITY_NOT_DECLARED),
        (Reciprocity.NOT_RECIPROCAL, RefusalReason.CLAUSE_NOT_RECIPROCAL),
    ],
)
def test_vi83_17_a_clause_not_declared_reciprocal_gives_no_indemnity(
    declared: Reciprocity, reason: RefusalReason
) -> None:
    # CEL art. VI.83, 17°: a damages clause with no indemnity of the same order for the
    # enterprise's own failure is abusive and has no effect; without a declaration, nothing.
    (decision,) = decide_file_indemnities(
        [indemnity(1, "215.00", reciprocity=declared)], on=date(2025, 4, 1), charging_allowed=True
    )
    assert decision.amount == D("0.00")
    assert decision.rule == reason.value
    assert decision.article == ARTICLE_RECIPROCITY == "CEL art. VI.83, 17°"
    assert decision.refusal is not None
    assert decision.refusal.reason is reason
    assert decision.refusal.article == "CEL art. VI.83, 17°"


def test_vi83_17_a_reciprocal_clause_is_applied_within_the_cap() -> None:
    # Declared reciprocal: the clause of 25.00 on 215.00 stays within the cap of 36.50 (XIX.4).
    (decision,) = decide_file_indemnities(
        [indemnity(1, "215.00")], on=date(2025, 4, 1), charging_allowed=True
    )
    assert (decision.amount, decision.rule, decision.refusal) == (D("25.00"), "within_cap", None)


def test_vi83_17_the_domain_default_is_not_declared() -> None:
    # A path that forgets to say what was declared charges nothing (CEL art. VI.83, 17°).
    terms = indemnity(1, "215.00")
    bare = ClaimIndemnity(
        claim_id=1,
        balance=terms.balance,
        clause=terms.clause,
        requested=None,
        contract_date=terms.contract_date,
        allowed_at_intake=terms.allowed_at_intake,
        first_chargeable_day=START,
    )
    (decision,) = decide_file_indemnities([bare], on=date(2025, 4, 1), charging_allowed=True)
    assert decision.amount == D("0.00")
    assert decision.rule == "reciprocity_not_declared"


def test_vi83_17_a_booked_indemnity_on_a_clause_not_reciprocal_may_carry_nothing() -> None:
    # Booked before the declaration existed: the claim may carry 0.00, no new refusal is told
    # (the charge exists), and the file's cap is left whole to the reciprocal claim next to it.
    decisions = decide_file_indemnities(
        [
            indemnity(1, "100.00", booked=D("20.00"), reciprocity=Reciprocity.NOT_RECIPROCAL),
            indemnity(2, "100.00", clause=IndemnityClause(fixed=D("20.00"))),
        ],
        on=date(2025, 4, 1),
        charging_allowed=True,
    )
    # The cap on the file's 200.00 is 30.00: had the 20.00 booked counted, 10.00 would be left.
    assert [d.amount for d in decisions] == [D("0.00"), D("20.00")]
    assert decisions[0].refusal is None
    assert decisions[0].rule == "clause_not_reciprocal"


def test_vi83_17_no_clause_stays_no_clause_whatever_is_declared() -> None:
    # Without a damages clause there is nothing to be reciprocal: the reason stays XIX.4's.
    (decision,) = decide_file_indemnities(
        [indemnity(1, "100.00", clause=None, reciprocity=Reciprocity.NOT_DECLARED)],
        on=date(2025, 4, 1),
        charging_allowed=True,
    )
    assert decision.rule == "no_clause"
    assert decision.refusal is not None
    assert decision.refusal.reason is RefusalReason.NO_CONTRACT_CLAUSE


def test_xix4_the_indemnities_of_a_file_share_one_cap() -> None:
    # 250.00 (clause 25.00) and 52,429.35 (clause 2,000.00): the file's cap on 52,679.35 is
    # 2,000.00, so the younger claim gets 1,975.00, not 2,000.00.
    decisions = decide_file_indemnities(
        [
            indemnity(1, "250.00"),
            indemnity(2, "52429.35", clause=IndemnityClause(fixed=D("2000.00"))),
        ],
        on=date(2025, 4, 1),
        charging_allowed=True,
    )
    assert [(d.amount, d.rule, d.refusal) for d in decisions] == [
        (D("25.00"), "within_cap", None),
        (D("1975.00"), "trimmed_to_file_cap", None),
    ]


def test_xix4_a_charged_indemnity_counts_against_the_file_cap_as_booked() -> None:
    decisions = decide_file_indemnities(
        [
            indemnity(1, "250.00", booked=D("20.00")),
            indemnity(2, "100.00", clause=IndemnityClause(fixed=D("20.00"))),
        ],
        on=date(2025, 4, 1),
        charging_allowed=True,
    )
    # Cap on 350.00: 30 + 10 % of 200 = 50.00; 20.00 booked leaves 30.00 for the second.
    assert decisions[1].amount == D("20.00")


def test_xix2_xix4_refusals_name_their_reason() -> None:
    no_clause, grace, held = decide_file_indemnities(
        [
            indemnity(1, "300.00", clause=None),
            indemnity(2, "300.00", first_chargeable_day=date(2025, 5, 1)),
            indemnity(3, "300.00"),
        ],
        on=date(2025, 4, 1),
        charging_allowed=True,
    )
    assert no_clause.refusal is not None
    assert no_clause.refusal.reason is RefusalReason.NO_CONTRACT_CLAUSE
    assert grace.refusal is not None
    assert grace.refusal.reason is RefusalReason.GRACE_PERIOD_RUNNING
    assert held.refusal is None
    suspended = decide_file_indemnities(
        [indemnity(1, "300.00")], on=date(2025, 4, 1), charging_allowed=False
    )
    assert suspended[0].refusal is not None
    assert suspended[0].refusal.reason is RefusalReason.FILE_SUSPENDED


@FAST
@given(
    balances=st.lists(money, min_size=1, max_size=5), fixed=st.lists(money, min_size=5, max_size=5)
)
def test_xix4_a_file_never_carries_more_than_the_cap_on_its_balance(
    balances: list[Decimal], fixed: list[Decimal]
) -> None:
    decisions = decide_file_indemnities(
        [
            indemnity(n, str(b), clause=IndemnityClause(fixed=fixed[n]))
            for n, b in enumerate(balances)
        ],
        on=date(2025, 4, 1),
        charging_allowed=True,
    )
    assert sum(d.amount for d in decisions) <= max_indemnity(sum(balances, D("0")))
    assert all(d.amount >= 0 for d in decisions)


# --- further reminders (CEL art. XIX.2) ---------------------------------------------------------


def test_xix2_free_reminders_are_counted_once_in_the_calendar_year() -> None:
    # Two first reminders (two days), a follow-up before this one on the same day (a lower
    # order), one the year before and one after: 3 earlier reminders this year.
    assert (
        reminders_earlier_this_year(
            first_reminder_days=[date(2025, 1, 6), date(2025, 2, 3), date(2025, 2, 3)],
            follow_ups=[
                (date(2024, 12, 30), 1),
                (date(2025, 3, 3), 4),
                (date(2025, 3, 3), 9),
                (date(2025, 3, 10), 2),
            ],
            this=(date(2025, 3, 3), 9),
        )
        == 3
    )


@pytest.mark.parametrize(
    ("channel", "amount", "postage"),
    [
        pytest.param("paper", D("9.24"), D("1.74"), id="xix2_paper_reminder_costs_postage"),
        pytest.param("electronic", D("7.50"), D("0.00"), id="xix2_email_reminder_costs_no_postage"),
    ],
)
def test_xix2_a_further_reminder_costs_7_50_plus_postage_only_by_post(
    channel: str, amount: Decimal, postage: Decimal
) -> None:
    cost = decide_reminder_cost(
        channel=channel,
        postage_in_force=D("1.74"),
        sent_on=date(2025, 6, 2),
        regular_supply=False,
        earlier_reminders_this_year=1,
        first_chargeable_day=START,
        charging_allowed=True,
        has_clause=True,
    )
    assert (cost.amount, cost.postage, cost.refusal) == (amount, postage, None)


def test_xix2_the_first_three_reminders_of_a_regular_supply_contract_are_free() -> None:
    cost = decide_reminder_cost(
        channel="paper",
        postage_in_force=D("1.74"),
        sent_on=date(2025, 6, 2),
        regular_supply=True,
        earlier_reminders_this_year=2,
        first_chargeable_day=START,
        charging_allowed=True,
        has_clause=True,
    )
    assert cost.amount == D("0.00")
    assert cost.refusal is not None
    assert cost.refusal.reason is RefusalReason.REMINDER_NOT_CHARGEABLE


@FAST
@given(
    base=money,
    payments=st.lists(st.tuples(days, money), max_size=5),
    through=st.integers(min_value=0, max_value=800),
    rate=st.sampled_from([None, D("8"), D("12"), D("4.125")]),
)
def test_xix4_the_total_and_the_lines_count_the_same_interest(
    base: Decimal, payments: list[tuple[int, Decimal]], through: int, rate: Decimal | None
) -> None:
    """interest_due (the daily run's fast count) is what interest_lines (the letters' lines)
    add up to, to the cent, on any history and across rate periods."""
    paid = tuple(sorted((START + timedelta(days=d), amount) for d, amount in payments))
    terms = ClaimInterest(applies=True, first_chargeable_day=START, rate=rate, base=base, paid=paid)
    end = START + timedelta(days=through)
    lines = interest_lines(terms, through=end, stops_on=None, rates=DEFAULT_RATES)
    assert interest_due(terms, through=end, stops_on=None, rates=DEFAULT_RATES) == sum(
        (line.amount for line in lines), D("0.00")
    )
