"""Outgoing bank movements: refunds we ordered, payments returned by the bank, and the rest.

A payment returned by the bank reverses its posting and reopens a file it had closed as paid,
at the stage it had reached (``files.lifecycle.reopened_state``); a refund we ordered is marked
paid; anything else is recorded as not ours, with the reason, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from amicable.domain.lifecycle import FileState
from amicable.files import ledger
from amicable.files.lifecycle import change_file_state, reopened_state
from amicable.files.models import File, LedgerEntry
from amicable.payments.matching import CHUNK
from amicable.payments.models import (
    BankMovementRecord,
    MatchMethod,
    MovementAssignment,
    MovementStatus,
    Refund,
    RefundStatus,
)
from amicable.payments.outcomes import Outcome, close_queue_items
from amicable.statements import BankMovement

__all__ = ["RETURNABLE", "apply_debits"]

#: Credits an outgoing movement may take back (a refund first needs its own decision).
RETURNABLE = (MovementStatus.MATCHED, MovementStatus.ASSIGNED, MovementStatus.UNMATCHED)
_REFUND_REFERENCE = re.compile(r"AMR\d{8}(?:-AM\d{8})?", re.IGNORECASE)
_NOT_PROVIDED = {"", "NOTPROVIDED"}


@dataclass(slots=True)
class _Credit:
    """An earlier credit that an outgoing movement may take back."""

    id: int
    amount: Decimal
    status: MovementStatus
    file_id: int | None
    entry_id: int | None
    end_to_end_id: str
    structured_reference: str
    counterparty_account: str
    booking_date: date


def _credits_named_by(
    debits: Sequence[tuple[int, BankMovement]],
    outcomes: dict[int, Outcome],
    here: Sequence[tuple[int, BankMovement]],
) -> list[_Credit]:
    """The credits that share an end-to-end id or a structured reference with a debit."""
    e2e = sorted({m.end_to_end_id for _, m in debits if m.end_to_end_id} - _NOT_PROVIDED)
    refs = sorted({m.structured_reference for _, m in debits if m.structured_reference})
    rows: dict[int, _Credit] = {}
    fields = (
        "id",
        "amount",
        "status",
        "file_id",
        "entry_id",
        "end_to_end_id",
        "structured_reference",
        "counterparty_account",
        "booking_date",
    )
    for key, values in (("end_to_end_id", e2e), ("structured_reference", refs)):
        for start in range(0, len(values), CHUNK):
            for row in BankMovementRecord.objects.filter(
                **{f"{key}__in": values[start : start + CHUNK]}, amount__gt=0
            ).values_list(*fields):
                credit = _Credit(*row)
                credit.status = MovementStatus(credit.status)
                rows[credit.id] = credit
    # The credits of this same import: written with their outcomes at its end.
    named_e2e, named_refs = set(e2e), set(refs)
    for movement_id, m in here:
        if m.amount > 0 and (
            (m.end_to_end_id or "") in named_e2e or (m.structured_reference or "") in named_refs
        ):
            outcome = outcomes[movement_id]
            rows[movement_id] = _Credit(
                movement_id,
                m.amount,
                outcome.status,
                outcome.file_id,
                outcome.entry_id,
                m.end_to_end_id or "",
                m.structured_reference or "",
                m.counterparty_account or "",
                m.booking_date,
            )
    return sorted(rows.values(), key=lambda c: (c.booking_date, c.id), reverse=True)


def _original_of(movement: BankMovement, credits: Sequence[_Credit]) -> tuple[_Credit, str] | None:
    """The credit that an outgoing movement takes back, and how it was recognised.

    The same end-to-end id and amount; or, for a movement the bank marks as a return or a
    reversal, the same structured reference, amount and counterparty account.
    """
    amount = -movement.amount
    returnable = [
        c
        for c in credits
        if c.amount == amount and c.status in RETURNABLE and c.booking_date <= movement.booking_date
    ]
    e2e = movement.end_to_end_id or ""
    if e2e not in _NOT_PROVIDED:
        for credit in returnable:
            if credit.end_to_end_id == e2e:
                return credit, "end-to-end id"
    if movement.structured_reference:
        for credit in returnable:
            if (
                credit.structured_reference == movement.structured_reference
                and credit.counterparty_account == (movement.counterparty_account or "")
            ):
                return credit, "structured reference and account"
    return None


def apply_debits(
    debits: Sequence[tuple[int, BankMovement]],
    outcomes: dict[int, Outcome],
    *,
    actor: str,
    imported: Sequence[tuple[int, BankMovement]] = (),
) -> int:
    """Refunds we ordered, payments returned by the bank, and the rest (not ours).

    ``imported`` are the movements of this same import (key, movement), and ``outcomes`` what
    became of them: they are written at its end, and a return may take back one of them."""
    if not debits:
        return 0
    pending = list(Refund.objects.filter(status=RefundStatus.PENDING).order_by("id"))
    by_reference = {r.reference.upper(): r for r in pending}
    named = _credits_named_by(debits, outcomes, imported)
    returns = 0
    for movement_id, movement in debits:
        refund = _refund_paid_by(movement, pending, by_reference)
        if refund is not None:
            outcome = _pay_refund(refund, movement_id, movement, outcomes, actor=actor)
            if outcome.status == MovementStatus.REFUND:
                pending.remove(refund)
            outcomes[movement_id] = outcome
            continue
        found = _original_of(movement, named)
        is_return = movement.is_reversal or bool(movement.return_reason)
        if found is not None:
            credit, how = found
            outcomes[movement_id] = _take_back(credit, movement, how, outcomes, actor=actor)
            returns += 1
        elif is_return:
            outcomes[movement_id] = Outcome(
                MovementStatus.UNMATCHED,
                reason="a payment returned by the bank whose original payment is not found",
            )
        else:
            outcomes[movement_id] = Outcome(
                MovementStatus.IGNORED,
                reason="outgoing, neither a refund we ordered nor a returned payment"
                + (
                    f" (transaction code {movement.transaction_code})"
                    if movement.transaction_code
                    else ""
                ),
            )
    return returns


def _refund_paid_by(
    movement: BankMovement, pending: Sequence[Refund], by_reference: dict[str, Refund]
) -> Refund | None:
    """The pending refund an outgoing movement pays: its reference in the end-to-end id or the
    communication, else the only pending refund of that amount to that account."""
    text = f"{movement.end_to_end_id or ''} {movement.communication}"
    for reference in _REFUND_REFERENCE.findall(text):
        refund = by_reference.get(reference.upper())
        if refund is not None and refund.status == RefundStatus.PENDING:
            return refund
    if not movement.counterparty_account:
        return None
    same = [
        r
        for r in pending
        if r.amount == -movement.amount and r.iban == movement.counterparty_account
    ]
    return same[0] if len(same) == 1 else None


def _pay_refund(
    refund: Refund,
    movement_id: int,
    movement: BankMovement,
    outcomes: dict[int, Outcome],
    *,
    actor: str,
) -> Outcome:
    entry: LedgerEntry | None = None
    if refund.file_id is not None:
        try:
            entry = ledger.refund_credit(
                file=File(pk=refund.file_id),
                amount=refund.amount,
                on=movement.booking_date,
                actor=actor,
                reason=f"refund {refund.reference}",
            )
        except ledger.LedgerError as error:
            return Outcome(MovementStatus.UNMATCHED, reason=f"refund {refund.reference}: {error}")
    elif refund.movement_id in outcomes:  # a credit of this same import, not written yet
        outcomes[refund.movement_id].status = MovementStatus.REFUNDED
    else:
        BankMovementRecord.objects.filter(pk=refund.movement_id).update(
            status=MovementStatus.REFUNDED
        )
    refund.status = RefundStatus.PAID
    refund.paid_by_id = movement_id
    refund.entry = entry
    refund.save(update_fields=["status", "paid_by", "entry"])
    return Outcome(
        MovementStatus.REFUND,
        method=MatchMethod.REFUND,
        confidence=Decimal("1.00"),
        file_id=refund.file_id,
        entry_id=entry.pk if entry else None,
        original_id=refund.movement_id,
        reason=f"refund {refund.reference}",
    )


def _take_back(
    credit: _Credit,
    movement: BankMovement,
    how: str,
    outcomes: dict[int, Outcome],
    *,
    actor: str,
) -> Outcome:
    """A payment returned by the bank: reverse its posting(s) and reopen a file closed as paid.

    The debt was never extinguished (old Civil Code art. 1234 needs a payment that stands), so
    the file goes back to the stage it had reached (``lifecycle``: PAID may go back).
    """
    reason = "payment returned by the bank" + (
        f" ({movement.return_reason})" if movement.return_reason else ""
    )
    entry_ids = (
        [credit.entry_id]
        if credit.entry_id
        else list(
            MovementAssignment.objects.filter(movement_id=credit.id)
            .order_by("id")
            .values_list("entry_id", flat=True)
        )
    )
    reversals: list[LedgerEntry] = []
    file_ids: list[int] = []
    for entry in LedgerEntry.objects.filter(pk__in=entry_ids).order_by("id"):
        reversals.append(
            ledger.reverse_payment(
                entry=entry, on=movement.booking_date, actor=actor, reason=reason
            )
        )
        file_ids.append(entry.file_id)
    for file_id in dict.fromkeys(file_ids):
        _reopen_if_paid(file_id, actor=actor, reason=reason)
    Refund.objects.filter(movement_id=credit.id, status=RefundStatus.PENDING).update(
        status=RefundStatus.CANCELLED
    )
    if credit.id in outcomes:
        outcomes[credit.id].status = MovementStatus.RETURNED
    else:
        BankMovementRecord.objects.filter(pk=credit.id).update(status=MovementStatus.RETURNED)
        close_queue_items(
            [credit.id], actor=actor, outcome="returned by the bank", now=timezone.now()
        )
    credit.status = MovementStatus.RETURNED
    return Outcome(
        MovementStatus.RETURN,
        method=MatchMethod.ORIGINAL_PAYMENT,
        confidence=Decimal("1.00") if how == "end-to-end id" else Decimal("0.90"),
        file_id=credit.file_id,
        entry_id=reversals[0].pk if reversals else None,
        original_id=credit.id,
        reason=f"{reason}, recognised by its {how}",
    )


def _reopen_if_paid(file_id: int, *, actor: str, reason: str) -> None:
    file = File.objects.get(pk=file_id)
    if file.file_state != FileState.PAID:
        return
    change_file_state(file=file, new_state=reopened_state(file), actor=actor, reason=reason)
