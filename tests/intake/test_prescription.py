"""Hand-over refuses a time-barred claim unless the creditor declares an interruption with its
date and evidence (docs/legal.md, section 8; old Civil Code art. 2272 al. 2, 2277 al. 2,
2262bis)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.test import Client

from amicable.files.models import Claim, ClaimCategory, Creditor
from amicable.intake.importer import COLUMNS, LineError, import_files, read_sheet
from amicable.intake.tokens import issue_token
from tests.factories import make_creditor
from tests.intake.conftest import TODAY, claim_payload, file_payload, post

# TODAY is 16 June 2025.
TWO_YEARS_AGO = {
    "invoice_date": "2023-05-01",
    "due_date": "2023-05-31",
    "first_reminder_sent_on": "2023-06-10",
    "first_reminder_channel": "paper",
    "contract_date": "2023-01-10",
}


@pytest.fixture
def shop(db: None) -> Creditor:
    return make_creditor(reference="webshop", sector="retail")


@pytest.fixture
def shop_api(shop: Creditor) -> Client:
    secret = issue_token(creditor=shop, name="test", actor="test").secret
    return Client(headers={"Authorization": f"Bearer {secret}"})


def test_a_web_shop_s_two_year_old_sale_is_refused_on_its_due_date(shop_api: Client) -> None:
    """art. 2272 al. 2: goods sold to a consumer, one year from the due date."""
    response = post(shop_api, "/files", file_payload(claims=[claim_payload(**TWO_YEARS_AGO)]))
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "claims[0].due_date"
    assert "time-barred" in error["reason"]
    assert "'consumer_goods' (12 months" in error["reason"]
    assert "2024-05-31" in error["reason"]
    assert not Claim.objects.exists()


def test_the_same_claim_is_taken_for_an_energy_supplier(api: Client) -> None:
    """art. 2277 al. 2: energy, five years; the default category follows the sector."""
    response = post(api, "/files", file_payload(claims=[claim_payload(**TWO_YEARS_AGO)]))
    assert response.status_code == 201, response.json()
    claim = Claim.objects.get()
    assert claim.category is not None
    assert claim.category.code == "network_supply"


def test_a_declared_interruption_with_evidence_is_taken(shop_api: Client) -> None:
    claim = claim_payload(
        **TWO_YEARS_AGO,
        prescription_interrupted_on="2024-09-02",
        prescription_evidence="ACK-2024-09-02.pdf",
    )
    response = post(shop_api, "/files", file_payload(claims=[claim]))
    assert response.status_code == 201, response.json()
    row = Claim.objects.get()
    assert (row.prescription_interrupted_on, row.prescription_interruption) == (
        date(2024, 9, 2),
        "declared_at_handover",
    )
    assert row.prescription_evidence == "ACK-2024-09-02.pdf"
    assert row.category is not None
    assert row.category.code == "consumer_goods"


@pytest.mark.parametrize(
    ("declared", "field", "words"),
    [
        ({"prescription_interrupted_on": "2024-09-02"}, "prescription_evidence", "evidence"),
        (
            {"prescription_interrupted_on": "2024-01-02", "prescription_evidence": "A"},
            "prescription_interrupted_on",
            "time-barred",
        ),
        (
            {"prescription_interrupted_on": "2025-07-01", "prescription_evidence": "A"},
            "prescription_interrupted_on",
            "future",
        ),
        ({"category": "parking"}, "category", "Unknown category"),
    ],
)
def test_a_declaration_that_does_not_hold_is_refused_on_its_field(
    shop_api: Client, declared: dict[str, str], field: str, words: str
) -> None:
    claim = claim_payload(**TWO_YEARS_AGO, **declared)
    response = post(shop_api, "/files", file_payload(claims=[claim]))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [f"claims[0].{field}"]
    assert words in errors[0]["reason"]


def test_an_administrator_s_category_is_used(shop_api: Client) -> None:
    ClaimCategory.objects.create(
        code="gym", name="Fitness subscription", period_months=120, legal_basis="art. 2262bis"
    )
    claim = claim_payload(**TWO_YEARS_AGO, category="gym")
    response = post(shop_api, "/files", file_payload(claims=[claim]))
    assert response.status_code == 201, response.json()
    assert Claim.objects.get().category.code == "gym"  # type: ignore[union-attr]


def test_adding_a_time_barred_claim_to_a_file_is_refused(shop_api: Client) -> None:
    assert post(shop_api, "/files", file_payload()).status_code == 201
    file_reference = Claim.objects.get().file.reference
    response = post(
        shop_api,
        f"/files/{file_reference}/claims",
        claim_payload(creditor_reference="INV-OLD", **TWO_YEARS_AGO),
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["due_date"]


def _sheet(*lines: dict[str, str]) -> bytes:
    base = {
        "debtor_reference": "CUST-1",
        "debtor_name": "Marie Dupont",
        "debtor_address": "Rue Haute 12",
        "debtor_postal_code": "1000",
        "debtor_city": "Bruxelles",
        "debtor_language": "fr",
        "description": "Chaise",
        "invoice_date": TWO_YEARS_AGO["invoice_date"],
        "due_date": TWO_YEARS_AGO["due_date"],
        "principal": "120.00",
        "first_reminder_sent_on": TWO_YEARS_AGO["first_reminder_sent_on"],
        "first_reminder_channel": "paper",
    }
    rows = [";".join(COLUMNS)]
    rows += [";".join((base | line).get(c, "") for c in COLUMNS) for line in lines]
    return ("\r\n".join(rows) + "\r\n").encode()


def test_the_sheet_refuses_a_time_barred_line_by_its_number(shop: Creditor) -> None:
    content = _sheet(
        {"file_reference": "F-1", "claim_reference": "OLD-1"},
        {
            "file_reference": "F-2",
            "claim_reference": "OLD-2",
            "prescription_interrupted_on": "2024-09-02",
            "prescription_evidence": "ACK-F2.pdf",
        },
    )
    report = import_files(
        creditor=shop, rows=read_sheet(io.BytesIO(content), name="s.csv"), actor="t", today=TODAY
    )
    assert len(report.errors) == 1
    error = report.errors[0]
    assert (error.line, error.column) == (2, "due_date")
    assert "time-barred" in error.reason
    assert isinstance(error, LineError)
    assert report.files_created == 1
    assert Claim.objects.get().creditor_reference == "OLD-2"
