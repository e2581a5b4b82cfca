"""Producing one letter from a file: guard, checks, archive, timeline, reprint.

The file is in collection on Wednesday 2 April 2025: principal 200.00 (invoice due 14 February
2025), the creditor's paper reminder of 3 March gave a period to 19 March, interest at 8 % a
year runs from 20 March (14 days on 200.00: 0.61).
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from decimal import Decimal

import pytest
from django.conf import LazySettings

from amicable.domain.lifecycle import FileState
from amicable.domain.mentions import LetterKind
from amicable.domain.money import format_eur
from amicable.files.access_codes import access_code_matches
from amicable.files.models import Document, DocumentKind, Event, WorkItem, WorkItemKind
from amicable.letters.models import ContactAttempt, LetterChannel, SentLetter
from amicable.letters.services import ArchiveDamaged, produce_letter, reprint_letter
from tests.factories import make_creditor, shown_to_debtor
from tests.letters.conftest import brussels, file_in
from tests.letters.reading import page_count, pdf_text

pytestmark = pytest.mark.django_db

ON = date(2025, 4, 2)
AT = brussels(2025, 4, 2, 9, 30)


def test_a_formal_notice_is_archived_as_produced_and_reprinted_byte_for_byte() -> None:
    file = file_in(FileState.FORMAL_NOTICE)

    outcome = produce_letter(
        file=file, kind=LetterKind.FORMAL_NOTICE, actor="agent:anna", on=ON, at=AT
    )

    assert outcome.produced
    assert outcome.errors == ()
    assert outcome.decision is not None
    assert outcome.decision.allowed
    letter = outcome.letter
    assert letter is not None
    pdf = reprint_letter(letter)
    assert hashlib.sha256(pdf).hexdigest() == letter.sha256
    assert (letter.kind, letter.language, letter.channel, letter.letter_date, letter.pages) == (
        "formal_notice",
        "fr",
        LetterChannel.POST,
        ON,
        page_count(pdf),
    )
    assert (letter.produced_at, letter.produced_by, letter.request, letter.batch) == (
        AT,
        "agent:anna",
        None,
        None,
    )
    document = letter.document
    assert (document.file, document.kind, document.sha256, document.size) == (
        file,
        DocumentKind.LETTER,
        letter.sha256,
        len(pdf),
    )
    assert document.content_type == "application/pdf"
    assert letter.address == f"{file.debtor.name}\nRue Haute 12\n1000 Bruxelles"
    text = pdf_text(pdf)
    assert "Mise en demeure" in text
    assert "200,61 €" in text  # 200.00 and 0.61 of interest accrued to the letter date
    event = Event.objects.get(file=file, kind="letter_produced")
    assert (event.actor, shown_to_debtor(event), event.data) == (
        "agent:anna",
        True,
        {
            "letter": letter.pk,
            "kind": "formal_notice",
            "channel": "post",
            "sha256": letter.sha256,
            "pages": letter.pages,
            "letter_request": None,
        },
    )
    attempt = ContactAttempt.objects.get(file=file)
    assert (attempt.channel, attempt.recipient, attempt.purpose, attempt.allowed) == (
        "letter",
        "debtor",
        "collection",
        True,
    )


def test_a_reprint_gives_the_archived_bytes_even_after_the_file_changed() -> None:
    file = file_in(FileState.FORMAL_NOTICE)
    letter = produce_letter(file=file, kind=LetterKind.FORMAL_NOTICE, actor="t", on=ON, at=AT)
    assert letter.letter is not None
    original = reprint_letter(letter.letter)
    debtor = file.debtor
    debtor.name = "Marie Dupont-Lambert"
    debtor.address = "Place du Marché 1"
    debtor.save()

    again = SentLetter.objects.get(pk=letter.letter.pk)

    assert reprint_letter(again) == original
    assert "Dupont-Lambert" not in pdf_text(reprint_letter(again))


def test_a_damaged_archive_is_refused_rather_than_reprinted() -> None:
    file = file_in(FileState.FORMAL_NOTICE)
    letter = produce_letter(file=file, kind=LetterKind.FORMAL_NOTICE, actor="t", on=ON, at=AT)
    assert letter.letter is not None
    path = letter.letter.document.content.path
    with open(path, "r+b") as stored:
        stored.seek(-2, 2)
        stored.write(b"XX")

    with pytest.raises(ArchiveDamaged, match=letter.letter.sha256):
        reprint_letter(letter.letter)


def test_a_letter_refused_by_its_mentions_names_them_and_goes_to_an_agent() -> None:
    creditor = make_creditor(phone="", email="")
    file = file_in(FileState.FORMAL_NOTICE, creditor=creditor)
    documents = Document.objects.count()

    outcome = produce_letter(file=file, kind=LetterKind.FORMAL_NOTICE, actor="t", on=ON, at=AT)

    errors = (
        "Missing mention: telephone number of the creditor (CEL art. XIX.7 §2) [creditor.phone].",
        "Missing mention: e-mail address of the creditor (CEL art. XIX.7 §2) [creditor.email].",
    )
    assert (outcome.produced, outcome.letter, outcome.errors) == (False, None, errors)
    assert SentLetter.objects.count() == 0
    assert Document.objects.count() == documents
    item = WorkItem.objects.get(file=file)
    assert (item.kind, item.due_on, item.data) == (
        WorkItemKind.LETTER_REFUSED,
        ON,
        {"kind": "formal_notice", "errors": list(errors)},
    )
    assert item.title == f"Formal notice refused: {' '.join(errors)}"[:200]
    event = Event.objects.get(file=file, kind="letter_refused")
    assert (event.message, event.data["errors"]) == (" ".join(errors), list(errors))


def test_a_letter_whose_agency_shows_a_debt_through_the_window_is_refused(
    settings: LazySettings,
) -> None:
    settings.AMICABLE_AGENCY = {**settings.AMICABLE_AGENCY, "name": "Clairval Recouvrement SRL"}
    file = file_in(FileState.FORMAL_NOTICE)

    outcome = produce_letter(file=file, kind=LetterKind.FORMAL_NOTICE, actor="t", on=ON, at=AT)

    assert outcome.errors == (
        "'Clairval Recouvrement SRL' would show through the envelope window and reveals that "
        "the letter is about a debt (no outside mark may: Book VI CEL, former law of "
        "20 December 2002 art. 3).",
    )
    assert WorkItem.objects.filter(file=file, kind=WorkItemKind.LETTER_REFUSED).count() == 1


def test_the_printed_access_code_opens_the_portal_and_is_never_stored_in_clear(
    settings: LazySettings,
) -> None:
    settings.AMICABLE_PORTAL_URL = "clairval.example/dossier"
    file = file_in(FileState.FORMAL_NOTICE)

    outcome = produce_letter(file=file, kind=LetterKind.FORMAL_NOTICE, actor="t", on=ON, at=AT)

    assert outcome.letter is not None
    text = pdf_text(reprint_letter(outcome.letter))
    assert "clairval.example/dossier" in text
    codes = re.findall(r"\b[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}\b", text)
    assert len(codes) == 1
    file.refresh_from_db()
    assert access_code_matches(
        reference=file.reference, code=codes[0], stored_hash=file.access_code_hash
    )
    assert outcome.letter.content["portal"] == {
        "url": "clairval.example/dossier",
        "reference": file.reference,
        "access_code": "",
    }


def test_a_refused_letter_leaves_the_access_code_in_use(settings: LazySettings) -> None:
    settings.AMICABLE_PORTAL_URL = "clairval.example/dossier"
    file = file_in(FileState.FORMAL_NOTICE, creditor=make_creditor(phone=""))
    before = file.access_code_hash

    outcome = produce_letter(file=file, kind=LetterKind.FORMAL_NOTICE, actor="t", on=ON, at=AT)

    assert not outcome.produced
    file.refresh_from_db()
    assert file.access_code_hash == before
    assert not Event.objects.filter(file=file, kind="access_code_issued").exists()


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        pytest.param("fr", "Relevé de compte au 2 avril 2025", id="fr"),
        pytest.param("nl", "Rekeningoverzicht op 2 april 2025", id="nl"),
        pytest.param("de", "Forderungsaufstellung zum 2. April 2025", id="de"),
        pytest.param("en", "Statement of account at 2 April 2025", id="en"),
    ],
)
def test_a_statement_of_account_is_written_in_the_debtors_language(
    language: str, subject: str
) -> None:
    file = file_in(FileState.IN_COLLECTION, language=language)

    outcome = produce_letter(
        file=file, kind=LetterKind.STATEMENT_OF_ACCOUNT, actor="t", on=ON, at=AT
    )

    assert outcome.letter is not None
    assert outcome.letter.language == language
    assert subject in pdf_text(reprint_letter(outcome.letter))
    assert outcome.letter.content["total"] == format_eur(Decimal("200.61"), language)


def test_a_first_reminder_shows_the_principal_and_announces_the_damages_only() -> None:
    file = file_in(FileState.FORMAL_NOTICE)
    # Booked before the reminder is (re)sent: an indemnity must never appear on it.
    outcome = produce_letter(file=file, kind=LetterKind.FIRST_REMINDER, actor="t", on=ON, at=AT)

    assert outcome.letter is not None
    view = outcome.letter.content
    assert [(i["component"], i["amount"]) for i in view["items"]] == [
        ("principal", "200,00\u00a0€")
    ]
    assert view["damages"] == {
        "indemnity": "25,00\u00a0€",
        "interest_rate": "8,00\u00a0%",
        "legal_rate": False,
    }
    # Paper, sent Wednesday 2 April 2025: the period starts Monday 7 April, ends 20 April, a
    # Sunday, moved past Easter Monday (21 April) to Tuesday 22 April 2025.
    assert view["grace_period_end"] == "22\u00a0avril\u00a02025"
    assert view["payment"]["amount"] == "200,00\u00a0€"


def test_a_payment_plan_confirmation_asks_for_the_first_instalment() -> None:
    from amicable.letters.content import Instalment
    from amicable.letters.services import LetterDetails

    file = file_in(FileState.IN_COLLECTION)
    instalments = (
        Instalment(1, date(2025, 5, 5), Decimal("100.31"), "+++090/9337/55493+++"),
        Instalment(2, date(2025, 6, 5), Decimal("100.30"), "+++090/9337/55594+++"),
    )

    outcome = produce_letter(
        file=file,
        kind=LetterKind.PAYMENT_PLAN_CONFIRMATION,
        actor="t",
        on=ON,
        at=AT,
        details=LetterDetails(instalments=instalments),
    )

    assert outcome.errors == ()
    assert outcome.letter is not None
    assert outcome.letter.content["payment"]["amount"] == "100,31\u00a0€"
    assert outcome.letter.content["payment"]["communication"] == "+++090/9337/55493+++"
