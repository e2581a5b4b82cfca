"""A signed-in debtor downloads everything held about them (GDPR art. 15): their records, files,
claims, ledger, letters and documents, as one ZIP; never anyone else's; a few times an hour."""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import StreamingHttpResponse
from django.test import Client

from amicable.domain.lifecycle import FileState
from amicable.domain.mentions import LetterKind
from amicable.files import ledger
from amicable.files.models import EntrySource, Event, File
from amicable.files.services import issue_access_code
from amicable.letters.services import produce_letter
from amicable.payments.models import DebtorAccount
from amicable.portal.limits import MAX_DATA_DOWNLOADS
from tests.factories import make_creditor
from tests.letters.conftest import brussels, file_in
from tests.portal.uploads import MINIMAL_PDF, pdf_upload

pytestmark = pytest.mark.usefixtures("letter_agency")

AT = brussels(2025, 4, 2, 9, 30)


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(AT, tick=False):
        yield


@dataclass(frozen=True, slots=True)
class World:
    file: File
    second: File
    stranger: File
    code: str


@pytest.fixture
def world(db: None) -> World:
    creditor = make_creditor(name="Énergie Claire SA")
    file = file_in(
        FileState.FORMAL_NOTICE, creditor=creditor, customer_reference="ALICE", name="Alice Leroy"
    )
    second = file_in(
        FileState.FORMAL_NOTICE, creditor=creditor, customer_reference="ALICE", name="Alice Leroy"
    )
    stranger = file_in(
        FileState.FORMAL_NOTICE,
        creditor=creditor,
        customer_reference="BOB",
        name="Bob Stranger",
        email="bob.stranger@example.be",
        language="nl",
    )
    for each in (file, stranger):
        assert produce_letter(
            file=each, kind=LetterKind.FORMAL_NOTICE, actor="test", on=date(2025, 4, 2), at=AT
        ).produced
        ledger.post_payment(
            file=each,
            amount=Decimal("50.5"),
            value_date=date(2025, 4, 1),
            actor="bank",
            source=EntrySource.STATEMENT,
            source_reference=f"movement-{each.pk}",
        )
    DebtorAccount.objects.create(
        debtor=file.debtor, iban="BE68539007547034", first_seen_on=date(2025, 4, 1)
    )
    DebtorAccount.objects.create(
        debtor=stranger.debtor, iban="BE62510007547061", first_seen_on=date(2025, 4, 1)
    )
    code = issue_access_code(file=file, actor="test")
    return World(file=file, second=second, stranger=stranger, code=code)


def _signed_in(world: World, reference: str | None = None, code: str | None = None) -> Client:
    client = Client()
    response = client.post(
        "/sign-in/", {"reference": reference or world.file.reference, "code": code or world.code}
    )
    assert response.status_code == 302
    return client


def _download(client: Client) -> zipfile.ZipFile:
    response = client.post("/my-data/")
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="personal-data-2025-04-02.zip"'
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[arg-type]


