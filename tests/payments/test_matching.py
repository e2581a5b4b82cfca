"""Each matching rule, in order, with its method and confidence; and what is left to an agent."""

from __future__ import annotations

import doctest
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from amicable.domain.lifecycle import FileState
from amicable.domain.references import ogm_format
from amicable.files import ledger
from amicable.files.lifecycle import change_file_state
from amicable.files.models import File, LedgerEntry, WorkItem, WorkItemKind
from amicable.files.numbers import instalment_structured_communication
from amicable.payments import matching
from amicable.payments.matching import (
    MAX_FILES_PER_SIGNAL,
    name_similarity,
    structured_file_number,
)
from amicable.payments.models import DebtorAccount, MatchMethod, MovementStatus
from amicable.plans.models import Instalment
from amicable.plans.requests import request_payment_plan
from amicable.statements import parse_statement
from tests.payments.helpers import (
    TODAY,
    coda,
    credit,
    import_bytes,
    movement_of,
    plain_file,
)
from tests.statements.builders import OUR_ACCOUNT, camt_document, camt_statement

pytestmark = pytest.mark.django_db

DEBTOR_IBAN = "BE71096123456769"


def _payments(file: File) -> list[Decimal]:
    return list(
        LedgerEntry.objects.filter(file=file, kind="payment")
        .order_by("id")
        .values_list("amount", flat=True)
    )


def _outstanding(file: File) -> Decimal:
    return ledger.file_balance(file, as_of=TODAY).outstanding


def test_the_file_structured_communication_matches_with_certainty() -> None:
    file = plain_file("200.00")

    report = import_bytes(coda(credit("75.00", ogm=file.structured_communication)))

    movement = movement_of(report)
    assert (movement.status, movement.match_method, movement.confidence) == (
        MovementStatus.MATCHED,
        MatchMethod.STRUCTURED_REFERENCE,
        Decimal("1.00"),
    )
    assert movement.file_id == file.pk
    assert movement.entry is not None
    assert (movement.entry.amount, movement.entry.source_reference) == (
        Decimal("-75.00"),
        movement.identity,
    )
    assert _payments(file) == [Decimal("-75.00")]
    assert _outstanding(file) == Decimal("125.00")
    assert report.outcomes == {"matched": 1}
    assert report.methods == {"structured_reference": 1}
    assert WorkItem.objects.count() == 0


def test_an_instalment_communication_pays_its_file() -> None:
    file = plain_file("300.00")
    plan = request_payment_plan(
        file=file,
        instalment_count=3,
        first_due_on=date(2025, 5, 1),
        today=date(2025, 4, 2),
        actor="test",
    ).plan
    second = Instalment.objects.get(plan=plan, number=2)
    assert second.structured_communication == instalment_structured_communication(file.number, 2)

    report = import_bytes(coda(credit("100.00", ogm=second.structured_communication)))

    movement = movement_of(report)
    assert (movement.status, movement.match_method, movement.file_id) == (
        MovementStatus.MATCHED,
        MatchMethod.STRUCTURED_REFERENCE,
        file.pk,
    )
    assert movement.entry is not None
    assert (
        movement.entry.note == "bank movement, structured communication of the file, instalment 2"
    )
    assert _payments(file) == [Decimal("-100.00")]


def test_an_instalment_communication_without_an_instalment_is_not_ours() -> None:
    file = plain_file("300.00")

    report = import_bytes(
        coda(credit("100.00", ogm=instalment_structured_communication(file.number, 7)))
    )

    assert movement_of(report).status == MovementStatus.UNMATCHED
    assert _payments(file) == []


