"""Importing statements: once only, posting and PAID, overpayments, returns, refunds, proofs."""

from __future__ import annotations

import gc
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from amicable.domain.lifecycle import FileState
from amicable.files import ledger
from amicable.files.models import (
    Document,
    DocumentKind,
    Event,
    File,
    LedgerEntry,
    ReviewStatus,
    WorkItem,
    WorkItemKind,
    WorkItemStatus,
)
from amicable.payments.models import (
    BankMovementRecord,
    BankStatement,
    MatchMethod,
    MovementStatus,
    Refund,
    RefundStatus,
    StatementImport,
)
from amicable.statements import StatementError, parse_statement
from tests.factories import claim_input, make_file, shown_to_debtor
from tests.payments.helpers import (
    BOOKED,
    PAID_ON,
    TODAY,
    coda,
    credit,
    debit,
    import_bytes,
    movement_of,
    plain_file,
)
from tests.statements.builders import OUR_ACCOUNT, CodaStatement, coda_file

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
SAMPLE_FILES = (
    sorted(path for path in SAMPLES.glob("*/*") if path.name != "README.md")
    if SAMPLES.exists()
    else []
)


def _ledger(file: File) -> list[tuple[str, Decimal]]:
    return list(LedgerEntry.objects.filter(file=file).order_by("id").values_list("kind", "amount"))


def _state(file: File) -> str:
    file.refresh_from_db()
    return file.state


# --- once only ---------------------------------------------------------------------------------


def test_the_same_file_imported_twice_books_nothing_the_second_time() -> None:
    file = plain_file("200.00")
    data = coda(credit("80.00", ogm=file.structured_communication), credit("5.00", text="?"))
    first = import_bytes(data)

    second = import_bytes(data, name="again.cod")

    assert (first.already_imported, first.new_movements) == (False, 2)
    assert (second.already_imported, second.statement_import_id) == (
        True,
        first.statement_import_id,
    )
    assert (second.statements, second.movements, second.new_movements) == (1, 2, 0)
    assert StatementImport.objects.count() == 1
    assert BankMovementRecord.objects.count() == 2
    assert _ledger(file) == [("charge", Decimal("200.00")), ("payment", Decimal("-80.00"))]
    assert WorkItem.objects.count() == 1


def test_an_overlapping_statement_books_only_the_movements_not_seen_before() -> None:
    file = plain_file("200.00")
    paid = credit("80.00", ogm=file.structured_communication, bank_reference="B-1")
    later = credit("20.00", ogm=file.structured_communication, bank_reference="B-2")
    import_bytes(coda(paid))
    # The bank sends the statement again as a duplicate, with one more movement on it.
    resent = coda_file(
        CodaStatement(
            account=OUR_ACCOUNT,
            opening=Decimal("1000.00"),
            opened_on=BOOKED,
            closed_on=BOOKED,
            movements=[paid, later],
            duplicate=True,
        )
    )
    assert parse_statement(resent).movements[0].identity == (
        BankMovementRecord.objects.get().identity
    )

    report = import_bytes(resent, name="resent.cod")

    assert (report.already_imported, report.movements, report.new_movements) == (False, 2, 1)
    assert report.known_movements == 1
    assert report.outcomes == {"matched": 1}
    assert _ledger(file) == [
        ("charge", Decimal("200.00")),
        ("payment", Decimal("-80.00")),
        ("payment", Decimal("-20.00")),
    ]
    assert BankStatement.objects.count() == 1  # the same statement, stored once
    assert BankMovementRecord.objects.count() == 2


def test_a_movement_repeated_in_one_file_is_stored_and_booked_once() -> None:
    file = plain_file("200.00")
    paid = credit("80.00", ogm=file.structured_communication, bank_reference="B-1")
    data = coda_file(
        CodaStatement(
            account=OUR_ACCOUNT,
            opening=Decimal("0"),
            opened_on=BOOKED,
            closed_on=BOOKED,
            movements=[paid, replace(paid, sequence=1)],
        )
    )

    report = import_bytes(data)

    assert (report.movements, report.new_movements) == (2, 1)
    assert report.warnings == [
        "statement 001: the movement of 2025-05-09 for 80.00 (bank reference B-1) was already "
        "read in this file"
    ]
    assert _ledger(file)[1:] == [("payment", Decimal("-80.00"))]


