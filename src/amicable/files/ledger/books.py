"""A file's books read once, kept current in memory, and the balance they give.

Every path that moves money or shows it reads the books here: the statement import posting
100,000 payments, the daily run deciding a thousand files at a time, an agent's single action,
the portal's breakdown and the letters. :func:`read_books` reads the claims, the ledger summed
per claim, component and kind, and the principal paid per day, in three queries per 5,000 files
whatever their number; a :class:`Book` then answers every question with the rules of
:mod:`amicable.domain.charges` (interest owed through a day, indemnity balances), so that the
same question always gets the same answer, whoever asks it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Case, DateField, F, Max, Min, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from amicable.domain.charges import (
    ClaimIndemnity,
    ClaimInterest,
    InterestLine,
    interest_due,
    interest_lines,
)
from amicable.domain.imputation import Component, OpenItem
from amicable.domain.interest import RateTable
from amicable.domain.law import IndemnityClause, Reciprocity
from amicable.domain.lifecycle import FileState, rules_for
from amicable.domain.money import CENT, ZERO
from amicable.domain.settlement import is_settled
from amicable.files.models import Allocation, Claim, EntryKind, File, LedgerEntry
from amicable.files.prepared import PreparedRead

__all__ = [
    "BOOK_CHUNK",
    "CHARGE_COMPONENTS",
    "PAYMENT_KINDS",
    "Book",
    "ClaimBalance",
    "ClaimTerms",
    "FileBalance",
    "FileTerms",
    "read_books",
]

CHARGE_COMPONENTS = (
    Component.PRINCIPAL,
    Component.INDEMNITY,
    Component.INTEREST,
    Component.REMINDER_COST,
)
PAYMENT_KINDS = (EntryKind.PAYMENT, EntryKind.CREDITOR_PAYMENT)
# Entries by which a person or a decision lowers a charge (not the interest calculation itself).
WAIVER_KINDS = (EntryKind.REDUCTION, EntryKind.WRITE_OFF)

#: Files read at a time by :func:`read_books` (the ids travel as one array parameter).
BOOK_CHUNK = 5000


@dataclass(slots=True)
class ClaimTerms:
    """What the books read of a claim: its contract terms and its first reminder.

    Plain values, not model instances: a batch reads 100,000 claims at once, and building a
    model instance for each would cost more than the query. The daily run updates the first
    reminder's fields in memory when it sends one.
    """

    pk: int
    file_id: int
    creditor_reference: str
    due_date: date
    principal: Decimal
    contract_date: date | None
    regular_supply: bool
    indemnity_clause: bool
    indemnity_percent: Decimal | None
    indemnity_minimum: Decimal | None
    indemnity_fixed: Decimal | None
    requested_indemnity: Decimal | None
    allowed_indemnity: Decimal
    indemnity_reciprocity: str
    interest_applies: bool
    applied_interest_rate: Decimal | None
    reminder_cost_clause: bool
    first_reminder_sent_on: date | None
    first_reminder_channel: str
    grace_last_day: date | None
    first_chargeable_day: date | None
    # Prescription (docs/legal.md, section 8): the category's period (None: no category, the
    # general period applies), the last interruption, the day it was found time-barred.
    prescription_months: int | None = None
    prescription_interrupted_on: date | None = None
    time_barred_on: date | None = None

    @property
    def clause(self) -> IndemnityClause | None:
        """The damages clause as written, or None (CEL art. XIX.4: no clause, no indemnity)."""
        if not self.indemnity_clause:
            return None
        return IndemnityClause(
            percent=self.indemnity_percent,
            minimum=self.indemnity_minimum,
            fixed=self.indemnity_fixed,
        )


CLAIM_FIELDS = tuple(ClaimTerms.__dataclass_fields__)
_COLUMN_OF = {"pk": "id", "prescription_months": "category__period_months"}
CLAIM_COLUMNS = tuple(_COLUMN_OF.get(name, name) for name in CLAIM_FIELDS)
FILE_FIELDS = ("id", "state", "interest_stops_on")


@dataclass(slots=True)
class FileTerms:
    """What the books read of a file."""

    pk: int
    state: FileState
    interest_stops_on: date | None


_NOTHING_PER_COMPONENT: dict[Component, Decimal] = dict.fromkeys(CHARGE_COMPONENTS, ZERO)


def _components() -> dict[Component, Decimal]:
    # A copy keeps the table's hashes: building it again would hash each enum member (in
    # Python) for each of the batch's claims.
    return _NOTHING_PER_COMPONENT.copy()


# A component from its stored value, without the enum's lookup (a batch reads a million rows).
_COMPONENTS: dict[str, Component] = {c.value: c for c in Component} | {c: c for c in Component}


def unallocated(*, payments: Decimal, allocated: Decimal, refunded: Decimal) -> Decimal:
    """A file's credit: the money received (net of payments returned) that no charge was paid
    with and that was not refunded."""
    return payments - allocated - refunded


def _per_entry() -> defaultdict[tuple[int, Component], dict[EntryKey, Decimal]]:
    return defaultdict(dict)


#: A ledger entry as a batch names it: (0, id) once saved, (1, n) for the n-th entry the batch
#: writes. Sorted, the later entries come last, as their ids will.
EntryKey = tuple[int, int]


@dataclass(slots=True)
class Book:
    """A file's ledger summed up per claim and component, current in memory.

    ``charged`` is what the ledger holds on each component (charges net of reductions,
    write-offs and recalculations), ``paid`` what the payments' allocations paid of it.
    ``principal_paid`` is the principal paid per day it takes effect (for interest);
    ``waived`` the interest that people or decisions took off (reductions and write-offs),
    which the interest calculation never books again; ``booked_through`` the last day of
    interest booked; ``indemnity_on`` the day a claim's indemnity was charged, if it was.
    """

    file: FileTerms
    claims: list[ClaimTerms] = field(default_factory=list)  # oldest due date first
    charged: dict[int, dict[Component, Decimal]] = field(default_factory=dict)
    paid: dict[int, dict[Component, Decimal]] = field(default_factory=dict)
    principal_paid: dict[int, dict[date, Decimal]] = field(default_factory=dict)
    waived: dict[int, Decimal] = field(default_factory=dict)
    booked_through: dict[int, date | None] = field(default_factory=dict)
    indemnity_on: dict[int, date | None] = field(default_factory=dict)
    payments: Decimal = ZERO
    refunded: Decimal = ZERO
    ledger_sum: Decimal = ZERO
    # ``charged`` less ``paid`` over every claim and component, kept as they change (the daily
    # run asks it of every file every day): :attr:`booked_outstanding`.
    charged_less_paid: Decimal = ZERO
    # ``paid`` summed over every claim and component, kept as it changes (each payment posted
    # asks it twice): :attr:`credit`.
    allocated: Decimal = ZERO
    # What each payment entry paid of each claim's component, read only when a part of a
    # payment must be released (see ``corrections``): None until then, plus this batch's own.
    paid_by: dict[tuple[int, Component], dict[EntryKey, Decimal]] | None = None
    paid_by_batch: defaultdict[tuple[int, Component], dict[EntryKey, Decimal]] = field(
        default_factory=_per_entry
    )
    # The value date of the payment entries this batch wrote, and of those read for a release.
    entry_days: dict[EntryKey, date] = field(default_factory=dict)

    # --- reading -----------------------------------------------------------------------------

    def add_claim(self, claim: ClaimTerms) -> None:
        self.claims.append(claim)
        self.charged[claim.pk] = _components()
        self.paid[claim.pk] = _components()
        self.principal_paid[claim.pk] = {}
        self.waived[claim.pk] = ZERO
        self.booked_through[claim.pk] = None
        self.indemnity_on[claim.pk] = None

    def add_entry(
        self,
        kind: str,
        component: str,
        claim_id: int | None,
        amount: Decimal,
        *,
        period_end: date | None = None,
        value_date: date | None = None,
        reversed_kind: str | None = None,
    ) -> None:
        self.ledger_sum += amount
        if component and claim_id is not None:
            part = _COMPONENTS[component]
            self.charged[claim_id][part] += amount
            self.charged_less_paid += amount
            if part is Component.INTEREST and kind in WAIVER_KINDS:
                self.waived[claim_id] -= amount
            if part is Component.INTEREST and kind == EntryKind.CHARGE and period_end:
                current = self.booked_through[claim_id]
                self.booked_through[claim_id] = max(current or period_end, period_end)
            if part is Component.INDEMNITY and kind == EntryKind.CHARGE and value_date:
                current_day = self.indemnity_on[claim_id]
                self.indemnity_on[claim_id] = min(current_day or value_date, value_date)
        elif kind in PAYMENT_KINDS or (
            kind == EntryKind.REVERSAL and reversed_kind in PAYMENT_KINDS
        ):
            self.payments -= amount
        elif kind == EntryKind.REFUND or (
            kind == EntryKind.REVERSAL and reversed_kind == EntryKind.REFUND
        ):
            self.refunded += amount

    def add_allocation(
        self,
        claim_id: int,
        component: str,
        amount: Decimal,
        *,
        effective: date | None = None,
        entry: EntryKey | None = None,
    ) -> None:
        """An allocation of ``amount`` to a claim's component; principal counts for interest
        from ``effective``, the day the money was paid."""
        part = _COMPONENTS[component]
        self.paid[claim_id][part] += amount
        self.charged_less_paid -= amount
        self.allocated += amount
        if part is Component.PRINCIPAL and effective is not None:
            days = self.principal_paid[claim_id]
            days[effective] = days.get(effective, ZERO) + amount
        if entry is not None:
            by_entry = self.paid_by_batch[(claim_id, part)]
            by_entry[entry] = by_entry.get(entry, ZERO) + amount
            if self.paid_by is not None:
                loaded = self.paid_by[(claim_id, part)]
                loaded[entry] = loaded.get(entry, ZERO) + amount

    # --- questions ---------------------------------------------------------------------------

    @property
    def accrues_interest(self) -> bool:
        return rules_for(self.file.state).accrues_interest

    @property
    def charging_allowed(self) -> bool:
        return rules_for(self.file.state).charging

    @property
    def principal_charged(self) -> Decimal:
        return sum((self.charged[c.pk][Component.PRINCIPAL] for c in self.claims), ZERO)

    def claim_interest(self, claim: ClaimTerms) -> ClaimInterest:
        """What the interest of ``claim`` depends on, from the books as they stand."""
        return ClaimInterest(
            applies=claim.interest_applies,
            first_chargeable_day=claim.first_chargeable_day,
            rate=claim.applied_interest_rate,
            base=self.charged[claim.pk][Component.PRINCIPAL],
            paid=tuple(sorted(self.principal_paid[claim.pk].items())),
        )

    def interest_lines(
        self, claim: ClaimTerms, *, through: date, rates: RateTable
    ) -> tuple[InterestLine, ...]:
        return interest_lines(
            self.claim_interest(claim),
            through=through,
            stops_on=self.file.interest_stops_on,
            rates=rates,
        )

    def interest_owed(self, claim: ClaimTerms, *, through: date, rates: RateTable) -> Decimal:
        """The interest the claim owes through ``through``, less what was waived on it."""
        owed = interest_due(
            self.claim_interest(claim),
            through=through,
            stops_on=self.file.interest_stops_on,
            rates=rates,
        )
        return owed - self.waived[claim.pk]

    def indemnity_terms(self, claim: ClaimTerms, *, on: date) -> ClaimIndemnity:
        """What the indemnity of ``claim`` depends on: its principal on the day it was (or, if
        it was not yet, would be) charged."""
        charged_on = self.indemnity_on[claim.pk] or on
        return ClaimIndemnity(
            claim_id=claim.pk,
            balance=self.claim_interest(claim).principal_on(charged_on),
            clause=claim.clause,
            requested=claim.requested_indemnity,
            contract_date=claim.contract_date,
            allowed_at_intake=claim.allowed_indemnity,
            first_chargeable_day=claim.first_chargeable_day,
            booked=self.charged[claim.pk][Component.INDEMNITY],
            reciprocity=Reciprocity(claim.indemnity_reciprocity),
        )

    def open_items(self, *, interest_through: date | None, rates: RateTable) -> list[OpenItem]:
        """The booked charges not paid yet: what a payment can pay.

        Interest not booked cannot be paid. With ``interest_through``, interest booked for days
        after it (a month's end booked before a payment dated earlier) is not open either: a
        payment pays the interest owed up to the day before its value date.
        """
        items = []
        for claim in self.claims:
            charged, paid = self.charged[claim.pk], self.paid[claim.pk]
            for component in CHARGE_COMPONENTS:
                open_amount = charged[component]
                if (
                    component is Component.INTEREST
                    and interest_through is not None
                    and (self.booked_through[claim.pk] or date.min) > interest_through
                ):
                    owed = self.interest_owed(claim, through=interest_through, rates=rates)
                    open_amount = min(open_amount, owed)
                amount = open_amount - paid[component]
                if amount > 0:
                    items.append(
                        OpenItem(
                            claim_id=claim.pk,
                            component=component,
                            amount=amount,
                            due_date=claim.due_date,
                        )
                    )
        return items

    @property
    def credit(self) -> Decimal:
        """Money received and not used for any charge, as the books stand in memory (the
        :attr:`FileBalance.credit` of the same books)."""
        return unallocated(payments=self.payments, allocated=self.allocated, refunded=self.refunded)

    @property
    def booked_outstanding(self) -> Decimal:
        """What the booked charges still ask (interest not booked left out): what every
        claim's components were charged less what was paid of them."""
        return self.charged_less_paid

    def is_settled(self, *, on: date, rates: RateTable) -> bool:
        """Whether the file owes nothing on ``on``, interest owed to that day included
        (:func:`amicable.domain.settlement.is_settled`: the one definition of "paid")."""
        booked = self.booked_outstanding
        if booked > 0:
            return False  # (the common case, decided without counting interest)
        accrued = ZERO
        if self.accrues_interest:
            for claim in self.claims:
                through = max(on, self.booked_through[claim.pk] or on)
                owed = self.interest_owed(claim, through=through, rates=rates)
                accrued += owed - self.charged[claim.pk][Component.INTEREST]
        return is_settled(principal_charged=self.principal_charged, outstanding=booked + accrued)

    def balance(self, *, as_of: date, rates: RateTable | None) -> FileBalance:
        """The balance on ``as_of``; with ``rates``, interest owed through that day counts,
        booked or not (the file must accrue interest), else only what is booked."""
        counting = rates is not None and self.accrues_interest
        claims = []
        for claim in self.claims:
            lines: tuple[InterestLine, ...] = ()
            accrued = ZERO
            if counting:
                assert rates is not None
                lines = self.interest_lines(claim, through=as_of, rates=rates)
                owed = sum((line.amount for line in lines), ZERO) - self.waived[claim.pk]
                accrued = owed - self.charged[claim.pk][Component.INTEREST]
            claims.append(
                ClaimBalance(
                    claim_id=claim.pk,
                    reference=claim.creditor_reference,
                    charged=dict(self.charged[claim.pk]),
                    paid=dict(self.paid[claim.pk]),
                    interest_accrued=accrued,
                    interest_booked_through=self.booked_through[claim.pk],
                    interest_lines=lines,
                    interest_waived=self.waived[claim.pk],
                )
            )
        return FileBalance(
            as_of=as_of,
            claims=tuple(claims),
            payments=self.payments,
            refunded=self.refunded,
            ledger_sum=self.ledger_sum,
        )


@dataclass(frozen=True, slots=True)
class ClaimBalance:
    """What one claim owes on a day, per component.

    ``interest_accrued`` is the interest owed and not booked yet (negative when booked interest
    will be taken back); ``interest_lines`` how the interest owed was counted, line by rate.
    """

    claim_id: int
    reference: str
    charged: dict[Component, Decimal]
    paid: dict[Component, Decimal]
    interest_accrued: Decimal
    interest_booked_through: date | None
    interest_lines: tuple[InterestLine, ...] = ()
    interest_waived: Decimal = ZERO

    def owed(self, component: Component) -> Decimal:
        """Everything the claim carries on ``component``, interest owed to the day included."""
        value = self.charged[component]
        if component is Component.INTEREST:
            value += self.interest_accrued
        return value

    def outstanding(self, component: Component) -> Decimal:
        return self.owed(component) - self.paid[component]

    @property
    def total_outstanding(self) -> Decimal:
        return sum((self.outstanding(c) for c in CHARGE_COMPONENTS), ZERO)


@dataclass(frozen=True, slots=True)
class FileBalance:
    """What a file owes on a day, per component and per claim (CEL art. XIX.4)."""

    as_of: date
    claims: tuple[ClaimBalance, ...]
    payments: Decimal  # everything received (agency and creditor), net of returned payments
    refunded: Decimal
    ledger_sum: Decimal  # booked entries only (interest not booked is not in the ledger)

    def owed_of(self, component: Component) -> Decimal:
        return sum((c.owed(component) for c in self.claims), ZERO)

    def paid_of(self, component: Component) -> Decimal:
        return sum((c.paid[component] for c in self.claims), ZERO)

    def outstanding_of(self, component: Component) -> Decimal:
        return sum((c.outstanding(component) for c in self.claims), ZERO)

    @property
    def principal(self) -> Decimal:
        return self.outstanding_of(Component.PRINCIPAL)

    @property
    def principal_charged(self) -> Decimal:
        return sum((c.charged[Component.PRINCIPAL] for c in self.claims), ZERO)

    @property
    def indemnity(self) -> Decimal:
        return self.outstanding_of(Component.INDEMNITY)

    @property
    def interest(self) -> Decimal:
        return self.outstanding_of(Component.INTEREST)

    @property
    def interest_accrued(self) -> Decimal:
        return sum((c.interest_accrued for c in self.claims), ZERO)

    @property
    def interest_booked(self) -> Decimal:
        return self.interest - self.interest_accrued

    @property
    def reminder_costs(self) -> Decimal:
        return self.outstanding_of(Component.REMINDER_COST)

    @property
    def allocated(self) -> Decimal:
        return sum((sum(c.paid.values(), ZERO) for c in self.claims), ZERO)

    @property
    def credit(self) -> Decimal:
        """Money received and not used for any charge: to be refunded or used later."""
        return unallocated(payments=self.payments, allocated=self.allocated, refunded=self.refunded)

    @property
    def paid(self) -> Decimal:
        return self.payments - self.refunded

    @property
    def outstanding(self) -> Decimal:
        return self.principal + self.indemnity + self.interest + self.reminder_costs


def read_books(
    files: Sequence[FileTerms],
    *,
    as_of: date = date.max,
    rows: Q | None = None,
    claims: Sequence[ClaimTerms] | None = None,
) -> dict[int, Book]:
    """The books of ``files`` as of a day: three queries per 5,000 files.

    ``rows`` may replace the list of file ids in the queries of the claims, entries and
    allocations (the daily run reads a batch by its id range, which the database plans
    better than a list); rows of files not in ``files`` are then ignored. ``claims``: every
    claim of ``files``, by due date and id, read already by the caller (:func:`claim_terms`).
    """
    books = {file.pk: Book(file=file) for file in files}
    if claims is not None:
        for claim in claims:
            books[claim.file_id].add_claim(claim)
    ids = sorted(books)
    if rows is None and len(ids) == 1:
        # One file (a page, an agent's action, a payment): the same reads, prepared.
        file_id = ids[0]
        if claims is None:
            _add_claims(books, _CLAIMS_OF_ONE(file_id=file_id))
        _add_entries(books, _ENTRIES_OF_ONE(file_id=file_id, as_of=as_of), as_of=as_of)
        _add_allocations(books, _ALLOCATIONS_OF_ONE(file_id=file_id, as_of=as_of))
        return books
    chunks = [Q(file_id__any_of=ids[i : i + BOOK_CHUNK]) for i in range(0, len(ids), BOOK_CHUNK)]
    for in_chunk in [rows] if rows is not None else chunks:
        if claims is None:
            _add_claims(books, _claims(in_chunk))
        _add_entries(books, _entries(in_chunk, as_of=as_of), as_of=as_of)
        _add_allocations(books, _allocations(in_chunk, as_of=as_of))
    return books


def claim_terms(claim: Claim) -> ClaimTerms:
    """The terms :func:`read_books` reads of ``claim``, from its row (its ``category`` read
    with it, ``select_related``)."""
    category = claim.category if claim.category_id is not None else None
    return ClaimTerms(
        **{name: getattr(claim, name) for name in CLAIM_FIELDS if name != "prescription_months"},
        prescription_months=category.period_months if category is not None else None,
    )


def _claims(in_chunk: Q) -> QuerySet[Claim, tuple[Any, ...]]:
    return Claim.objects.filter(in_chunk).order_by("due_date", "id").values_list(*CLAIM_COLUMNS)


def _add_claims(books: dict[int, Book], rows: Iterable[tuple[Any, ...]]) -> None:
    for row in rows:
        claim = ClaimTerms(*row)
        book = books.get(claim.file_id)
        if book is not None:
            book.add_claim(claim)


def _entries(in_chunk: Q, *, as_of: date) -> QuerySet[LedgerEntry, tuple[Any, ...]]:
    return (
        LedgerEntry.objects.filter(in_chunk, value_date__lte=as_of)
        .order_by()
        .values("file_id", "claim_id", "component", "kind")
        .annotate(total=Sum("amount"), through=Max("period_end"), first=Min("value_date"))
        .values_list("file_id", "claim_id", "component", "kind", "total", "through", "first")
    )


def _add_entries(
    books: dict[int, Book], entries: Iterable[tuple[Any, ...]], *, as_of: date
) -> None:
    reversed_in: list[int] = []
    for file_id, claim_id, component, kind, total, through, first in entries:
        book = books.get(file_id)
        if book is None or (claim_id is not None and claim_id not in book.charged):
            continue
        if kind == EntryKind.REVERSAL and not component:
            # What a reversal reverses (a payment, a refund) is read apart: they are rare, and
            # the join it takes would slow the reading of every other entry.
            reversed_in.append(file_id)
            continue
        book.add_entry(
            kind,
            component,
            claim_id,
            # SQLite sums decimals as floats: back to exact cents.
            total.quantize(CENT),
            period_end=through,
            value_date=first,
        )
    if reversed_in:
        reversals = (
            LedgerEntry.objects.filter(
                file_id__any_of=reversed_in,
                kind=EntryKind.REVERSAL,
                claim_id__isnull=True,
                value_date__lte=as_of,
            )
            .order_by()
            .values("file_id", "reverses__kind")
            .annotate(total=Sum("amount"))
            .values_list("file_id", "reverses__kind", "total")
        )
        for file_id, reversed_kind, total in reversals:
            books[file_id].add_entry(
                EntryKind.REVERSAL,
                "",
                None,
                total.quantize(CENT),
                reversed_kind=reversed_kind,
            )


def _allocations(in_chunk: Q, *, as_of: date) -> QuerySet[Allocation, tuple[Any, ...]]:
    # One query: principal needs the day each payment was made (for interest), which only the
    # entry holds (the returned payment's, for a reversal); the other components only a sum.
    effective = Case(
        When(
            component=Component.PRINCIPAL,
            then=Coalesce(F("entry__reverses__value_date"), F("entry__value_date")),
        ),
        default=Value(None),
        output_field=DateField(),
    )
    return (
        Allocation.objects.filter(in_chunk, value_date__lte=as_of)
        .annotate(effective=effective)
        .order_by()
        .values("file_id", "claim_id", "component", "effective")
        .annotate(total=Sum("amount"))
        .values_list("file_id", "claim_id", "component", "effective", "total")
    )


def _add_allocations(books: dict[int, Book], rows: Iterable[tuple[Any, ...]]) -> None:
    for file_id, claim_id, component, day, total in rows:
        book = books.get(file_id)
        if book is not None and claim_id in book.paid:
            book.add_allocation(claim_id, component, total.quantize(CENT), effective=day)


#: The reads of one file's books, prepared (``files.prepared``): on a page, the ORM's work of
#: building and compiling them cost more than the database's answer.
_CLAIMS_OF_ONE = PreparedRead(
    "the claims of a file", lambda file_id: _claims(Q(file_id=file_id)), file_id=int
)
_ENTRIES_OF_ONE = PreparedRead(
    "the entries of a file",
    lambda file_id, as_of: _entries(Q(file_id=file_id), as_of=as_of),
    file_id=int,
    as_of=date,
)
_ALLOCATIONS_OF_ONE = PreparedRead(
    "the allocations of a file",
    lambda file_id, as_of: _allocations(Q(file_id=file_id), as_of=as_of),
    file_id=int,
    as_of=date,
)


def load_paid_by(book: Book) -> dict[tuple[int, Component], dict[EntryKey, Decimal]]:
    """What each payment entry paid of each component of ``book``'s claims (one query, read
    the first time a part of a payment must be released), this batch's own included."""
    if book.paid_by is None:
        paid_by: dict[tuple[int, Component], dict[EntryKey, Decimal]] = defaultdict(dict)
        # A reversal's allocations count against the payment it reverses: a payment the bank
        # returned pays nothing, so nothing is ever released from it.
        rows = (
            Allocation.objects.filter(file_id=book.file.pk)
            .order_by()
            .values(
                "claim_id",
                "component",
                paid_with=Coalesce("entry__reverses_id", "entry_id"),
                paid_on=Coalesce("entry__reverses__value_date", "entry__value_date"),
            )
            .annotate(total=Sum("amount"))
            .values_list("claim_id", "component", "paid_with", "paid_on", "total")
        )
        for claim_id, component, entry_id, value_date, total in rows:
            paid_by[(claim_id, Component(component))][(0, entry_id)] = total.quantize(CENT)
            book.entry_days[(0, entry_id)] = value_date
        for key, by_entry in book.paid_by_batch.items():
            for entry, amount in by_entry.items():
                if entry[0] == 1:
                    paid_by[key][entry] = paid_by[key].get(entry, ZERO) + amount
        book.paid_by = paid_by
    return book.paid_by


def file_terms(file: File) -> FileTerms:
    return FileTerms(pk=file.pk, state=file.file_state, interest_stops_on=file.interest_stops_on)
