"""The ledger service: the only way money moves on a file.

Every charge passes through ``amicable.domain.law`` first; a charge the law forbids raises
``ChargeRefused`` (with the reason and the article) and writes nothing. Payments bring interest
up to their value date, then are split by ``amicable.domain.allocation``. Every write locks the
file row first (``select_for_update`` on PostgreSQL; SQLite serializes writers), so concurrent
postings neither lose nor double an entry.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum

from amicable.domain import allocation as imputation
from amicable.domain import law
from amicable.domain.allocation import Component
from amicable.domain.interest import RateTable, accrued_interest
from amicable.domain.law import ChargeKind, ChargeRefused, Refusal, RefusalReason
from amicable.domain.lifecycle import rules_for
from amicable.domain.money import CENT, ZERO
from amicable.files.bulk import copy_rows, insert_rows
from amicable.files.models import (
    Allocation,
    Claim,
    EntryKind,
    EntrySource,
    Event,
    File,
    LedgerEntry,
)
from amicable.files.rates import last_day_with_rates, rate_table
from amicable.files.timeline import EVENT_FIELDS, record_event

__all__ = [
    "ChargeRefused",
    "ClaimBalance",
    "FileBalance",
    "LedgerError",
    "PaymentOrder",
    "Posting",
    "book_interest",
    "charge_indemnity",
    "charge_principal",
    "charge_reminder_cost",
    "file_balance",
    "lock_file",
    "post_payment",
    "post_payments",
    "reduce_charge",
    "refund_credit",
    "reverse_payment",
]

CHARGE_COMPONENTS = (
    Component.PRINCIPAL,
    Component.INDEMNITY,
    Component.INTEREST,
    Component.REMINDER_COST,
)
PAYMENT_KINDS = (EntryKind.PAYMENT, EntryKind.CREDITOR_PAYMENT)


class LedgerError(Exception):
    """A ledger operation that cannot be done as asked (nothing was written)."""


def lock_file(file_id: int) -> File:
    """The file row, locked until the end of the current transaction."""
    return File.objects.select_for_update().get(pk=file_id)


# --- balances -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClaimBalance:
    claim_id: int
    reference: str
    charged: dict[Component, Decimal]
    paid: dict[Component, Decimal]
    interest_accrued: Decimal
    interest_booked_through: date | None

    def outstanding(self, component: Component) -> Decimal:
        value = self.charged[component] - self.paid[component]
        if component is Component.INTEREST:
            value += self.interest_accrued
        return value

    @property
    def total_outstanding(self) -> Decimal:
        return sum((self.outstanding(c) for c in CHARGE_COMPONENTS), ZERO)


@dataclass(frozen=True, slots=True)
class FileBalance:
    """What a file owes as of a date, per component and per claim (legal.md section 2)."""

    as_of: date
    claims: tuple[ClaimBalance, ...]
    payments: Decimal  # everything received (agency and creditor), net of returned payments
    refunded: Decimal
    ledger_sum: Decimal  # booked entries only (accrued interest is not booked)

    def _sum(self, component: Component, *, paid: bool = False) -> Decimal:
        if paid:
            return sum((c.paid[component] for c in self.claims), ZERO)
        return sum((c.outstanding(component) for c in self.claims), ZERO)

    @property
    def principal(self) -> Decimal:
        return self._sum(Component.PRINCIPAL)

    @property
    def indemnity(self) -> Decimal:
        return self._sum(Component.INDEMNITY)

    @property
    def interest(self) -> Decimal:
        return self._sum(Component.INTEREST)

    @property
    def interest_accrued(self) -> Decimal:
        return sum((c.interest_accrued for c in self.claims), ZERO)

    @property
    def interest_booked(self) -> Decimal:
        return self.interest - self.interest_accrued

    @property
    def reminder_costs(self) -> Decimal:
        return self._sum(Component.REMINDER_COST)

    @property
    def allocated(self) -> Decimal:
        return sum(
            (sum(c.paid.values(), ZERO) for c in self.claims),
            ZERO,
        )

    @property
    def credit(self) -> Decimal:
        """Money received and not used for any charge: to be refunded or used later."""
        return self.payments - self.allocated - self.refunded

    @property
    def paid(self) -> Decimal:
        return self.payments - self.refunded

    @property
    def outstanding(self) -> Decimal:
        return self.principal + self.indemnity + self.interest + self.reminder_costs

    def paid_of(self, component: Component) -> Decimal:
        return self._sum(component, paid=True)


def _zero_components() -> dict[Component, Decimal]:
    return dict.fromkeys(CHARGE_COMPONENTS, ZERO)


#: A ledger entry as a batch names it: (0, id) once saved, (1, n) for the n-th entry the batch
#: writes. Sorted, the later entries come last, as their ids will.
EntryKey = tuple[int, int]


@dataclass(frozen=True, slots=True)
class ClaimTerms:
    """What the ledger reads of a claim. A batch reads 100,000 claims at once: plain values,
    not model instances, whose construction would cost more than the query."""

    pk: int
    file_id: int
    creditor_reference: str
    due_date: date
    first_chargeable_day: date | None
    interest_applies: bool
    applied_interest_rate: Decimal | None


@dataclass(slots=True)
class _Book:
    """A file's ledger summed up, read once and kept current in memory while a batch of
    payments posts to it: what each claim was charged and paid per component, and the last
    day of interest booked."""

    file: File
    claims: list[ClaimTerms] = field(default_factory=list)  # oldest due date first
    charged: dict[int, dict[Component, Decimal]] = field(default_factory=dict)
    paid: dict[int, dict[Component, Decimal]] = field(default_factory=dict)
    booked_through: dict[int, date | None] = field(default_factory=dict)
    # Each interest booking's last day and amount, per claim (a back-dated payment takes back
    # what was booked from its value date on).
    interest_periods: dict[int, list[tuple[date, Decimal]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    # What each payment entry paid of each claim's component: a release takes from the latest.
    paid_by: dict[tuple[int, Component], dict[EntryKey, Decimal]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    payments: Decimal = ZERO
    refunded: Decimal = ZERO
    ledger_sum: Decimal = ZERO

    def add_claim(self, claim: ClaimTerms) -> None:
        self.claims.append(claim)
        self.charged[claim.pk] = _zero_components()
        self.paid[claim.pk] = _zero_components()
        self.booked_through[claim.pk] = None

    def add_entry(
        self,
        kind: str,
        component: str,
        claim_id: int | None,
        amount: Decimal,
        period_end: date | None,
        reversed_kind: str | None = None,
    ) -> None:
        self.ledger_sum += amount
        if component and claim_id is not None:
            self.charged[claim_id][Component(component)] += amount
            if component == Component.INTEREST and period_end:
                self.interest_periods[claim_id].append((period_end, amount))
            if component == Component.INTEREST and kind == EntryKind.CHARGE and period_end:
                current = self.booked_through[claim_id]
                self.booked_through[claim_id] = max(current or period_end, period_end)
        elif kind in PAYMENT_KINDS or (
            kind == EntryKind.REVERSAL and reversed_kind in PAYMENT_KINDS
        ):
            self.payments -= amount
        elif kind == EntryKind.REFUND or (
            kind == EntryKind.REVERSAL and reversed_kind == EntryKind.REFUND
        ):
            self.refunded += amount

    def add_allocation(
        self, claim_id: int, component: str, amount: Decimal, entry: EntryKey | None = None
    ) -> None:
        self.paid[claim_id][Component(component)] += amount
        if entry is not None:
            by_entry = self.paid_by[(claim_id, Component(component))]
            by_entry[entry] = by_entry.get(entry, ZERO) + amount

    @property
    def booked_outstanding(self) -> Decimal:
        """What the booked charges still ask (interest accrued and not booked left out)."""
        return sum(
            (
                self.charged[c.pk][component] - self.paid[c.pk][component]
                for c in self.claims
                for component in CHARGE_COMPONENTS
            ),
            ZERO,
        )

    def balance(self, *, as_of: date, with_accrued_interest: bool) -> FileBalance:
        accrues = with_accrued_interest and rules_for(self.file.file_state).accrues_interest
        rates = rate_table() if accrues else None
        balances = []
        for claim in self.claims:
            charged, paid = self.charged[claim.pk], self.paid[claim.pk]
            accrued = ZERO
            if rates is not None and claim.interest_applies and claim.first_chargeable_day:
                principal = charged[Component.PRINCIPAL] - paid[Component.PRINCIPAL]
                start, end = _interest_window(
                    self.file, claim, self.booked_through[claim.pk], as_of
                )
                end = min(end, last_day_with_rates(rates))
                if principal > 0 and start <= end:
                    accrued = accrued_interest(
                        principal, start, end, claim.applied_interest_rate, rates=rates
                    )
            balances.append(
                ClaimBalance(
                    claim_id=claim.pk,
                    reference=claim.creditor_reference,
                    charged=dict(charged),
                    paid=dict(paid),
                    interest_accrued=accrued,
                    interest_booked_through=self.booked_through[claim.pk],
                )
            )
        return FileBalance(
            as_of=as_of,
            claims=tuple(balances),
            payments=self.payments,
            refunded=self.refunded,
            ledger_sum=self.ledger_sum,
        )


#: Files read at a time by :func:`_read_books` (the ids travel in an ``IN`` list).
BOOK_CHUNK = 5000
# What the ledger reads of a file and of a claim: a batch reads 100,000 of each.
FILE_FIELDS = ("id", "state", "interest_stops_on")
CLAIM_FIELDS = (
    "id",
    "file_id",
    "creditor_reference",
    "due_date",
    "first_chargeable_day",
    "interest_applies",
    "applied_interest_rate",
)


def _read_books(files: Sequence[File], *, as_of: date) -> dict[int, _Book]:
    """The books of ``files`` as of a date: three queries per 5,000 files (claims, ledger
    entries, allocations summed), whatever the number of files."""
    books = {file.pk: _Book(file=file) for file in files}
    ids = sorted(books)
    for start in range(0, len(ids), BOOK_CHUNK):
        chunk = ids[start : start + BOOK_CHUNK]
        claims = Claim.objects.filter(file_id__any_of=chunk).order_by("due_date", "id")
        for row in claims.values_list(*CLAIM_FIELDS):
            claim = ClaimTerms(*row)
            books[claim.file_id].add_claim(claim)
        entries = LedgerEntry.objects.filter(file_id__any_of=chunk, value_date__lte=as_of)
        for (
            file_id,
            kind,
            component,
            claim_id,
            amount,
            period_end,
            reversed_kind,
        ) in entries.values_list(
            "file_id", "kind", "component", "claim_id", "amount", "period_end", "reverses__kind"
        ):
            books[file_id].add_entry(kind, component, claim_id, amount, period_end, reversed_kind)
        allocations = (
            Allocation.objects.filter(file_id__any_of=chunk, value_date__lte=as_of)
            .values("file_id", "claim_id", "component", "entry_id")
            .annotate(total=Sum("amount"))
            .values_list("file_id", "claim_id", "component", "entry_id", "total")
        )
        for file_id, claim_id, component, entry_id, total in allocations:
            # SQLite sums decimals as floats: back to exact cents.
            books[file_id].add_allocation(claim_id, component, total.quantize(CENT), (0, entry_id))
    return books


def _booked_balance(file: File) -> FileBalance:
    """Everything booked, whatever its value date, without accrued interest."""
    return file_balance(file, as_of=date.max, with_accrued_interest=False)


def file_balance(file: File, *, as_of: date, with_accrued_interest: bool = True) -> FileBalance:
    """The balance of ``file`` on ``as_of``: booked entries plus interest accrued, not booked."""
    book = _read_books([file], as_of=as_of)[file.pk]
    return book.balance(as_of=as_of, with_accrued_interest=with_accrued_interest)


def _interest_window(
    file: File, claim: ClaimTerms, booked_through: date | None, through: date
) -> tuple[date, date]:
    """The calendar days on which interest runs and is not booked yet, up to ``through``."""
    assert claim.first_chargeable_day is not None
    start = claim.first_chargeable_day
    if booked_through is not None:
        start = max(start, booked_through + timedelta(days=1))
    end = through
    if file.interest_stops_on is not None:
        # Collective debt settlement: no interest from the admissibility date (legal.md 5).
        end = min(end, file.interest_stops_on - timedelta(days=1))
    return start, end


# --- charges --------------------------------------------------------------------------------


def _refuse(reason: RefusalReason, message: str, article: str) -> ChargeRefused:
    return ChargeRefused(Refusal(reason=reason, message=message, article=article))


def charge_principal(
    *, claim: Claim, value_date: date, actor: str, source: str = EntrySource.INTAKE
) -> LedgerEntry:
    """Book the principal of a new claim (intake)."""
    return LedgerEntry.objects.create(
        file_id=claim.file_id,
        claim=claim,
        kind=EntryKind.CHARGE,
        component=Component.PRINCIPAL,
        amount=claim.principal,
        value_date=value_date,
        source=source,
        actor=actor,
        note="principal",
    )


@transaction.atomic
def charge_indemnity(
    *,
    claim: Claim,
    on: date,
    actor: str,
    source: str = EntrySource.DAILY_RUN,
    amount: Decimal | None = None,
) -> LedgerEntry:
    """Charge the lump-sum indemnity of a claim once (CEL art. XIX.4, legal.md section 2).

    The amount is the contractual clause applied to the outstanding principal, limited by the
    cap on that balance; an ``amount`` above what the law allows is refused, not trimmed.
    """
    file = lock_file(claim.file_id)
    if LedgerEntry.objects.filter(
        claim=claim, kind=EntryKind.CHARGE, component=Component.INDEMNITY, reversed_by=None
    ).exists():
        raise LedgerError(f"The indemnity of claim {claim.creditor_reference} is already charged.")
    balance = file_balance(file, as_of=on)
    claim_balance = next(c for c in balance.claims if c.claim_id == claim.pk)
    # A payment value-dated before a returned one that the bank took back later can make the
    # principal of that day look overpaid: nothing is owed then, not a negative amount.
    outstanding_principal = max(claim_balance.outstanding(Component.PRINCIPAL), ZERO)
    decision = law.decide_indemnity(
        balance=outstanding_principal,
        clause=_indemnity_clause(claim),
        requested=claim.requested_indemnity,
        contract_date=claim.contract_date,
    )
    to_charge = decision.allowed if amount is None else amount
    if not claim.indemnity_clause:
        raise _refuse(RefusalReason.NO_CONTRACT_CLAUSE, decision.explanation, decision.article)
    if to_charge <= 0 and decision.requested > 0:
        raise _refuse(RefusalReason.ABOVE_CAP, decision.explanation, decision.article)
    law.check_charge(
        kind=ChargeKind.INDEMNITY,
        amount=to_charge,
        on=on,
        first_chargeable_day=claim.first_chargeable_day,
        charging_allowed=rules_for(file.file_state).charging,
        has_clause=claim.indemnity_clause,
        cap=decision.allowed,
    )
    entry = LedgerEntry.objects.create(
        file=file,
        claim=claim,
        kind=EntryKind.CHARGE,
        component=Component.INDEMNITY,
        amount=to_charge,
        value_date=on,
        source=source,
        actor=actor,
        note=f"{decision.rule}: {decision.explanation}"[:300],
    )
    record_event(
        file,
        "indemnity_charged",
        actor=actor,
        message=decision.explanation,
        data={
            "claim": claim.creditor_reference,
            "amount": str(to_charge),
            "rule": decision.rule,
            "article": decision.article,
            "balance": str(outstanding_principal),
        },
        visible_to_debtor=True,
    )
    return entry


def _indemnity_clause(claim: Claim) -> law.IndemnityClause | None:
    if not claim.indemnity_clause:
        return None
    return law.IndemnityClause(
        percent=claim.indemnity_percent,
        minimum=claim.indemnity_minimum,
        fixed=claim.indemnity_fixed,
    )


@transaction.atomic
def charge_reminder_cost(
    *,
    claim: Claim,
    on: date,
    postage: Decimal,
    actor: str,
    is_first_reminder: bool,
    earlier_reminders_this_year: int,
    source: str = EntrySource.DAILY_RUN,
    amount: Decimal | None = None,
) -> LedgerEntry:
    """Charge the cost of a further reminder (CEL art. XIX.2 §2: 7.50 EUR plus postage)."""
    file = lock_file(claim.file_id)
    if not law.may_charge_reminder(
        is_first_reminder=is_first_reminder,
        regular_supply=claim.regular_supply,
        earlier_reminders_this_year=earlier_reminders_this_year,
    ):
        raise _refuse(
            RefusalReason.REMINDER_NOT_CHARGEABLE,
            "This reminder is free: the first reminder, and for a regular-supply contract the "
            "reminders for three missed due dates a calendar year, cost nothing.",
            "CEL art. XIX.2",
        )
    cap = law.max_reminder_cost(postage)
    to_charge = cap if amount is None else amount
    law.check_charge(
        kind=ChargeKind.REMINDER_COST,
        amount=to_charge,
        on=on,
        first_chargeable_day=claim.first_chargeable_day,
        charging_allowed=rules_for(file.file_state).charging,
        has_clause=claim.reminder_cost_clause,
        cap=cap,
    )
    entry = LedgerEntry.objects.create(
        file=file,
        claim=claim,
        kind=EntryKind.CHARGE,
        component=Component.REMINDER_COST,
        amount=to_charge,
        value_date=on,
        source=source,
        actor=actor,
        note=f"reminder cost, cap {cap} (7.50 + postage {postage})",
    )
    record_event(
        file,
        "reminder_cost_charged",
        actor=actor,
        data={"claim": claim.creditor_reference, "amount": str(to_charge), "cap": str(cap)},
        visible_to_debtor=True,
    )
    return entry


@transaction.atomic
def book_interest(
    *, file: File, through: date, actor: str, source: str = EntrySource.DAILY_RUN
) -> list[LedgerEntry]:
    """Book the interest accrued and not yet booked, up to ``through`` inclusive.

    Simple interest on the outstanding principal of each claim, each day at its own rate
    (CEL art. XIX.4; ``amicable.domain.interest``). Nothing is booked while the file's state
    forbids charging: the ledger refuses it (``ChargeRefused``).
    """
    file = lock_file(file.pk)
    return _book_interest_locked(file, through=through, actor=actor, source=source)


def _book_interest_locked(
    file: File, *, through: date, actor: str, source: str, strict: bool = True
) -> list[LedgerEntry]:
    # Everything booked counts, whatever its value date: interest already booked past
    # ``through`` (a payment dated earlier) must never be booked a second time.
    book = _read_books([file], as_of=date.max)[file.pk]
    entries = _interest_entries(
        book, through=through, actor=actor, source=source, strict=strict, rates=rate_table()
    )
    LedgerEntry.objects.bulk_create(entries)
    return entries


def _interest_entries(
    book: _Book,
    *,
    through: date,
    actor: str,
    source: str,
    strict: bool,
    rates: RateTable,
) -> list[LedgerEntry]:
    """The interest entries to book on ``book`` up to ``through`` (not saved), applied to it.

    ``strict``: a charge the law refuses raises ``ChargeRefused``; otherwise that claim is
    skipped (a payment books what may be booked and goes on).
    """
    file = book.file
    rules = rules_for(file.file_state)
    if not rules.accrues_interest:
        return []
    last_known = last_day_with_rates(rates)
    entries: list[LedgerEntry] = []
    for claim in book.claims:
        if not claim.interest_applies or claim.first_chargeable_day is None:
            continue
        principal = (
            book.charged[claim.pk][Component.PRINCIPAL] - book.paid[claim.pk][Component.PRINCIPAL]
        )
        start, end = _interest_window(file, claim, book.booked_through[claim.pk], through)
        end = min(end, last_known)
        if principal <= 0 or start > end:
            continue
        amount = accrued_interest(principal, start, end, claim.applied_interest_rate, rates=rates)
        if amount <= 0:
            continue
        refusal = law.refusal_for(
            kind=ChargeKind.INTEREST,
            amount=amount,
            on=end,
            first_chargeable_day=claim.first_chargeable_day,
            charging_allowed=rules.charging,
            has_clause=claim.interest_applies,
            cap=None,
        )
        if refusal is not None:
            if strict:
                raise ChargeRefused(refusal)
            continue
        entry = _new_entry(
            file_id=file.pk,
            claim_id=claim.pk,
            kind=EntryKind.CHARGE,
            component=Component.INTEREST,
            amount=amount,
            value_date=end,
            period_start=start,
            period_end=end,
            source=source,
            actor=actor,
            note=_interest_note(claim, start, end),
        )
        book.add_entry(entry.kind, entry.component, claim.pk, amount, end)
        entries.append(entry)
    return entries


def _interest_note(claim: ClaimTerms, start: date, end: date) -> str:
    rate = (
        f"contractual rate {claim.applied_interest_rate}% capped per day"
        if claim.applied_interest_rate is not None
        else "civil legal rate"
    )
    return f"interest {start.isoformat()} to {end.isoformat()}, {rate}"


# --- payments -------------------------------------------------------------------------------


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
    # How the payment was split (claim, component, amount), as written to its Allocation rows.
    allocations: tuple[imputation.Allocation, ...]
    overpayment: Decimal
    interest_entries: tuple[LedgerEntry, ...] = field(default=())
    # What the file's booked charges still ask once this payment is posted: zero means the
    # debt is paid (interest stops with the principal, so none accrues after).
    booked_outstanding: Decimal = ZERO


def _book_open_items(book: _Book) -> list[imputation.OpenItem]:
    """The booked charges of ``book`` that are not paid yet (what a payment can pay)."""
    items = []
    for claim in book.claims:
        charged, paid = book.charged[claim.pk], book.paid[claim.pk]
        for component in CHARGE_COMPONENTS:
            # Accrued interest that is not booked cannot be paid: only booked charges are open.
            amount = charged[component] - paid[component]
            if amount > 0:
                items.append(
                    imputation.OpenItem(
                        claim_id=claim.pk,
                        component=component,
                        amount=amount,
                        due_date=claim.due_date,
                    )
                )
    return items


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
    """Post payments, each as if alone and in the order given: interest up to the day before
    its value date, then the imputation.

    Imputation per legal.md section 6 (old Civil Code art. 1253-1256): the debtor's designation
    first, then interest, indemnity and reminder costs, principal, oldest claim first. What is
    left is a credit to refund, recorded as such.

    Set-based, for a bank statement of 100,000 payments: the files are locked in id order (two
    batches never deadlock), their books are read in three queries per 5,000 files, each payment
    is worked out in memory on the book as the payments before it left it, and the entries,
    allocations and timeline events are written in one insert each. A payment value-dated on or
    before a day of interest already booked (the daily run books to each month's end) takes that
    interest back on what it paid, in memory as well.

    The result has one item per order: its ``Posting``, or the ``LedgerError`` that kept it
    from being posted (a source reference already posted, a file that does not exist); the
    other orders are posted all the same. A non-payment kind or an amount of zero or less is a
    mistake of the caller and refuses the whole batch.
    """
    for order in orders:
        if order.kind not in PAYMENT_KINDS:
            raise LedgerError(f"{order.kind} is not a payment kind")
        if order.amount <= 0:
            raise LedgerError("A payment must be a positive amount.")
    files = _lock_files({order.file_id for order in orders})
    books = _read_books(list(files.values()), as_of=date.max)
    rates = rate_table()
    posted = _already_posted(orders)
    results: list[Posting | LedgerError] = []
    writes = _Writes()
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
    return results


def _post(
    book: _Book, order: PaymentOrder, writes: _Writes, *, actor: str, rates: RateTable
) -> Posting:
    """One payment on its file's book: interest to the day before its value date, the
    imputation, then, if it is dated before interest already booked, that interest taken back
    on what it paid (and what this overpays of the interest released and applied again)."""
    interest = _interest_entries(
        book,
        through=order.value_date - timedelta(days=1),
        actor=actor,
        source=order.source,
        strict=False,
        rates=rates,
    )
    for charge in interest:
        writes.add_entry(charge)
    result = imputation.allocate(
        order.amount, _book_open_items(book), designated_claim_id=order.designated_claim_id
    )
    entry = _payment_entry(book.file, order, actor=actor)
    book.add_entry(entry.kind, "", None, entry.amount, None)
    paid_with = writes.add_entry(entry)
    for item in result.allocations:
        writes.allocate(
            book, paid_with, item.claim_id, item.component, item.amount, order.value_date
        )
    _take_back_interest(book, writes, result, value_date=order.value_date, actor=actor, rates=rates)
    writes.events.append(_payment_event(book, order, result, actor=actor))
    return Posting(
        entry=entry,
        allocations=result.allocations,
        overpayment=result.overpayment,
        interest_entries=tuple(interest),
        booked_outstanding=book.booked_outstanding,
    )


@dataclass(slots=True)
class _Writes:
    """What a batch writes, in order, flushed in one insert per table at the end."""

    entries: list[LedgerEntry] = field(default_factory=list)
    allocations: list[tuple[EntryKey, int, int, Component, Decimal, date]] = field(
        default_factory=list
    )
    events: list[tuple[Any, ...]] = field(default_factory=list)

    def add_entry(self, entry: LedgerEntry) -> EntryKey:
        self.entries.append(entry)
        return (1, len(self.entries) - 1)

    def allocate(
        self,
        book: _Book,
        entry: EntryKey,
        claim_id: int,
        component: Component,
        amount: Decimal,
        on: date,
    ) -> None:
        book.add_allocation(claim_id, component, amount, entry)
        self.allocations.append((entry, book.file.pk, claim_id, component, amount, on))

    def flush(self) -> None:
        insert_rows(LedgerEntry, self.entries)
        copy_rows(
            Allocation,
            ("entry_id", "file_id", "claim_id", "component", "amount", "value_date"),
            (
                (self._pk(entry), file_id, claim_id, component, amount, on)
                for entry, file_id, claim_id, component, amount, on in self.allocations
            ),
        )
        copy_rows(Event, EVENT_FIELDS, self.events)

    def _pk(self, entry: EntryKey) -> int:
        saved, number = entry
        if saved == 0:
            return number
        pk = self.entries[number].pk
        assert pk is not None  # insert_rows gave every entry its key
        return pk


def _take_back_interest(
    book: _Book,
    writes: _Writes,
    result: imputation.AllocationResult,
    *,
    value_date: date,
    actor: str,
    rates: RateTable,
) -> None:
    """A payment value-dated before interest already booked (the daily run books to each
    month's end): take back the interest on the principal it paid for the days from its value
    date to the end of that booking (CEL art. XIX.4: interest runs on what is still owed)."""
    principal_paid: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for item in result.allocations:
        if item.component is Component.PRINCIPAL:
            principal_paid[item.claim_id] += item.amount
    for claim in book.claims:
        booked_through = book.booked_through[claim.pk]
        paid = principal_paid.get(claim.pk, ZERO)
        if paid <= 0 or booked_through is None or booked_through < value_date:
            continue
        excess = accrued_interest(
            paid, value_date, booked_through, claim.applied_interest_rate, rates=rates
        )
        # Each booking was truncated to the cent on its own: never take back more than was
        # booked for the days from the value date on (nor more than the claim's interest).
        booked_since = sum(
            (amount for end, amount in book.interest_periods[claim.pk] if end >= value_date),
            ZERO,
        )
        excess = min(excess, booked_since, book.charged[claim.pk][Component.INTEREST])
        if excess <= 0:
            continue
        reduction = _new_entry(
            file_id=book.file.pk,
            claim_id=claim.pk,
            kind=EntryKind.REDUCTION,
            component=Component.INTEREST,
            amount=-excess,
            value_date=value_date,
            source=EntrySource.SYSTEM,
            actor=actor,
            note=f"interest on {paid} paid on {value_date.isoformat()}, booked to "
            f"{booked_through.isoformat()}",
        )
        book.add_entry(reduction.kind, reduction.component, claim.pk, reduction.amount, None)
        writes.add_entry(reduction)
        interest = book.charged[claim.pk][Component.INTEREST]
        overpaid = book.paid[claim.pk][Component.INTEREST] - interest
        if overpaid > 0:
            _release_and_reapply(
                book, writes, claim.pk, Component.INTEREST, overpaid, on=value_date
            )


def _release_and_reapply(
    book: _Book,
    writes: _Writes,
    claim_id: int,
    component: Component,
    amount: Decimal,
    *,
    on: date,
) -> None:
    """Take ``amount`` paid on a reduced component back from its payments, the latest first,
    then impute it again over what is still open; what nothing needs stays a credit."""
    remaining = amount
    releases: list[tuple[EntryKey, Decimal]] = []
    for entry, total in sorted(book.paid_by[(claim_id, component)].items(), reverse=True):
        take = min(remaining, total)
        if take <= 0:
            continue
        writes.allocate(book, entry, claim_id, component, -take, on)
        releases.append((entry, take))
        remaining -= take
        if remaining == 0:
            break
    for entry, available in releases:
        items = _book_open_items(book)
        if not items:
            return
        for item in imputation.allocate(available, items).allocations:
            writes.allocate(book, entry, item.claim_id, item.component, item.amount, on)


def _lock_files(file_ids: set[int]) -> dict[int, File]:
    """The files, locked until the end of the transaction, in id order (no deadlock)."""
    ids = sorted(file_ids)
    files: dict[int, File] = {}
    for start in range(0, len(ids), BOOK_CHUNK):
        chunk = ids[start : start + BOOK_CHUNK]
        files.update(
            (file.pk, file)
            for file in File.objects.select_for_update()
            .filter(pk__any_of=chunk)
            .only(*FILE_FIELDS)
            .order_by("pk")
        )
    return files


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
                LedgerEntry.objects.filter(
                    source=source,
                    source_reference__any_of=ordered[start : start + BOOK_CHUNK],
                    kind__in=PAYMENT_KINDS,
                ).values_list("source", "source_reference")
            )
    return found


_ENTRY_FIELDS = [f.attname for f in LedgerEntry._meta.concrete_fields]
_ENTRY_DEFAULTS = {f.attname: f.get_default() for f in LedgerEntry._meta.concrete_fields}


def _new_entry(**values: Any) -> LedgerEntry:
    """An unsaved entry (values by attribute name), built from positional arguments: Django
    builds those three times faster than keywords, which counts for the 150,000 entries of a
    bank statement."""
    return LedgerEntry(*[values.get(name, _ENTRY_DEFAULTS[name]) for name in _ENTRY_FIELDS])


def _payment_entry(file: File, order: PaymentOrder, *, actor: str) -> LedgerEntry:
    return _new_entry(
        file_id=file.pk,
        kind=order.kind,
        amount=-order.amount,
        value_date=order.value_date,
        source=order.source,
        source_reference=order.source_reference,
        actor=actor,
        note=order.note[:300],
    )


def _payment_event(
    book: _Book, order: PaymentOrder, result: imputation.AllocationResult, *, actor: str
) -> tuple[Any, ...]:
    """The ``payment_posted`` event, as a row of :data:`EVENT_FIELDS`."""
    references = {claim.pk: claim.creditor_reference for claim in book.claims}
    return (
        book.file.pk,
        "payment_posted",
        actor,
        "",
        {
            "amount": str(order.amount),
            "value_date": order.value_date.isoformat(),
            "kind": order.kind,
            "source": order.source,
            "source_reference": order.source_reference,
            "allocations": [
                {
                    "claim": references[a.claim_id],
                    "component": a.component,
                    "amount": str(a.amount),
                }
                for a in result.allocations
            ],
            "overpayment": str(result.overpayment),
        },
        True,
    )


@transaction.atomic
def reverse_payment(*, entry: LedgerEntry, on: date, actor: str, reason: str) -> LedgerEntry:
    """Reverse a payment returned by the bank (or posted in error), with its allocations."""
    if entry.kind not in PAYMENT_KINDS:
        raise LedgerError("Only a payment can be reversed here.")
    file = lock_file(entry.file_id)
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise LedgerError("This payment is already reversed.")
    reversal = LedgerEntry.objects.create(
        file=file,
        kind=EntryKind.REVERSAL,
        amount=-entry.amount,
        value_date=on,
        source=entry.source,
        actor=actor,
        note=reason[:300],
        reverses=entry,
    )
    net: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    for claim_id, component, amount in Allocation.objects.filter(entry=entry).values_list(
        "claim_id", "component", "amount"
    ):
        net[(claim_id, component)] += amount
    Allocation.objects.bulk_create(
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
    )
    record_event(
        file,
        "payment_reversed",
        actor=actor,
        message=reason,
        data={"amount": str(-entry.amount), "entry": entry.pk},
        visible_to_debtor=True,
    )
    return reversal


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

    If the debtor had already paid part of what is reduced, that part is released and applied
    to what remains open; anything left is a credit to refund.
    """
    if kind not in (EntryKind.REDUCTION, EntryKind.WRITE_OFF):
        raise LedgerError(f"{kind} is not a reduction kind")
    if amount <= 0:
        raise LedgerError("A reduction must be a positive amount.")
    file = lock_file(claim.file_id)
    book = _read_books([file], as_of=date.max)[file.pk]
    charged = book.charged[claim.pk][component]
    if amount > charged:
        raise LedgerError(f"Cannot reduce {component} by {amount}: only {charged} is charged.")
    entry = LedgerEntry.objects.create(
        file=file,
        claim=claim,
        kind=kind,
        component=component,
        amount=-amount,
        value_date=on,
        source=EntrySource.AGENT,
        actor=actor,
        note=reason[:300],
    )
    book.add_entry(kind, component, claim.pk, -amount, None)
    overpaid = book.paid[claim.pk][component] - book.charged[claim.pk][component]
    if overpaid > 0:
        writes = _Writes()
        _release_and_reapply(book, writes, claim.pk, component, overpaid, on=on)
        writes.flush()
    record_event(
        file,
        "charge_reduced",
        actor=actor,
        message=reason,
        data={"claim": claim.creditor_reference, "component": component, "amount": str(amount)},
        visible_to_debtor=True,
    )
    return entry


@transaction.atomic
def refund_credit(*, file: File, amount: Decimal, on: date, actor: str, reason: str) -> LedgerEntry:
    """Pay back (part of) a credit to the debtor (an overpayment)."""
    file = lock_file(file.pk)
    credit = _booked_balance(file).credit
    if amount <= 0 or amount > credit:
        raise LedgerError(f"The refund must be positive and at most the credit of {credit}.")
    entry = LedgerEntry.objects.create(
        file=file,
        kind=EntryKind.REFUND,
        amount=amount,
        value_date=on,
        source=EntrySource.AGENT,
        actor=actor,
        note=reason[:300],
    )
    record_event(file, "credit_refunded", actor=actor, message=reason, data={"amount": str(amount)})
    return entry


def entries_of(file: File) -> Sequence[LedgerEntry]:
    return list(file.ledger.order_by("value_date", "id"))
