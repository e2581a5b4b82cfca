"""The ledger on one file: what an agent's action, an intake call or a test asks of it.

Each function locks the file, reads its book, decides and writes with the same code as the
batch paths (:mod:`.charges`, :mod:`.payments`), and raises
:class:`~amicable.domain.law.ChargeRefused` when the law forbids what was asked: one file at a
time, a refusal is an answer to the caller, not a line in a report.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from amicable.domain.charges import (
    IndemnityDecision,
    InterestLine,
    decide_file_indemnities,
    decide_reminder_cost,
)
from amicable.domain.imputation import Component
from amicable.domain.interest import RateTable
from amicable.domain.law import Channel, ChargeRefused
from amicable.files.ledger.books import FileBalance, claim_terms, file_terms, read_books
from amicable.files.ledger.charges import (
    bring_interest,
    charge_indemnities,
    charge_reminder_cost,
    refuse_or_raise,
    release_and_recount,
)
from amicable.files.ledger.locks import LedgerError, lock_file
from amicable.files.ledger.writes import LedgerWrites, new_entry, write_entries
from amicable.files.models import Claim, EntryKind, EntrySource, File, LedgerEntry
from amicable.files.rates import rate_table

__all__ = [
    "book_interest",
    "charge_indemnity",
    "charge_principals",
    "charge_reminder_cost_on",
    "file_balance",
    "indemnity_allowed",
    "indemnity_decisions",
    "interest_lines_held",
    "stop_interest_at",
]


def file_balance(
    file: File,
    *,
    as_of: date,
    with_accrued_interest: bool = True,
    rates: RateTable | None = None,
    claims: Sequence[Claim] | None = None,
) -> FileBalance:
    """What ``file`` owes on ``as_of``: the booked entries of that day and, unless
    ``with_accrued_interest`` is false, the interest owed to that day and not booked yet
    (at ``rates``, read from the rate table when not given). ``claims``: the file's claims by
    due date and id, with their category, when the caller has read them already."""
    terms = None if claims is None else [claim_terms(claim) for claim in claims]
    book = read_books([file_terms(file)], as_of=as_of, claims=terms)[file.pk]
    if not with_accrued_interest:
        return book.balance(as_of=as_of, rates=None)
    return book.balance(as_of=as_of, rates=rates or rate_table())


def charge_principals(
    claims: Sequence[Claim],
    *,
    actor: str,
    value_date: date | None = None,
    source: str = EntrySource.INTAKE,
    new_files: bool = False,
) -> list[LedgerEntry]:
    """Book the principal of new claims (hand-over), in one insert, on ``value_date`` or else
    each claim's due date; ``new_files``: the claims' files were created in this transaction
    (:func:`files.chain.seal`)."""
    entries = [
        new_entry(
            file_id=claim.file_id,
            claim_id=claim.pk,
            kind=EntryKind.CHARGE,
            component=Component.PRINCIPAL,
            amount=claim.principal,
            value_date=value_date or claim.due_date,
            source=source,
            actor=actor,
            note="principal",
        )
        for claim in claims
    ]
    write_entries(entries, new_files=new_files)
    return entries


@transaction.atomic
def book_interest(
    *, file: File, through: date, actor: str, source: str = EntrySource.DAILY_RUN
) -> list[LedgerEntry]:
    """Bring the file's interest to what it owes through ``through`` (CEL art. XIX.4); raises
    ``ChargeRefused`` when the file's state or the claim forbids booking it."""
    locked = lock_file(file.pk)
    book = read_books([file_terms(locked)])[locked.pk]
    writes = LedgerWrites()
    results = bring_interest(
        book,
        writes,
        through=through,
        on=through,
        actor=actor,
        source=source,
        rates=rate_table(),
        record_refusals=False,
        charging_allowed=None if book.accrues_interest else book.charging_allowed,
    )
    entries = refuse_or_raise(results)
    writes.flush()
    return entries


@transaction.atomic
def stop_interest_at(*, file: File, stops_on: date, actor: str) -> list[LedgerEntry]:
    """At a collective debt settlement's admissibility, bring the interest to the day before
    (what is owed up to then is declared to the mediator in full) and take back any booked
    past it (Judicial Code art. 1675/7: interest stops at admissibility)."""
    locked = lock_file(file.pk)
    book = read_books([file_terms(locked)])[locked.pk]
    book.file.interest_stops_on = stops_on
    writes = LedgerWrites()
    rates = rate_table()
    results = bring_interest(
        book,
        writes,
        through=stops_on - timedelta(days=1),
        on=stops_on,
        actor=actor,
        source=EntrySource.SYSTEM,
        rates=rates,
        record_refusals=False,
        charging_allowed=True,
        release=False,  # released below, after the interest past admissibility is taken back
    )
    results += release_and_recount(book, writes, on=stops_on, actor=actor, rates=rates)
    writes.flush()
    return [r.entry for r in results if r.entry is not None]