def test_a_file_that_cannot_be_read_writes_nothing() -> None:
    with pytest.raises(StatementError, match="unknown format"):
        import_bytes(b"hello\n")

    assert StatementImport.objects.count() == 0


def test_an_import_gives_the_garbage_collector_back_as_it_found_it() -> None:
    file = plain_file("200.00")
    assert gc.isenabled()
    import_bytes(coda(credit("80.00", ogm=file.structured_communication)))
    assert gc.isenabled()
    with pytest.raises(StatementError):
        import_bytes(b"hello\n")
    assert gc.isenabled()
    gc.disable()
    try:
        import_bytes(coda(credit("20.00", ogm=file.structured_communication)), name="b.cod")
        assert not gc.isenabled()
    finally:
        gc.enable()


# --- posting -------------------------------------------------------------------------------------


def test_interest_is_brought_to_the_value_date_before_the_payment_is_imputed() -> None:
    file = make_file(claims=[claim_input(principal=Decimal("200.00"))])

    report = import_bytes(coda(credit("100.00", ogm=file.structured_communication)))

    entries = list(
        LedgerEntry.objects.filter(file=file).order_by("id").values_list("kind", "component")
    )
    assert entries[-2:] == [("charge", "interest"), ("payment", "")]
    movement = movement_of(report)
    assert movement.entry is not None
    interest = LedgerEntry.objects.get(file=file, component="interest")
    assert interest.period_end == date(2025, 5, 8)  # the day before the value date
    allocated = {a.component: a.amount for a in movement.entry.allocations.all()}
    assert allocated["interest"] == interest.amount
    assert allocated["principal"] == Decimal("100.00") - interest.amount


def test_a_payment_of_the_whole_balance_closes_the_file_as_paid() -> None:
    file = plain_file("200.00")

    report = import_bytes(coda(credit("200.00", ogm=file.structured_communication)))

    file.refresh_from_db()
    assert (file.state, file.closed_on, file.closed_reason) == (
        FileState.PAID,
        PAID_ON,
        "paid in full (bank statement)",
    )
    assert report.files_paid == 1
    event = Event.objects.filter(file=file, kind="state_changed").get()
    assert (event.data, event.actor, shown_to_debtor(event)) == (
        {"from": "formal_notice", "to": "paid"},
        "test:import",
        True,
    )
    assert Refund.objects.count() == 0


def test_two_payments_in_one_statement_that_together_pay_the_file_close_it_once() -> None:
    file = plain_file("200.00")

    report = import_bytes(
        coda(
            credit("150.00", ogm=file.structured_communication),
            credit("50.00", text=file.reference),
        )
    )

    assert (report.files_paid, _state(file)) == (1, FileState.PAID)


def test_a_part_payment_leaves_the_file_open() -> None:
    file = plain_file("200.00")

    report = import_bytes(coda(credit("199.99", ogm=file.structured_communication)))

    assert (report.files_paid, _state(file)) == (0, FileState.FORMAL_NOTICE)


def test_an_overpayment_is_a_credit_to_refund() -> None:
    file = plain_file("200.00")

    report = import_bytes(
        coda(
            credit(
                "250.00",
                ogm=file.structured_communication,
                account="BE71096123456769",
                name="MAES PIETER",
            )
        )
    )

    movement = movement_of(report)
    refund = Refund.objects.get()
    assert (refund.file_id, refund.movement_id, refund.amount, refund.status) == (
        file.pk,
        movement.pk,
        Decimal("50.00"),
        RefundStatus.PENDING,
    )
    assert (refund.reference, refund.iban, refund.name, refund.reason) == (
        f"AMR{movement.pk:08d}-{file.reference}",
        "BE71096123456769",
        "MAES PIETER",
        f"overpayment on {file.reference}",
    )
    assert ledger.file_balance(file, as_of=TODAY).credit == Decimal("50.00")
    assert (report.overpayments, report.files_paid, _state(file)) == (1, 1, FileState.PAID)
    event = Event.objects.get(file=file, kind="overpayment")
    # In the debtor's language (French here), with the amount written the Belgian way.
    assert (event.message, shown_to_debtor(event)) == (
        "Vous avez payé 50,00\u00a0€ de plus que ce que vous deviez\u00a0: nous vous le "
        "rembourserons.",
        True,
    )


