"""Journey 4 through the portal: the guided paths, a dispute that suspends, the documents.

The creditor here is of no particular sector, so every path is offered; which paths fit which
sector is tested in tests/disputes/test_reasons.py.
"""

from __future__ import annotations

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.test import Client

from amicable.disputes.models import Dispute, DocumentRequest
from amicable.domain.lifecycle import FileState
from amicable.files.models import Document, File
from amicable.portal.paths import PATHS
from tests.portal.conftest import Cast, sign_in
from tests.portal.uploads import MINIMAL_PDF, fake_pdf_upload, oversized_pdf_upload, pdf_upload

pytestmark = pytest.mark.usefixtures("_today", "_any_sector")


@pytest.fixture
def _any_sector(cast: Cast) -> None:
    cast.file.creditor.sector = "other"
    cast.file.creditor.save(update_fields=["sector"])


@pytest.fixture
def _today() -> object:
    with time_machine.travel("2025-05-02 10:00 +02:00", tick=False) as traveller:
        yield traveller


def _state(file: File) -> str:
    return File.objects.get(pk=file.pk).state


@pytest.mark.parametrize(
    ("language", "heading", "first_path"),
    [
        ("fr", "Je ne suis pas d’accord", "J’ai renvoyé l’article"),
        ("nl", "Ik ga niet akkoord", "Ik heb het artikel teruggestuurd"),
    ],
    ids=["fr", "nl"],
)
def test_disagree_page_lists_every_path(
    client: Client, cast: Cast, language: str, heading: str, first_path: str
) -> None:
    sign_in(client, cast)
    client.cookies["django_language"] = language
    html = client.get(f"/files/{cast.file.reference}/disagree/").content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert first_path in html
    for path in PATHS:
        assert f'href="/files/{cast.file.reference}/disagree/{path.slug}/"' in html


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.slug)
def test_each_path_guides_the_debtor(client: Client, cast: Cast, path: object) -> None:
    sign_in(client, cast)
    html = client.get(f"/files/{cast.file.reference}/disagree/{path.slug}/").content.decode()  # type: ignore[attr-defined]
    assert 'name="explanation"' in html
    assert 'type="file" name="evidence" multiple' in html
    warning = "le paiement est alors attendu dans les 3 jours ouvrables"
    assert (warning in html) is path.proof_expected  # type: ignore[attr-defined]