def indemnity_decisions(file: File, *, on: date) -> tuple[IndemnityDecision, ...]:
    """The indemnity decision of each claim of ``file`` on ``on``, oldest claim first: the
    amount within the file's cap, with the clause, balance and caps that explain it (what a
    letter prints beside an indemnity)."""
    book = read_books([file_terms(file)])[file.pk]
    return decide_file_indemnities(
        [book.indemnity_terms(claim, on=on) for claim in book.claims],
        on=on,
        charging_allowed=book.charging_allowed,
    )


def indemnity_allowed(file: File, *, on: date) -> dict[int, Decimal]:
    """The indemnity each claim of ``file`` may carry on ``on``, within the file's cap
    (what a letter announces and the portal explains)."""
    return {d.claim_id: d.amount for d in indemnity_decisions(file, on=on)}


def interest_lines_held(file: File, *, as_of: date) -> dict[int, tuple[InterestLine, ...]]:
    """How the interest each claim of ``file`` owes on ``as_of`` was counted, line by rate.

    While the file accrues interest, the lines of :func:`file_balance` (through ``as_of``).
    A file that does not (a dispute, a suspension, a collective debt settlement) owes the
    interest booked, so its lines run through the last day booked: either way, a claim's lines
    less the interest waived on it add up to the interest its balance owes.
    """
    book = read_books([file_terms(file)], as_of=as_of)[file.pk]
    rates = rate_table()
    lines: dict[int, tuple[InterestLine, ...]] = {}
    for claim in book.claims:
        through = as_of if book.accrues_interest else book.booked_through[claim.pk]
        lines[claim.pk] = (
            () if through is None else book.interest_lines(claim, through=through, rates=rates)
        )
    return lines


@transaction.atomic
def charge_indemnity(
    *,
    claim: Claim,
    on: date,
    actor: str,
    source: str = EntrySource.DAILY_RUN,
    amount: Decimal | None = None,
) -> LedgerEntry:
    """Charge the lump-sum indemnity of one claim, once (CEL art. XIX.4): what
    :func:`~amicable.domain.charges.decide_file_indemnities` allows it on ``on``; an
    ``amount`` above that is refused, not trimmed."""
    file = lock_file(claim.file_id)
    book = read_books([file_terms(file)])[file.pk]
    if book.indemnity_on[claim.pk] is not None:
        raise LedgerError(f"The indemnity of claim {claim.creditor_reference} is already charged.")
    writes = LedgerWrites()
    results = charge_indemnities(
        book,
        writes,
        on=on,
        actor=actor,
        source=source,
        record_refusals=False,
        only=claim.pk,
        amount=amount,
    )
    (entry,) = refuse_or_raise(results)
    writes.flush()
    return entry


@transaction.atomic
def charge_reminder_cost_on(
    *,
    claim: Claim,
    on: date,
    postage: Decimal,
    actor: str,
    earlier_reminders_this_year: int,
    channel: Channel = Channel.PAPER,
    is_first_reminder: bool = False,
    source: str = EntrySource.DAILY_RUN,
) -> LedgerEntry:
    """Charge the cost of a further reminder sent on ``on`` (CEL art. XIX.2: EUR 7.50 plus the
    postage of a paper letter), as :func:`~amicable.domain.charges.decide_reminder_cost` decides."""
    file = lock_file(claim.file_id)
    book = read_books([file_terms(file)])[file.pk]
    terms = next(c for c in book.claims if c.pk == claim.pk)
    cost = decide_reminder_cost(
        channel=channel,
        postage_in_force=postage,
        sent_on=on,
        regular_supply=terms.regular_supply,
        earlier_reminders_this_year=earlier_reminders_this_year,
        first_chargeable_day=terms.first_chargeable_day,
        charging_allowed=book.charging_allowed,
        has_clause=terms.reminder_cost_clause,
        is_first_reminder=is_first_reminder,
    )
    if cost.refusal is not None:
        raise ChargeRefused(cost.refusal)
    writes = LedgerWrites()
    result = charge_reminder_cost(
        book,
        writes,
        claim=terms,
        cost=cost,
        sent_on=on,
        actor=actor,
        source=source,
        record_refusals=False,
    )
    writes.flush()
    assert result.entry is not None
    return result.entry