@pytest.mark.parametrize(
    ("text", "method", "confidence"),
    [
        ("Facture mars {ogm} merci", MatchMethod.FREE_TEXT_REFERENCE, Decimal("0.95")),
        ("paiement {bare}", MatchMethod.FREE_TEXT_REFERENCE, Decimal("0.95")),
        ("dossier {reference}", MatchMethod.FILE_REFERENCE, Decimal("0.90")),
        ("dossier am-{digits} solde", MatchMethod.FILE_REFERENCE, Decimal("0.90")),
    ],
    ids=["printed_ogm", "bare_ogm", "file_reference", "file_reference_lower_case_dash"],
)
def test_a_reference_in_the_free_text_matches(
    text: str, method: MatchMethod, confidence: Decimal
) -> None:
    file = plain_file("200.00")
    communication = text.format(
        ogm=ogm_format(file.structured_communication),
        bare=file.structured_communication,
        reference=file.reference,
        digits=file.reference[2:],
    )

    report = import_bytes(coda(credit("50.00", text=communication)))

    movement = movement_of(report)
    assert (movement.status, movement.match_method, movement.confidence, movement.file_id) == (
        MovementStatus.MATCHED,
        method,
        confidence,
        file.pk,
    )
    assert _payments(file) == [Decimal("-50.00")]


def test_a_structured_communication_names_the_file_before_the_free_text() -> None:
    named, other = plain_file(), plain_file()

    report = import_bytes(
        coda(credit("20.00", ogm=named.structured_communication, text=other.reference))
    )

    assert movement_of(report).file_id == named.pk


def test_a_valid_ogm_we_did_not_issue_does_not_match() -> None:
    plain_file()

    # +++010/8068/17183+++ passes the check digits but names file 108068 (which does not exist).
    report = import_bytes(coda(credit("50.00", text="+++010/8068/17183+++")))

    movement = movement_of(report)
    assert (movement.status, movement.match_method, movement.file_id) == (
        MovementStatus.UNMATCHED,
        MatchMethod.NONE,
        None,
    )


def test_two_files_named_in_the_text_go_to_an_agent_with_both_suggested() -> None:
    first, second = plain_file("80.00"), plain_file("90.00")

    report = import_bytes(coda(credit("170.00", text=f"{first.reference} et {second.reference}")))

    movement = movement_of(report)
    assert movement.status == MovementStatus.UNMATCHED
    assert movement.reason == "the communication names several files"
    assert [(s["reference"], s["score"]) for s in movement.suggestions] == [
        (first.reference, 0.5),
        (second.reference, 0.5),
    ]
    assert _payments(first) == _payments(second) == []


@pytest.mark.parametrize("state", [FileState.CLOSED, FileState.PAID], ids=str)
def test_a_file_that_is_not_open_is_never_matched_automatically(state: FileState) -> None:
    file = plain_file("200.00")
    change_file_state(file=file, new_state=state, actor="test", reason="test")

    report = import_bytes(coda(credit("200.00", ogm=file.structured_communication)))

    movement = movement_of(report)
    assert (movement.status, movement.reason) == (
        MovementStatus.UNMATCHED,
        "the file named is not open",
    )
    assert movement.suggestions[0]["reference"] == file.reference
    assert movement.suggestions[0]["why"][0] == (
        f"its structured communication; the file is {state.value}"
    )
    assert _payments(file) == []


def _teach_account(file: File, amount: str = "10.00") -> None:
    """A first payment with the file's communication from the debtor's account."""
    import_bytes(
        coda(
            credit(amount, ogm=file.structured_communication, account=DEBTOR_IBAN, name="X"),
            sequence=90,
        ),
        name="first.cod",
    )


def test_a_known_account_paying_exactly_the_balance_matches() -> None:
    file = plain_file("200.00", name="Jan Peeters")
    _teach_account(file)
    assert list(DebtorAccount.objects.values_list("debtor_id", "iban")) == [
        (file.debtor_id, DEBTOR_IBAN)
    ]

    report = import_bytes(coda(credit("190.00", account=DEBTOR_IBAN, name="PEETERS JAN")))

    movement = movement_of(report)
    assert (movement.status, movement.match_method, movement.confidence, movement.file_id) == (
        MovementStatus.MATCHED,
        MatchMethod.COUNTERPARTY_ACCOUNT,
        Decimal("0.80"),
        file.pk,
    )
    assert _outstanding(file) == Decimal("0.00")