def test_invoices_after_cancelling_links_to_the_regulators(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    url = f"/files/{cast.file.reference}/disagree/invoices-after-cancellation/"
    html = client.get(url).content.decode()
    assert 'href="https://www.mediateurenergie.be"' in html
    assert 'href="https://www.mediateurtelecom.be"' in html
    assert 'href="https://www.ombudsman-insurance.be"' in html


def test_dispute_suspends_the_file_at_once(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    response = client.post(
        f"/files/{cast.file.reference}/disagree/returned-item/",
        {"explanation": "Colis renvoyé le 3 mars.", "evidence": [pdf_upload("depot.pdf")]},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/files/{cast.file.reference}/disagree/"
    assert _state(cast.file) == FileState.DISPUTED
    dispute = Dispute.objects.get()
    assert (dispute.file, dispute.reason, dispute.status) == (cast.file, "returned_item", "open")
    assert dispute.evidence.get().original_name == "depot.pdf"
    html = client.get(response["Location"]).content.decode()
    assert "Votre contestation est enregistrée." in html
    assert "le recouvrement est suspendu jusqu’à ce qu’un agent ait vérifié votre dossier" in html
    assert "Le recouvrement de ce dossier est suspendu" in html
    assert "Vous n’avez envoyé aucune preuve" not in html


def test_dispute_without_proof_says_payment_is_expected(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    client.post(
        f"/files/{cast.file.reference}/disagree/item-not-received/",
        {"explanation": "Jamais reçu."},
    )
    assert _state(cast.file) == FileState.DISPUTED
    html = client.get(f"/files/{cast.file.reference}/disagree/").content.decode()
    assert "Vous n’avez envoyé aucune preuve" in html
    assert "le paiement est alors attendu dans les 3 jours ouvrables" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"explanation": "Renvoyé.", "evidence": [fake_pdf_upload()]},
            "Seuls les fichiers PDF, JPEG et PNG sont acceptés.",
        ),
        (
            {"explanation": "Renvoyé.", "evidence": [oversized_pdf_upload()]},
            "Le fichier dépasse 10 Mo.",
        ),
        (
            {"explanation": "Renvoyé.", "evidence": [pdf_upload() for _ in range(6)]},
            "Envoyez au maximum 5 fichiers.",
        ),
        ({"explanation": ""}, "Ce champ est obligatoire."),
    ],
    ids=["fake_case", "oversized_case", "six_files_case", "no_reasons_case"],
)
def test_refused_dispute_changes_nothing(
    client: Client, cast: Cast, data: dict[str, object], message: str
) -> None:
    sign_in(client, cast)
    response = client.post(f"/files/{cast.file.reference}/disagree/returned-item/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _state(cast.file) == FileState.FORMAL_NOTICE
    assert not Dispute.objects.exists()
    assert not Document.objects.exists()


def test_unknown_path_is_not_found(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    assert client.get(f"/files/{cast.file.reference}/disagree/because/").status_code == 404


def test_dispute_on_another_debtors_file_is_refused(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    response = client.post(
        f"/files/{cast.stranger_file.reference}/disagree/returned-item/",
        {"explanation": "Pas à moi."},
    )
    assert response.status_code == 404
    assert _state(cast.stranger_file) == FileState.FORMAL_NOTICE
    assert not Dispute.objects.exists()


def test_dispute_needs_the_csrf_token(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    response = strict.post(
        f"/files/{cast.file.reference}/disagree/returned-item/", {"explanation": "Renvoyé."}
    )
    assert response.status_code == 403
    assert _state(cast.file) == FileState.FORMAL_NOTICE


def _supply(file: File, kind: str, name: str) -> Document:
    return Document.objects.create(
        file=file,
        kind=kind,
        content=ContentFile(MINIMAL_PDF, name=name),
        original_name=name,
        content_type="application/pdf",
        size=len(MINIMAL_PDF),
        sha256="b" * 64,
        uploaded_by="creditor-api",
    )


def test_supporting_documents_are_downloadable(client: Client, cast: Cast) -> None:
    invoice = _supply(cast.file, "invoice", "facture-2025-01.pdf")
    theirs = _supply(cast.stranger_file, "contract", "contrat-bob.pdf")
    sign_in(client, cast)
    html = client.get(f"/files/{cast.file.reference}/disagree/").content.decode()
    assert f'href="/files/{cast.file.reference}/documents/{invoice.pk}/"' in html
    assert "contrat-bob.pdf" not in html
    response = client.get(f"/files/{cast.file.reference}/documents/{invoice.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="facture-2025-01.pdf"'
    assert client.get(f"/files/{cast.file.reference}/documents/{theirs.pk}/").status_code == 404


def test_asking_for_missing_documents_suspends_the_file(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    response = client.post(
        f"/files/{cast.file.reference}/disagree/", {"kinds": ["invoice", "general_terms"]}
    )
    assert response.status_code == 302
    assert _state(cast.file) == FileState.SUSPENDED
    assert DocumentRequest.objects.get().kinds == ["invoice", "general_terms"]
    html = client.get(f"/files/{cast.file.reference}/disagree/").content.decode()
    assert "Nous demandons au créancier les documents manquants" in html


def test_asking_for_documents_needs_a_choice(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    response = client.post(f"/files/{cast.file.reference}/disagree/", {"kinds": ["letter"]})
    assert response.status_code == 400
    assert not DocumentRequest.objects.exists()
    assert _state(cast.file) == FileState.FORMAL_NOTICE
