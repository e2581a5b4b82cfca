"""A debtor sends a proof of a payment they made (docs/journeys.md, journey 3).

The proof changes nothing on the ledger: it waits in the agents' queue, due in
:data:`PROOF_REVIEW_WORKING_DAYS` working days, until an agent reviews it
(:mod:`amicable.proofs.review`) or the bank movement it announces confirms it
(:mod:`amicable.proofs.bank`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from amicable.domain.calendar import add_working_days
from amicable.files.documents import store_debtor_upload
from amicable.files.ledger import lock_file
from amicable.files.models import Document, DocumentKind, File
from amicable.files.timeline import EventKind, record_event
from amicable.files.uploads import CheckedUpload
from amicable.proofs.queue import PROOF_REVIEW_WORKING_DAYS, queue_for_review

__all__ = [
    "PROOF_REVIEW_WORKING_DAYS",
    "VISIBLE_AFTER_WORKING_DAYS",
    "DeclaredPayment",
    "payment_visible_by",
    "submit_proof_of_payment",
]

#: When a payment shows on the file (docs/journeys.md, journey 3): paid to the agency, the bank
#: statement of the next days brings it; paid to the creditor, the creditor must report it to us
#: first.
VISIBLE_AFTER_WORKING_DAYS = {"agency": 3, "creditor": 5}


def payment_visible_by(*, paid_on: date, paid_to: str) -> date:
    """The working day by which a payment made on ``paid_on`` should show on the file."""
    return add_working_days(paid_on, VISIBLE_AFTER_WORKING_DAYS[paid_to])


@dataclass(frozen=True, slots=True)
class DeclaredPayment:
    """What the debtor says about the payment a proof shows; each part may be left out.

    Stored on the proof's work item, where the bank import reads ``amount`` and
    ``structured_communication`` to confirm the proof when the payment arrives.
    """

    paid_to: str
    paid_on: date | None = None
    amount: Decimal | None = None
    #: The 12 digits of an OGM, or a compact RF reference (amicable.domain.references).
    structured_communication: str = ""

    def as_data(self) -> dict[str, str]:
        data = {"paid_to": self.paid_to}
        if self.paid_on is not None:
            data["paid_on"] = self.paid_on.isoformat()
        if self.amount is not None:
            data["amount"] = str(self.amount)
        if self.structured_communication:
            data["structured_communication"] = self.structured_communication
        return data


def _proof_title(file: File, declared: DeclaredPayment) -> str:
    """The work item's title, for the agents' queue (staff data, not translated)."""
    what = f"{declared.amount} paid" if declared.amount is not None else "payment"
    when = f" on {declared.paid_on:%d/%m/%Y}" if declared.paid_on is not None else ""
    return f"{file.reference}: proof of {what} to the {declared.paid_to}{when}"


@transaction.atomic
def submit_proof_of_payment(
    *,
    file: File,
    upload: CheckedUpload,
    original_name: str,
    declared: DeclaredPayment,
    today: date,
    actor: str,
) -> Document:
    """Store a proof of payment, pending review, in the file's review item (opened, due in 3
    working days, by the first proof; :mod:`amicable.proofs.queue`).

    The proof changes nothing on the ledger: only a bank movement, or an agent who accepts the
    proof, registers a payment.
    """
    if declared.paid_to not in VISIBLE_AFTER_WORKING_DAYS:
        raise ValueError(f"paid_to must be 'agency' or 'creditor', not {declared.paid_to!r}.")
    if declared.amount is not None and declared.amount <= 0:
        raise ValueError(f"A declared amount is more than 0, not {declared.amount}.")
    # Locked, so that proofs sent at once join one review item.
    file = lock_file(file.pk)
    document = store_debtor_upload(
        file=file, upload=upload, original_name=original_name, kind=DocumentKind.PROOF_OF_PAYMENT
    )
    details = {"document_id": document.pk, **declared.as_data()}
    queue_for_review(
        file=file,
        document=document,
        declared=declared.as_data(),
        today=today,
        title=_proof_title(file, declared),
    )
    record_event(
        file,
        EventKind.PROOF_OF_PAYMENT_UPLOADED,
        actor=actor,
        data={**details, "sha256": document.sha256},
    )
    return document
