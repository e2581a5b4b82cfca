"""Permission-checked reads for the portal: a debtor sees only their own files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from amicable.domain import law
from amicable.files.ledger import FileBalance, file_balance
from amicable.files.models import Claim, File
from amicable.files.numbers import normalize_file_reference

SESSION_DEBTOR = "portal_debtor_id"
SESSION_FILE = "portal_file_id"


def signed_in_debtor_id(request: HttpRequest) -> int | None:
    value = request.session.get(SESSION_DEBTOR)
    return value if isinstance(value, int) else None


def list_files_for_debtor(debtor_id: int) -> QuerySet[File]:
    """All files of one debtor (same Debtor row), newest first (journeys.md, "Getting in")."""
    return (
        File.objects.filter(debtor_id=debtor_id)
        .select_related("creditor", "debtor")
        .order_by("-opened_on", "-id")
    )


def access_file_for_debtor(request: HttpRequest, reference: str) -> File:
    """The file ``reference`` if it belongs to the signed-in debtor; 404 in every other case.

    A 404 (not a 403) for another debtor's file, so that changing the number in the address
    does not even tell whether that file exists.
    """
    debtor_id = signed_in_debtor_id(request)
    if debtor_id is None:
        raise Http404
    file = (
        File.objects.filter(reference=normalize_file_reference(reference), debtor_id=debtor_id)
        .select_related("creditor", "debtor")
        .first()
    )
    if file is None:
        raise Http404
    return file


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


@dataclass(frozen=True, slots=True)
class Breakdown:
    """What a file owes today and why (journey 1; CEL art. XIX.2 and XIX.4)."""

    as_of: date
    balance: FileBalance
    principal_charged: Decimal
    indemnity_cap: Decimal
    claims: tuple[ClaimView, ...]


def _claim_view(claim: Claim) -> ClaimView:
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
    )


def get_breakdown(file: File, *, today: date) -> Breakdown:
    """The balance as of ``today`` with the cap of art. XIX.4 on the principal claimed.

    The cap shown is the one of the law on the principal of the file (the outstanding balance
    when the indemnity was set), so the debtor can check that the indemnity is within it.
    """
    claims = list(file.claims.order_by("due_date", "id"))
    principal_charged = sum((c.principal for c in claims), Decimal("0.00"))
    return Breakdown(
        as_of=today,
        balance=file_balance(file, as_of=today),
        principal_charged=principal_charged,
        indemnity_cap=law.max_indemnity(principal_charged),
        claims=tuple(_claim_view(c) for c in claims),
    )
