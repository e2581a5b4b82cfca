"""A bank movement confirms the proofs of payment it bears out (docs/journeys.md, journey 3).

When a bank statement posts a payment to a file, the debtor's pending proofs on that file are
compared with it: a proof is confirmed when the payment is the amount the debtor declared with
it, or uses the structured communication declared, or, when none was declared, the file's own
(or an instalment's) communication. The debtor is told in their language; the proof's review
item closes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from amicable.domain.money import format_eur
from amicable.domain.references import classify_reference
from amicable.files.lookups import ANY_OF_CHUNK
from amicable.files.models import Document, DocumentKind, File, ReviewStatus, WorkItem, WorkItemKind
from amicable.files.timeline import EventKind, record_event
from amicable.proofs.queue import declared_proofs, settle_review_items

__all__ = ["BankPayment", "confirm_proofs"]


@dataclass(frozen=True, slots=True)
class BankPayment:
    """A payment that a bank movement brought to a file."""

    movement_id: int
    file_id: int
    amount: Decimal
    on: date
    structured_reference: str
    #: Matched to the file by the file's own (or an instalment's) structured communication.
    by_communication: bool


def _declared(data: Mapping[str, Any]) -> tuple[Decimal | None, str]:
    """The amount and structured communication a debtor gave with a proof, if any."""
    amount = Decimal(str(data["amount"])) if data.get("amount") else None
    raw = str(data.get("structured_communication") or data.get("communication") or "")
    reference = classify_reference(raw) if raw else None
    return amount, reference.value if reference is not None else ""


def _bears_out(payment: BankPayment, *, amount: Decimal | None, communication: str) -> bool:
    return (
        (amount is not None and payment.amount == amount)
        or bool(communication and payment.structured_reference == communication)
        or (not communication and payment.by_communication)
    )


def confirm_proofs(
    payments: Sequence[BankPayment], languages: Mapping[int, str], *, actor: str
) -> int:
    """Confirm the pending proofs of payment that ``payments`` bear out; returns how many.

    ``languages`` gives each file's debtor language, for the sentence the debtor reads.
    """
    by_file: dict[int, list[BankPayment]] = defaultdict(list)
    for payment in payments:
        by_file[payment.file_id].append(payment)
    file_ids = sorted(by_file)
    documents: list[Document] = []
    for start in range(0, len(file_ids), ANY_OF_CHUNK):
        documents += Document.objects.filter(
            file_id__any_of=file_ids[start : start + ANY_OF_CHUNK],
            kind=DocumentKind.PROOF_OF_PAYMENT,
            review_status=ReviewStatus.PENDING,
        ).order_by("id")
    if not documents:
        return 0
    # What the debtor declared with each proof, from the files' review items (proofs.queue).
    declared: dict[int, dict[str, Any]] = {}
    for item in WorkItem.objects.filter(
        file_id__in={document.file_id for document in documents}, kind=WorkItemKind.PROOF_REVIEW
    ).only("document_id", "data"):
        declared.update(declared_proofs(item))
    now = timezone.now()
    count = 0
    for document in documents:
        amount, communication = _declared(declared.get(document.pk, {}))
        proof = next(
            (
                p
                for p in by_file[document.file_id]
                if _bears_out(p, amount=amount, communication=communication)
            ),
            None,
        )
        if proof is None:
            continue
        updated = Document.objects.filter(
            pk=document.pk, review_status=ReviewStatus.PENDING
        ).update(
            review_status=ReviewStatus.CONFIRMED,
            review_reason=f"bank movement {proof.movement_id} of {proof.amount} EUR",
            reviewed_by=actor,
            reviewed_at=now,
        )
        if updated != 1:
            continue
        settle_review_items(
            document.file_id,
            outcome=f"confirmed by bank movement {proof.movement_id}",
            actor=actor,
            now=now,
        )
        language = languages[document.file_id]
        with translation.override(language):
            message = _(
                "Your proof of payment “%(name)s” is confirmed: we received your payment of "
                "%(amount)s of %(date)s."
            ) % {
                "name": document.original_name,
                "amount": format_eur(proof.amount, language),
                "date": formats.date_format(proof.on, "DATE_FORMAT"),
            }
        record_event(
            File(pk=document.file_id),
            EventKind.PROOF_CONFIRMED,
            actor=actor,
            message=message,
            data={
                "document": document.pk,
                "movement": proof.movement_id,
                "amount": str(proof.amount),
            },
        )
        count += 1
    return count
