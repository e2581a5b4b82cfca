"""From models and ledger balances to the API's output schemas (amounts as strings)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from amicable.domain.imputation import Component, Share
from amicable.domain.money import plain_amount
from amicable.domain.references import ogm_format
from amicable.files.ledger import ClaimBalance, FileBalance, file_balance
from amicable.files.models import Claim, Document, File
from amicable.files.selectors import list_claims, list_timeline
from amicable.files.timeline import Audience
from amicable.intake.schemas import (
    AllocationOut,
    BalanceOut,
    ClaimBalanceOut,
    ClaimOut,
    DebtorOut,
    DocumentOut,
    EventOut,
    FileOut,
    FileSummaryOut,
)


def money(value: Decimal) -> str:
    """An amount as the API writes it: two decimals, a point, no exponent ("120.50")."""
    return plain_amount(value)


def balance_out(balance: FileBalance) -> BalanceOut:
    return BalanceOut(
        as_of=balance.as_of,
        principal=money(balance.principal),
        indemnity=money(balance.indemnity),
        interest=money(balance.interest),
        interest_booked=money(balance.interest_booked),
        interest_accrued=money(balance.interest_accrued),
        reminder_costs=money(balance.reminder_costs),
        paid=money(balance.paid),
        credit=money(balance.credit),
        outstanding=money(balance.outstanding),
    )


def claim_balance_out(balance: ClaimBalance) -> ClaimBalanceOut:
    return ClaimBalanceOut(
        principal=money(balance.outstanding(Component.PRINCIPAL)),
        indemnity=money(balance.outstanding(Component.INDEMNITY)),
        interest=money(balance.outstanding(Component.INTEREST)),
        reminder_costs=money(balance.outstanding(Component.REMINDER_COST)),
        outstanding=money(balance.total_outstanding),
    )


def claim_out(claim: Claim, balance: ClaimBalance) -> ClaimOut:
    return ClaimOut(
        creditor_reference=claim.creditor_reference,
        description=claim.description,
        invoice_date=claim.invoice_date,
        due_date=claim.due_date,
        principal=money(claim.principal),
        contract_date=claim.contract_date,
        regular_supply=claim.regular_supply,
        first_reminder_sent_on=claim.first_reminder_sent_on,
        first_reminder_channel=claim.first_reminder_channel or None,
        grace_last_day=claim.grace_last_day,
        first_chargeable_day=claim.first_chargeable_day,
        allowed_indemnity=money(claim.allowed_indemnity),
        indemnity_reciprocity=claim.indemnity_reciprocity,
        interest_applies=claim.interest_applies,
        applied_interest_rate=(
            None if claim.applied_interest_rate is None else f"{claim.applied_interest_rate:f}"
        ),
        balance=claim_balance_out(balance),
    )


def file_out(file: File, *, as_of: date) -> FileOut:
    """The whole file: state, debtor, claims with their balance, file balance, timeline."""
    balance = file_balance(file, as_of=as_of)
    by_claim = {b.claim_id: b for b in balance.claims}
    debtor = file.debtor
    return FileOut(
        reference=file.reference,
        creditor_reference=file.creditor_reference,
        state=file.file_state,
        structured_communication=ogm_format(file.structured_communication),
        opened_on=file.opened_on,
        closed_on=file.closed_on,
        closed_reason=file.closed_reason,
        updated_at=file.updated_at,
        debtor=DebtorOut(
            customer_reference=debtor.customer_reference,
            name=debtor.name,
            address=debtor.address,
            postal_code=debtor.postal_code,
            city=debtor.city,
            country=debtor.country,
            language=debtor.language,
            email=debtor.email,
            phone=debtor.phone,
            birth_date=debtor.birth_date,
        ),
        claims=[claim_out(c, by_claim[c.pk]) for c in list_claims(file)],
        balance=balance_out(balance),
        timeline=[
            EventOut(at=e.at, kind=e.kind, message=e.message, data=e.data)
            for e in list_timeline(file, audience=Audience.CREDITOR)
        ],
    )


def file_summary_out(file: File) -> FileSummaryOut:
    return FileSummaryOut(
        reference=file.reference,
        creditor_reference=file.creditor_reference,
        state=file.file_state,
        customer_reference=file.debtor.customer_reference,
        opened_on=file.opened_on,
        closed_on=file.closed_on,
        updated_at=file.updated_at,
    )


def document_out(document: Document) -> DocumentOut:
    return DocumentOut(
        id=document.pk,
        kind=document.kind,
        claim=document.claim.creditor_reference if document.claim else None,
        original_name=document.original_name,
        content_type=document.content_type,
        size=document.size,
        sha256=document.sha256,
        uploaded_at=document.uploaded_at,
    )


def allocation_out(allocation: Share, claims: dict[int, Claim]) -> AllocationOut:
    return AllocationOut(
        claim=claims[allocation.claim_id].creditor_reference,
        component=allocation.component,
        amount=money(allocation.amount),
    )