def test_the_zip_holds_the_debtors_records_files_ledger_letters_and_documents(
    world: World,
) -> None:
    client = _signed_in(world)
    proof = client.post(
        f"/files/{world.file.reference}/payments/",
        {"paid_to": "agency", "paid_on": "2025-03-28", "amount": "20", "proof": pdf_upload()},
    )
    assert proof.status_code == 302
    assert "Télécharger mes données" in client.get("/files/").content.decode()

    archive = _download(client)

    names = archive.namelist()
    ref, second = world.file.reference, world.second.reference
    assert names[:2] == ["README.txt", "debtor.json"]
    assert f"files/{ref}/file.json" in names
    assert f"files/{second}/file.json" in names
    # The index is in the debtor's language and lists every part.
    readme = archive.read("README.txt").decode()
    assert readme.startswith("Les données personnelles que Clairval SRL détient à votre sujet")
    assert all(f"  {name}" in readme for name in names)
    debtor = json.loads(archive.read("debtor.json"))
    assert [d["name"] for d in debtor["debtors"]] == ["Alice Leroy"]
    assert debtor["debtors"][0]["customer_reference"] == "ALICE"
    assert debtor["bank_accounts"] == [{"iban": "BE68539007547034", "first_seen_on": "2025-04-01"}]

    record = json.loads(archive.read(f"files/{ref}/file.json"))
    assert record["reference"] == ref
    assert record["creditor"]["name"] == "Énergie Claire SA"
    assert record["claims"][0]["principal"] == "200.00"
    assert record["claims"][0]["due_date"] == "2025-02-14"
    payment = next(e for e in record["ledger"] if e["kind"] == "payment")
    assert (payment["amount"], payment["value_date"]) == ("-50.50", "2025-04-01")
    assert {a["entry"] for a in record["allocations"]} == {payment["id"]}
    assert sum(Decimal(a["amount"]) for a in record["allocations"]) == Decimal("50.50")
    assert all(len(a["amount"].split(".")[1]) == 2 for a in record["allocations"])
    assert record["balance"]["as_of"] == "2025-04-02"
    # The letter, byte for byte as archived.
    (letter,) = record["letters"]
    assert letter["kind"] == "formal_notice"
    assert archive.read(letter["pdf"]).startswith(b"%PDF")
    # What the debtor sent, as sent.
    (upload,) = [d for d in record["documents"] if d["sent_by_you"]]
    assert upload["kind"] == "proof_of_payment"
    assert archive.read(upload["content"]) == MINIMAL_PDF
    # The history meant for the debtor, in French; nothing of the agency's own.
    texts = [entry["text"] for entry in record["history"]]
    assert "Un paiement de 50,50\u00a0€ a été enregistré." in texts
    assert not {"portal_sign_in", "access_code_issued"} & {e["kind"] for e in record["history"]}

    # The download is on the timeline of each file, for the debtor and for staff.
    assert Event.objects.filter(kind="personal_data_downloaded").count() == 2


def test_another_debtors_data_is_never_in_the_zip(world: World) -> None:
    archive = _download(_signed_in(world))

    everything = b"".join(archive.read(name) for name in archive.namelist())
    stranger = world.stranger
    assert not [name for name in archive.namelist() if stranger.reference in name]
    for secret in (
        stranger.reference,
        "Bob Stranger",
        "bob.stranger@example.be",
        "BE62510007547061",
    ):
        assert secret.encode() not in everything
    letter = stranger.sent_letters.get()
    assert letter.sha256.encode() not in everything


def test_a_few_downloads_an_hour(world: World) -> None:
    client = _signed_in(world)
    for _ in range(MAX_DATA_DOWNLOADS):
        _download(client)

    refused = client.post("/my-data/", follow=True)

    assert refused.redirect_chain == [("/files/", 302)]
    page = refused.content.decode()
    assert "Vous avez téléchargé vos données 3\u00a0fois au cours de la dernière heure" in page
    assert "02/04/2025 à 10:30" in page
    assert Event.objects.filter(kind="personal_data_downloaded").count() == 2 * MAX_DATA_DOWNLOADS
    # An hour after the first, one more (in a new session: the first one has expired).
    with time_machine.travel(brussels(2025, 4, 2, 10, 31), tick=False):
        _download(_signed_in(world))


def test_only_a_signed_in_debtor_downloads(world: World) -> None:
    response = Client().post("/my-data/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?expired=1"
    assert Client().get("/my-data/").status_code == 405


def test_the_zip_is_sent_as_it_is_written(world: World) -> None:
    """A large document goes out in pieces: the memory used does not grow with its size."""
    client = _signed_in(world)
    large = MINIMAL_PDF + os.urandom(3 * 1024 * 1024)
    client.post(
        f"/files/{world.file.reference}/payments/",
        {
            "paid_to": "agency",
            "proof": SimpleUploadedFile("releve.pdf", large, content_type="application/pdf"),
        },
    )

    response = client.post("/my-data/")
    assert isinstance(response, StreamingHttpResponse)
    sizes = [len(chunk) for chunk in response.streaming_content]  # type: ignore[arg-type]

    assert sum(sizes) > len(large)
    assert max(sizes) < 256 * 1024