def test_the_refund_of_an_overpayment_is_booked_when_it_leaves_the_account() -> None:
    file = plain_file("200.00")
    import_bytes(
        coda(credit("250.00", ogm=file.structured_communication, account="BE71096123456769"))
    )
    refund = Refund.objects.get()

    report = import_bytes(
        coda(
            debit("50.00", communication=f"Remboursement {refund.reference}"),
            sequence=2,
            closed_on=date(2025, 5, 13),
        ),
        name="refunds.cod",
    )

    outgoing = movement_of(report)
    refund.refresh_from_db()
    assert (refund.status, refund.paid_by_id) == (RefundStatus.PAID, outgoing.pk)
    assert (outgoing.status, outgoing.match_method, outgoing.original_id, outgoing.file_id) == (
        MovementStatus.REFUND,
        MatchMethod.REFUND,
        refund.movement_id,
        file.pk,
    )
    assert _ledger(file)[-1] == ("refund", Decimal("50.00"))
    assert outgoing.entry_id == refund.entry_id
    assert ledger.file_balance(file, as_of=TODAY).credit == Decimal("0.00")


def test_a_refund_is_recognised_by_amount_and_account_without_its_reference() -> None:
    file = plain_file("200.00")
    import_bytes(
        coda(credit("250.00", ogm=file.structured_communication, account="BE71096123456769"))
    )

    report = import_bytes(
        coda(debit("50.00", counterparty_account="BE71096123456769"), sequence=2),
        name="refunds.cod",
    )

    assert movement_of(report).status == MovementStatus.REFUND
    assert Refund.objects.get().status == RefundStatus.PAID


def test_a_refund_cancelled_by_the_return_of_its_payment_is_not_paid_in_the_same_statement() -> (
    None
):
    """The bank returns an overpaid payment, which cancels the refund of its surplus; the
    refund's transfer in the same statement is then no refund to book but a movement for an
    agent."""
    file = plain_file("200.00")
    import_bytes(
        coda(
            credit(
                "250.00",
                ogm=file.structured_communication,
                account="BE71096123456769",
                e2e="E2E-PAY-9",
                bank_reference="PAY-9",
            )
        )
    )
    refund = Refund.objects.get()

    report = import_bytes(
        coda(
            debit(
                "250.00",
                counterparty_account="BE71096123456769",
                end_to_end_id="E2E-PAY-9",
                bank_reference="RETURN-9",
                r_type="2",
                reason="AC04",
            ),
            debit("50.00", communication=f"Remboursement {refund.reference}"),
            sequence=2,
            closed_on=date(2025, 5, 13),
        ),
        name="2.cod",
    )

    refund.refresh_from_db()
    assert (refund.status, refund.paid_by_id) == (RefundStatus.CANCELLED, None)
    assert movement_of(report, 0).status == MovementStatus.RETURN
    transfer = movement_of(report, 1)
    # Left to an agent, with the reason: the file holds no credit to pay back any more.
    assert (transfer.status, transfer.reason) == (
        MovementStatus.UNMATCHED,
        f"refund {refund.reference}: The refund must be positive and at most the credit of 0.00.",
    )
    assert not LedgerEntry.objects.filter(file=file, kind="refund").exists()


# --- outgoing: returns and the rest --------------------------------------------------------------


def _pay_and_return(
    file: File, *, same_file: bool
) -> tuple[BankMovementRecord, BankMovementRecord]:
    paid = credit(
        "200.00",
        ogm=file.structured_communication,
        account="BE71096123456769",
        e2e="E2E-PAY-1",
        bank_reference="PAY-1",
    )
    returned = debit(
        "200.00",
        booked=date(2025, 5, 13),
        structured=("101", file.structured_communication),
        counterparty_account="BE71096123456769",
        end_to_end_id="E2E-PAY-1",
        bank_reference="RETURN-1",
        r_type="2",
        reason="AC04",
    )
    if same_file:
        report = import_bytes(coda(paid, returned))
        return movement_of(report, 0), movement_of(report, 1)
    first = import_bytes(coda(paid))
    second = import_bytes(coda(returned, sequence=2, closed_on=date(2025, 5, 13)), name="2.cod")
    return movement_of(first), movement_of(second)


