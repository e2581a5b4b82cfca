"""Payments on files: posted one by one or 100,000 at a time, by the same code.

A payment brings each claim's interest to the day before its value date, is split by
:func:`amicable.domain.imputation.impute` over what is open (old Civil Code art. 1253 to 1256),
then, if it pays principal on which interest was already booked past its value date, that
interest is recalculated (CEL art. XIX.4: interest runs on what is still owed). Every write
locks the files first, in id order (``select_for_update`` on PostgreSQL; SQLite serialises
writers), so concurrent postings neither lose nor double an entry, nor deadlock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, QuerySet

from amicable.domain.imputation import Imputation, Share, impute
from amicable.domain.interest import RateTable
from amicable.domain.money import ZERO
from amicable.domain.prescription import Interruption
from amicable.files.ledger.books import (
    BOOK_CHUNK,
    PAYMENT_KINDS,
    Book,
    file_terms,
    read_books,
)
from amicable.files.ledger.charges import bring_interest, release_and_recount
from amicable.files.ledger.locks import LedgerError, lock_file, lock_files
from amicable.files.ledger.writes import (
    LedgerWrites,
    new_entry,
    write_allocations,
    write_entries,
)
from amicable.files.models import Allocation, Claim, EntryKind, EntrySource, File, LedgerEntry
from amicable.files.prescription import record_interruptions
from amicable.files.rates import rate_table
from amicable.files.timeline import EventKind, record_event

__all__ = [
    "PaymentOrder",
    "Posting",
    "post_payment",
    "post_payments",
    "posted_payments",
    "refund_credit",
    "reverse_payment",
]


@dataclass(frozen=True, slots=True)
class PaymentOrder:
    """One payment to post: what :func:`post_payments` is given, one per payment."""

    file_id: int
    amount: Decimal
    value_date: date
    source: str
    source_reference: str = ""
    kind: str = EntryKind.PAYMENT
    designated_claim_id: int | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Posting:
    entry: LedgerEntry
    # How the payment was split (claim, component, amount), as written to its Allocation rows;
    # the shares plus the overpayment are the payment.
    shares: tuple[Share, ...]
    overpayment: Decimal
    interest_entries: tuple[LedgerEntry, ...] = field(default=())
    # What the file's booked charges still ask once this payment is posted: zero means the
    # debt is paid (interest stops with the principal, so none accrues after).
    booked_outstanding: Decimal = ZERO
    # What earlier payments had paid that the posting freed and nothing else needs: a payment
    # dated earlier lowers the interest of the days after it, which a later payment had paid.
    credit_released: Decimal = ZERO

    @property
    def credit_left(self) -> Decimal:
        """The credit the posting leaves on the file, to refund: the overpayment and the credit
        it released."""
        return self.overpayment + self.credit_released


def post_payment(
    *,
    file: File,
    amount: Decimal,
    value_date: date,
    actor: str,
    source: str,
    source_reference: str = "",
    kind: str = EntryKind.PAYMENT,
    designated_claim: Claim | None = None,
    note: str = "",
) -> Posting:
    """Post one payment (see :func:`post_payments`); raises ``LedgerError`` if it cannot be."""
    order = PaymentOrder(
        file_id=file.pk,
        amount=amount,
        value_date=value_date,
        source=source,
        source_reference=source_reference,
        kind=kind,
        designated_claim_id=designated_claim.pk if designated_claim else None,
        note=note,
    )
    (result,) = post_payments([order], actor=actor)
    if isinstance(result, LedgerError):
        raise result
    return result


@transaction.atomic
def post_payments(orders: Sequence[PaymentOrder], *, actor: str) -> list[Posting | LedgerError]:
    """Post payments, each as if alone and in the order given.

    Imputation per ``docs/legal.md``, section 6 (old Civil Code art. 1253 to 1256): the debtor's
    designation first, then interest, indemnity and reminder costs, principal, oldest claim
    first. What is left is a credit to refund, recorded as such.

    Set-based, for a bank statement of 100,000 payments: the files are locked in id order, their
    books are read in three queries per 5,000 files, each payment is worked out in memory on the
    book as the payments before it left it, and the entries, allocations and events are written
    in one insert each.

    The result has one item per order: its ``Posting``, or the ``LedgerError`` that kept it from
    being posted (a source reference already posted, a file that does not exist); the other
    orders are posted all the same. A non-payment kind or an amount of zero or less is a mistake
    of the caller and refuses the whole batch.
    """
    for order in orders:
        if order.kind not in PAYMENT_KINDS:
            raise LedgerError(f"{order.kind} is not a payment kind")
        if order.amount <= 0:
            raise LedgerError("A payment must be a positive amount.")
    files = lock_files(order.file_id for order in orders)
    books = read_books(list(files.values()))
    rates = rate_table()
    posted = _already_posted(orders)
    results: list[Posting | LedgerError] = []
    writes = LedgerWrites()
    for order in orders:
        key = (order.source, order.source_reference)
        if order.file_id not in files:
            results.append(LedgerError(f"There is no file {order.file_id}."))
            continue
        if order.source_reference and key in posted:
            results.append(
                LedgerError(f"{order.source} {order.source_reference} is already posted.")
            )
            continue
        if order.source_reference:
            posted.add(key)
        results.append(_post(books[order.file_id], order, writes, actor=actor, rates=rates))
    writes.flush()
    # Paying part of a debt acknowledges it: each paid file's prescription clock restarts on
    # the payment's value date (docs/legal.md, section 8).
    record_interruptions(
        (
            (order.file_id, order.value_date)
            for order, result in zip(orders, results, strict=True)
            if isinstance(result, Posting)
        ),
        cause=Interruption.PARTIAL_PAYMENT,
    )
    return results


def _post(
    book: Book, order: PaymentOrder, writes: LedgerWrites, *, actor: str, rates: RateTable
) -> Posting:
    """One payment on its file's book: interest to the day before its value date, the
    imputation, then the interest recalculated on what it paid, and what that leaves overpaid
    applied again."""
    day_before = order.value_date - timedelta(days=1)
    credit_before = book.credit
    interest = bring_interest(
        book,
        writes,
        through=day_before,
        on=order.value_date,
        actor=actor,
        source=order.source,
        rates=rates,
        record_refusals=False,
        release=False,  # released once, after the payment is imputed
    )
    result = impute(
        order.amount,
        book.open_items(interest_through=day_before, rates=rates),
        designated_claim_id=order.designated_claim_id,
    )
    entry = new_entry(
        file_id=book.file.pk,
        kind=order.kind,
        amount=-order.amount,
        value_date=order.value_date,
        source=order.source,
        source_reference=order.source_reference,
        actor=actor,
        note=order.note[:300],
    )
    paid_with = writes.add_entry(book, entry)
    book.entry_days[paid_with] = order.value_date
    for share in result.shares:
        writes.allocate(
            book,
            paid_with,
            share.claim_id,
            share.component,
            share.amount,
            on=order.value_date,
            effective=order.value_date,
        )
    interest += bring_interest(
        book,
        writes,
        through=day_before,
        on=order.value_date,
        actor=actor,
        source=order.source,
        rates=rates,
        record_refusals=False,
        # A file that accrues no interest now (a collective settlement, a dispute) still gives
        # back what the principal this payment paid no longer bears on days already booked;
        # with charging refused, nothing is added.
        charging_allowed=None if book.accrues_interest else False,
        release=False,  # released once, after the payment is imputed
    )
    imputed_to = len(writes.allocations)
    interest += release_and_recount(book, writes, on=order.value_date, actor=actor, rates=rates)
    released = ZERO
    if len(writes.allocations) != imputed_to:
        # Money was released and applied again: what nothing needed is credit too. (Never this
        # payment's: it paid interest only to the day before its value date, which it does not
        # change.)
        released = book.credit - credit_before - result.overpayment
    writes.event(
        book.file.pk,
        EventKind.PAYMENT_POSTED,
        actor=actor,
        data=_payment_data(book, order, result, released),
    )
    return Posting(
        entry=entry,
        shares=result.shares,
        overpayment=result.overpayment,
        credit_released=released,
        interest_entries=tuple(c.entry for c in interest if c.entry is not None),
        booked_outstanding=book.booked_outstanding,
    )


def _payment_data(
    book: Book, order: PaymentOrder, result: Imputation, released: Decimal
) -> dict[str, object]:
    references = {claim.pk: claim.creditor_reference for claim in book.claims}
    # The keys in the order the database keeps them (shorter first, then byte by byte), which
    # the books' seal writes (files.chain): the data is then written as it is, not reordered.
    data: dict[str, object] = {
        "kind": order.kind,
        "amount": str(order.amount),
        "source": order.source,
        "value_date": order.value_date.isoformat(),
        "allocations": [
            {"claim": references[s.claim_id], "amount": str(s.amount), "component": s.component}
            for s in result.shares
        ],
        "overpayment": str(result.overpayment),
    }
    # Said only when there is some: the shares and the overpayment are the amount paid.
    if released:
        data["credit_released"] = str(released)
    data["source_reference"] = order.source_reference
    return data


def _already_posted(orders: Sequence[PaymentOrder]) -> set[tuple[str, str]]:
    """The (source, source reference) pairs of ``orders`` that are posted already."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for order in orders:
        if order.source_reference:
            wanted[order.source].add(order.source_reference)
    found: set[tuple[str, str]] = set()
    for source, references in wanted.items():
        ordered = sorted(references)
        for start in range(0, len(ordered), BOOK_CHUNK):
            found.update(
                posted_payments(source, ordered[start : start + BOOK_CHUNK]).values_list(
                    "source", "source_reference"
                )
            )
    return found


