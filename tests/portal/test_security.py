"""Object-level access and CSRF on every page of a file: a debtor reaches only their own files,
whatever identifier they put in the address or the form, and every write needs the CSRF token.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from amicable.disputes.models import Declaration, Dispute, DocumentRequest
from amicable.files.models import Document, Event, File, WorkItem
from amicable.plans.models import PaymentPlan
from tests.portal.conftest import Cast, sign_in
from tests.portal.uploads import MINIMAL_PDF

PAGES = [
    "",
    "statement.pdf",
    "pay/",
    "plan/",
    "payments/",
    "disagree/",
    "disagree/amount-wrong/",
    "difficulties/",
    "difficulties/mediation/",
    "difficulties/settlement/",
]
WRITES = {
    "plan/": {"instalment_count": "3", "first_due_on": "2030-01-10"},
    "payments/": {"paid_to": "agency", "paid_on": "2025-04-01", "amount": "10"},
    "disagree/": {"kinds": ["invoice"]},
    "disagree/amount-wrong/": {"explanation": "Renvoyé."},
    "difficulties/mediation/": {"mediator_name": "M", "mediator_phone": "1"},
    "difficulties/settlement/": {"mediator_name": "M", "mediator_phone": "1"},
}


def _nothing_written(file: File) -> None:
    assert not PaymentPlan.objects.exists()
    assert not Dispute.objects.exists()
    assert not DocumentRequest.objects.exists()
    assert not Declaration.objects.exists()
    assert not Document.objects.filter(uploaded_by="portal").exists()
    assert not WorkItem.objects.exists()
    assert File.objects.get(pk=file.pk).state == file.state
    assert (
        not Event.objects.filter(file=file, actor="portal").exclude(kind="portal_sign_in").exists()
    )


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p or "file")
def test_another_debtors_file_is_not_found(client: Client, cast: Cast, page: str) -> None:
    sign_in(client, cast)
    response = client.get(f"/files/{cast.stranger_file.reference}/{page}")
    assert response.status_code == 404
    _nothing_written(cast.stranger_file)


@pytest.mark.parametrize("page", list(WRITES), ids=str)
def test_writing_on_another_debtors_file_is_refused(client: Client, cast: Cast, page: str) -> None:
    sign_in(client, cast)
    response = client.post(f"/files/{cast.stranger_file.reference}/{page}", WRITES[page])
    assert response.status_code == 404
    _nothing_written(cast.stranger_file)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p or "file")
def test_every_page_needs_a_sign_in(client: Client, cast: Cast, page: str) -> None:
    response = client.get(f"/files/{cast.file.reference}/{page}")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?expired=1"


@pytest.mark.parametrize("page", list(WRITES), ids=str)
def test_every_write_needs_the_csrf_token(client: Client, cast: Cast, page: str) -> None:
    sign_in(client, cast)
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    response = strict.post(f"/files/{cast.file.reference}/{page}", WRITES[page])
    assert response.status_code == 403
    _nothing_written(cast.file)


def test_a_document_number_of_another_file_is_not_found(client: Client, cast: Cast) -> None:
    theirs = Document.objects.create(
        file=cast.stranger_file,
        kind="contract",
        content=ContentFile(MINIMAL_PDF, name="c.pdf"),
        original_name="c.pdf",
        content_type="application/pdf",
        size=len(MINIMAL_PDF),
        sha256="c" * 64,
        uploaded_by="creditor-api",
    )
    sign_in(client, cast)
    for reference in (cast.file.reference, cast.second_file.reference):
        assert client.get(f"/files/{reference}/documents/{theirs.pk}/").status_code == 404
    assert client.get(f"/files/{cast.file.reference}/documents/999999/").status_code == 404


def test_a_signed_out_session_reaches_nothing(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    client.post("/sign-out/")
    response = client.get(f"/files/{cast.file.reference}/")
    assert response.status_code == 302


@pytest.mark.parametrize(
    "reference", ["AM0000000X", "AM123456789", "..%2F..%2Fsign-in", "%00"], ids=str
)
def test_a_malformed_file_reference_is_not_found(
    client: Client, cast: Cast, reference: str
) -> None:
    sign_in(client, cast)
    assert client.get(f"/files/{reference}/").status_code == 404


def test_the_debtors_own_file_answers_however_its_number_is_typed(
    client: Client, cast: Cast
) -> None:
    sign_in(client, cast)
    typed = cast.file.reference.lower()[:2] + "-" + cast.file.reference[2:]
    assert client.get(f"/files/{typed}/").status_code == 200