@pytest.mark.parametrize("same_file", [False, True], ids=["later_statement", "same_statement"])
def test_a_returned_payment_reverses_its_posting_and_reopens_the_file(same_file: bool) -> None:
    file = plain_file("200.00")

    paid, returned = _pay_and_return(file, same_file=same_file)

    paid.refresh_from_db()
    assert paid.status == MovementStatus.RETURNED
    assert (returned.status, returned.match_method, returned.confidence) == (
        MovementStatus.RETURN,
        MatchMethod.ORIGINAL_PAYMENT,
        Decimal("1.00"),
    )
    assert (returned.original_id, returned.file_id) == (paid.pk, file.pk)
    assert returned.reason == "payment returned by the bank (AC04), recognised by its end-to-end id"
    assert returned.entry is not None
    assert (returned.entry.kind, returned.entry.reverses_id) == ("reversal", paid.entry_id)
    after_return = date(2025, 5, 13)
    assert ledger.file_balance(file, as_of=after_return).outstanding == Decimal("200.00")
    assert _state(file) == FileState.FORMAL_NOTICE
    moves = list(
        Event.objects.filter(file=file, kind="state_changed").order_by("id").values_list("data")
    )
    assert moves == [
        ({"from": "formal_notice", "to": "paid"},),
        ({"from": "paid", "to": "formal_notice"},),
    ]


def test_a_payment_is_returned_only_once() -> None:
    file = plain_file("500.00")
    _pay_and_return(file, same_file=False)

    again = import_bytes(
        coda(
            debit(
                "200.00",
                booked=date(2025, 5, 14),
                end_to_end_id="E2E-PAY-1",
                bank_reference="RETURN-2",
                r_type="2",
                reason="AC04",
            ),
            sequence=3,
        ),
        name="3.cod",
    )

    assert (movement_of(again).status, movement_of(again).reason) == (
        MovementStatus.UNMATCHED,
        "a payment returned by the bank whose original payment is not found",
    )
    assert LedgerEntry.objects.filter(file=file, kind="reversal").count() == 1


def test_the_return_of_an_unmatched_payment_closes_its_queue_item() -> None:
    first = import_bytes(coda(credit("42.00", e2e="E2E-X", text="?")))
    item = WorkItem.objects.get()

    second = import_bytes(
        coda(debit("42.00", end_to_end_id="E2E-X", r_type="2", reason="MD06"), sequence=2),
        name="2.cod",
    )

    assert movement_of(first).status == MovementStatus.RETURNED
    assert movement_of(second).status == MovementStatus.RETURN
    item.refresh_from_db()
    assert (item.status, item.outcome) == (WorkItemStatus.DONE, "returned by the bank")


def test_other_outgoing_movements_are_recorded_as_not_ours_with_the_reason() -> None:
    report = import_bytes(coda(debit("5.00", code="00437000", communication="Frais")))

    movement = movement_of(report)
    assert (movement.status, movement.reason) == (
        MovementStatus.IGNORED,
        "outgoing, neither a refund we ordered nor a returned payment (transaction code 00437000)",
    )
    assert report.outcomes == {"ignored": 1}
    assert WorkItem.objects.count() == 0


# --- proofs of payment ---------------------------------------------------------------------------


def _proof(file: File, **declared: str) -> tuple[Document, WorkItem]:
    document = Document(
        file=file,
        kind=DocumentKind.PROOF_OF_PAYMENT,
        original_name="extrait.pdf",
        content_type="application/pdf",
        size=8,
        sha256="0" * 64,
        uploaded_by="portal",
        review_status=ReviewStatus.PENDING,
    )
    document.content.save("extrait.pdf", ContentFile(b"%PDF-1.4"), save=False)
    document.save()
    item = WorkItem.objects.create(
        kind=WorkItemKind.PROOF_REVIEW,
        file=file,
        document=document,
        title="Proof of payment",
        due_on=TODAY,
        data=declared,
    )
    return document, item


