"""What follows payments posted to files from bank movements, set-based: overpayments to
refund, files paid, proofs of payment confirmed, accounts learnt.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from amicable.domain.money import format_eur
from amicable.files import ledger
from amicable.files.bulk import copy_rows, insert_rows
from amicable.files.lifecycle import close_files_as_paid
from amicable.files.models import Debtor, File
from amicable.files.timeline import EventKind, EventRow, record_events
from amicable.payments.matching import CHUNK, payment_date
from amicable.payments.models import BankMovementRecord, DebtorAccount, MatchMethod, Refund
from amicable.proofs.bank import BankPayment, confirm_proofs
from amicable.statements import BankMovement

__all__ = [
    "CURRENCY",
    "Effects",
    "Posted",
    "after_postings",
    "posted_payment",
]

#: The only currency posted to files.
CURRENCY = "EUR"
_IBAN = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}")


@dataclass(frozen=True, slots=True)
class Posted:
    """A payment posted from a movement (or a part of one), for what follows a posting."""

    movement_id: int
    file_id: int
    amount: Decimal
    on: date
    # The credit the posting left on the file, to refund (``Posting.credit_left``).
    overpayment: Decimal
    method: MatchMethod
    structured_reference: str
    counterparty_account: str
    counterparty_name: str
    # What the file's booked charges still asked once this payment was posted.
    outstanding: Decimal


@dataclass(frozen=True, slots=True)
class _FileInfo:
    debtor_id: int
    reference: str
    language: str


@dataclass(slots=True)
class Effects:
    files_paid: int = 0
    overpayments: int = 0
    proofs_confirmed: int = 0


def posted_payment(
    movement_id: int,
    movement: BankMovement | BankMovementRecord,
    file_id: int,
    posting: ledger.Posting,
    method: MatchMethod,
) -> Posted:
    return Posted(
        movement_id=movement_id,
        file_id=file_id,
        amount=-posting.entry.amount,
        on=payment_date(movement),
        overpayment=posting.credit_left,
        method=method,
        structured_reference=movement.structured_reference or "",
        counterparty_account=movement.counterparty_account or "",
        counterparty_name=movement.counterparty_name or "",
        outstanding=posting.booked_outstanding,
    )


def after_postings(posted: Sequence[Posted], *, actor: str, today: date) -> Effects:
    """What follows payments posted to files, set-based: overpayments to refund, files paid,
    proofs confirmed, accounts learnt."""
    effects = Effects()
    if not posted:
        return effects
    file_ids = sorted({p.file_id for p in posted})
    files: list[tuple[int, int, str]] = []
    for start in range(0, len(file_ids), CHUNK):
        files += File.objects.filter(id__any_of=file_ids[start : start + CHUNK]).values_list(
            "id", "debtor_id", "reference"
        )
    # Two lookups by key rather than a join, which the planner answers with a scan of all
    # debtors for every chunk.
    debtor_ids = sorted({debtor_id for _pk, debtor_id, _reference in files})
    languages: dict[int, str] = {}
    for start in range(0, len(debtor_ids), CHUNK):
        languages.update(
            Debtor.objects.filter(id__any_of=debtor_ids[start : start + CHUNK]).values_list(
                "id", "language"
            )
        )
    rows = {
        pk: _FileInfo(debtor_id, reference, languages[debtor_id])
        for pk, debtor_id, reference in files
    }
    effects.overpayments = _record_overpayments(posted, rows, actor=actor)
    effects.files_paid = _close_paid_files(posted, actor=actor)
    effects.proofs_confirmed = confirm_proofs(
        [
            BankPayment(
                movement_id=p.movement_id,
                file_id=p.file_id,
                amount=p.amount,
                on=p.on,
                structured_reference=p.structured_reference,
                by_communication=p.method == MatchMethod.STRUCTURED_REFERENCE,
            )
            for p in posted
        ],
        {pk: info.language for pk, info in rows.items()},
        actor=actor,
    )
    _learn_accounts(posted, rows, today=today)
    return effects


def _record_overpayments(
    posted: Sequence[Posted], rows: dict[int, _FileInfo], *, actor: str
) -> int:
    """A payment above what the file owed leaves a credit: record it as a refund to make, and
    tell the debtor on the timeline, in their language (docs/journeys.md) whatever the agent's."""
    over = [item for item in posted if item.overpayment > 0]
    refunds: list[Refund] = []
    events: list[EventRow] = []
    for item in over:
        info = rows[item.file_id]
        refunds.append(
            Refund(
                movement_id=item.movement_id,
                file_id=item.file_id,
                reference=f"AMR{item.movement_id:08d}-{info.reference}",
                amount=item.overpayment,
                iban=item.counterparty_account,
                name=item.counterparty_name,
                reason=f"overpayment on {info.reference}",
                requested_by=actor,
            )
        )
        with translation.override(info.language):
            message = _("You paid %(amount)s more than you owed: we will pay it back.") % {
                "amount": format_eur(item.overpayment, info.language)
            }
        events.append(
            EventRow(
                item.file_id,
                EventKind.OVERPAYMENT,
                actor,
                message,
                {"amount": str(item.overpayment), "movement": item.movement_id},
            )
        )
    insert_rows(Refund, refunds)
    record_events(events)
    return len(over)


def _close_paid_files(posted: Sequence[Posted], *, actor: str) -> int:
    """Files that owe nothing any more are PAID (old Civil Code art. 1234), set-based.

    The ledger said what each file's booked charges still asked after its last payment here; a
    file whose booked charges are all paid has no principal left, so no interest runs either.
    """
    last_day: dict[int, date] = {}
    owed: dict[int, Decimal] = {}
    for item in posted:  # in posting order: the last one of a file holds its balance
        last_day[item.file_id] = max(item.on, last_day.get(item.file_id, item.on))
        owed[item.file_id] = item.outstanding
    paid_on = {file_id: last_day[file_id] for file_id, left in owed.items() if left <= 0}
    closed = close_files_as_paid(paid_on, actor=actor, reason="paid in full (bank statement)")
    return len(closed)


def _learn_accounts(posted: Sequence[Posted], rows: dict[int, _FileInfo], *, today: date) -> None:
    """Remember the account each debtor paid from (matching rule 3 uses it later)."""
    pairs = {
        (rows[p.file_id].debtor_id, p.counterparty_account)
        for p in posted
        if _IBAN.fullmatch(p.counterparty_account)
    }
    copy_rows(
        DebtorAccount,
        ("debtor_id", "iban", "first_seen_on"),
        [(debtor_id, iban, today) for debtor_id, iban in sorted(pairs)],
        ignore_conflicts=True,
    )
