"""Permission-checked reads for the portal: a debtor sees only their own files."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.http import Http404, HttpRequest
from django.utils.translation import get_language

from amicable.domain import law
from amicable.domain.charges import last_day_with_rates
from amicable.domain.imputation import Component
from amicable.domain.money import ZERO
from amicable.files.documents import list_downloadable
from amicable.files.ledger import PAYMENT_KINDS, FileBalance, file_balance
from amicable.files.models import Allocation, Claim, Document, EntryKind, File, LedgerEntry
from amicable.files.numbers import is_file_reference, normalize_file_reference
from amicable.files.prepared import PreparedRead
from amicable.files.rates import rate_table
from amicable.letters.amounts import reciprocity_reason

SESSION_DEBTOR = "portal_debtor_id"
SESSION_FILE = "portal_file_id"


def signed_in_debtor_id(request: HttpRequest) -> int | None:
    value = request.session.get(SESSION_DEBTOR)
    return value if isinstance(value, int) else None


def list_files_for_debtor(debtor_id: int) -> QuerySet[File]:
    """All files of one debtor (same Debtor row), newest first (docs/journeys.md, "Getting in"),
    but those whose personal data was erased at the end of their retention period."""
    return (
        File.objects.filter(debtor_id=debtor_id, erased_on__isnull=True)
        .select_related("creditor", "debtor")
        .order_by("-opened_on", "-id")
    )


def access_file_for_debtor(request: HttpRequest, reference: str) -> File:
    """The file ``reference`` if it belongs to the signed-in debtor; 404 in every other case.

    A 404 (not a 403) for another debtor's file, so that changing the number in the address
    does not even tell whether that file exists.
    """
    debtor_id = signed_in_debtor_id(request)
    normalized = normalize_file_reference(reference)
    # Checked before any query, as for a creditor: a malformed reference names no file.
    if debtor_id is None or not is_file_reference(normalized):
        raise Http404
    found = _DEBTOR_FILE(reference=normalized, debtor_id=debtor_id)
    if len(found) != 1:
        raise Http404
    return found[0]


#: Read on every page of the portal: prepared (``files.prepared``).
_DEBTOR_FILE = PreparedRead(
    "a debtor's file",
    lambda reference, debtor_id: File.objects.select_related("creditor", "debtor").filter(
        reference=reference, debtor_id=debtor_id, erased_on__isnull=True
    )[:2],
    reference=str,
    debtor_id=int,
)


def access_document_for_debtor(request: HttpRequest, reference: str, document_id: int) -> Document:
    """A document of the signed-in debtor's file that they may download; 404 otherwise.

    Both the file and the document are checked: the document must belong to that file, and be a
    supporting document of the debt or one the debtor sent (``files.documents``).
    """
    file = access_file_for_debtor(request, reference)
    document = list_downloadable(file).filter(pk=document_id).first()
    if document is None:
        raise Http404
    return document


# --- journey 1: what is owed and why ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClaimView:
    """One invoice of the file with the dates and rates that explain its costs."""

    reference: str
    description: str
    invoice_date: date
    due_date: date
    principal: Decimal
    first_reminder_sent_on: date | None
    grace_starts_on: date | None
    grace_last_day: date | None
    interest_applies: bool
    interest_rate: Decimal | None  # None with interest_applies: the civil legal rate
    # The day the daily run found the invoice time-barred (docs/legal.md, section 8): from
    # then on the portal never presents it as owed.
    time_barred_on: date | None = None
    # Why the damages clause gives no indemnity (CEL art. VI.83, 17°), in the debtor's
    # language; None when it is declared reciprocal or there is no clause.
    indemnity_withheld: str | None = None


@dataclass(frozen=True, slots=True)
class AccountLine:
    """One component of the file: charged, paid of it, still owed (``charged - paid``)."""

    component: Component
    charged: Decimal
    paid: Decimal
    owed: Decimal


#: The components as the portal lists them: what was bought, then what its late payment costs.
ACCOUNT_COMPONENTS = (
    Component.PRINCIPAL,
    Component.INDEMNITY,
    Component.INTEREST,
    Component.REMINDER_COST,
)


@dataclass(frozen=True, slots=True)
class Account:
    """The file's account as the debtor reads it: per component, what was charged, what the
    payments paid of it and what is still owed, and the totals of each column.

    Every figure is the ledger's (:class:`~amicable.files.ledger.FileBalance`): "charged" is
    ``owed_of`` (interest owed to the day included), "paid" ``paid_of``, "still owed"
    ``outstanding_of``; so each line adds up, each column sums to its total, and the total owed
    is the balance, as on the dated statement of account. Money received beyond what was used
    is ``credit``, shown apart: never a negative amount owed.
    """

    lines: tuple[AccountLine, ...]
    credit: Decimal

    @property
    def principal(self) -> AccountLine:
        return self._line(Component.PRINCIPAL)

    @property
    def indemnity(self) -> AccountLine:
        return self._line(Component.INDEMNITY)

    @property
    def interest(self) -> AccountLine:
        return self._line(Component.INTEREST)

    @property
    def reminder_costs(self) -> AccountLine:
        return self._line(Component.REMINDER_COST)

    @property
    def charged(self) -> Decimal:
        return sum((line.charged for line in self.lines), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((line.paid for line in self.lines), ZERO)

    @property
    def owed(self) -> Decimal:
        return sum((line.owed for line in self.lines), ZERO)

    def _line(self, component: Component) -> AccountLine:
        return next(line for line in self.lines if line.component is component)


def account_of(balance: FileBalance) -> Account:
    """The account of a file's balance, per component (read from it, never recomputed)."""
    return Account(
        lines=tuple(
            AccountLine(
                component=component,
                charged=balance.owed_of(component),
                paid=balance.paid_of(component),
                owed=balance.outstanding_of(component),
            )
            for component in ACCOUNT_COMPONENTS
        ),
        credit=max(balance.credit, ZERO),
    )