def posted_payments(source: str, references: Sequence[str]) -> QuerySet[LedgerEntry]:
    """The payments posted from ``source`` with one of these references, read through the
    index of the constraint that posts each once (``ledger_payment_posted_once``): the filter
    states the index's condition (a payment, with a reference), which the database cannot
    infer from a list of thousands of references."""
    return LedgerEntry.objects.filter(
        ~Q(source_reference=""),
        source=source,
        source_reference__any_of=list(references),
        kind__in=PAYMENT_KINDS,
    )


@transaction.atomic
def reverse_payment(*, entry: LedgerEntry, on: date, actor: str, reason: str) -> LedgerEntry:
    """Reverse a payment returned by the bank (or posted in error), with its allocations.

    Returned money was never paid: the principal it paid bears interest again from the day it
    was paid, and the interest booked since is brought back to what is owed where the file's
    state allows charging (else at the next booking).
    """
    if entry.kind not in PAYMENT_KINDS:
        raise LedgerError("Only a payment can be reversed here.")
    file = lock_file(entry.file_id)
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise LedgerError("This payment is already reversed.")
    reversal = LedgerEntry(
        file=file,
        kind=EntryKind.REVERSAL,
        amount=-entry.amount,
        value_date=on,
        source=entry.source,
        actor=actor,
        note=reason[:300],
        reverses=entry,
    )
    write_entries([reversal])
    net: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    for claim_id, component, amount in Allocation.objects.filter(entry=entry).values_list(
        "claim_id", "component", "amount"
    ):
        net[(claim_id, component)] += amount
    write_allocations(
        [
            Allocation(
                entry=reversal,
                file=file,
                claim_id=claim_id,
                component=component,
                amount=-amount,
                value_date=on,
            )
            for (claim_id, component), amount in net.items()
            if amount != 0
        ]
    )
    record_event(
        file,
        EventKind.PAYMENT_REVERSED,
        actor=actor,
        message=reason,
        data={"amount": str(-entry.amount), "entry": entry.pk},
    )
    book = read_books([file_terms(file)])[file.pk]
    writes = LedgerWrites()
    bring_interest(
        book,
        writes,
        through=date.min,
        on=on,
        actor=actor,
        source=EntrySource.SYSTEM,
        rates=rate_table(),
        record_refusals=False,
    )
    writes.flush()
    return reversal


@transaction.atomic
def refund_credit(*, file: File, amount: Decimal, on: date, actor: str, reason: str) -> LedgerEntry:
    """Pay back (part of) a credit to the debtor (an overpayment)."""
    file = lock_file(file.pk)
    book = read_books([file_terms(file)])[file.pk]
    credit = book.balance(as_of=date.max, rates=None).credit
    if amount <= 0 or amount > credit:
        raise LedgerError(f"The refund must be positive and at most the credit of {credit}.")
    entry = LedgerEntry(
        file=file,
        kind=EntryKind.REFUND,
        amount=amount,
        value_date=on,
        source=EntrySource.AGENT,
        actor=actor,
        note=reason[:300],
    )
    write_entries([entry])
    record_event(
        file, EventKind.CREDIT_REFUNDED, actor=actor, message=reason, data={"amount": str(amount)}
    )
    return entry
