"""Corrections: a charge reduced or written off, and the money it leaves overpaid applied again.

A reduction (a dispute upheld in part, a gesture) or a write-off (a dispute upheld, a withdrawn
claim) is a new entry, never a change to an old one. When the debtor had already paid part of
what is taken off, that part is released from the latest payments first and imputed again over
what is still open (old Civil Code art. 1253 to 1256), as of the day it was paid; what nothing
needs stays a credit, to refund. Cancelling principal also takes back the interest and the
indemnity that were booked on the cancelled part (``docs/legal.md``, section 3).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.db import transaction

from amicable.domain.imputation import Component
from amicable.files.ledger.books import (
    CHARGE_COMPONENTS,
    file_terms,
    read_books,
)
from amicable.files.ledger.charges import correct_after_cancellation, release_and_recount
from amicable.files.ledger.locks import LedgerError, lock_file
from amicable.files.ledger.writes import LedgerWrites, new_entry
from amicable.files.models import Claim, EntryKind, EntrySource, LedgerEntry
from amicable.files.rates import rate_table
from amicable.files.timeline import EventKind

__all__ = ["reduce_charge", "reverse_indemnities", "write_off_claims"]


@transaction.atomic
def write_off_claims(
    *, claims: Sequence[Claim], on: date, actor: str, reason: str
) -> list[LedgerEntry]:
    """Write off everything the claims carry (a dispute upheld in full, a withdrawn claim):
    each component still held, in one go; what the debtor had paid on them is applied to the
    file's other claims, or becomes a credit. Returns the write-offs (not the interest that
    money applied again takes back from another claim)."""
    if not claims:
        return []
    file = lock_file(claims[0].file_id)
    book = read_books([file_terms(file)])[file.pk]
    writes = LedgerWrites()
    wanted = {claim.pk for claim in claims}
    for terms in book.claims:
        if terms.pk not in wanted:
            continue
        for component in CHARGE_COMPONENTS:
            held = book.charged[terms.pk][component]
            if held <= 0:
                continue
            writes.add_entry(
                book,
                new_entry(
                    file_id=file.pk,
                    claim_id=terms.pk,
                    kind=EntryKind.WRITE_OFF,
                    component=component,
                    amount=-held,
                    value_date=on,
                    source=EntrySource.AGENT,
                    actor=actor,
                    note=reason[:300],
                ),
            )
            writes.event(
                file.pk,
                EventKind.CHARGE_REDUCED,
                actor=actor,
                message=reason,
                data={
                    "claim": terms.creditor_reference,
                    "component": component.value,
                    "amount": str(held),
                },
            )
    release_and_recount(book, writes, on=on, actor=actor, rates=rate_table())
    return [entry for entry in writes.flush() if entry.kind == EntryKind.WRITE_OFF]


@transaction.atomic
def reverse_indemnities(
    *, claims: Sequence[Claim], on: date, actor: str, reason: str
) -> list[LedgerEntry]:
    """Reverse the lump-sum indemnity the claims hold: a clause found not reciprocal had no
    effect (CEL art. VI.83, 17°), so what was booked on it was never due.

    Each claim's indemnity still held is cancelled by a REVERSAL entry that points to the
    charge it cancels (the ledger keeps both, nothing is deleted); what the debtor had paid on
    it is applied again to what is open, and what nothing needs stays a credit to refund.
    """
    if not claims:
        return []
    file = lock_file(claims[0].file_id)
    book = read_books([file_terms(file)])[file.pk]
    charges = dict(
        LedgerEntry.objects.filter(
            claim_id__in=[claim.pk for claim in claims],
            component=Component.INDEMNITY,
            kind=EntryKind.CHARGE,
            reversed_by__isnull=True,
        )
        .order_by("value_date", "pk")
        .values_list("claim_id", "pk")
    )
    writes = LedgerWrites()
    wanted = {claim.pk for claim in claims}
    for terms in book.claims:
        held = book.charged[terms.pk][Component.INDEMNITY]
        if terms.pk not in wanted or held <= 0:
            continue
        writes.add_entry(
            book,
            new_entry(
                file_id=file.pk,
                claim_id=terms.pk,
                kind=EntryKind.REVERSAL,
                component=Component.INDEMNITY,
                amount=-held,
                value_date=on,
                source=EntrySource.AGENT,
                actor=actor,
                note=reason[:300],
                reverses_id=charges.get(terms.pk),
            ),
        )
        writes.event(
            file.pk,
            EventKind.CHARGE_REDUCED,
            actor=actor,
            message=reason,
            data={
                "claim": terms.creditor_reference,
                "component": Component.INDEMNITY.value,
                "amount": str(held),
                "article": "CEL art. VI.83, 17°",
            },
        )
    release_and_recount(book, writes, on=on, actor=actor, rates=rate_table())
    return writes.flush()


@transaction.atomic
def reduce_charge(
    *,
    claim: Claim,
    component: Component,
    amount: Decimal,
    on: date,
    actor: str,
    reason: str,
    kind: str = EntryKind.REDUCTION,
) -> LedgerEntry:
    """Reduce (or write off) a charged component, e.g. a dispute settled in the debtor's favour.

    Principal cancelled was never due: the interest and the indemnity booked on it are taken
    back too. If the debtor had already paid part of what is taken off, that part is applied
    again to what remains open; anything left is a credit to refund.
    """
    if kind not in (EntryKind.REDUCTION, EntryKind.WRITE_OFF):
        raise LedgerError(f"{kind} is not a reduction kind")
    if amount <= 0:
        raise LedgerError("A reduction must be a positive amount.")
    file = lock_file(claim.file_id)
    book = read_books([file_terms(file)])[file.pk]
    charged = book.charged[claim.pk][component]
    if amount > charged:
        raise LedgerError(f"Cannot reduce {component} by {amount}: only {charged} is charged.")
    rates = rate_table()
    writes = LedgerWrites()
    entry = new_entry(
        file_id=file.pk,
        claim_id=claim.pk,
        kind=kind,
        component=component,
        amount=-amount,
        value_date=on,
        source=EntrySource.AGENT,
        actor=actor,
        note=reason[:300],
    )
    writes.add_entry(book, entry)
    writes.event(
        file.pk,
        EventKind.CHARGE_REDUCED,
        actor=actor,
        message=reason,
        data={"claim": claim.creditor_reference, "component": component, "amount": str(amount)},
    )
    if Component(component) is Component.PRINCIPAL:
        correct_after_cancellation(book, writes, on=on, actor=actor, rates=rates)
    release_and_recount(book, writes, on=on, actor=actor, rates=rates)
    writes.flush()
    return entry
