"""Journey 1: the dated statement of account (PDF), in the debtor's language, own files only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from amicable.files import ledger
from amicable.files.models import Event
from amicable.files.services import issue_access_code
from amicable.letters.statement import statement_of_account
from tests.factories import make_file
from tests.letters.reading import pdf_text
from tests.portal.conftest import Cast, sign_in

pytestmark = pytest.mark.usefixtures("letter_agency")

TODAY = date(2025, 5, 2)


@time_machine.travel("2025-05-02 10:00 +02:00", tick=False)
def test_statement_is_a_dated_pdf_in_the_debtors_language(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    client.cookies["django_language"] = "nl"  # the page language does not matter
    response = client.get(f"/files/{cast.file.reference}/statement.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{cast.file.reference}-2025-05-02.pdf"'
    )
    text = pdf_text(response.content)
    assert "Relevé de compte au 2 mai 2025" in text
    assert cast.file.reference in text
    assert cast.file.creditor.name in text
    assert list(
        Event.objects.filter(file=cast.file, kind="statement_downloaded").values_list(
            "data", flat=True
        )
    ) == [{"as_of": "2025-05-02"}]


@time_machine.travel("2025-05-02 10:00 +02:00", tick=False)
def test_statement_of_a_dutch_speaking_debtor_is_in_dutch(client: Client, db: None) -> None:
    file = make_file(language="nl")
    code = issue_access_code(file=file, actor="test")
    client.post("/sign-in/", {"reference": file.reference, "code": code})
    text = pdf_text(client.get(f"/files/{file.reference}/statement.pdf").content)
    assert "Rekeningoverzicht op 2 mei 2025" in text


def test_statement_lines_add_up_to_the_outstanding_balance(db: None) -> None:
    file = make_file()
    claim = file.claims.get()
    ledger.charge_indemnity(claim=claim, on=date(2025, 3, 20), actor="test")
    ledger.post_payment(
        file=file,
        amount=Decimal("100.00"),
        value_date=date(2025, 4, 10),
        actor="bank",
        source="statement",
        source_reference="mv-1",
    )
    data = statement_of_account(file, on=TODAY)
    balance = ledger.file_balance(file, as_of=TODAY)
    reference = claim.creditor_reference
    # Interest 2025-03-20..2025-04-09 on 200.00 at 8 % = 0.92 (booked with the payment), then
    # 2025-04-10..2025-05-02 on 125.92: 0.9205 + 125.92 x 8 % x 23 / 365 = 0.9205 + 0.6347
    # = 1.5552 -> 1.55, one line at one rate. Each label is the whole line, so no name is said
    # twice (no "Lump-sum indemnity - Lump-sum indemnity").
    assert [(i.component, i.label, i.amount) for i in data.items] == [
        ("principal", f"Montant principal, facture {reference}", Decimal("200.00")),
        (
            "interest",
            "Intérêts de retard du 20\u00a0mars\u00a02025 au 2\u00a0mai\u00a02025, au taux "
            "annuel de 8,00\u00a0%",
            Decimal("1.55"),
        ),
        ("indemnity", "Indemnité forfaitaire", Decimal("25.00")),
        ("payment", "Paiement reçu le 10\u00a0avril\u00a02025", Decimal("-100.00")),
    ]
    assert data.total == balance.outstanding == Decimal("126.55")
    assert data.payment is not None
    assert data.payment.amount == Decimal("126.55")


def test_statement_of_another_debtors_file_is_not_found(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    response = client.get(f"/files/{cast.stranger_file.reference}/statement.pdf")
    assert response.status_code == 404
    assert not Event.objects.filter(kind="statement_downloaded").exists()


def test_statement_needs_a_sign_in(client: Client, cast: Cast) -> None:
    response = client.get(f"/files/{cast.file.reference}/statement.pdf")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?expired=1"


def test_statement_is_refused_when_the_agency_name_tells_it_is_about_a_debt(
    client: Client, cast: Cast, settings: object
) -> None:
    # A sender line showing "Recouvrement" through the envelope window breaks a rule of the
    # letters (Book VI CEL): the portal says it cannot produce the statement, and nothing else.
    settings.AMICABLE_AGENCY = {  # type: ignore[attr-defined]
        **settings.AMICABLE_AGENCY,  # type: ignore[attr-defined]
        "name": "Amicable Recouvrement SRL",
    }
    sign_in(client, cast)
    response = client.get(f"/files/{cast.file.reference}/statement.pdf")
    assert response.status_code == 503
    assert "ne peut pas être établi" in response.content.decode()
    assert not Event.objects.filter(kind="statement_downloaded").exists()
