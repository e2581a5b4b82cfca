"""Journey 3: the payments and their split, the principal-only explanation, proof uploads."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amicable.files import ledger
from amicable.files.models import Document, Event, ReviewStatus, WorkItem, WorkItemKind
from tests.factories import shown_to_debtor
from tests.portal.account_table import read_account
from tests.portal.conftest import Cast, sign_in
from tests.portal.uploads import (
    MINIMAL_PDF,
    fake_pdf_upload,
    oversized_pdf_upload,
    pdf_upload,
    png_bytes,
)

pytestmark = pytest.mark.usefixtures("_today")

D = Decimal


@pytest.fixture
def _today() -> object:
    # Friday 2 May 2025.
    with time_machine.travel("2025-05-02 10:00 +02:00", tick=False) as traveller:
        yield traveller


def _pay(cast: Cast, amount: str, reference: str = "mv-1") -> ledger.Posting:
    return ledger.post_payment(
        file=cast.file,
        amount=Decimal(amount),
        value_date=date(2025, 4, 10),
        actor="bank",
        source="statement",
        source_reference=reference,
    )


def _proof(client: Client, cast: Cast, upload: object, **overrides: str) -> object:
    data = {"paid_to": "agency", "paid_on": "2025-04-24", "amount": "125,50", "proof": upload}
    data.update(overrides)
    return client.post(f"/files/{cast.file.reference}/payments/", data)


def test_each_payment_shows_how_it_was_split(client: Client, cast: Cast) -> None:
    ledger.charge_indemnity(claim=cast.file.claims.get(), on=date(2025, 3, 20), actor="t")
    _pay(cast, "100.00")
    sign_in(client, cast)
    html = client.get(f"/files/{cast.file.reference}/payments/").content.decode()
    assert "100,00\u00a0€ reçus par nous le 10/04/2025" in html
    split = html.split('<dl class="split">', 1)[1].split("</dl>", 1)[0]
    assert [cell.split("</dd>")[0] for cell in split.split("<dd>")[1:]] == [
        "0,92\u00a0€",
        "25,00\u00a0€",
        "0,00\u00a0€",
        "74,08\u00a0€",
    ]
    assert "Vous avez payé le montant de la facture\u00a0?" not in html


def test_returned_payment_pays_nothing(client: Client, cast: Cast) -> None:
    posting = _pay(cast, "50.00")
    ledger.reverse_payment(entry=posting.entry, on=date(2025, 4, 14), actor="bank", reason="R")
    sign_in(client, cast)
    html = client.get(f"/files/{cast.file.reference}/payments/").content.decode()
    assert "Ce paiement a été renvoyé par la banque" in html


def test_paying_only_the_principal_is_explained(client: Client, cast: Cast) -> None:
    ledger.charge_indemnity(claim=cast.file.claims.get(), on=date(2025, 3, 20), actor="t")
    _pay(cast, "200.00")
    sign_in(client, cast)
    html = client.get(f"/files/{cast.file.reference}/payments/").content.decode()
    assert "Vous avez payé le montant de la facture\u00a0?" in html
    section = html.split('id="principal-heading"', 1)[1].split("</section>", 1)[0]
    # 200.00 paid: 0.92 interest, 25.00 indemnity, 174.08 principal; 25.92 principal left and
    # interest 2025-04-10..2025-05-02 on it (23 days x 8 %) = 0.13.
    assert "Reste dû aujourd’hui\u00a0: <strong>26,05\u00a0€</strong>" in section
    table = read_account(html)
    assert table.lines["Indemnité forfaitaire"] == (D("25.00"), D("25.00"), D("0.00"))
    assert table.lines["Intérêts"] == (D("1.05"), D("0.92"), D("0.13"))
    assert table.lines["Principal"] == (D("200.00"), D("174.08"), D("25.92"))
    assert table.total == (D("226.05"), D("200.00"), D("26.05"))


def test_guidance_and_transfer_order_warning_come_before_the_upload(
    client: Client, cast: Cast
) -> None:
    sign_in(client, cast)
    html = client.get(f"/files/{cast.file.reference}/payments/").content.decode()
    warning = html.index("Un ordre de virement n’est pas une preuve de paiement")
    assert html.index("dans les 3 jours ouvrables") < warning
    assert html.index("dans les 5 jours ouvrables") < warning
    assert warning < html.index('enctype="multipart/form-data"')
    assert 'aria-describedby="id_proof_help transfer-order-warning"' in html


def test_proof_is_stored_pending_review_and_queued(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    response = _proof(client, cast, pdf_upload("../../relevé 04.pdf"))
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.kind, document.review_status, document.uploaded_by) == (
        "proof_of_payment",
        ReviewStatus.PENDING,
        "portal",
    )
    assert document.original_name == "relevé 04.pdf"
    assert document.sha256 == hashlib.sha256(MINIMAL_PDF).hexdigest()
    assert document.content.name.endswith(f"{document.sha256}.pdf")
    assert (document.content_type, document.size) == ("application/pdf", len(MINIMAL_PDF))
    item = WorkItem.objects.get()
    assert (item.kind, item.document, item.file) == (
        WorkItemKind.PROOF_REVIEW,
        document,
        cast.file,
    )
    assert item.due_on == date(2025, 5, 7)  # Friday + 3 working days
    assert item.data == {
        "proofs": [
            {
                "document_id": document.pk,
                "paid_to": "agency",
                "paid_on": "2025-04-24",
                "amount": "125.50",
            }
        ]
    }
    assert item.title == f"{cast.file.reference}: proof of 125.50 paid to the agency on 24/04/2025"
    event = Event.objects.get(file=cast.file, kind="proof_of_payment_uploaded")
    assert shown_to_debtor(event) is True
    html = client.get(f"/files/{cast.file.reference}/payments/").content.decode()
    # Paid on Thursday 24 April: 3 working days later is Tuesday 29 April, already past.
    assert "Merci, nous avons bien reçu votre preuve. Un agent la vérifie" in html
    assert "Reçu, en cours de vérification par un agent" in html


def test_recent_payment_may_still_appear(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    _proof(client, cast, pdf_upload(), paid_to="creditor", paid_on="2025-04-30")
    html = client.get(f"/files/{cast.file.reference}/payments/").content.decode()
    # Paid to the creditor on Wednesday 30 April: 5 working days, 1 May skipped -> 8 May.
    assert "Votre paiement peut encore apparaître d’ici le 08/05/2025" in html


def test_png_screenshot_is_accepted(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    upload = SimpleUploadedFile("capture.png", png_bytes(), content_type="image/png")
    assert _proof(client, cast, upload).status_code == 302
    assert Document.objects.get().content_type == "image/png"


@pytest.mark.parametrize(
    ("language", "upload", "message"),
    [
        ("fr", oversized_pdf_upload, "Le fichier dépasse 10 Mo."),
        ("nl", oversized_pdf_upload, "Het bestand is groter dan 10 MB."),
        ("fr", fake_pdf_upload, "Seuls les fichiers PDF, JPEG et PNG sont acceptés."),
        ("nl", fake_pdf_upload, "Alleen PDF-, JPEG- en PNG-bestanden worden aanvaard."),
    ],
    ids=["oversized_fr", "oversized_nl", "fake_fr", "fake_nl"],
)
def test_oversized_and_fake_uploads_are_refused_with_a_translated_message(
    client: Client, cast: Cast, language: str, upload: object, message: str
) -> None:
    sign_in(client, cast)
    client.cookies["django_language"] = language
    response = _proof(client, cast, upload())  # type: ignore[operator]
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert message in response.content.decode()  # type: ignore[attr-defined]
    assert not Document.objects.exists()
    assert not WorkItem.objects.exists()
    assert not Event.objects.filter(kind="proof_of_payment_uploaded").exists()


@pytest.mark.parametrize(
    ("language", "overrides", "message"),
    [
        ("fr", {"amount": "douze"}, "Indiquez un montant en euros, par exemple 125,50."),
        ("nl", {"amount": "twaalf"}, "Geef een bedrag in euro op, bijvoorbeeld 125,50."),
        ("fr", {"amount": "0"}, "Le montant doit être supérieur à 0."),
        ("nl", {"amount": "-12,50"}, "Het bedrag moet groter zijn dan 0."),
        # A comma for thousands and a point for cents is not how amounts are written here.
        ("fr", {"amount": "1,234.56"}, "Indiquez un montant en euros, par exemple 125,50."),
        ("fr", {"amount": "12,505"}, "Indiquez un montant en euros, par exemple 125,50."),
        ("fr", {"paid_on": "2025-05-03"}, "La date du paiement ne peut pas être dans le futur."),
        (
            "nl",
            {"paid_on": "2025-05-03"},
            "De datum van de betaling kan niet in de toekomst liggen.",
        ),
        ("fr", {"paid_to": "neighbour"}, "Sélectionnez un choix valide."),
        (
            "fr",
            {"structured_communication": "+++123/4567/89012+++"},
            "Ce n’est pas une communication structurée valable. Recopiez-la comme sur votre "
            "extrait de compte, par exemple +++123/4567/89002+++, ou une référence qui commence "
            "par RF.",
        ),
        (
            "nl",
            {"structured_communication": "RF17 5390 0754 7034"},
            "Dit is geen geldige gestructureerde mededeling. Neem ze over zoals op uw "
            "rekeninguittreksel, bijvoorbeeld +++123/4567/89002+++, of een referentie die met RF "
            "begint.",
        ),
        (
            "fr",
            {"structured_communication": "facture 2025-17"},
            "Ce n’est pas une communication structurée valable.",
        ),
    ],
    ids=[
        "words_fr_case",
        "words_nl_case",
        "zero_fr_case",
        "negative_nl_case",
        "english_thousands_case",
        "three_decimals_case",
        "future_fr_case",
        "future_nl_case",
        "bad_choice_case",
        "ogm_check_digits_fr_case",
        "rf_check_digits_nl_case",
        "free_text_case",
    ],
)
def test_proof_form_errors_are_in_the_debtors_language(
    client: Client, cast: Cast, language: str, overrides: dict[str, str], message: str
) -> None:
    sign_in(client, cast)
    client.cookies["django_language"] = language
    response = _proof(client, cast, pdf_upload(), **overrides)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert message in response.content.decode()  # type: ignore[attr-defined]
    assert not Document.objects.exists()
    assert not WorkItem.objects.exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("122,40", "122.40"),
        ("1.234,56", "1234.56"),
        ("1 234,56 €", "1234.56"),
        ("1.500", "1500.00"),
        ("125.50", "125.50"),
        ("80", "80.00"),
    ],
    ids=[
        "comma_case",
        "thousands_case",
        "spaces_and_sign_case",
        "dot_thousands_case",
        "point_decimals_case",
        "whole_euros_case",
    ],
)
def test_declared_amount_is_read_the_belgian_way(
    client: Client, cast: Cast, typed: str, stored: str
) -> None:
    sign_in(client, cast)
    assert _proof(client, cast, pdf_upload(), amount=typed).status_code == 302  # type: ignore[attr-defined]
    assert WorkItem.objects.get().data["proofs"][0]["amount"] == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+++010/8068/17183+++", "010806817183"),
        ("***090/9337/55493***", "090933755493"),
        ("010 8068 17183", "010806817183"),
        ("rf18 5390 0754 7034", "RF18539007547034"),
    ],
    ids=["plus_case", "asterisk_case", "spaced_case", "rf_case"],
)
def test_declared_communication_is_stored_as_the_bank_carries_it(
    client: Client, cast: Cast, typed: str, stored: str
) -> None:
    sign_in(client, cast)
    response = _proof(client, cast, pdf_upload(), amount="122,40", structured_communication=typed)
    assert response.status_code == 302  # type: ignore[attr-defined]
    document = Document.objects.get()
    assert WorkItem.objects.get().data["proofs"] == [
        {
            "document_id": document.pk,
            "paid_to": "agency",
            "paid_on": "2025-04-24",
            "amount": "122.40",
            "structured_communication": stored,
        }
    ]
    event = Event.objects.get(file=cast.file, kind="proof_of_payment_uploaded")
    assert (event.data["amount"], event.data["structured_communication"]) == ("122.40", stored)


def test_amount_date_and_communication_may_be_left_out(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    response = _proof(
        client, cast, pdf_upload(), paid_on="", amount="", structured_communication=""
    )
    assert response.status_code == 302  # type: ignore[attr-defined]
    document = Document.objects.get()
    item = WorkItem.objects.get()
    assert item.data == {"proofs": [{"document_id": document.pk, "paid_to": "agency"}]}
    assert item.title == f"{cast.file.reference}: proof of payment to the agency"
    html = client.get(f"/files/{cast.file.reference}/payments/").content.decode()
    assert "Merci, nous avons bien reçu votre preuve. Un agent la vérifie" in html


def test_own_upload_can_be_downloaded_but_not_another_debtors(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    _proof(client, cast, pdf_upload())
    mine = Document.objects.get()
    theirs = Document.objects.create(
        file=cast.stranger_file,
        kind="invoice",
        content=ContentFile(MINIMAL_PDF, name="their-invoice.pdf"),
        original_name="their-invoice.pdf",
        content_type="application/pdf",
        size=len(MINIMAL_PDF),
        sha256="0" * 64,
        uploaded_by="creditor",
    )
    url = f"/files/{cast.file.reference}/documents/{mine.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF  # type: ignore[attr-defined]
    # A download, sandboxed should a browser render it: nothing in it runs on our origin.
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'; img-src 'self'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    # Their document through my file's address, and through theirs: both not found.
    assert client.get(f"/files/{cast.file.reference}/documents/{theirs.pk}/").status_code == 404
    assert (
        client.get(f"/files/{cast.stranger_file.reference}/documents/{theirs.pk}/").status_code
        == 404
    )


def test_staff_documents_of_my_own_file_are_not_downloadable(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    letter = Document.objects.create(
        file=cast.file,
        kind="letter",
        content=ContentFile(MINIMAL_PDF, name="internal.pdf"),
        original_name="internal.pdf",
        content_type="application/pdf",
        size=len(MINIMAL_PDF),
        sha256="1" * 64,
        uploaded_by="agent",
    )
    assert client.get(f"/files/{cast.file.reference}/documents/{letter.pk}/").status_code == 404


def test_proof_upload_needs_the_csrf_token(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies  # the signed-in session, without a CSRF token
    response = _proof(strict, cast, pdf_upload())
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert not Document.objects.exists()


def test_proof_on_another_debtors_file_is_refused(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    response = client.post(
        f"/files/{cast.stranger_file.reference}/payments/",
        {"paid_to": "agency", "paid_on": "2025-04-24", "amount": "10", "proof": pdf_upload()},
    )
    assert response.status_code == 404
    assert not Document.objects.exists()
