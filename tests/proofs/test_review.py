"""Accepting or rejecting a proof of payment: the document, the queue, the ledger, the debtor."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from amicable.domain.lifecycle import FileState
from amicable.files.ledger import file_balance
from amicable.files.models import (
    EntryKind,
    Event,
    File,
    LedgerEntry,
    ReviewStatus,
    WorkItem,
    WorkItemStatus,
)
from tests.factories import make_creditor, make_file, shown_to_debtor
from tests.staff import make_proof

# What agents do, in staff's day (tests.staff).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_day")]

PAID_ON = date(2025, 6, 10)


def debtor_file(language: str = "fr") -> File:
    return make_file(today=date(2025, 6, 1), language=language)


def review(client: Client, file: File, document_id: int, **data: str) -> int:
    url = f"/backoffice/files/{file.reference}/documents/{document_id}/review/"
    return client.post(url, data).status_code


ACCEPTED = {
    "fr": "Nous avons accepté votre preuve de paiement «\u00a0extrait.png\u00a0».",
    "nl": "We hebben uw betalingsbewijs “extrait.png” aanvaard.",
    "de": "Wir haben Ihren Zahlungsnachweis „extrait.png“ akzeptiert.",
    "en": "We accepted your proof of payment “extrait.png”.",
}


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_an_accepted_proof_is_recorded_and_told_in_the_debtors_language(
    agent: tuple[Client, User], language: str
) -> None:
    client, user = agent
    file = debtor_file(language)
    work = make_proof(file)
    assert work.document is not None
    assert review(client, file, work.document.pk, decision="accept") == 302
    document = work.document
    document.refresh_from_db()
    assert (document.review_status, document.reviewed_by, document.reviewed_at) == (
        ReviewStatus.ACCEPTED,
        f"staff:{user.username}",
        timezone.now(),
    )
    work.refresh_from_db()
    assert (work.status, work.closed_by, work.outcome) == (
        WorkItemStatus.DONE,
        f"staff:{user.username}",
        "accepted",
    )
    event = Event.objects.get(kind="proof_accepted")
    assert (event.file, event.actor, shown_to_debtor(event)) == (
        file,
        f"staff:{user.username}",
        True,
    )
    assert event.message == ACCEPTED[language]
    # A payment to the agency is posted from the bank statement, not here.
    assert not LedgerEntry.objects.filter(kind__in=["payment", "creditor_payment"]).exists()


PAYMENT_SHOWN = {
    "fr": "Le paiement de 200,00\xa0€ du 10 juin 2025 au créancier figure désormais dans votre "
    "dossier.",
    "nl": "De betaling van €\xa0200,00 van 10 juni 2025 aan de schuldeiser staat nu in uw dossier.",
    "de": "Die Zahlung von 200,00\xa0€ vom 10. Juni 2025 an den Gläubiger steht jetzt in Ihrer "
    "Akte.",
    "en": "The payment of €200.00 of June 10, 2025 to the creditor is now shown on your file.",
}


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_an_accepted_proof_of_a_payment_to_the_creditor_is_posted(
    agent: tuple[Client, User], language: str
) -> None:
    client, user = agent
    file = debtor_file(language)
    work = make_proof(file)
    assert work.document is not None
    before = file_balance(file, as_of=PAID_ON)
    status = review(
        client,
        file,
        work.document.pk,
        decision="accept",
        paid_to="creditor",
        amount="200.00",
        value_date=PAID_ON.isoformat(),
    )
    assert status == 302
    entry = LedgerEntry.objects.get(kind=EntryKind.CREDITOR_PAYMENT)
    assert (entry.amount, entry.value_date, entry.source, entry.source_reference, entry.actor) == (
        Decimal("-200.00"),
        PAID_ON,
        "agent",
        f"document:{work.document.pk}",
        f"staff:{user.username}",
    )
    after = file_balance(file, as_of=PAID_ON)
    assert after.paid == before.paid + Decimal("200.00")
    message = Event.objects.get(kind="proof_accepted").message
    assert message == f"{ACCEPTED[language]} {PAYMENT_SHOWN[language]}"
    file.refresh_from_db()
    assert file.state == FileState.FORMAL_NOTICE  # interest remains due


def test_a_proof_that_pays_everything_closes_the_file_as_paid(agent: tuple[Client, User]) -> None:
    client, _ = agent
    file = debtor_file()
    work = make_proof(file)
    assert work.document is not None
    due = file_balance(file, as_of=PAID_ON).outstanding
    review(
        client,
        file,
        work.document.pk,
        decision="accept",
        paid_to="creditor",
        amount=str(due),
        value_date=PAID_ON.isoformat(),
    )
    file.refresh_from_db()
    assert file.state == FileState.PAID
    assert file_balance(file, as_of=date(2025, 6, 18)).outstanding == Decimal("0.00")


REJECTED = {
    "fr": "Nous n’avons pas pu accepter votre preuve de paiement «\u00a0extrait.png\u00a0». Il "
    "s’agit d’un ordre de virement, pas d’une preuve que le paiement a été effectué. Voir "
    "l’extrait du 12 juin. Vous pouvez envoyer une preuve lisible, ou payer le montant indiqué "
    "dans votre dossier.",
    "nl": "We konden uw betalingsbewijs “extrait.png” niet aanvaarden. Het is een "
    "overschrijvingsopdracht, geen bewijs dat de betaling werd uitgevoerd. Voir l’extrait du "
    "12 juin. U kunt een duidelijk bewijs opladen, of het bedrag betalen dat in uw dossier "
    "staat.",
    "de": "Wir konnten Ihren Zahlungsnachweis „extrait.png“ nicht akzeptieren. Es handelt sich "
    "um einen Überweisungsauftrag, nicht um einen Nachweis, dass die Zahlung erfolgt ist. Voir "
    "l’extrait du 12 juin. Sie können einen deutlichen Nachweis hochladen oder den in Ihrer "
    "Akte angegebenen Betrag zahlen.",
    "en": "We could not accept your proof of payment “extrait.png”. It is a transfer order, not "
    "a proof that the payment was made. Voir l’extrait du 12 juin. You can upload a clear "
    "proof, or pay the amount shown on your file.",
}


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_a_rejected_proof_tells_the_debtor_why_in_their_language(
    agent: tuple[Client, User], language: str
) -> None:
    client, user = agent
    file = debtor_file(language)
    work = make_proof(file)
    assert work.document is not None
    status = review(
        client,
        file,
        work.document.pk,
        decision="reject",
        reason="transfer_order",
        note_for_debtor="Voir l’extrait du 12 juin.",
    )
    assert status == 302
    document = work.document
    document.refresh_from_db()
    assert (document.review_status, document.review_reason) == (
        ReviewStatus.REJECTED,
        "transfer_order: Voir l’extrait du 12 juin.",
    )
    work.refresh_from_db()
    assert (work.status, work.outcome) == (WorkItemStatus.DONE, "rejected (transfer_order)")
    event = Event.objects.get(kind="proof_rejected")
    assert (event.actor, shown_to_debtor(event), event.message) == (
        f"staff:{user.username}",
        True,
        REJECTED[language],
    )
    assert event.data["reason"] == "transfer_order"


@pytest.mark.parametrize(
    ("reason", "sentence"),
    [
        ("unreadable", "Le document est illisible."),
        (
            "details_missing",
            "Il ne montre pas le montant, la date, la communication utilisée et les comptes de "
            "départ et de destination du paiement.",
        ),
        ("other_payment", "Il concerne un autre paiement ou un autre dossier."),
        ("not_received", "Ni nous ni le créancier n’avons reçu le paiement qu’il montre."),
    ],
)
def test_each_rejection_reason_has_its_sentence(
    agent: tuple[Client, User], reason: str, sentence: str
) -> None:
    client, _ = agent
    file = debtor_file("fr")
    work = make_proof(file)
    assert work.document is not None
    review(client, file, work.document.pk, decision="reject", reason=reason)
    assert Event.objects.get(kind="proof_rejected").message == (
        "Nous n’avons pas pu accepter votre preuve de paiement «\u00a0extrait.png\u00a0». "
        f"{sentence} Vous pouvez envoyer une preuve lisible, ou payer le montant indiqué dans "
        "votre dossier."
    )


def _unchanged(file: File, work: WorkItem) -> None:
    assert work.document is not None
    work.document.refresh_from_db()
    work.refresh_from_db()
    assert work.document.review_status == ReviewStatus.PENDING
    assert work.status == WorkItemStatus.OPEN
    assert not Event.objects.filter(kind__startswith="proof_").exists()
    assert not LedgerEntry.objects.filter(kind="creditor_payment").exists()


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"decision": "reject"}, 400),
        ({"decision": "reject", "reason": "other"}, 409),
        ({"decision": "accept", "paid_to": "creditor", "amount": "10.00"}, 400),
        ({"decision": "maybe"}, 400),
    ],
    ids=["reject_without_reason", "other_without_note", "payment_without_date", "bad_decision"],
)
def test_an_incomplete_decision_changes_nothing(
    agent: tuple[Client, User], data: dict[str, str], status: int
) -> None:
    client, _ = agent
    file = debtor_file()
    work = make_proof(file)
    assert work.document is not None
    assert review(client, file, work.document.pk, **data) == status
    _unchanged(file, work)


def test_a_proof_is_decided_once(agent: tuple[Client, User]) -> None:
    client, _ = agent
    file = debtor_file()
    work = make_proof(file)
    assert work.document is not None
    assert review(client, file, work.document.pk, decision="accept") == 302
    assert review(client, file, work.document.pk, decision="reject", reason="unreadable") == 409
    assert Event.objects.filter(kind__startswith="proof_").count() == 1
    work.document.refresh_from_db()
    assert work.document.review_status == ReviewStatus.ACCEPTED


def test_a_proof_is_reviewed_only_under_its_own_file(agent: tuple[Client, User]) -> None:
    client, _ = agent
    file = debtor_file()
    other = make_file(creditor=make_creditor(), today=date(2025, 6, 1))
    work = make_proof(file)
    assert work.document is not None
    assert review(client, other, work.document.pk, decision="accept") == 404
    _unchanged(file, work)


def test_the_review_form_is_on_the_file_page(agent: tuple[Client, User]) -> None:
    client, _ = agent
    file = debtor_file()
    work = make_proof(file)
    assert work.document is not None
    html = client.get(f"/backoffice/files/{file.reference}/").content.decode()
    assert f'id="review-{work.document.pk}"' in html
    assert "Review the proof “extrait.png”" in html
    assert f'href="/backoffice/files/{file.reference}/documents/{work.document.pk}/"' in html


def test_the_review_form_starts_from_what_the_debtor_declared(agent: tuple[Client, User]) -> None:
    client, _ = agent
    file = debtor_file()
    work = make_proof(file)
    assert work.document is not None
    WorkItem.objects.filter(pk=work.pk).update(
        data={"paid_to": "creditor", "paid_on": "2025-06-10", "amount": "75.50"}
    )
    response = client.get(f"/backoffice/files/{file.reference}/")
    ((document, form, _declaration),) = response.context["proofs"]
    assert document == work.document
    assert form.initial == {"paid_to": "creditor", "amount": "75.50", "value_date": "2025-06-10"}
