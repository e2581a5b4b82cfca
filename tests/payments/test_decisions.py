"""What an agent does with a movement left in the queue: assign, split, refund, dismiss."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from amicable.domain.lifecycle import FileState
from amicable.files import ledger
from amicable.files.lifecycle import change_file_state
from amicable.files.models import File, LedgerEntry, WorkItem, WorkItemStatus
from amicable.payments.decisions import (
    PaymentsError,
    assign_movement,
    dismiss_movement,
    mark_for_refund,
    split_movement,
)
from amicable.payments.models import (
    BankMovementRecord,
    DebtorAccount,
    MatchMethod,
    MovementAssignment,
    MovementStatus,
    Refund,
    RefundStatus,
)
from tests.payments.helpers import TODAY, coda, credit, debit, import_bytes, movement_of, plain_file

pytestmark = pytest.mark.django_db

ACCOUNT = "BE62510007547061"


def _unmatched(amount: str = "150.00", **fields: str) -> BankMovementRecord:
    fields.setdefault("account", ACCOUNT)
    fields.setdefault("name", "PEETERS AN")
    report = import_bytes(coda(credit(amount, text="pour ma facture", **fields)))
    movement = movement_of(report)
    assert movement.status == MovementStatus.UNMATCHED
    return movement


def _payments(file: File) -> list[Decimal]:
    return list(
        LedgerEntry.objects.filter(file=file, kind="payment")
        .order_by("id")
        .values_list("amount", flat=True)
    )


def _untouched(movement: BankMovementRecord) -> None:
    """A refused action wrote nothing: the movement waits, its item is open, no money moved."""
    movement.refresh_from_db()
    assert movement.status == MovementStatus.UNMATCHED
    assert WorkItem.objects.get().status == WorkItemStatus.OPEN
    assert not LedgerEntry.objects.filter(kind="payment").exists()
    assert not MovementAssignment.objects.exists()
    assert not Refund.objects.exists()


def test_assign_posts_the_payment_to_the_file_and_closes_the_queue_item() -> None:
    file = plain_file("200.00")
    movement = _unmatched("150.00")

    assign_movement(movement=movement, file=file, actor="staff:alice", today=TODAY)

    movement.refresh_from_db()
    assert (movement.status, movement.match_method, movement.confidence) == (
        MovementStatus.ASSIGNED,
        MatchMethod.AGENT,
        Decimal("1.00"),
    )
    assert (movement.file_id, movement.decided_by) == (file.pk, "staff:alice")
    assert movement.entry is not None
    assert (movement.entry.amount, movement.entry.actor, movement.entry.source_reference) == (
        Decimal("-150.00"),
        "staff:alice",
        movement.identity,
    )
    assert list(MovementAssignment.objects.values_list("file_id", "amount", "assigned_by")) == [
        (file.pk, Decimal("150.00"), "staff:alice")
    ]
    item = WorkItem.objects.get()
    assert (item.status, item.closed_by, item.outcome) == (
        WorkItemStatus.DONE,
        "staff:alice",
        f"posted to {file.reference} (150.00)",
    )
    # The account is learnt: the next payment of the balance from it matches by itself.
    assert list(DebtorAccount.objects.values_list("debtor_id", "iban")) == [
        (file.debtor_id, ACCOUNT)
    ]
    report = import_bytes(coda(credit("50.00", account=ACCOUNT), sequence=2), name="2.cod")
    assert movement_of(report).match_method == MatchMethod.COUNTERPARTY_ACCOUNT
    file.refresh_from_db()
    assert file.state == FileState.PAID


def test_split_posts_each_part_to_its_file() -> None:
    first, second = plain_file("100.00"), plain_file("80.00")
    movement = _unmatched("150.00")

    split_movement(
        movement=movement,
        parts=[(first, Decimal("100.00")), (second, Decimal("50.00"))],
        actor="staff:alice",
        today=TODAY,
    )

    movement.refresh_from_db()
    assert (movement.status, movement.match_method, movement.file_id, movement.entry_id) == (
        MovementStatus.ASSIGNED,
        MatchMethod.AGENT_SPLIT,
        None,
        None,
    )
    assert list(
        MovementAssignment.objects.order_by("id").values_list(
            "file_id", "amount", "entry__source_reference"
        )
    ) == [
        (first.pk, Decimal("100.00"), f"{movement.identity}/1"),
        (second.pk, Decimal("50.00"), f"{movement.identity}/2"),
    ]
    assert (_payments(first), _payments(second)) == ([Decimal("-100.00")], [Decimal("-50.00")])
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (FileState.PAID, FileState.FORMAL_NOTICE)


def test_a_split_payment_returned_by_the_bank_is_reversed_on_every_file() -> None:
    first, second = plain_file("100.00"), plain_file("80.00")
    movement = _unmatched("150.00", e2e="E2E-SPLIT")
    split_movement(
        movement=movement,
        parts=[(first, Decimal("100.00")), (second, Decimal("50.00"))],
        actor="staff:alice",
        today=TODAY,
    )

    import_bytes(
        coda(
            debit("150.00", booked=date(2025, 5, 13), end_to_end_id="E2E-SPLIT", r_type="2"),
            sequence=2,
        ),
        name="2.cod",
    )

    after = date(2025, 5, 13)
    assert ledger.file_balance(first, as_of=after).outstanding == Decimal("100.00")
    assert ledger.file_balance(second, as_of=after).outstanding == Decimal("80.00")
    first.refresh_from_db()
    assert first.state == FileState.FORMAL_NOTICE


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ([("a", "100.00"), ("b", "40.00")], "The parts add up to 140.00, the payment is 150.00."),
        ([("a", "150.00")], "A split needs at least two files."),
        ([("a", "100.00"), ("a", "50.00")], "Each file may appear once."),
        ([("a", "150.50"), ("b", "-0.50")], "Each part must be a positive amount in cents."),
        ([("a", "100.005"), ("b", "49.995")], "Each part must be a positive amount in cents."),
    ],
    ids=["sum", "one_part", "same_file", "negative", "fraction_of_cent"],
)
def test_a_split_that_does_not_add_up_is_refused(
    parts: list[tuple[str, str]], message: str
) -> None:
    files = {"a": plain_file("100.00"), "b": plain_file("80.00")}
    movement = _unmatched("150.00")

    with pytest.raises(PaymentsError) as refused:
        split_movement(
            movement=movement,
            parts=[(files[key], Decimal(amount)) for key, amount in parts],
            actor="staff:alice",
        )

    assert refused.value.message == message
    _untouched(movement)


def test_a_closed_file_cannot_receive_a_payment() -> None:
    file = plain_file("100.00")
    change_file_state(file=file, new_state=FileState.CLOSED, actor="test", reason="withdrawn")
    movement = _unmatched("150.00")

    with pytest.raises(PaymentsError) as refused:
        assign_movement(movement=movement, file=file, actor="staff:alice")

    assert refused.value.message == (
        f"File {file.reference} is closed: refund the payment instead of posting it."
    )
    _untouched(movement)


def test_a_movement_already_handled_cannot_be_handled_again() -> None:
    file = plain_file("200.00")
    movement = _unmatched("150.00")
    assign_movement(movement=movement, file=file, actor="staff:alice")

    with pytest.raises(PaymentsError) as refused:
        assign_movement(movement=movement, file=file, actor="staff:bob")

    assert refused.value.message == (
        "This movement is not waiting for an agent any more (Posted by an agent)."
    )
    assert _payments(file) == [Decimal("-150.00")]


def test_mark_for_refund_records_what_to_pay_back_and_to_whom() -> None:
    movement = _unmatched("150.00")

    refund = mark_for_refund(movement=movement, actor="staff:alice", reason="unknown payer")

    movement.refresh_from_db()
    assert (movement.status, movement.reason, movement.decided_by) == (
        MovementStatus.TO_REFUND,
        "unknown payer",
        "staff:alice",
    )
    assert (refund.reference, refund.amount, refund.iban, refund.name, refund.file_id) == (
        f"AMR{movement.pk:08d}",
        Decimal("150.00"),
        ACCOUNT,
        "PEETERS AN",
        None,
    )
    assert WorkItem.objects.get().outcome == "to refund: unknown payer"

    report = import_bytes(
        coda(debit("150.00", end_to_end_id=refund.reference), sequence=2), name="2.cod"
    )

    refund.refresh_from_db()
    movement.refresh_from_db()
    assert refund.status == RefundStatus.PAID
    assert movement.status == MovementStatus.REFUNDED
    assert movement_of(report).status == MovementStatus.REFUND
    assert not LedgerEntry.objects.filter(kind="refund").exists()


@pytest.mark.parametrize(
    ("fields", "reason", "message"),
    [
        ({}, " ", "Say why the payment is refunded."),
        (
            {"account": ""},
            "unknown",
            "The sender's account is not known: the payment cannot be refunded.",
        ),
    ],
    ids=["no_reason", "no_account"],
)
def test_a_refund_without_reason_or_account_is_refused(
    fields: dict[str, str], reason: str, message: str
) -> None:
    movement = _unmatched("150.00", **fields)

    with pytest.raises(PaymentsError) as refused:
        mark_for_refund(movement=movement, actor="staff:alice", reason=reason)

    assert refused.value.message == message
    _untouched(movement)


def test_an_unexplained_return_can_be_dismissed_with_a_reason() -> None:
    report = import_bytes(coda(debit("20.00", end_to_end_id="E2E-?", r_type="2", reason="AC04")))
    movement = movement_of(report)
    assert movement.status == MovementStatus.UNMATCHED

    dismiss_movement(movement=movement, actor="staff:alice", reason="bank error, reversed")

    movement.refresh_from_db()
    assert (movement.status, movement.reason) == (MovementStatus.IGNORED, "bank error, reversed")
    assert WorkItem.objects.get().status == WorkItemStatus.DONE


def test_an_incoming_payment_cannot_be_dismissed() -> None:
    movement = _unmatched("150.00")

    with pytest.raises(PaymentsError) as refused:
        dismiss_movement(movement=movement, actor="staff:alice", reason="?")

    assert refused.value.message == "An incoming payment is posted or refunded, never dismissed."
    _untouched(movement)