def test_a_known_account_paying_an_instalment_matches() -> None:
    file = plain_file("300.00")
    _teach_account(file, "30.00")
    request_payment_plan(
        file=file,
        instalment_count=3,
        first_due_on=date(2025, 5, 1),
        today=date(2025, 4, 2),
        actor="test",
    )
    amounts = sorted(Instalment.objects.filter(plan__file=file).values_list("amount", flat=True))

    report = import_bytes(coda(credit(f"{amounts[0]}", account=DEBTOR_IBAN)))

    assert movement_of(report).match_method == MatchMethod.COUNTERPARTY_ACCOUNT


def test_a_known_account_paying_another_amount_is_left_with_the_file_suggested() -> None:
    file = plain_file("200.00", name="Jan Peeters")
    _teach_account(file)

    report = import_bytes(coda(credit("50.00", account=DEBTOR_IBAN, name="PEETERS JAN")))

    movement = movement_of(report)
    assert movement.status == MovementStatus.UNMATCHED
    assert movement.reason == "the amount is not what the debtor's only open file owes"
    assert movement.suggestions == [
        {
            "file": file.pk,
            "reference": file.reference,
            "state": "formal_notice",
            "debtor": "Jan Peeters",
            "outstanding": "190.00",
            "score": 1.0,
            "why": [
                "the only open file of the account's debtor",
                "the debtor paid from this account before",
                "debtor name 100% alike",
            ],
        }
    ]


def test_a_known_account_of_a_debtor_with_two_open_files_is_left_to_an_agent() -> None:
    first = plain_file("200.00")
    second = plain_file("190.00", creditor=first.creditor, customer_reference="SAME")
    File.objects.filter(pk=first.pk).update(debtor=second.debtor)
    _teach_account(first)

    report = import_bytes(coda(credit("190.00", account=DEBTOR_IBAN)))

    movement = movement_of(report)
    assert (movement.status, movement.reason) == (
        MovementStatus.UNMATCHED,
        "the debtor of this account has several open files",
    )
    # Both owe 190.00 (the first paid 10.00 of its 200.00) and share the account.
    assert [(s["reference"], s["score"]) for s in movement.suggestions] == [
        (first.reference, 0.6),
        (second.reference, 0.6),
    ]


def test_an_unmatched_payment_is_queued_due_in_two_working_days_with_suggestions() -> None:
    owes_it = plain_file("123.45", name="Françoise Dupré")
    plain_file("123.45", name="Marc Lambert")
    plain_file("99.00", name="Françoise Dupré")

    report = import_bytes(coda(credit("123.45", name="DUPRE FRANCOISE", text="solde")))

    movement = movement_of(report)
    assert movement.status == MovementStatus.UNMATCHED
    assert movement.reason == "no reference to a file, and no known account"
    assert [(s["debtor"], s["outstanding"], s["score"]) for s in movement.suggestions] == [
        ("Françoise Dupré", "123.45", 0.7),
        ("Marc Lambert", "123.45", 0.3),
    ]
    assert movement.suggestions[0]["reference"] == owes_it.reference
    item = WorkItem.objects.get(kind=WorkItemKind.UNMATCHED_MOVEMENT)
    # Import on Monday 12 May 2025: two working days later is Wednesday 14 May.
    assert (item.due_on, item.title, item.file_id) == (
        date(2025, 5, 14),
        "Payment of 123.45 EUR from DUPRE FRANCOISE",
        None,
    )
    assert item.data == {
        "movement": movement.pk,
        "amount": "123.45",
        "booking_date": "2025-05-09",
        "reason": "no reference to a file, and no known account",
    }


def test_a_name_and_an_amount_shared_by_many_files_suggest_nothing() -> None:
    creditor = plain_file("1.00").creditor
    for _ in range(MAX_FILES_PER_SIGNAL + 1):
        plain_file("99.00", name="Jan Peeters", creditor=creditor)

    report = import_bytes(coda(credit("99.00", name="PEETERS JAN")))

    assert movement_of(report).suggestions == []