@dataclass(frozen=True, slots=True)
class Breakdown:
    """What a file owes today and why (journey 1; CEL art. XIX.2 and XIX.4).

    ``interest_counted_to`` is the last day interest is counted when the rate table stops before
    ``as_of`` (:func:`amicable.domain.charges.last_day_with_rates`), else None.
    """

    as_of: date
    balance: FileBalance
    account: Account
    principal_charged: Decimal
    indemnity_cap: Decimal
    claims: tuple[ClaimView, ...]
    interest_counted_to: date | None = None

    @property
    def grace_last_days(self) -> tuple[date, ...]:
        """The days the 14-day periods of the invoices' first reminders ended, oldest first."""
        return tuple(sorted({c.grace_last_day for c in self.claims if c.grace_last_day}))


def _claim_view(claim: Claim, *, booked: bool = False) -> ClaimView:
    starts_on = None
    if claim.first_reminder_sent_on is not None and claim.first_reminder_channel:
        starts_on = law.grace_period(
            claim.first_reminder_sent_on, claim.first_reminder_channel
        ).starts_on
    return ClaimView(
        reference=claim.creditor_reference,
        description=claim.description,
        invoice_date=claim.invoice_date,
        due_date=claim.due_date,
        principal=claim.principal,
        first_reminder_sent_on=claim.first_reminder_sent_on,
        grace_starts_on=starts_on,
        grace_last_day=claim.grace_last_day,
        interest_applies=claim.interest_applies,
        interest_rate=claim.applied_interest_rate,
        time_barred_on=claim.time_barred_on,
        indemnity_withheld=(
            reciprocity_reason(
                claim.indemnity_reciprocity, booked=booked, language=get_language() or "fr"
            )
            if claim.indemnity_clause
            else None
        ),
    )


#: The claims of a file with their prescription category, read on its page: prepared.
_CLAIMS = PreparedRead(
    "the claims of a file with their category",
    lambda file_id: (
        Claim.objects.filter(file_id=file_id).select_related("category").order_by("due_date", "id")
    ),
    file_id=int,
)


