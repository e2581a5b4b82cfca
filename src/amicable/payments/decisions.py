"""An agent decides on a movement left to them: post it to a file (:func:`assign_movement`),
split it over several (:func:`split_movement`), pay it back (:func:`mark_for_refund`) or record
an outgoing one as concerning no file (:func:`dismiss_movement`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone, translation

from amicable.domain.lifecycle import OPEN_STATES
from amicable.domain.money import CENT, ZERO
from amicable.files import ledger
from amicable.files.actions import ActionRefused
from amicable.files.models import EntrySource, File, LedgerEntry
from amicable.payments.matching import method_note, payment_date
from amicable.payments.models import (
    BankMovementRecord,
    MatchMethod,
    MovementAssignment,
    MovementStatus,
    Refund,
)
from amicable.payments.outcomes import close_queue_items
from amicable.payments.postings import (
    CURRENCY,
    Posted,
    after_postings,
    posted_payment,
)

__all__ = [
    "PaymentsError",
    "assign_movement",
    "dismiss_movement",
    "mark_for_refund",
    "split_movement",
]


class PaymentsError(ActionRefused):
    """An agent's decision on a movement refused, with the reason (nothing was written)."""


def _lock_unmatched(movement: BankMovementRecord, *, credit: bool) -> BankMovementRecord:
    locked = BankMovementRecord.objects.select_for_update().get(pk=movement.pk)
    if locked.status != MovementStatus.UNMATCHED:
        raise PaymentsError(
            "This movement is not waiting for an agent any more "
            f"({_english(locked.get_status_display)})."
        )
    if credit and (locked.amount <= 0 or locked.currency != CURRENCY):
        raise PaymentsError("Only an incoming euro payment can be posted or refunded.")
    return locked


def _check_postable(file: File) -> None:
    if file.file_state not in OPEN_STATES:
        raise PaymentsError(
            f"File {file.reference} is {file.state}: refund the payment instead of posting it."
        )


@transaction.atomic
def assign_movement(
    *, movement: BankMovementRecord, file: File, actor: str, today: date | None = None
) -> BankMovementRecord:
    """Post an unmatched payment to the file an agent chose (whole amount)."""
    return _post_parts(movement=movement, parts=[(file, movement.amount)], actor=actor, today=today)


@transaction.atomic
def split_movement(
    *,
    movement: BankMovementRecord,
    parts: Sequence[tuple[File, Decimal]],
    actor: str,
    today: date | None = None,
) -> BankMovementRecord:
    """Post an unmatched payment over several files (one debtor paying for two files, a
    family paying together). The parts are positive, in cents, on different files, and add up
    to the amount received; each is imputed within its file (docs/legal.md, section 6)."""
    if len(parts) < 2:
        raise PaymentsError("A split needs at least two files.")
    return _post_parts(movement=movement, parts=parts, actor=actor, today=today)


def _post_parts(
    *,
    movement: BankMovementRecord,
    parts: Sequence[tuple[File, Decimal]],
    actor: str,
    today: date | None,
) -> BankMovementRecord:
    today = today or timezone.localdate()
    locked = _lock_unmatched(movement, credit=True)
    amounts = [amount for _file, amount in parts]
    if any(isinstance(a, float) for a in amounts):
        raise TypeError("Amounts are Decimal, never float.")
    if any(a <= 0 or a != a.quantize(CENT) for a in amounts):
        raise PaymentsError("Each part must be a positive amount in cents.")
    if len({file.pk for file, _amount in parts}) != len(parts):
        raise PaymentsError("Each file may appear once.")
    if sum(amounts, ZERO) != locked.amount:
        raise PaymentsError(
            f"The parts add up to {sum(amounts, ZERO)}, the payment is {locked.amount:.2f}."
        )
    # The files as they are now, locked in id order (two agents never deadlock on them).
    current = {pk: ledger.lock_file(pk) for pk in sorted(file.pk for file, _amount in parts)}
    parts = [(current[file.pk], amount) for file, amount in parts]
    for file, _amount in parts:
        _check_postable(file)
    posted: list[Posted] = []
    entries: list[LedgerEntry] = []
    split = len(parts) > 1
    method = MatchMethod.AGENT_SPLIT if split else MatchMethod.AGENT
    for index, (file, amount) in enumerate(parts, 1):
        try:
            posting = ledger.post_payment(
                file=file,
                amount=amount,
                value_date=payment_date(locked),
                actor=actor,
                source=EntrySource.STATEMENT,
                source_reference=f"{locked.identity}/{index}" if split else locked.identity,
                note=f"bank movement {locked.pk}, {method_note(method)}",
            )
        except ledger.LedgerError as error:
            raise PaymentsError(str(error)) from error
        MovementAssignment.objects.create(
            movement=locked, file=file, amount=amount, entry=posting.entry, assigned_by=actor
        )
        posted.append(posted_payment(locked.pk, locked, file.pk, posting, method))
        entries.append(posting.entry)
    now = timezone.now()
    locked.status = MovementStatus.ASSIGNED
    locked.match_method = method
    locked.confidence = Decimal("1.00")
    locked.reason = ""
    locked.file = None if split else parts[0][0]
    locked.entry = None if split else entries[0]
    locked.decided_by = actor
    locked.decided_at = now
    locked.save()
    close_queue_items(
        [locked.pk],
        actor=actor,
        now=now,
        outcome="posted to " + ", ".join(f"{f.reference} ({a:.2f})" for f, a in parts),
    )
    after_postings(posted, actor=actor, today=today)
    return locked


@transaction.atomic
def mark_for_refund(*, movement: BankMovementRecord, actor: str, reason: str) -> Refund:
    """Pay an unmatched payment back to its sender (not ours, or for a file that is closed).

    The refund is marked paid when the outgoing transfer shows on a statement (its reference in
    the communication, or the same amount to the same account).
    """
    if not reason.strip():
        raise PaymentsError("Say why the payment is refunded.")
    locked = _lock_unmatched(movement, credit=True)
    if not locked.counterparty_account:
        raise PaymentsError("The sender's account is not known: the payment cannot be refunded.")
    refund = Refund.objects.create(
        movement=locked,
        reference=f"AMR{locked.pk:08d}",
        amount=locked.amount,
        iban=locked.counterparty_account,
        name=locked.counterparty_name,
        reason=reason.strip()[:300],
        requested_by=actor,
    )
    now = timezone.now()
    locked.status = MovementStatus.TO_REFUND
    locked.decided_by = actor
    locked.decided_at = now
    locked.reason = reason.strip()[:300]
    locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    close_queue_items([locked.pk], actor=actor, now=now, outcome=f"to refund: {reason}")
    return refund


@transaction.atomic
def dismiss_movement(
    *, movement: BankMovementRecord, actor: str, reason: str
) -> BankMovementRecord:
    """Record an outgoing movement from the queue as not concerning any file, with the reason."""
    if not reason.strip():
        raise PaymentsError("Say why the movement concerns no file.")
    locked = _lock_unmatched(movement, credit=False)
    if locked.amount > 0:
        raise PaymentsError("An incoming payment is posted or refunded, never dismissed.")
    now = timezone.now()
    locked.status = MovementStatus.IGNORED
    locked.reason = reason.strip()[:300]
    locked.decided_by = actor
    locked.decided_at = now
    locked.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    close_queue_items([locked.pk], actor=actor, now=now, outcome=f"dismissed: {reason}")
    return locked


def _english(label: Callable[[], object]) -> str:
    """A choice's label in English: the notes and titles stored for the audit record are
    written in English whatever the language of the request that writes them."""
    with translation.override("en"):
        return str(label())
