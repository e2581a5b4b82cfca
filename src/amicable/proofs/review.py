"""An agent reviews a proof of payment a debtor uploaded (docs/journeys.md, journey 3).

Accepted, a proof of a payment made to the creditor is posted as a creditor payment; rejected,
the debtor reads why, in their language, with one of the :class:`RejectionReason` sentences or
the agent's own words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amicable.domain.lifecycle import AgentAction
from amicable.domain.money import ZERO, format_eur
from amicable.files import ledger
from amicable.files.actions import ActionRefused, check_action
from amicable.files.lifecycle import close_files_as_paid
from amicable.files.models import (
    Document,
    EntryKind,
    EntrySource,
    Event,
    File,
    ReviewStatus,
)
from amicable.files.timeline import EventKind, record_event
from amicable.proofs.queue import settle_review_items

__all__ = [
    "REJECTION_LABELS",
    "REJECTION_SENTENCES",
    "PaidTo",
    "ProofPayment",
    "RejectionReason",
    "review_proof",
]


class RejectionReason(StrEnum):
    """Why a proof of payment is refused; each has a sentence for the debtor in four languages."""

    UNREADABLE = "unreadable"
    TRANSFER_ORDER = "transfer_order"
    DETAILS_MISSING = "details_missing"
    OTHER_PAYMENT = "other_payment"
    NOT_RECEIVED = "not_received"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(REJECTION_LABELS[self])


# What the debtor reads (docs/journeys.md, journey 3: what a clear proof shows). For OTHER the
# agent writes the reason.
REJECTION_SENTENCES = {
    RejectionReason.UNREADABLE: gettext_lazy("The document cannot be read."),
    RejectionReason.TRANSFER_ORDER: gettext_lazy(
        "It is a transfer order, not a proof that the payment was made."
    ),
    RejectionReason.DETAILS_MISSING: gettext_lazy(
        "It does not show the amount, the date, the reference used and the accounts paid "
        "from and to."
    ),
    RejectionReason.OTHER_PAYMENT: gettext_lazy("It concerns another payment or another file."),
    RejectionReason.NOT_RECEIVED: gettext_lazy(
        "Neither we nor the creditor have received the payment it shows."
    ),
}
#: The choices the agent sees.
REJECTION_LABELS = {
    **REJECTION_SENTENCES,
    RejectionReason.OTHER: gettext_lazy("Another reason, written below for the debtor"),
}


class PaidTo(StrEnum):
    AGENCY = "agency"
    CREDITOR = "creditor"


@dataclass(frozen=True, slots=True)
class ProofPayment:
    """The payment an accepted proof shows."""

    amount: Decimal
    value_date: date
    paid_to: PaidTo


@transaction.atomic
def review_proof(
    *,
    document: Document,
    accepted: bool,
    actor: str,
    now: datetime,
    reason: RejectionReason | None = None,
    note_for_debtor: str = "",
    payment: ProofPayment | None = None,
) -> Event:
    """Accept or reject a proof of payment a debtor uploaded (docs/journeys.md, journey 3).

    The document gets its review status, the proof-review item closes, and the debtor is told
    on the timeline in their language. An accepted proof of a payment made **to the creditor**
    is posted as a creditor payment (imputed like any payment, docs/legal.md, section 6); a payment
    made **to the agency** is posted from the bank statement that carries it, never by hand, so
    the same money cannot be booked twice.
    """
    file = ledger.lock_file(document.file_id)
    check_action(file, AgentAction.REVIEW_PROOF)
    if not accepted and reason is None:
        raise ActionRefused(_("Choose why the proof is rejected."))
    if reason is RejectionReason.OTHER and not note_for_debtor.strip():
        raise ActionRefused(_("Write the reason for the debtor."))
    status = ReviewStatus.ACCEPTED if accepted else ReviewStatus.REJECTED
    updated = Document.objects.filter(pk=document.pk, review_status=ReviewStatus.PENDING).update(
        review_status=status,
        review_reason=(reason.value if reason else "")
        + (f": {note_for_debtor.strip()}" if note_for_debtor.strip() else ""),
        reviewed_by=actor,
        reviewed_at=now,
    )
    if updated != 1:
        raise ActionRefused(_("This document is not waiting for a review."))
    posting = None
    if accepted and payment is not None and payment.paid_to is PaidTo.CREDITOR:
        try:
            posting = ledger.post_payment(
                file=file,
                amount=payment.amount,
                value_date=payment.value_date,
                actor=actor,
                source=EntrySource.AGENT,
                source_reference=f"document:{document.pk}",
                kind=EntryKind.CREDITOR_PAYMENT,
                note=f"proof of payment {document.original_name}",
            )
        except ledger.LedgerError as exc:
            raise ActionRefused(str(exc)) from exc
    # The file's review item closes with its last proof reviewed (proofs.queue).
    settle_review_items(
        file.pk,
        outcome=f"{status}" + (f" ({reason})" if reason else ""),
        actor=actor,
        now=now,
    )
    with translation.override(file.debtor.language):
        if accepted:
            message = _("We accepted your proof of payment “%(name)s”.") % {
                "name": document.original_name
            }
            if posting is not None and payment is not None:
                message += " " + _(
                    "The payment of %(amount)s of %(date)s to the creditor is now shown on "
                    "your file."
                ) % {
                    "amount": format_eur(payment.amount, file.debtor.language),
                    "date": formats.date_format(payment.value_date, "DATE_FORMAT"),
                }
        else:
            assert reason is not None
            message = _("We could not accept your proof of payment “%(name)s”.") % {
                "name": document.original_name
            }
            if reason in REJECTION_SENTENCES:
                message += " " + str(REJECTION_SENTENCES[reason])
            if note_for_debtor.strip():
                message += " " + note_for_debtor.strip()
            message += " " + _(
                "You can upload a clear proof, or pay the amount shown on your file."
            )
    event = record_event(
        file,
        EventKind.PROOF_ACCEPTED if accepted else EventKind.PROOF_REJECTED,
        actor=actor,
        message=message,
        data={
            "document": document.pk,
            "reason": reason.value if reason else "",
            "note": note_for_debtor.strip(),
            "payment": (
                {
                    "amount": str(payment.amount),
                    "value_date": payment.value_date.isoformat(),
                    "paid_to": payment.paid_to.value,
                    "posted": posting is not None,
                }
                if accepted and payment is not None
                else None
            ),
        },
    )
    if posting is not None:
        _close_if_paid(file, actor=actor, on=timezone.localdate(now))
    return event


def _close_if_paid(file: File, *, actor: str, on: date) -> None:
    """A payment that leaves nothing due ends the file (old Civil Code art. 1234), where the
    lifecycle lets it close."""
    if ledger.file_balance(file, as_of=on).outstanding <= ZERO:
        close_files_as_paid({file.pk: on}, actor=actor, reason="paid")
