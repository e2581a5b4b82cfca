"""Money paid beyond what a component now holds, released and applied again.

A component can come to hold less than was paid on it: a reduction or a write-off, an indemnity
decided again, interest recounted after a payment dated earlier or after principal paid
elsewhere. That part is released from the latest payments first (a payment the bank returned
pays nothing: it is never released from) and imputed again over what is still open (old Civil
Code art. 1253 to 1256), as of the day it was paid; what nothing needs stays a credit, to
refund. Every ledger operation that takes a charge back ends with this, so
that no component is ever paid beyond what it holds (docs/architecture.md, invariant 1).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from amicable.domain.imputation import Component, impute
from amicable.domain.interest import RateTable
from amicable.files.ledger.books import CHARGE_COMPONENTS, Book, EntryKey, load_paid_by
from amicable.files.ledger.writes import LedgerWrites

__all__ = ["release_overpaid"]


def release_overpaid(book: Book, writes: LedgerWrites, *, on: date, rates: RateTable) -> bool:
    """Apply again what the payments paid beyond what a component now holds (a reduction, or
    interest recalculated after a payment dated earlier): released from the latest payments
    first, then imputed over what is open as of each payment's day. Whether anything was
    released."""
    released = False
    for claim in book.claims:
        for component in CHARGE_COMPONENTS:
            overpaid = book.paid[claim.pk][component] - book.charged[claim.pk][component]
            if overpaid > 0:
                _release_and_reapply(
                    book, writes, claim.pk, component, overpaid, on=on, rates=rates
                )
                released = True
    return released


def _release_and_reapply(
    book: Book,
    writes: LedgerWrites,
    claim_id: int,
    component: Component,
    amount: Decimal,
    *,
    on: date,
    rates: RateTable,
) -> None:
    paid_by = load_paid_by(book)
    remaining = amount
    releases: list[tuple[EntryKey, Decimal]] = []
    for entry, total in sorted(paid_by[(claim_id, component)].items(), reverse=True):
        take = min(remaining, total)
        if take <= 0:
            continue
        paid_on = book.entry_days.get(entry, on)
        writes.allocate(book, entry, claim_id, component, -take, on=on, effective=paid_on)
        releases.append((entry, take))
        remaining -= take
        if remaining == 0:
            break
    for entry, available in releases:
        paid_on = book.entry_days.get(entry, on)
        items = book.open_items(interest_through=paid_on - timedelta(days=1), rates=rates)
        if not items:
            return
        for share in impute(available, items).shares:
            writes.allocate(
                book, entry, share.claim_id, share.component, share.amount, on=on, effective=paid_on
            )
