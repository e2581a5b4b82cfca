"""What may be booked on a file, decided once for every path that books, plans, shows or prints.

The ledger books, the daily run plans, the letters announce and the portal explains the same
amounts because they all ask the functions of this module, with plain values read from the
books. Each function applies the rules of :mod:`amicable.domain.law` and
:mod:`amicable.domain.interest`; what it adds is how they combine on a whole file:

- :func:`interest_lines`, :func:`interest_due`: the late interest a claim owes through a day,
  each day on the principal still due that day (CEL art. XIX.4);
- :func:`decide_file_indemnities`: the lump-sum indemnities of a file's claims, together never
  above the cap on the file's outstanding balance (CEL art. XIX.4; policy in ``docs/legal.md``),
  and none on a damages clause not declared reciprocal (CEL art. VI.83, 17°);
- :func:`reminders_earlier_this_year`, :func:`decide_reminder_cost`: the cost of a further
  reminder and the free ones (CEL art. XIX.2).

Everything is pure: no clock, no database, "today" is a parameter.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from amicable.domain import law
from amicable.domain.interest import RateTable, interest_periods
from amicable.domain.law import (
    Channel,
    ChargeKind,
    IndemnityClause,
    Reciprocity,
    Refusal,
    RefusalReason,
)
from amicable.domain.money import ZERO

__all__ = [
    "ClaimIndemnity",
    "ClaimInterest",
    "IndemnityDecision",
    "InterestLine",
    "ReminderCost",
    "decide_file_indemnities",
    "decide_reminder_cost",
    "interest_due",
    "interest_lines",
    "interest_window_end",
    "last_day_with_rates",
    "reminders_earlier_this_year",
]


# --- late interest (CEL art. XIX.4) -------------------------------------------------------------


def last_day_with_rates(rates: RateTable) -> date:
    """The last day for which both rate tables know a rate: interest never runs past it.

    Computing interest with a rate not published yet would be guessing; stopping there is the
    safer choice for the consumer, and every balance says up to which day interest is counted.

    >>> from amicable.domain.interest import DEFAULT_RATES
    >>> last_day_with_rates(DEFAULT_RATES)
    datetime.date(2026, 6, 30)

    Each table is asked for itself (a table is never changed: a rate published makes a new one):

    >>> last_day_with_rates(DEFAULT_RATES.with_commercial(2026, 2, Decimal("9.00")))
    datetime.date(2026, 12, 31)
    >>> last_day_with_rates(DEFAULT_RATES)
    datetime.date(2026, 6, 30)
    """
    known = _LAST_DAYS.get(id(rates))
    if known is not None and known[0] is rates:
        return known[1]
    year, half = max(rates.commercial)
    commercial_end = date(year, 6, 30) if half == 1 else date(year, 12, 31)
    civil_end = date(max(rates.civil), 12, 31)
    last = min(commercial_end, civil_end)
    if len(_LAST_DAYS) >= _RATE_DAYS_HELD:
        _LAST_DAYS.clear()
    _LAST_DAYS[id(rates)] = (rates, last)
    return last


#: :func:`last_day_with_rates` by rate table (its identity, checked: a table is immutable, and
#: the one kept here cannot be collected while its entry lives). The daily run asks it twice
#: for each claim it books.
_LAST_DAYS: dict[int, tuple[RateTable, date]] = {}


def interest_window_end(*, through: date, stops_on: date | None, rates: RateTable) -> date:
    """The last day interest may run when it is counted through ``through``.

    Never past the day before a collective debt settlement's admissibility (``stops_on``,
    Judicial Code art. 1675/7: interest stops at admissibility), nor past the last day with a
    published rate (:func:`last_day_with_rates`).

    >>> from amicable.domain.interest import DEFAULT_RATES
    >>> interest_window_end(through=date(2025, 9, 30), stops_on=date(2025, 9, 10),
    ...                     rates=DEFAULT_RATES)
    datetime.date(2025, 9, 9)
    """
    end = min(through, last_day_with_rates(rates))
    if stops_on is not None:
        end = min(end, stops_on - timedelta(days=1))
    return end


@dataclass(frozen=True, slots=True)
class ClaimInterest:
    """What the late interest of one claim depends on.

    ``base`` is the principal charged, net of every cancellation or reduction of it: a part of a
    claim that is cancelled was never due, so it bears no interest on any day (policy in
    ``docs/legal.md``, section 3). ``paid`` lists the principal paid, by the day it takes
    effect: the value date of the payment (a payment returned by the bank is taken back from
    the day it was made, as if it had never been made). Principal paid on a day bears no
    interest from that day on. ``rate`` is the contractual rate kept (capped day by day), None
    for the civil legal rate.
    """

    applies: bool
    first_chargeable_day: date | None
    rate: Decimal | None
    base: Decimal
    paid: tuple[tuple[date, Decimal], ...] = ()

    def principal_on(self, day: date) -> Decimal:
        """The principal still due on ``day`` (never below zero).

        >>> ClaimInterest(applies=True, first_chargeable_day=None, rate=None,
        ...     base=Decimal("100.00"), paid=((date(2025, 5, 2), Decimal("40.00")),)
        ... ).principal_on(date(2025, 5, 2))
        Decimal('60.00')
        """
        if not self.paid:  # most claims: nothing paid yet
            return max(self.base, ZERO)
        paid = sum((amount for effective, amount in self.paid if effective <= day), ZERO)
        return max(self.base - paid, ZERO)


@dataclass(frozen=True, slots=True)
class InterestLine:
    """Interest at one rate over consecutive days, as a letter or the portal shows it.

    ``amount`` is in cents: the lines of a claim add up exactly to :func:`interest_due`, the
    exact sum truncated once (each line is the difference of the truncated running totals).
    ``legal_rate`` tells the civil legal interest rate from the contract's rate.
    """

    first_day: date
    last_day: date
    rate: Decimal
    legal_rate: bool
    amount: Decimal


def _segments(claim: ClaimInterest, first: date, last: date) -> list[tuple[date, date, Decimal]]:
    """The days from ``first`` to ``last`` split where the principal changes."""
    if not claim.paid:  # the daily run's usual claim: one segment, no date arithmetic
        return [(first, last, max(claim.base, ZERO))]
    changes = sorted({day for day, _amount in claim.paid if first < day <= last})
    bounds = [first, *changes, last + timedelta(days=1)]
    return [
        (start, bounds[index + 1] - timedelta(days=1), claim.principal_on(start))
        for index, start in enumerate(bounds[:-1])
    ]


def interest_lines(
    claim: ClaimInterest, *, through: date, stops_on: date | None, rates: RateTable
) -> tuple[InterestLine, ...]:
    """The late interest a claim owes through ``through``, line by rate (CEL art. XIX.4).

    From the first chargeable day (the day after the 14-day period of the first reminder,
    CEL art. XIX.2) to :func:`interest_window_end`, each day bears, on the principal still due
    that day, the rate of :func:`amicable.domain.interest.accrued_interest`. The exact sum is
    truncated to the cent once; consecutive days at one rate form one line. No interest clause,
    or no first reminder yet: no line.

    1,000.00 at the civil legal rate from 1 to 31 March 2025, 400.00 paid on 16 March:
    15 days on 1,000.00 and 16 days on 600.00 at 4.50 %.

    >>> claim = ClaimInterest(applies=True, first_chargeable_day=date(2025, 3, 1), rate=None,
    ...     base=Decimal("1000.00"), paid=((date(2025, 3, 16), Decimal("400.00")),))
    >>> from amicable.domain.interest import DEFAULT_RATES
    >>> [(line.rate, line.amount) for line in interest_lines(
    ...     claim, through=date(2025, 3, 31), stops_on=None, rates=DEFAULT_RATES)]
    [(Decimal('4.50'), Decimal('3.03'))]
    """
    if not claim.applies or claim.first_chargeable_day is None:
        return ()
    last = interest_window_end(through=through, stops_on=stops_on, rates=rates)
    first = claim.first_chargeable_day
    if first > last:
        return ()
    # Exact interest per rate period, in day order: (first day, last day, rate, legal, exact),
    # the exact amount in units of 1/_UNITS_PER_CENT of a cent (see _exact_units).
    pieces: list[tuple[date, date, Decimal, bool, int]] = []
    for start, end, principal in _segments(claim, first, last):
        if principal <= 0:
            continue
        for period in interest_periods(principal, start, end, claim.rate, rates=rates):
            exact = _exact_units(period.principal, period.rate, period.days)
            previous = pieces[-1] if pieces else None
            if (
                previous is not None
                and previous[2] == period.rate
                and previous[3] == period.legal_rate
                and previous[1] + timedelta(days=1) == period.first_day
            ):
                pieces[-1] = (
                    previous[0],
                    period.last_day,
                    previous[2],
                    previous[3],
                    previous[4] + exact,
                )
            else:
                pieces.append(
                    (period.first_day, period.last_day, period.rate, period.legal_rate, exact)
                )
    lines: list[InterestLine] = []
    running = 0
    booked = ZERO
    for first_day, last_day, rate, legal, exact in pieces:
        running += exact
        total = Decimal(running // _UNITS_PER_CENT).scaleb(-2)  # truncated to the cent once
        lines.append(
            InterestLine(
                first_day=first_day,
                last_day=last_day,
                rate=rate,
                legal_rate=legal,
                amount=total - booked,
            )
        )
        booked = total
    return tuple(lines)


# principal (cents) x rate (thousandths of a percent) x days, over 1,000 x 36,500: a cent. The
# amounts are whole cents and the rates have at most three decimals (their database columns),
# so the exact interest is a whole number of these units; integers keep it exact and fast.
_UNITS_PER_CENT = 1000 * 36_500


def _exact_units(principal: Decimal, rate: Decimal, days: int) -> int:
    """principal x rate % x days / 365, exactly, in 1/36,500,000 of a cent."""
    cents_num, cents_den = (principal * 100).as_integer_ratio()
    rate_num, rate_den = (rate * 1000).as_integer_ratio()
    if cents_den != 1 or rate_den != 1:
        raise ValueError(
            f"Interest is counted on whole cents at a rate of at most three decimals, not "
            f"{principal} at {rate} %."
        )
    return cents_num * rate_num * days


def interest_due(
    claim: ClaimInterest, *, through: date, stops_on: date | None, rates: RateTable
) -> Decimal:
    """The whole late interest a claim owes through ``through``: what the lines of
    :func:`interest_lines` add up to, truncated to the cent once (CEL art. XIX.4).

    What the ledger books is always this figure minus what it booked before, so a payment
    dated before interest already booked, a payment the bank returns, or a part of the claim
    that is cancelled all correct the interest of the days concerned, and no day is counted
    twice or lost.

    >>> from amicable.domain.interest import DEFAULT_RATES
    >>> interest_due(ClaimInterest(applies=True, first_chargeable_day=date(2025, 1, 1),
    ...     rate=None, base=Decimal("1000.00")), through=date(2025, 12, 31), stops_on=None,
    ...     rates=DEFAULT_RATES)
    Decimal('45.00')
    """
    # The same count as interest_lines, without building the lines: the daily run asks it for
    # a million claims, and only the total matters to it.
    if not claim.applies or claim.first_chargeable_day is None:
        return ZERO
    last = interest_window_end(through=through, stops_on=stops_on, rates=rates)
    units = 0
    for start, end, principal in _segments(claim, claim.first_chargeable_day, last):
        if principal <= 0 or start > end:
            continue
        cents, denominator = (principal * 100).as_integer_ratio()
        if denominator != 1:
            raise ValueError(f"Interest is counted on whole cents, not on {principal}.")
        # principal x rate x days, summed over the rate periods: the principal times the sum
        # of rate x days, the same whole number (see _exact_units).
        units += cents * _rate_days(start, end, claim.rate, rates)
    return Decimal(units // _UNITS_PER_CENT).scaleb(-2)


#: Sums of rate x days already counted, by rate table (its identity: a table is immutable)
#: and window. The daily run asks the same few windows for a million claims.
_RATE_DAYS: dict[tuple[int, date, date, Decimal | None], tuple[RateTable, int]] = {}
_RATE_DAYS_HELD = 4096


def _rate_days(first: date, last: date, rate: Decimal | None, rates: RateTable) -> int:
    """The rate of each day from ``first`` to ``last`` (in thousandths of a percent) summed
    over the days: the civil legal rate, or the contractual ``rate`` capped each day by the
    commercial rate (CEL art. XIX.4), constant over each half-year."""
    key = (id(rates), first, last, rate)
    known = _RATE_DAYS.get(key)
    if known is not None and known[0] is rates:
        return known[1]
    total = 0
    day = first
    while day <= last:
        half_end = date(day.year, 6, 30) if day.month <= 6 else date(day.year, 12, 31)
        period_end = min(half_end, last)
        day_rate = rates.civil_rate(day) if rate is None else min(rate, rates.commercial_rate(day))
        thousandths, denominator = (day_rate * 1000).as_integer_ratio()
        if denominator != 1:
            raise ValueError(
                f"Interest is counted at a rate of at most three decimals, not {day_rate} %."
            )
        total += thousandths * ((period_end - day).days + 1)
        day = period_end + timedelta(days=1)
    if len(_RATE_DAYS) >= _RATE_DAYS_HELD:
        _RATE_DAYS.clear()
    _RATE_DAYS[key] = (rates, total)
    return total


# --- lump-sum indemnity (CEL art. XIX.4) --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClaimIndemnity:
    """What the lump-sum indemnity of one claim depends on.

    ``balance`` is the claim's principal still due on the day its indemnity is charged (today,
    for a claim that has none yet). ``allowed_at_intake`` is the indemnity the hand-over checks
    allowed (the creditor never gets more than it asked). ``booked`` is the indemnity the
    ledger holds on the claim, net of reductions. ``reciprocity`` is what the creditor (or an
    agent, from the general terms) declared of the clause (CEL art. VI.83, 17°); not declared
    unless said, so that no path can forget it and charge.
    """

    claim_id: int
    balance: Decimal
    clause: IndemnityClause | None
    requested: Decimal | None
    contract_date: date | None
    allowed_at_intake: Decimal
    first_chargeable_day: date | None
    booked: Decimal = ZERO
    reciprocity: Reciprocity = Reciprocity.NOT_DECLARED


@dataclass(frozen=True, slots=True)
class IndemnityDecision:
    """The indemnity a claim may carry, with the rule, a sentence and the article.

    ``amount`` is what the claim may carry in all; ``refusal`` says why nothing may be charged
    now, when that is the case (for a claim that has no indemnity yet). ``balance`` and
    ``clause`` are what the clause was applied to, ``cap`` the legal cap on that balance;
    ``file_balance`` and ``file_cap`` the file's outstanding balance and the cap on it, which
    all the claims' indemnities together never exceed: the figures a letter prints to explain
    the amount.
    """

    claim_id: int
    amount: Decimal
    cap: Decimal
    balance: Decimal
    rule: str
    explanation: str
    article: str
    refusal: Refusal | None
    clause: IndemnityClause | None = None
    file_balance: Decimal = ZERO
    file_cap: Decimal = ZERO


def decide_file_indemnities(
    claims: Sequence[ClaimIndemnity], *, on: date, charging_allowed: bool
) -> tuple[IndemnityDecision, ...]:
    """The lump-sum indemnity of each claim of a file (CEL art. XIX.4), oldest claim first.

    Each claim's damages clause is applied to its own balance and limited by the cap on that
    balance (:func:`amicable.domain.law.decide_indemnity`: a clause above the cap is deemed
    unwritten for a contract from 1 September 2023), and never above what the hand-over checks
    allowed. Policy (the safer reading for the consumer where the law is silent on several
    invoices): the indemnities of all the claims of a file together never exceed the cap of
    :func:`amicable.domain.law.max_indemnity` on the file's outstanding balance, the sum of the
    claims' balances; the oldest claims take their share first, the next is trimmed to what
    is left.

    A damages clause counts only if it is reciprocal (CEL art. VI.83, 17°: a clause fixing what
    the consumer owes for not paying, with no indemnity of the same order owed by the
    enterprise for its own failure, is abusive and has no effect). Policy: a clause declared
    not reciprocal, or not declared at all, gives 0.00 (rule ``clause_not_reciprocal`` or
    ``reciprocity_not_declared``, article VI.83, 17°); an indemnity already booked on it is then
    above what the claim may carry, and only a correction of the ledger takes it back.

    A claim that has no indemnity yet is also checked against :func:`law.refusal_for` on ``on``
    (state of the file, clause, first reminder and its 14 days): ``refusal`` says why it may not
    be charged now. ``claims`` come in the order of imputation (oldest due date first).

    Two invoices of one file, 800.00 and 39,000.00, each with a clause of 10 % in a contract of
    2022: 80.00 is within the cap on 800.00, the 3,900.00 of the second is reduced to the cap of
    1,990.00 on 39,000.00, but together they may not pass 2,000.00, the cap on 39,800.00.

    >>> claims = [ClaimIndemnity(claim_id=n, balance=Decimal(b), requested=None,
    ...     clause=IndemnityClause(percent=Decimal("10")), contract_date=date(2022, 1, 1),
    ...     allowed_at_intake=Decimal("99999"), first_chargeable_day=date(2025, 1, 1),
    ...     reciprocity=Reciprocity.RECIPROCAL)
    ...     for n, b in ((1, "800.00"), (2, "39000.00"))]
    >>> [(d.amount, d.rule) for d in decide_file_indemnities(
    ...     claims, on=date(2025, 3, 1), charging_allowed=True)]
    [(Decimal('80.00'), 'within_cap'), (Decimal('1920.00'), 'trimmed_to_file_cap')]
    """
    file_balance = sum((max(c.balance, ZERO) for c in claims), ZERO)
    file_cap = law.max_indemnity(file_balance)
    left = file_cap
    decisions: list[IndemnityDecision] = []
    for claim in claims:
        balance = max(claim.balance, ZERO)
        decision = law.decide_indemnity(
            balance=balance,
            clause=claim.clause,
            requested=claim.requested,
            contract_date=claim.contract_date,
        )
        amount = min(decision.allowed, max(claim.allowed_at_intake, ZERO))
        rule, explanation, article = decision.rule, decision.explanation, decision.article
        not_reciprocal = (
            law.reciprocity_refusal(claim.reciprocity) if claim.clause is not None else None
        )
        if not_reciprocal is not None:
            amount = ZERO
            rule = not_reciprocal.reason.value
            explanation = not_reciprocal.message
            article = not_reciprocal.article
        elif amount < decision.allowed:
            rule = "trimmed_to_intake"
            explanation += f" Limited to the {amount} allowed when the claim was handed over."
        if amount > left:
            amount = left
            rule = "trimmed_to_file_cap"
            explanation += (
                f" The indemnities of the file's claims together may not exceed {file_cap}, the "
                f"legal cap on the file's outstanding balance of {file_balance}; {amount} is left "
                "for this claim."
            )
        left -= min(amount, claim.booked) if claim.booked > 0 else amount
        cap = law.max_indemnity(balance)
        refusal = None
        if claim.booked <= 0 and not_reciprocal is not None:
            refusal = not_reciprocal
        elif claim.booked <= 0:
            refusal = _indemnity_refusal(
                claim, amount, decision, cap=cap, on=on, allowed=charging_allowed
            )
        decisions.append(
            IndemnityDecision(
                claim_id=claim.claim_id,
                amount=amount,
                cap=cap,
                balance=balance,
                rule=rule,
                explanation=explanation,
                article=article,
                refusal=refusal,
                clause=claim.clause,
                file_balance=file_balance,
                file_cap=file_cap,
            )
        )
    return tuple(decisions)


def _indemnity_refusal(
    claim: ClaimIndemnity,
    amount: Decimal,
    decision: law.ChargeDecision,
    *,
    cap: Decimal,
    on: date,
    allowed: bool,
) -> Refusal | None:
    """Why the indemnity of a claim that has none may not be charged on ``on``, or None."""
    if claim.clause is None:
        return Refusal(
            reason=RefusalReason.NO_CONTRACT_CLAUSE,
            message=decision.explanation,
            article=decision.article,
        )
    if amount <= 0:
        return Refusal(
            reason=RefusalReason.ABOVE_CAP, message=decision.explanation, article=decision.article
        )
    return law.refusal_for(
        kind=ChargeKind.INDEMNITY,
        amount=amount,
        on=on,
        first_chargeable_day=claim.first_chargeable_day,
        charging_allowed=allowed,
        has_clause=True,
        cap=cap,
    )


# --- further reminders (CEL art. XIX.2) ---------------------------------------------------------


def reminders_earlier_this_year(
    *,
    first_reminder_days: Iterable[date],
    follow_ups: Iterable[tuple[date, int]],
    this: tuple[date, int],
) -> int:
    """How many reminders of a file were sent before this one in its calendar year.

    ``first_reminder_days`` are the days the free first reminders were sent (one reminder per
    day, whatever the number of claims it covered); ``follow_ups`` the follow-up reminders sent,
    as (day, order of sending); ``this`` the reminder being decided, as (day, order). A
    reminder counts when it was sent in the same calendar year and before this one. The formal
    notice is not a reminder here: counting fewer keeps more reminders free, the safer reading
    for the consumer (CEL art. XIX.2).

    >>> reminders_earlier_this_year(first_reminder_days=[date(2025, 2, 3), date(2024, 12, 1)],
    ...     follow_ups=[(date(2025, 3, 3), 7), (date(2025, 4, 1), 9)],
    ...     this=(date(2025, 4, 1), 9))
    2
    """
    day, _order = this
    firsts = {d for d in first_reminder_days if d.year == day.year and d <= day}
    earlier = sum(1 for sent in follow_ups if sent[0].year == day.year and sent < this)
    return len(firsts) + earlier


@dataclass(frozen=True, slots=True)
class ReminderCost:
    """The cost a further reminder may carry: ``amount`` (0.00 when ``refusal`` says why not),
    the legal maximum ``cap`` and the ``postage`` it includes."""

    amount: Decimal
    cap: Decimal
    postage: Decimal
    refusal: Refusal | None


def decide_reminder_cost(
    *,
    channel: Channel | str,
    postage_in_force: Decimal,
    sent_on: date,
    regular_supply: bool,
    earlier_reminders_this_year: int,
    first_chargeable_day: date | None,
    charging_allowed: bool,
    has_clause: bool,
    is_first_reminder: bool = False,
) -> ReminderCost:
    """The cost of a further reminder sent on ``sent_on`` (CEL art. XIX.2).

    At most EUR 7.50 plus the postage in force that day, and postage only for a letter that
    went by post: an e-mail costs no postage. Never for a free reminder (the first one, and for
    a regular-supply contract those of the first three missed due dates of a calendar year:
    :func:`law.may_charge_reminder`), never without a clause in the contract, before the first
    reminder's 14 days are over, or while the file's state forbids charging.

    >>> cost = decide_reminder_cost(channel="electronic", postage_in_force=Decimal("1.74"),
    ...     sent_on=date(2025, 6, 2), regular_supply=False, earlier_reminders_this_year=1,
    ...     first_chargeable_day=date(2025, 3, 1), charging_allowed=True, has_clause=True)
    >>> cost.amount, cost.postage
    (Decimal('7.50'), Decimal('0.00'))
    """
    postage = postage_in_force if Channel(channel) is Channel.PAPER else ZERO
    cap = law.max_reminder_cost(postage)
    refusal = law.reminder_refusal(
        is_first_reminder=is_first_reminder,
        regular_supply=regular_supply,
        earlier_reminders_this_year=earlier_reminders_this_year,
    ) or law.refusal_for(
        kind=ChargeKind.REMINDER_COST,
        amount=cap,
        on=sent_on,
        first_chargeable_day=first_chargeable_day,
        charging_allowed=charging_allowed,
        has_clause=has_clause,
        cap=cap,
    )
    return ReminderCost(
        amount=ZERO if refusal is not None else cap,
        cap=cap,
        postage=cap - law.REMINDER_COST_FLAT,
        refusal=refusal,
    )
