"""What Book XIX of the Code of Economic Law lets a creditor charge a consumer, and when.

Book XIX ("Dettes du consommateur" / "Schulden van de consument"), inserted by the law of 4 May
2023, in force on 1 September 2023 (1 December 2023 for contracts concluded earlier):

- art. XIX.2: a free first reminder (premier rappel gratuit / eerste kosteloze herinnering),
  then at least 14 calendar days before any damages or interest; the cost of later reminders;
- art. XIX.4: the closed list of what may be charged for late payment, only if the contract
  provides it: late interest up to the rate of art. 5 al. 2 of the law of 2 August 2002, a
  lump-sum indemnity under a cap on the outstanding balance, and the capped reminder costs.

Each function names its article and, where the statute leaves a choice, the policy amicable takes
(always the safer one for the consumer, from ``docs/legal.md``). Every charge the ledger
books first passes :func:`check_charge`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from amicable.domain.calendar import add_working_days, next_working_day_on_or_after
from amicable.domain.errors import DomainError
from amicable.domain.interest import DEFAULT_RATES, RateTable
from amicable.domain.money import ZERO, as_decimal, as_money, format_eur, to_cents_down

__all__ = [
    "BOOK_XIX_CONTRACTS_FROM",
    "FREE_REMINDERS_PER_YEAR_REGULAR_SUPPLY",
    "GRACE_PERIOD_DAYS",
    "INDEMNITY_BRACKETS",
    "INDEMNITY_CAP",
    "PAPER_START_WORKING_DAYS",
    "REMINDER_COST_FLAT",
    "Channel",
    "ChargeDecision",
    "ChargeKind",
    "ChargeRefused",
    "GracePeriod",
    "IndemnityBracket",
    "IndemnityClause",
    "RateDecision",
    "Reciprocity",
    "Refusal",
    "RefusalReason",
    "check_charge",
    "contractual_indemnity",
    "decide_indemnity",
    "decide_interest_rate",
    "grace_period",
    "max_indemnity",
    "max_reminder_cost",
    "may_charge_reminder",
    "reciprocity_refusal",
    "refusal_for",
    "reminder_refusal",
]

ARTICLE_FIRST_REMINDER = "CEL art. XIX.2"
ARTICLE_CHARGES = "CEL art. XIX.4"
ARTICLE_SUSPENSION = "CEL Book XIX; Judicial Code art. 1675/7"
ARTICLE_RECIPROCITY = "CEL art. VI.83, 17°"

# Contracts concluded from this day fall fully under Book XIX: a clause above a cap is deemed
# unwritten instead of being reduced to the cap (law of 4 May 2023).
BOOK_XIX_CONTRACTS_FROM = date(2023, 9, 1)


def _is_book_xix_contract(contract_date: date | None) -> bool:
    """Whether the contract was concluded on or after 1 September 2023.

    Policy: an unknown date counts as on or after, the safer reading for the consumer (a clause
    above the cap is then void, not merely reduced).
    """
    return contract_date is None or contract_date >= BOOK_XIX_CONTRACTS_FROM


# --- first reminder and grace period (art. XIX.2) --------------------------------------------


class Channel(StrEnum):
    """The durable medium of the first reminder."""

    PAPER = "paper"
    ELECTRONIC = "electronic"


# Policy (docs/legal.md, section 1): a paper reminder's period starts on the 3rd working day after
# sending; the start day is day 1 of the 14, so the last day is the start plus 13 days.
PAPER_START_WORKING_DAYS = 3
GRACE_PERIOD_DAYS = 14


@dataclass(frozen=True, slots=True)
class GracePeriod:
    """The period after the first reminder during which nothing may be charged (art. XIX.2)."""

    sent_on: date
    channel: Channel
    starts_on: date
    last_day: date
    first_chargeable_day: date


def grace_period(sent_on: date, channel: str) -> GracePeriod:
    """The 14-day period that follows the free first reminder (CEL art. XIX.2).

    The period starts, for a paper reminder, on the 3rd working day after the sending day; for
    an electronic reminder, on the calendar day after it (the sending day never counts). Policy:
    the start day is day 1, so the last day is the start plus 13 days; a last day that is not a
    working day (new Civil Code art. 1.7) moves to the next working day. Damages and interest
    may be applied from the day after the last day.

    Paper, sent on Thursday 17 April 2025: Good Friday counts, Easter Monday does not.

    >>> period = grace_period(date(2025, 4, 17), "paper")
    >>> period.starts_on, period.last_day, period.first_chargeable_day
    (datetime.date(2025, 4, 23), datetime.date(2025, 5, 6), datetime.date(2025, 5, 7))

    E-mail, sent on Saturday 5 July 2025: day 14 is Saturday 19 July, moved past the Sunday and
    21 July.

    >>> grace_period(date(2025, 7, 5), Channel.ELECTRONIC).last_day
    datetime.date(2025, 7, 22)
    """
    try:
        medium = Channel(channel)
    except ValueError:
        allowed = ", ".join(repr(str(member)) for member in Channel)
        raise ValueError(f"Unknown reminder channel {channel!r}; use one of {allowed}.") from None
    if medium is Channel.PAPER:
        starts_on = add_working_days(sent_on, PAPER_START_WORKING_DAYS)
    else:
        starts_on = sent_on + timedelta(days=1)
    last_day = next_working_day_on_or_after(starts_on + timedelta(days=GRACE_PERIOD_DAYS - 1))
    return GracePeriod(
        sent_on=sent_on,
        channel=medium,
        starts_on=starts_on,
        last_day=last_day,
        first_chargeable_day=last_day + timedelta(days=1),
    )


# --- reminder costs (art. XIX.2) -------------------------------------------------------------

REMINDER_COST_FLAT = Decimal("7.50")
FREE_REMINDERS_PER_YEAR_REGULAR_SUPPLY = 3


def max_reminder_cost(postage: Decimal) -> Decimal:
    """The most a further reminder may cost: EUR 7.50 plus the postage (CEL art. XIX.2).

    ``postage`` is the postage in force on the day the reminder is sent (0.00 for an e-mail).

    >>> max_reminder_cost(Decimal("1.43"))
    Decimal('8.93')
    """
    amount = as_money(as_decimal(postage, name="postage"))
    if amount < 0:
        raise ValueError(f"The postage must be 0.00 or more, not {postage}.")
    return REMINDER_COST_FLAT + amount


def may_charge_reminder(
    *, is_first_reminder: bool, regular_supply: bool, earlier_reminders_this_year: int
) -> bool:
    """Whether a cost may be charged for this reminder (CEL art. XIX.2).

    The first reminder is always free. For a contract of regular supply (energy, telecom,
    subscriptions) the reminders for the first three missed due dates of a calendar year are
    free too. ``earlier_reminders_this_year`` counts the reminders already sent for this
    contract in this calendar year, not this one. Policy: each reminder counts as one missed
    due date, so a creditor cannot make a reminder chargeable by grouping due dates.

    >>> may_charge_reminder(is_first_reminder=False, regular_supply=True,
    ...                     earlier_reminders_this_year=2)
    False
    >>> may_charge_reminder(is_first_reminder=False, regular_supply=True,
    ...                     earlier_reminders_this_year=3)
    True
    """
    if earlier_reminders_this_year < 0:
        raise ValueError(
            "The number of earlier reminders this year must be 0 or more, "
            f"not {earlier_reminders_this_year}."
        )
    if is_first_reminder:
        return False
    if regular_supply:
        return earlier_reminders_this_year >= FREE_REMINDERS_PER_YEAR_REGULAR_SUPPLY
    return True


# --- lump-sum indemnity (art. XIX.4) ---------------------------------------------------------

INDEMNITY_CAP = Decimal("2000.00")


@dataclass(frozen=True, slots=True)
class IndemnityBracket:
    """One bracket of the indemnity cap: on a balance up to ``up_to`` (None: no upper bound),
    at most ``base`` plus ``percent`` % of the part above ``above`` (art. XIX.4)."""

    up_to: Decimal | None
    base: Decimal
    percent: Decimal
    above: Decimal


#: The brackets of art. XIX.4, in order; the pages that quote the law read them here.
INDEMNITY_BRACKETS = (
    IndemnityBracket(up_to=Decimal("150.00"), base=Decimal("20.00"), percent=ZERO, above=ZERO),
    IndemnityBracket(
        up_to=Decimal("500.00"),
        base=Decimal("30.00"),
        percent=Decimal("10"),
        above=Decimal("150.00"),
    ),
    IndemnityBracket(
        up_to=None, base=Decimal("65.00"), percent=Decimal("5"), above=Decimal("500.00")
    ),
)


def max_indemnity(balance: Decimal) -> Decimal:
    """The highest lump-sum indemnity the law allows on an outstanding ``balance`` (art. XIX.4).

    - balance up to 150.00: EUR 20;
    - from 150.01 to 500.00: EUR 30 plus 10 % of the part above 150;
    - above 500.00: EUR 65 plus 5 % of the part above 500, never more than EUR 2,000 (reached at
      39,200.00).

    Policy: the result is truncated to the cent (``to_cents_down``), never rounded up.

    >>> max_indemnity(Decimal("215.55"))
    Decimal('36.55')
    >>> max_indemnity(Decimal("1000.00"))
    Decimal('90.00')
    >>> max_indemnity(Decimal("50000"))
    Decimal('2000.00')
    """
    amount = as_decimal(balance, name="balance")
    if amount < 0:
        raise ValueError(f"The balance must be 0.00 or more, not {balance}.")
    bracket = next(b for b in INDEMNITY_BRACKETS if b.up_to is None or amount <= b.up_to)
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -2:
        # A balance in whole cents (every balance the ledger holds): the same arithmetic on
        # integers, in hundredths of a cent, then truncated; exact, and cheap for the daily run.
        hundredths = int(bracket.base * 10_000) + int((amount - bracket.above) * 100) * int(
            bracket.percent
        )
        return min(Decimal(hundredths // 100).scaleb(-2), INDEMNITY_CAP)
    exact = Fraction(amount)
    cap = (
        Fraction(bracket.base) + (exact - Fraction(bracket.above)) * Fraction(bracket.percent) / 100
    )
    return min(to_cents_down(cap), INDEMNITY_CAP)


@dataclass(frozen=True, slots=True)
class IndemnityClause:
    """The damages clause of the general terms, as written.

    Either a percentage of the balance (``percent``) with an optional ``minimum`` amount, or a
    ``fixed`` amount. A clause with no figure at all gives nothing. Mixing a percentage with a
    fixed amount, or a minimum without a percentage, is refused: it cannot be read one way only.
    """

    percent: Decimal | None = None
    minimum: Decimal | None = None
    fixed: Decimal | None = None

    def __post_init__(self) -> None:
        if self.percent is not None:
            _check_non_negative(self.percent, what="clause percentage")
        if self.minimum is not None:
            _check_non_negative(
                as_money(as_decimal(self.minimum, name="clause minimum")), what="clause minimum"
            )
        if self.fixed is not None:
            _check_non_negative(
                as_money(as_decimal(self.fixed, name="clause amount")), what="clause amount"
            )
        if self.fixed is not None and (self.percent is not None or self.minimum is not None):
            raise ValueError(
                "A damages clause is either a fixed amount or a percentage (with an optional "
                "minimum), not both; enter the clause as the general terms write it."
            )
        if self.minimum is not None and self.percent is None:
            raise ValueError(
                "A minimum needs a percentage; for a single amount, enter it as the fixed amount."
            )


class Reciprocity(StrEnum):
    """What the creditor declared of a damages clause (CEL art. VI.83, 17°): whether the
    contract also gives the consumer an indemnity of the same order when the enterprise fails."""

    RECIPROCAL = "reciprocal"
    NOT_RECIPROCAL = "not_reciprocal"
    NOT_DECLARED = "not_declared"


def reciprocity_refusal(reciprocity: Reciprocity | str) -> Refusal | None:
    """Why a damages clause gives no lump-sum indemnity for want of reciprocity, or None.

    CEL art. VI.83, 17° makes abusive, and so without effect, a clause that fixes what the
    consumer owes for not performing when the contract gives the consumer no indemnity of the
    same order for the enterprise's own failure. Policy (``docs/legal.md``, section 2): the
    creditor declares at hand-over whether each damages clause is reciprocal; a clause declared
    not reciprocal, or one with no declaration, gives no lump-sum indemnity. Only "reciprocal"
    lets the clause be applied (within the caps of art. XIX.4).

    >>> reciprocity_refusal("not_declared").reason
    <RefusalReason.RECIPROCITY_NOT_DECLARED: 'reciprocity_not_declared'>
    >>> reciprocity_refusal(Reciprocity.RECIPROCAL) is None
    True
    """
    declared = Reciprocity(reciprocity)
    if declared is Reciprocity.RECIPROCAL:
        return None
    if declared is Reciprocity.NOT_RECIPROCAL:
        return Refusal(
            reason=RefusalReason.CLAUSE_NOT_RECIPROCAL,
            message=(
                "The damages clause gives the consumer no indemnity of the same order when the "
                "enterprise fails in its own obligations: it is abusive and has no effect, so no "
                "lump-sum indemnity may be charged."
            ),
            article=ARTICLE_RECIPROCITY,
        )
    return Refusal(
        reason=RefusalReason.RECIPROCITY_NOT_DECLARED,
        message=(
            "The creditor has not declared the damages clause reciprocal (an indemnity of the "
            "same order owed to the consumer when the enterprise fails); without that "
            "declaration no lump-sum indemnity is charged."
        ),
        article=ARTICLE_RECIPROCITY,
    )


def _check_non_negative(value: Decimal, *, what: str) -> Decimal:
    checked = as_decimal(value, name=what)
    if checked < 0:
        raise ValueError(f"The {what} must be 0 or more, not {value}.")
    return checked


def contractual_indemnity(clause: IndemnityClause, balance: Decimal) -> Decimal:
    """The indemnity the clause gives on ``balance``, before the legal cap (art. XIX.4).

    The clause is applied as written: the fixed amount, or the percentage of the balance
    truncated to the cent, raised to the minimum if there is one.

    >>> contractual_indemnity(IndemnityClause(percent=Decimal("15"), minimum=Decimal("25")),
    ...                       Decimal("215.55"))
    Decimal('32.33')
    >>> contractual_indemnity(IndemnityClause(fixed=Decimal("40")), Decimal("100"))
    Decimal('40.00')
    """
    amount = _check_non_negative(balance, what="balance")
    if clause.fixed is not None:
        return as_money(clause.fixed)
    if clause.percent is None:
        return ZERO
    share = to_cents_down(Fraction(amount) * Fraction(clause.percent) / 100)
    if clause.minimum is not None:
        return max(share, as_money(clause.minimum))
    return share


@dataclass(frozen=True, slots=True)
class ChargeDecision:
    """How much of a requested charge the law allows, and why.

    ``rule`` is a stable code: ``no_clause``, ``within_cap``, ``trimmed_to_clause``,
    ``trimmed_to_cap`` or ``clause_void_above_cap``.
    """

    requested: Decimal
    allowed: Decimal
    rule: str
    explanation: str
    article: str


def _eur(amount: Decimal) -> str:
    """An amount for an English explanation; a fraction of a cent is shown as it is."""
    if amount != to_cents_down(amount):
        return f"€{amount}"
    return format_eur(amount, "en")


def decide_indemnity(
    *,
    balance: Decimal,
    clause: IndemnityClause | None,
    requested: Decimal | None,
    contract_date: date | None,
) -> ChargeDecision:
    """The lump-sum indemnity allowed on ``balance`` (CEL art. XIX.4).

    - No damages clause: nothing (the list of art. XIX.4 is closed).
    - ``requested`` defaults to what the clause gives; a request above it is trimmed to it.
    - A clause above the cap of :func:`max_indemnity`: for a contract concluded from 1 September
      2023 it is deemed unwritten, so nothing; for an older contract it is reduced to the cap.
      Policy: an unknown contract date counts as from 1 September 2023 (safer for the consumer).

    >>> decision = decide_indemnity(balance=Decimal("215.00"),
    ...     clause=IndemnityClause(fixed=Decimal("50")), requested=None,
    ...     contract_date=date(2022, 1, 10))
    >>> decision.allowed, decision.rule
    (Decimal('36.50'), 'trimmed_to_cap')
    """
    cap = max_indemnity(balance)
    asked = None if requested is None else _check_non_negative(as_money(requested), what="request")
    if clause is None:
        wanted = ZERO if asked is None else asked
        return ChargeDecision(
            requested=wanted,
            allowed=ZERO,
            rule="no_clause",
            explanation=(
                f"The contract has no damages clause, so no lump-sum indemnity may be charged; "
                f"{_eur(ZERO)} allowed of {_eur(wanted)} requested."
            ),
            article=ARTICLE_CHARGES,
        )
    contractual = contractual_indemnity(clause, balance)
    wanted = contractual if asked is None else asked
    within_clause = min(wanted, contractual)
    on_balance = f"on a balance of {_eur(as_money(to_cents_down(balance)))}"
    if contractual > cap:
        if _is_book_xix_contract(contract_date):
            return ChargeDecision(
                requested=wanted,
                allowed=ZERO,
                rule="clause_void_above_cap",
                explanation=(
                    f"The clause gives {_eur(contractual)} {on_balance}, above the legal cap of "
                    f"{_eur(cap)}; for a contract concluded from 1 September 2023 (or of unknown "
                    f"date) such a clause is deemed unwritten, so {_eur(ZERO)} is allowed."
                ),
                article=ARTICLE_CHARGES,
            )
        allowed = min(within_clause, cap)
        return ChargeDecision(
            requested=wanted,
            allowed=allowed,
            rule="trimmed_to_cap" if within_clause > cap else "within_cap",
            explanation=(
                f"The clause gives {_eur(contractual)} {on_balance}, above the legal cap of "
                f"{_eur(cap)}; for a contract concluded before 1 September 2023 it is reduced "
                f"to the cap; {_eur(allowed)} allowed of {_eur(wanted)} requested."
            ),
            article=ARTICLE_CHARGES,
        )
    if wanted > contractual:
        return ChargeDecision(
            requested=wanted,
            allowed=contractual,
            rule="trimmed_to_clause",
            explanation=(
                f"{_eur(wanted)} was requested but the clause gives only {_eur(contractual)} "
                f"{on_balance} (legal cap {_eur(cap)}); {_eur(contractual)} allowed."
            ),
            article=ARTICLE_CHARGES,
        )
    return ChargeDecision(
        requested=wanted,
        allowed=wanted,
        rule="within_cap",
        explanation=(
            f"The clause gives {_eur(contractual)} {on_balance}, within the legal cap of "
            f"{_eur(cap)}; {_eur(wanted)} allowed."
        ),
        article=ARTICLE_CHARGES,
    )


# --- late interest rate (art. XIX.4) ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RateDecision:
    """Which interest rate applies to a claim, and why.

    ``rate`` None with ``applies`` True means the civil legal rate (of each day's year);
    ``applies`` False means no interest may be charged at all. ``rule`` is a stable code:
    ``no_clause``, ``civil_legal_rate``, ``within_cap``, ``capped_per_day`` or
    ``clause_void_above_cap``.
    """

    rate: Decimal | None
    applies: bool
    rule: str
    explanation: str
    article: str


def decide_interest_rate(
    *,
    contractual_rate: Decimal | None,
    has_clause: bool,
    contract_date: date | None,
    on: date,
    rates: RateTable | None = None,
) -> RateDecision:
    """The late-interest rate a claim may bear (CEL art. XIX.4).

    - No interest clause: no interest at all (the list of art. XIX.4 is closed); a rate given
      without a clause is ignored.
    - A clause without a rate: the civil legal rate (law of 5 May 1865).
    - A rate above the rate of art. 5 al. 2 of the law of 2 August 2002 in force on ``on``: for
      a contract concluded from 1 September 2023 (policy: or of unknown date) the clause is
      deemed unwritten and the civil legal rate applies; for an older contract the rate is kept
      and :func:`~amicable.domain.interest.accrued_interest` cuts it to the cap day by day.
    - Otherwise the contractual rate is kept (and is still capped day by day).

    A day without a published rate in ``rates`` (``DEFAULT_RATES`` when None) raises
    :class:`~amicable.domain.errors.UnknownRateError`.

    >>> decide_interest_rate(contractual_rate=Decimal("12"), has_clause=True,
    ...     contract_date=date(2024, 3, 1), on=date(2025, 7, 1)).rule
    'clause_void_above_cap'
    """
    table = DEFAULT_RATES if rates is None else rates
    if not has_clause:
        return RateDecision(
            rate=None,
            applies=False,
            rule="no_clause",
            explanation="The contract has no interest clause, so no late interest may be charged.",
            article=ARTICLE_CHARGES,
        )
    if contractual_rate is None:
        return RateDecision(
            rate=None,
            applies=True,
            rule="civil_legal_rate",
            explanation=(
                "The interest clause sets no rate, so the civil legal interest rate of each year "
                "applies."
            ),
            article=ARTICLE_CHARGES,
        )
    rate = _check_non_negative(contractual_rate, what="contractual rate")
    cap = table.commercial_rate(on)
    if rate > cap:
        if _is_book_xix_contract(contract_date):
            return RateDecision(
                rate=None,
                applies=True,
                rule="clause_void_above_cap",
                explanation=(
                    f"The contractual rate of {rate} % is above the legal maximum of {cap} % in "
                    f"force on {on.isoformat()}; for a contract concluded from 1 September 2023 "
                    "(or of unknown date) the clause is deemed unwritten, so the civil legal "
                    "interest rate applies."
                ),
                article=ARTICLE_CHARGES,
            )
        return RateDecision(
            rate=rate,
            applies=True,
            rule="capped_per_day",
            explanation=(
                f"The contractual rate of {rate} % is above the legal maximum of {cap} % in force "
                f"on {on.isoformat()}; for a contract concluded before 1 September 2023 it is "
                "reduced, each day, to the maximum in force that day."
            ),
            article=ARTICLE_CHARGES,
        )
    return RateDecision(
        rate=rate,
        applies=True,
        rule="within_cap",
        explanation=(
            f"The contractual rate of {rate} % is within the legal maximum of {cap} % in force "
            f"on {on.isoformat()}; it applies, each day capped at the maximum in force that day."
        ),
        article=ARTICLE_CHARGES,
    )


# --- the charging guard ----------------------------------------------------------------------


class ChargeKind(StrEnum):
    """The three things art. XIX.4 lets a creditor add to a consumer debt."""

    INDEMNITY = "indemnity"
    INTEREST = "interest"
    REMINDER_COST = "reminder_cost"


_KIND_WORDS = {
    ChargeKind.INDEMNITY: "lump-sum indemnity",
    ChargeKind.INTEREST: "late interest",
    ChargeKind.REMINDER_COST: "reminder cost",
}


class RefusalReason(StrEnum):
    """Why a charge is refused."""

    NOT_POSITIVE = "not_positive"
    FILE_SUSPENDED = "file_suspended"
    NO_CONTRACT_CLAUSE = "no_contract_clause"
    NO_FIRST_REMINDER = "no_first_reminder"
    GRACE_PERIOD_RUNNING = "grace_period_running"
    ABOVE_CAP = "above_cap"
    REMINDER_NOT_CHARGEABLE = "reminder_not_chargeable"
    CLAUSE_NOT_RECIPROCAL = "clause_not_reciprocal"
    RECIPROCITY_NOT_DECLARED = "reciprocity_not_declared"


@dataclass(frozen=True, slots=True)
class Refusal:
    """A refused charge: the reason code, a sentence a person can act on, and the article."""

    reason: RefusalReason
    message: str
    article: str


class ChargeRefused(DomainError):
    """The law forbids this charge; ``refusal`` says why."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(f"{refusal.message} ({refusal.article})")
        self.refusal = refusal


def refusal_for(
    *,
    kind: ChargeKind,
    amount: Decimal,
    on: date,
    first_chargeable_day: date | None,
    charging_allowed: bool,
    has_clause: bool,
    cap: Decimal | None,
) -> Refusal | None:
    """Why the law forbids charging ``amount`` of ``kind`` on ``on``, or None if it allows it.

    The checks, in this order (the first that fails is the reason):

    1. the amount is more than zero;
    2. the file's state allows charging (not suspended by a dispute, a collective debt
       settlement (Judicial Code art. 1675/7) or a debt mediation);
    3. the contract provides this charge (closed list of CEL art. XIX.4);
    4. a first reminder was sent (``first_chargeable_day`` known, CEL art. XIX.2);
    5. its 14-day period is over (``on`` is on or after ``first_chargeable_day``, art. XIX.2);
    6. the amount is within ``cap`` when there is one (art. XIX.4; art. XIX.2 for reminders).

    >>> refusal_for(kind=ChargeKind.INDEMNITY, amount=Decimal("20.00"), on=date(2025, 3, 19),
    ...     first_chargeable_day=date(2025, 3, 20), charging_allowed=True, has_clause=True,
    ...     cap=Decimal("20.00")).reason
    <RefusalReason.GRACE_PERIOD_RUNNING: 'grace_period_running'>
    """
    value = as_decimal(amount)
    words = _KIND_WORDS[ChargeKind(kind)]
    if value <= 0:
        return Refusal(
            reason=RefusalReason.NOT_POSITIVE,
            message=f"A {words} must be more than {_eur(ZERO)}, not {_eur(value)}.",
            article=ARTICLE_CHARGES,
        )
    if not charging_allowed:
        return Refusal(
            reason=RefusalReason.FILE_SUSPENDED,
            message=(
                f"The file is suspended (dispute, collective debt settlement or debt mediation); "
                f"no {words} may be added until collection may resume."
            ),
            article=ARTICLE_SUSPENSION,
        )
    if not has_clause:
        return Refusal(
            reason=RefusalReason.NO_CONTRACT_CLAUSE,
            message=(
                f"The contract provides no {words}; nothing outside the contract may be charged "
                "for late payment."
            ),
            article=ARTICLE_CHARGES,
        )
    if first_chargeable_day is None:
        return Refusal(
            reason=RefusalReason.NO_FIRST_REMINDER,
            message=(
                f"No free first reminder has been sent; send it and wait until its 14-day period "
                f"is over before charging any {words}."
            ),
            article=ARTICLE_FIRST_REMINDER,
        )
    if on < first_chargeable_day:
        return Refusal(
            reason=RefusalReason.GRACE_PERIOD_RUNNING,
            message=(
                f"The 14-day period after the first reminder is still running on "
                f"{on.isoformat()}; a {words} may be charged from "
                f"{first_chargeable_day.isoformat()}."
            ),
            article=ARTICLE_FIRST_REMINDER,
        )
    if cap is not None and value > as_decimal(cap, name="cap"):
        return Refusal(
            reason=RefusalReason.ABOVE_CAP,
            message=(
                f"{_eur(value)} is above the legal maximum of {_eur(cap)} for this {words}; "
                f"charge at most {_eur(cap)}."
            ),
            article=ARTICLE_FIRST_REMINDER if kind == ChargeKind.REMINDER_COST else ARTICLE_CHARGES,
        )
    return None


def check_charge(
    *,
    kind: ChargeKind,
    amount: Decimal,
    on: date,
    first_chargeable_day: date | None,
    charging_allowed: bool,
    has_clause: bool,
    cap: Decimal | None,
) -> None:
    """Raise :class:`ChargeRefused` unless the law allows this charge (see :func:`refusal_for`)."""
    refusal = refusal_for(
        kind=kind,
        amount=amount,
        on=on,
        first_chargeable_day=first_chargeable_day,
        charging_allowed=charging_allowed,
        has_clause=has_clause,
        cap=cap,
    )
    if refusal is not None:
        raise ChargeRefused(refusal)


def reminder_refusal(
    *, is_first_reminder: bool, regular_supply: bool, earlier_reminders_this_year: int
) -> Refusal | None:
    """The refusal for a reminder that must stay free, or None (see :func:`may_charge_reminder`).

    >>> reminder_refusal(is_first_reminder=True, regular_supply=False,
    ...                  earlier_reminders_this_year=0).reason
    <RefusalReason.REMINDER_NOT_CHARGEABLE: 'reminder_not_chargeable'>
    """
    if may_charge_reminder(
        is_first_reminder=is_first_reminder,
        regular_supply=regular_supply,
        earlier_reminders_this_year=earlier_reminders_this_year,
    ):
        return None
    return Refusal(
        reason=RefusalReason.REMINDER_NOT_CHARGEABLE,
        message=(
            "This reminder is free: the first reminder always is, and for a regular-supply "
            "contract so are the reminders for the first three missed due dates of a calendar "
            "year."
        ),
        article=ARTICLE_FIRST_REMINDER,
    )
