"""Charges on a file's book: late interest, the lump-sum indemnity, the cost of a reminder.

Each function decides with :mod:`amicable.domain.charges` on a :class:`~.books.Book` read once,
writes through :class:`~.writes.LedgerWrites`, and keeps the book current, so that the daily run
(a thousand files per batch), a payment, an agent's action and a single-file call book exactly
the same amounts. Every charge passes :func:`amicable.domain.law.check_charge` before it is
written: a charge the law forbids cannot reach the ledger.

Interest is always brought to what the claim owes, never added period by period: the entry
written is the interest owed through a day (:func:`amicable.domain.charges.interest_due`) minus
what the ledger holds, so a payment dated before interest already booked, a payment the bank
returned, or a part of a claim cancelled corrects the interest of exactly the days concerned
(a recalculation entry), and no day is ever counted twice or lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from amicable.domain import law
from amicable.domain.charges import (
    ReminderCost,
    decide_file_indemnities,
    interest_window_end,
)
from amicable.domain.imputation import Component
from amicable.domain.interest import RateTable
from amicable.domain.law import ChargeKind, ChargeRefused, Refusal, RefusalReason
from amicable.files.ledger.books import Book, ClaimTerms
from amicable.files.ledger.releases import release_overpaid
from amicable.files.ledger.writes import LedgerWrites, new_entry
from amicable.files.models import EntryKind, EntrySource, LedgerEntry
from amicable.files.timeline import EventKind

__all__ = [
    "Charged",
    "bring_interest",
    "charge_indemnities",
    "charge_reminder_cost",
    "correct_after_cancellation",
    "release_and_recount",
]


@dataclass(frozen=True, slots=True)
class Charged:
    """What became of one charge: its entry, or the refusal that kept it out of the ledger."""

    claim_id: int
    kind: ChargeKind
    amount: Decimal
    entry: LedgerEntry | None
    refusal: Refusal | None = None


def _refused(
    book: Book,
    writes: LedgerWrites,
    claim: ClaimTerms,
    kind: ChargeKind,
    amount: Decimal,
    refusal: Refusal,
    *,
    actor: str,
    record: bool,
) -> Charged:
    if record:
        writes.event(
            book.file.pk,
            EventKind.CHARGE_REFUSED,
            actor=actor,
            message=refusal.message,
            data={
                "claim": claim.creditor_reference,
                "charge": kind.value,
                "amount": str(amount),
                "reason": refusal.reason.value,
                "article": refusal.article,
            },
        )
    return Charged(claim_id=claim.pk, kind=kind, amount=amount, entry=None, refusal=refusal)


def _rate_words(claim: ClaimTerms) -> str:
    if claim.applied_interest_rate is None:
        return "civil legal interest rate"
    return f"contract rate {claim.applied_interest_rate} % capped each day"


# --- late interest (CEL art. XIX.4) -------------------------------------------------------------


def bring_interest(
    book: Book,
    writes: LedgerWrites,
    *,
    through: date,
    on: date,
    actor: str,
    source: str,
    rates: RateTable,
    record_refusals: bool,
    charging_allowed: bool | None = None,
    new_days_only: bool = False,
    release: bool = True,
) -> list[Charged]:
    """Bring each claim's interest to what it owes through ``through`` (CEL art. XIX.4).

    Interest already booked past ``through`` stays counted to the day it was booked to: only
    the history behind it may change it. What is owed and not booked is charged (with its
    period of new days) where the law allows it on ``on``; what the ledger holds beyond what is
    owed is taken back by a recalculation, which is always allowed, never below zero.
    ``charging_allowed`` overrides the file's state (the interest up to a collective debt
    settlement's admissibility is owed whatever the state, Judicial Code art. 1675/7).
    ``new_days_only`` leaves alone a claim whose interest is booked through ``through``
    already: every change to its history (a payment, a returned payment, a cancellation)
    recalculated it when it happened, so only new days can add anything (the daily run).
    What was paid on interest taken back is then released and applied again
    (:func:`~amicable.files.ledger.releases.release_overpaid`), unless ``release`` is false: a
    caller that takes more back or imputes a payment first, and releases once after it.
    """
    if charging_allowed is None and not book.accrues_interest:
        return []
    allowed = book.charging_allowed if charging_allowed is None else charging_allowed
    results: list[Charged] = []
    booked: list[dict[str, str]] = []
    recalculated: list[dict[str, str]] = []
    for claim in book.claims:
        if not claim.interest_applies or claim.first_chargeable_day is None:
            continue
        booked_through = book.booked_through[claim.pk]
        if new_days_only and booked_through is not None and booked_through >= through:
            continue
        counted_to = max(through, booked_through) if booked_through else through
        holds = book.charged[claim.pk][Component.INTEREST]
        delta = book.interest_owed(claim, through=counted_to, rates=rates) - holds
        if delta < 0:
            amount = max(delta, -holds)
            if amount < 0:
                entry = new_entry(
                    file_id=book.file.pk,
                    claim_id=claim.pk,
                    kind=EntryKind.RECALCULATION,
                    component=Component.INTEREST,
                    amount=amount,
                    value_date=on,
                    source=EntrySource.SYSTEM,
                    actor=actor,
                    note=f"interest recalculated through {counted_to.isoformat()}: "
                    "principal paid or cancelled bears none",
                )
                writes.add_entry(book, entry)
                recalculated.append(
                    {
                        "claim": claim.creditor_reference,
                        "amount": str(amount),
                        "to": str(counted_to),
                    }
                )
                results.append(Charged(claim.pk, ChargeKind.INTEREST, amount, entry))
            continue
        if delta == 0:
            continue
        last = interest_window_end(
            through=counted_to, stops_on=book.file.interest_stops_on, rates=rates
        )
        refusal = law.refusal_for(
            kind=ChargeKind.INTEREST,
            amount=delta,
            on=max(last, on),
            first_chargeable_day=claim.first_chargeable_day,
            charging_allowed=allowed,
            has_clause=claim.interest_applies,
            cap=None,
        )
        if refusal is not None:
            results.append(
                _refused(
                    book,
                    writes,
                    claim,
                    ChargeKind.INTEREST,
                    delta,
                    refusal,
                    actor=actor,
                    record=record_refusals,
                )
            )
            continue
        start = booked_through + timedelta(days=1) if booked_through else claim.first_chargeable_day
        new_days = start <= last
        entry = new_entry(
            file_id=book.file.pk,
            claim_id=claim.pk,
            kind=EntryKind.CHARGE if new_days else EntryKind.RECALCULATION,
            component=Component.INTEREST,
            amount=delta,
            value_date=last if new_days else on,
            period_start=start if new_days else None,
            period_end=last if new_days else None,
            source=source,
            actor=actor,
            note=(
                f"interest {start.isoformat()} to {last.isoformat()}, {_rate_words(claim)}"
                if new_days
                else f"interest recalculated through {last.isoformat()}: a payment was returned"
            ),
        )
        writes.add_entry(book, entry)
        results.append(Charged(claim.pk, ChargeKind.INTEREST, delta, entry))
        # The keys in the order the database keeps them (shorter first), which the books'
        # seal writes (files.chain): the data is then written as it is, not reordered.
        if new_days:
            booked.append(
                {
                    "to": last.isoformat(),
                    "from": start.isoformat(),
                    "claim": claim.creditor_reference,
                    "amount": str(delta),
                }
            )
        else:
            recalculated.append(
                {"to": last.isoformat(), "claim": claim.creditor_reference, "amount": str(delta)}
            )
    if booked:
        writes.event(book.file.pk, EventKind.INTEREST_BOOKED, actor=actor, data={"claims": booked})
    if recalculated:
        writes.event(
            book.file.pk,
            EventKind.INTEREST_RECALCULATED,
            actor=actor,
            data={"claims": recalculated},
        )
    if release and recalculated:
        # What was paid on the interest taken back is paid beyond what it now holds (a claim
        # whose principal a payment re-imputed since was paid earlier): applied again, so that
        # no component is ever paid above its charge, whichever path booked the interest.
        results += release_and_recount(book, writes, on=on, actor=actor, rates=rates)
    return results


def _take_back_interest(
    book: Book, writes: LedgerWrites, *, on: date, actor: str, rates: RateTable
) -> list[Charged]:
    """Take back the interest each claim holds above what it owes through the day it is booked
    to (date.min adds no day, and with charging refused nothing is added): what the principal
    paid or cancelled since no longer bears."""
    return [
        charged
        for charged in bring_interest(
            book,
            writes,
            through=date.min,
            on=on,
            actor=actor,
            source=EntrySource.SYSTEM,
            rates=rates,
            record_refusals=False,
            charging_allowed=False,
            release=False,
        )
        if charged.entry is not None
    ]


def release_and_recount(
    book: Book, writes: LedgerWrites, *, on: date, actor: str, rates: RateTable
) -> list[Charged]:
    """Apply again what was paid beyond what a component holds
    (:func:`~amicable.files.ledger.releases.release_overpaid`), then take back the interest the
    principal so paid no longer bears: money applied again to a claim's principal is applied as
    of the day it was paid, and from that day the claim owes interest on less (CEL art. XIX.4,
    each day on the principal due that day). Interest taken back may itself have been paid:
    released and applied again in turn, until nothing moves. It ends: each round that moves
    anything takes back at least a cent of the interest the file holds, never below zero.
    Nothing released, nothing to recount: each operation brings the interest to the principal
    it leaves before it releases (a payment's imputation, a cancellation, an admissibility),
    and only money applied again moves the principal of days already booked.

    Every ledger operation that takes a charge back ends here, whichever path it runs on, so
    that the books never hold a component paid above its charge, nor interest above what the
    principal of each day bears.
    """
    results: list[Charged] = []
    while release_overpaid(book, writes, on=on, rates=rates):
        taken = _take_back_interest(book, writes, on=on, actor=actor, rates=rates)
        if not taken:
            break
        results += taken
    return results


# --- lump-sum indemnity (CEL art. XIX.4) --------------------------------------------------------

#: Refusals that hold until a declaration changes them (CEL art. VI.83, 17°).
_STANDING_REFUSALS = frozenset(
    {RefusalReason.CLAUSE_NOT_RECIPROCAL, RefusalReason.RECIPROCITY_NOT_DECLARED}
)


def _may_charge_indemnity(book: Book, claim: ClaimTerms, *, only: int | None) -> bool:
    """Whether :func:`charge_indemnities` considers ``claim``: the one asked for (or any when
    none is), with no indemnity yet, and one its hand-over allowed (unless asked by name)."""
    if only is not None:
        return claim.pk == only and book.indemnity_on[claim.pk] is None
    return book.indemnity_on[claim.pk] is None and claim.allowed_indemnity > 0


def charge_indemnities(
    book: Book,
    writes: LedgerWrites,
    *,
    on: date,
    actor: str,
    source: str,
    record_refusals: bool,
    only: int | None = None,
    amount: Decimal | None = None,
) -> list[Charged]:
    """Charge, once per claim, the lump-sum indemnity the file's claims may carry on ``on``
    (:func:`amicable.domain.charges.decide_file_indemnities`: each clause within its cap, all
    of them together within the cap on the file's balance). A claim whose hand-over allowed
    no indemnity is passed over in silence; one refused now is reported.

    ``only`` charges that claim alone; ``amount`` asks for less than what is allowed (more is
    refused, never trimmed).
    """
    if not any(_may_charge_indemnity(book, claim, only=only) for claim in book.claims):
        # Every claim has its indemnity, or none may carry one: nothing to decide (the
        # formal notice of a file whose indemnities were booked at hand-over, say).
        return []
    decisions = decide_file_indemnities(
        [book.indemnity_terms(claim, on=on) for claim in book.claims],
        on=on,
        charging_allowed=book.charging_allowed,
    )
    results: list[Charged] = []
    for claim, decision in zip(book.claims, decisions, strict=True):
        if not _may_charge_indemnity(book, claim, only=only):
            continue
        refusal = decision.refusal
        if only is None and refusal is not None and refusal.reason in _STANDING_REFUSALS:
            # A clause not declared reciprocal stays so until someone declares it: the file's
            # page, the letters and the portal say why; a refusal on the timeline every day
            # would tell nothing new.
            continue
        wanted = decision.amount if amount is None else amount
        if refusal is None and wanted > decision.amount:
            refusal = Refusal(
                reason=RefusalReason.ABOVE_CAP,
                message=f"{wanted} is more than the {decision.amount} allowed: "
                + decision.explanation,
                article=decision.article,
            )
        if refusal is not None:
            results.append(
                _refused(
                    book,
                    writes,
                    claim,
                    ChargeKind.INDEMNITY,
                    wanted,
                    refusal,
                    actor=actor,
                    record=record_refusals,
                )
            )
            continue
        law.check_charge(
            kind=ChargeKind.INDEMNITY,
            amount=wanted,
            on=on,
            first_chargeable_day=claim.first_chargeable_day,
            charging_allowed=book.charging_allowed,
            has_clause=claim.indemnity_clause,
            cap=decision.amount,
        )
        entry = new_entry(
            file_id=book.file.pk,
            claim_id=claim.pk,
            kind=EntryKind.CHARGE,
            component=Component.INDEMNITY,
            amount=wanted,
            value_date=on,
            source=source,
            actor=actor,
            note=f"{decision.rule}: {decision.explanation}"[:300],
        )
        writes.add_entry(book, entry)
        writes.event(
            book.file.pk,
            EventKind.INDEMNITY_CHARGED,
            actor=actor,
            message=decision.explanation,
            data={
                "claim": claim.creditor_reference,
                "amount": str(wanted),
                "rule": decision.rule,
                "article": decision.article,
                "balance": str(decision.balance),
            },
        )
        results.append(Charged(claim.pk, ChargeKind.INDEMNITY, wanted, entry))
    return results


# --- reminder costs (CEL art. XIX.2) ------------------------------------------------------------


def charge_reminder_cost(
    book: Book,
    writes: LedgerWrites,
    *,
    claim: ClaimTerms,
    cost: ReminderCost,
    sent_on: date,
    actor: str,
    source: str,
    record_refusals: bool,
) -> Charged:
    """Book the cost of a further reminder as :func:`amicable.domain.charges.decide_reminder_cost`
    decided it, on ``claim`` (the file's oldest), or report why it may not be charged."""
    if cost.refusal is not None:
        return _refused(
            book,
            writes,
            claim,
            ChargeKind.REMINDER_COST,
            cost.cap,
            cost.refusal,
            actor=actor,
            record=record_refusals,
        )
    law.check_charge(
        kind=ChargeKind.REMINDER_COST,
        amount=cost.amount,
        on=sent_on,
        first_chargeable_day=claim.first_chargeable_day,
        charging_allowed=book.charging_allowed,
        has_clause=claim.reminder_cost_clause,
        cap=cost.cap,
    )
    postage = f" + postage {cost.postage}" if cost.postage > 0 else ""
    entry = new_entry(
        file_id=book.file.pk,
        claim_id=claim.pk,
        kind=EntryKind.CHARGE,
        component=Component.REMINDER_COST,
        amount=cost.amount,
        value_date=sent_on,
        source=source,
        actor=actor,
        note=f"reminder cost: 7.50{postage} (CEL art. XIX.2)",
    )
    writes.add_entry(book, entry)
    writes.event(
        book.file.pk,
        EventKind.REMINDER_COST_CHARGED,
        actor=actor,
        data={
            "claim": claim.creditor_reference,
            "amount": str(cost.amount),
            "cap": str(cost.cap),
            "postage": str(cost.postage),
        },
    )
    return Charged(claim.pk, ChargeKind.REMINDER_COST, cost.amount, entry)


# --- after a part of a claim is cancelled -------------------------------------------------------


def correct_after_cancellation(
    book: Book, writes: LedgerWrites, *, on: date, actor: str, rates: RateTable
) -> list[Charged]:
    """Take back what was booked on a cancelled part of a principal (``docs/legal.md``, section 3:
    on any part of a claim a dispute cancels or reduces, no interest or indemnity is ever due).

    The interest is recounted on the principal as it now stands, from the first day, through
    the day it was booked to; each indemnity is decided again on its claim's principal of the
    day it was charged, within the file's cap. What the ledger holds above is recalculated
    away; nothing is ever added here.
    """
    # Released by the caller, after the indemnities are taken back too.
    results = _take_back_interest(book, writes, on=on, actor=actor, rates=rates)
    decisions = decide_file_indemnities(
        [book.indemnity_terms(claim, on=on) for claim in book.claims],
        on=on,
        charging_allowed=False,
    )
    for claim, decision in zip(book.claims, decisions, strict=True):
        holds = book.charged[claim.pk][Component.INDEMNITY]
        if book.indemnity_on[claim.pk] is None or holds <= decision.amount:
            continue
        excess = holds - decision.amount
        entry = new_entry(
            file_id=book.file.pk,
            claim_id=claim.pk,
            kind=EntryKind.RECALCULATION,
            component=Component.INDEMNITY,
            amount=-excess,
            value_date=on,
            source=EntrySource.SYSTEM,
            actor=actor,
            note=f"indemnity decided again on the principal left: {decision.explanation}"[:300],
        )
        writes.add_entry(book, entry)
        writes.event(
            book.file.pk,
            EventKind.CHARGE_REDUCED,
            actor=actor,
            message=decision.explanation,
            data={
                "claim": claim.creditor_reference,
                "component": Component.INDEMNITY.value,
                "amount": str(excess),
                "rule": decision.rule,
            },
        )
        results.append(Charged(claim.pk, ChargeKind.INDEMNITY, -excess, entry))
    return results


def refuse_or_raise(results: list[Charged]) -> list[LedgerEntry]:
    """The entries of ``results``; a refusal raises :class:`ChargeRefused` (single path)."""
    for result in results:
        if result.refusal is not None and result.refusal.reason != RefusalReason.NOT_POSITIVE:
            raise ChargeRefused(result.refusal)
    return [result.entry for result in results if result.entry is not None]