@pytest.mark.parametrize(
    ("declared", "how"),
    [
        ({}, "ogm"),
        ({"amount": "60.00"}, "text"),
        ({"structured_communication": "{ogm}"}, "ogm"),
    ],
    ids=["file_communication", "declared_amount", "declared_communication"],
)
def test_a_pending_proof_is_confirmed_by_the_movement_it_shows(
    declared: dict[str, str], how: str
) -> None:
    file = plain_file("200.00")
    declared = {k: v.format(ogm=file.structured_communication) for k, v in declared.items()}
    document, item = _proof(file, **declared)
    paid = (
        credit("60.00", ogm=file.structured_communication)
        if how == "ogm"
        else credit("60.00", text=file.reference)
    )

    report = import_bytes(coda(paid))

    document.refresh_from_db()
    item.refresh_from_db()
    movement = movement_of(report)
    assert (document.review_status, document.reviewed_by, document.review_reason) == (
        ReviewStatus.CONFIRMED,
        "test:import",
        f"bank movement {movement.pk} of 60.00 EUR",
    )
    assert (item.status, item.outcome) == (
        WorkItemStatus.DONE,
        f"confirmed by bank movement {movement.pk}",
    )
    event = Event.objects.get(file=file, kind="proof_confirmed")
    assert (event.message, shown_to_debtor(event), event.data["document"]) == (
        "Votre preuve de paiement «\u00a0extrait.pdf\u00a0» est confirmée\u00a0: nous avons reçu "
        "votre paiement de 60,00\u00a0€ du 9 mai 2025.",
        True,
        document.pk,
    )
    assert report.proofs_confirmed == 1


@pytest.mark.parametrize(
    "declared",
    [{"amount": "75.00"}, {}],
    ids=["other_amount", "nothing_declared_and_no_communication"],
)
def test_a_proof_the_movement_does_not_bear_out_stays_pending(declared: dict[str, str]) -> None:
    file = plain_file("200.00")
    document, item = _proof(file, **declared)

    report = import_bytes(coda(credit("60.00", text=file.reference)))

    document.refresh_from_db()
    item.refresh_from_db()
    assert (document.review_status, item.status) == (ReviewStatus.PENDING, WorkItemStatus.OPEN)
    assert report.proofs_confirmed == 0
    assert not Event.objects.filter(kind="proof_confirmed").exists()


# --- real sample files ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_every_sample_file_imports_and_twice_books_nothing(path: Path) -> None:
    data = path.read_bytes()
    result = parse_statement(data)
    unique = {m.identity: m for m in result.movements}
    # No file exists: every euro credit is left to an agent, every debit is not ours unless the
    # bank says it is a returned payment (its original is not found either).
    credits = [m for m in unique.values() if m.amount > 0]
    debits = [m for m in unique.values() if m.amount < 0]
    returns = [m for m in debits if m.is_reversal or m.return_reason]

    report = import_bytes(data, name=path.name)
    again = import_bytes(data, name=path.name)

    assert (report.movements, report.new_movements) == (len(result.movements), len(unique))
    expected = {
        "unmatched": len(credits) + len(returns),
        "ignored": len(debits) - len(returns),
    }
    assert report.outcomes == {k: v for k, v in expected.items() if v}
    assert WorkItem.objects.count() == len(credits) + len(returns)
    assert report.warnings == [str(w) for w in result.warnings]
    assert again.already_imported
    assert BankMovementRecord.objects.count() == len(unique)
    assert not BankMovementRecord.objects.filter(status=MovementStatus.NEW).exists()


def test_a_payment_dated_earlier_refunds_the_interest_it_frees_too() -> None:
    """The refund of a statement's payment is the whole credit its posting leaves, interest a
    later payment had paid and no longer owed included (the hand-worked figures are in
    ``tests/files/test_books_follow_the_law.py``)."""
    file = make_file()  # 200.00 at 8 %, chargeable from 20 March 2025
    ledger.book_interest(file=file, through=date(2025, 4, 30), actor="run")
    ledger.post_payment(
        file=file,
        amount=Decimal("100.00"),
        value_date=date(2025, 5, 2),
        actor="creditor",
        source="creditor",
        source_reference="paid-to-the-creditor",
        kind="creditor_payment",
    )

    import_bytes(
        coda(credit("150.00", ogm=file.structured_communication, value_date=date(2025, 4, 1)))
    )

    refund = Refund.objects.get()
    assert (refund.file_id, refund.amount) == (file.pk, Decimal("48.81"))
    assert ledger.file_balance(file, as_of=TODAY).credit == Decimal("48.81")