def get_breakdown(file: File, *, today: date) -> Breakdown:
    """The balance as of ``today`` with the cap of art. XIX.4 on the principal claimed.

    The cap shown is the one of the law on the principal of the file (the outstanding balance
    when the indemnity was set), so the debtor can check that the indemnity is within it.
    """
    claims = _CLAIMS(file_id=file.pk)
    principal_charged = sum((c.principal for c in claims), Decimal("0.00"))
    rates = rate_table()
    balance = file_balance(file, as_of=today, rates=rates, claims=claims)
    booked = {c.claim_id: c.charged[Component.INDEMNITY] for c in balance.claims}
    last_day = last_day_with_rates(rates)
    bears_interest = any(c.interest_applies for c in claims)
    return Breakdown(
        as_of=today,
        balance=balance,
        account=account_of(balance),
        principal_charged=principal_charged,
        indemnity_cap=law.max_indemnity(principal_charged),
        claims=tuple(_claim_view(c, booked=booked.get(c.pk, ZERO) != ZERO) for c in claims),
        interest_counted_to=last_day if bears_interest and last_day < today else None,
    )


# --- journey 3: the payments registered and how each was split -------------------------------


@dataclass(frozen=True, slots=True)
class Transaction:
    """One payment received on the file and what it paid (docs/legal.md, section 6).

    ``allocated`` is what the payment was used for; the rest of ``amount`` is a credit to
    refund. A payment returned by the bank has ``returned`` set and nothing allocated.
    """

    entry_id: int
    value_date: date
    amount: Decimal
    paid_to_creditor: bool
    returned: bool
    interest: Decimal
    indemnity: Decimal
    reminder_costs: Decimal
    principal: Decimal

    @property
    def allocated(self) -> Decimal:
        return self.interest + self.indemnity + self.reminder_costs + self.principal

    @property
    def credit(self) -> Decimal:
        return Decimal("0.00") if self.returned else self.amount - self.allocated


def list_transactions(file: File) -> list[Transaction]:
    """Every payment of ``file``, oldest first, with its split from the Allocation rows.

    The allocations of a payment's reversal (a payment returned by the bank) are counted with
    the payment they cancel, so a returned payment shows as paying nothing.
    """
    payments = list(
        LedgerEntry.objects.filter(file=file, kind__in=PAYMENT_KINDS)
        .order_by("value_date", "id")
        .values_list("id", "value_date", "amount", "kind")
    )
    returned = set(
        LedgerEntry.objects.filter(
            file=file, kind=EntryKind.REVERSAL, reverses__kind__in=PAYMENT_KINDS
        ).values_list("reverses_id", flat=True)
    )
    split: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for entry_id, reversed_id, component, amount in (
        Allocation.objects.filter(file=file)
        .values("entry_id", "entry__reverses_id", "component")
        .annotate(total=Sum("amount"))
        .values_list("entry_id", "entry__reverses_id", "component", "total")
    ):
        split[reversed_id or entry_id][component] += amount
    zero = Decimal("0.00")
    return [
        Transaction(
            entry_id=entry_id,
            value_date=value_date,
            amount=-amount,
            paid_to_creditor=kind == EntryKind.CREDITOR_PAYMENT,
            returned=entry_id in returned,
            interest=split[entry_id].get(Component.INTEREST, zero),
            indemnity=split[entry_id].get(Component.INDEMNITY, zero),
            reminder_costs=split[entry_id].get(Component.REMINDER_COST, zero),
            principal=split[entry_id].get(Component.PRINCIPAL, zero),
        )
        for entry_id, value_date, amount, kind in payments
    ]


def paid_only_the_principal(breakdown: Breakdown) -> bool:
    """The debtor has paid at least the invoices' amount, and costs or interest remain.

    The portal then explains that the indemnity and interest stay due, and that a payment pays
    interest and costs before the principal (old Civil Code art. 1254; docs/legal.md, section 6).
    """
    balance = breakdown.balance
    return (
        breakdown.principal_charged > 0
        and balance.paid >= breakdown.principal_charged
        and balance.outstanding > 0
    )
