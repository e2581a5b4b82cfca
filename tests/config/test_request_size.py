"""A body over the size limit (13 MB where 12 MB are accepted) answers 413 on every page.

The creditor API in its error shape; the portal and the back office with a page in the
visitor's language; and nothing is stored. Upload pages whose forms take larger files accept
their own size, and their form says what is wrong with the file.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amicable.backoffice.roles import Role
from amicable.files.models import Creditor, Document, Event, File, WorkItem
from amicable.intake.tokens import issue_token
from tests.factories import make_creditor, make_file
from tests.portal.conftest import Cast, sign_in
from tests.portal.conftest import cast as cast  # the portal's signed-in debtor
from tests.portal.uploads import MINIMAL_PDF
from tests.staff import make_staff
from tests.staff import sign_in as staff_sign_in

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
API_REASON = (
    "The request body is larger than 12 MB, the most this API accepts: send large batches in "
    "several calls."
)
HEADINGS = {
    "fr": "Le fichier est trop volumineux",
    "nl": "Het bestand is te groot",
    "de": "Die Datei ist zu groß",
    "en": "The file is too large",
}


def _pdf(size: int) -> SimpleUploadedFile:
    return SimpleUploadedFile("scan.pdf", MINIMAL_PDF + b"\n" * (size - len(MINIMAL_PDF)))


@pytest.fixture
def creditor() -> Creditor:
    return make_creditor()


@pytest.fixture
def api(creditor: Creditor) -> Client:
    secret = issue_token(creditor=creditor, name="test", actor="test").secret
    return Client(headers={"Authorization": f"Bearer {secret}"})


@pytest.mark.parametrize(
    "debug", [pytest.param(False, id="production"), pytest.param(True, id="debug")]
)
def test_13_mb_to_the_api_is_413_in_its_error_shape(
    api: Client, settings: Any, debug: bool
) -> None:
    settings.DEBUG = debug
    body = json.dumps({"creditor_reference": "FILE-1", "padding": "x" * (13 * MB)})

    response = api.post("/api/v1/files", body, content_type="application/json")

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"errors": [{"field": "body", "reason": API_REASON}]}
    assert File.objects.count() == 0


def test_a_13_mb_document_to_the_api_is_413(api: Client, creditor: Creditor) -> None:
    file = make_file(creditor=creditor)

    response = api.post(
        f"/api/v1/files/{file.reference}/documents", {"kind": "invoice", "file": _pdf(13 * MB)}
    )

    assert response.status_code == 413
    assert response.json() == {"errors": [{"field": "body", "reason": API_REASON}]}
    assert Document.objects.count() == 0


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_a_13_mb_proof_of_payment_gets_a_page_in_the_debtors_language(
    client: Client, cast: Cast, language: str
) -> None:
    sign_in(client, cast)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = f"/files/{cast.file.reference}/payments/"

    response = client.post(page, {"paid_to": "agency", "proof": _pdf(13 * MB)})

    assert response.status_code == 413
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<h1>{HEADINGS[language]}</h1>" in html
    assert f'href="{page}"' in html
    assert Document.objects.count() == 0
    assert WorkItem.objects.count() == 0


def test_a_dispute_takes_several_files_and_its_form_judges_each(client: Client, cast: Cast) -> None:
    """The dispute page accepts five files of 10 MB: 13 MB reach its form, which refuses the
    file over 10 MB with its own message (a form error answers 400 in the portal)."""
    sign_in(client, cast)

    response = client.post(
        f"/files/{cast.file.reference}/disagree/never-signed/",
        {"explanation": "Ce n’est pas ma facture.", "evidence": [_pdf(13 * MB)]},
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert response.status_code == 400
    assert "Le fichier dépasse 10 Mo." in response.content.decode()
    assert Document.objects.count() == 0


def test_13_mb_to_a_back_office_form_gets_the_back_office_page() -> None:
    client = staff_sign_in(Client(), make_staff(Role.AGENT))
    file = make_file(creditor=make_creditor())
    events = Event.objects.count()

    response = client.post(
        f"/backoffice/files/{file.reference}/note/",
        {"text": "x" * (13 * MB)},
        HTTP_ACCEPT_LANGUAGE="nl",
    )

    assert response.status_code == 413
    html = response.content.decode()
    assert "<h1>Het bestand is te groot</h1>" in html
    assert "backoffice/backoffice.css" in html
    assert Event.objects.count() == events


def test_a_13_mb_bank_statement_reaches_its_form() -> None:
    """Statements of up to 64 MB are accepted: the page reads the file and says what it is."""
    client = staff_sign_in(Client(), make_staff(Role.ACCOUNTANT))

    response = client.post(
        "/backoffice/statements/",
        {"statement": SimpleUploadedFile("day.cod", b"0" * (13 * MB)), "format": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert "<h2>The file cannot be read</h2>" in html
    assert "record is 13631488 characters long, not 128" in html