def test_a_name_shared_by_as_many_files_as_the_limit_still_suggests_them() -> None:
    creditor = plain_file("1.00").creditor
    files = [
        plain_file(f"{10 + n}.00", name="Jan Peeters", creditor=creditor)
        for n in range(MAX_FILES_PER_SIGNAL)
    ]

    report = import_bytes(coda(credit("99.00", name="PEETERS JAN")))

    suggested = {s["reference"] for s in movement_of(report).suggestions}
    assert suggested
    assert suggested <= {file.reference for file in files}


def test_camt053_payments_match_like_coda_ones() -> None:
    file = plain_file("200.00")
    entry = (
        '<Ntry><NtryRef>1</NtryRef><Amt Ccy="EUR">60.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
        "<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2025-05-09</Dt></BookgDt>"
        "<ValDt><Dt>2025-05-09</Dt></ValDt><AcctSvcrRef>CAMT-1</AcctSvcrRef>"
        "<NtryDtls><TxDtls><RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry>"
        f"<Issr>BBA</Issr></Tp><Ref>{file.structured_communication}</Ref></CdtrRefInf></Strd>"
        "</RmtInf></TxDtls></NtryDtls></Ntry>\n"
    )
    data = camt_document(
        camt_statement(
            identifier="S-1", account=OUR_ACCOUNT, opening="0.00", closing="60.00", entries=entry
        )
    )
    assert parse_statement(data).format == "camt053"

    report = import_bytes(data, name="statement.xml")

    assert report.format == "camt053"
    assert movement_of(report).match_method == MatchMethod.STRUCTURED_REFERENCE
    assert _payments(file) == [Decimal("-60.00")]


def test_a_payment_in_another_currency_is_left_to_an_agent() -> None:
    file = plain_file()
    data = coda(credit("50.00", ogm=file.structured_communication)).replace(b"   EUR", b"   USD")

    report = import_bytes(data)

    movement = movement_of(report)
    assert (movement.status, movement.reason) == (
        MovementStatus.UNMATCHED,
        "a payment in USD: only euro payments are posted",
    )
    assert _payments(file) == []


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("000000120036", (12, 0)),
        ("000000120137", (12, 1)),
        ("RF93000000120036", (12, 0)),
        ("RF18123456789", None),
        ("000000000097", None),
        (None, None),
    ],
    ids=["file", "instalment", "rf_wrapped", "rf_other", "base_zero", "none"],
)
def test_structured_file_number(reference: str | None, expected: tuple[int, int] | None) -> None:
    assert structured_file_number(reference) == expected


@pytest.mark.parametrize(
    ("bank", "stored", "at_least", "below"),
    [
        ("DUPRE FRANCOISE", "Françoise Dupré", 1.0, 1.01),
        ("MAES PIETER", "Pieter Maes", 1.0, 1.01),
        ("MAES PIETER", "Pieter Maas", 0.9, 0.95),
        ("JANSSENS JAN", "Marie Dubois", 0.0, 0.4),
        ("", "Marie Dubois", 0.0, 0.01),
    ],
    ids=["accents_and_order", "order", "one_letter", "different", "no_name"],
)
def test_name_similarity(bank: str, stored: str, at_least: float, below: float) -> None:
    assert at_least <= name_similarity(bank, stored) < below


def test_docstring_examples() -> None:
    result = doctest.testmod(matching)

    assert (result.failed, result.attempted) == (0, 6)


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_the_ledger_note_names_the_match_in_english_whatever_the_language(language: str) -> None:
    """The ledger's notes are the audit record's English, not the words of the request that
    wrote them (the batch import and an agent's assignment share one wording)."""
    matching.method_note.cache_clear()
    with translation.override(language):
        note = matching.method_note(MatchMethod.STRUCTURED_REFERENCE)
    assert note == "structured communication of the file"
