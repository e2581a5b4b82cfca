"""A debtor cannot flood a file with documents: at most five a file in 24 hours, proofs and a
dispute's evidence together, counted before they are read; and twenty proofs in a row make one
review item, not twenty."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amicable.disputes.models import Dispute
from amicable.files.models import Document, Event, WorkItem, WorkItemKind
from amicable.portal.limits import MAX_UPLOADS_PER_FILE
from amicable.portal.models import ThrottledAttempt
from tests.portal.conftest import Cast, sign_in
from tests.portal.uploads import MINIMAL_PDF, fake_pdf_upload, pdf_upload

BRUSSELS = ZoneInfo("Europe/Brussels")
# Friday 2 May 2025, 10:00 in Brussels.
NOW = datetime(2025, 5, 2, 10, 0, tzinfo=BRUSSELS)

pytestmark = pytest.mark.usefixtures("letter_agency")


@pytest.fixture(autouse=True)
def _now() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _proof(client: Client, cast: Cast, upload: Any = None, **fields: str) -> Any:
    data = {"paid_to": "agency", "proof": upload or pdf_upload(), **fields}
    return client.post(f"/files/{cast.file.reference}/payments/", data)


def _numbered_pdf(n: int) -> SimpleUploadedFile:
    """A different PDF each time (its own sha256), as a real debtor's proofs would be."""
    return SimpleUploadedFile(
        f"extrait-{n}.pdf", MINIMAL_PDF + f"%{n}\n".encode(), content_type="application/pdf"
    )


def test_five_proofs_make_one_review_item_and_a_sixth_is_refused(
    client: Client, cast: Cast
) -> None:
    sign_in(client, cast)
    for n in range(MAX_UPLOADS_PER_FILE):
        assert _proof(client, cast, _numbered_pdf(n), amount=f"{10 + n}").status_code == 302

    refused = _proof(client, cast, _numbered_pdf(99))

    assert refused.status_code == 429
    html = refused.content.decode()
    assert (
        "Vous avez déjà envoyé 5\u00a0documents pour ce dossier au cours des dernières "
        "24\u00a0heures, le maximum que nous acceptons. Vous pourrez en envoyer d’autres à "
        "partir du 03/05/2025 à 10:00, ou nous appeler." in html
    )
    documents = list(Document.objects.filter(file=cast.file).order_by("pk"))
    assert [d.original_name for d in documents] == [f"extrait-{n}.pdf" for n in range(5)]
    assert Event.objects.filter(kind="proof_of_payment_uploaded").count() == 5
    # One item lists every proof waiting, with what the debtor declared with each; it is due
    # three working days after the first.
    (item,) = WorkItem.objects.filter(kind=WorkItemKind.PROOF_REVIEW)
    assert item.document == documents[0]
    assert item.due_on == date(2025, 5, 7)
    assert [(p["document_id"], p["amount"]) for p in item.data["proofs"]] == [
        (d.pk, f"{10 + n}.00") for n, d in enumerate(documents)
    ]
    assert item.title == f"{cast.file.reference}: 5 proofs of payment to review"


def test_the_limit_counts_a_disputes_evidence_with_the_proofs(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    for n in range(3):
        assert _proof(client, cast, _numbered_pdf(n)).status_code == 302
    path = f"/files/{cast.file.reference}/disagree/amount-wrong/"

    refused = client.post(
        path,
        {
            "explanation": "Le montant est faux.",
            "evidence": [_numbered_pdf(n) for n in range(10, 13)],
        },
    )

    assert refused.status_code == 429
    assert (
        "vous pouvez encore en envoyer 2 maintenant, ou tous ceux-ci à partir du 03/05/2025 à "
        "10:00." in refused.content.decode()
    )
    assert not Dispute.objects.exists()
    assert Document.objects.filter(file=cast.file).count() == 3

    accepted = client.post(
        path,
        {
            "explanation": "Le montant est faux.",
            "evidence": [_numbered_pdf(n) for n in range(10, 12)],
        },
    )
    assert accepted.status_code == 302
    assert Dispute.objects.get().evidence.count() == 2


def test_the_limit_is_per_file_and_per_24_hours(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    for n in range(MAX_UPLOADS_PER_FILE):
        _proof(client, cast, _numbered_pdf(n))
    assert _proof(client, cast, _numbered_pdf(5)).status_code == 429
    # Another file of the same debtor has its own five.
    other = client.post(
        f"/files/{cast.second_file.reference}/payments/",
        {"paid_to": "agency", "proof": _numbered_pdf(6)},
    )
    assert other.status_code == 302

    with time_machine.travel(datetime(2025, 5, 3, 10, 1, tzinfo=BRUSSELS), tick=False):
        client = Client()
        sign_in(client, cast)
        assert _proof(client, cast, _numbered_pdf(7)).status_code == 302


def test_a_document_the_form_refuses_does_not_count(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    for _ in range(3):
        assert _proof(client, cast, fake_pdf_upload()).status_code == 400
    assert not ThrottledAttempt.objects.exists()
    for n in range(MAX_UPLOADS_PER_FILE):
        assert _proof(client, cast, _numbered_pdf(n)).status_code == 302


@pytest.mark.parametrize("language", ["nl", "de", "en"])
def test_the_refusal_speaks_the_debtors_language(client: Client, cast: Cast, language: str) -> None:
    sign_in(client, cast)
    client.cookies["django_language"] = language
    for n in range(MAX_UPLOADS_PER_FILE):
        _proof(client, cast, _numbered_pdf(n))
    html = _proof(client, cast, _numbered_pdf(9)).content.decode()
    expected = {
        "nl": "U hebt de afgelopen 24 uur al 5 documenten voor dit dossier gestuurd",
        "de": "Sie haben in den letzten 24 Stunden bereits 5 Dokumente zu dieser Akte gesendet",
        "en": "You have already sent 5 documents on this file in the last 24 hours",
    }[language]
    assert expected in html
