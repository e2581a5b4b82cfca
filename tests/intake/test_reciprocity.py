"""Hand-over declares whether each damages clause is reciprocal (CEL art. VI.83, 17°;
docs/legal.md, section 2): the API field and the sheet column accept the declaration, refuse a
bad value with the field (API) or the line (sheet), and leave it "not declared" when silent."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from amicable.files.models import Claim, Creditor, File
from amicable.intake.importer import COLUMNS, LineError, import_files, read_sheet
from tests.intake.conftest import TODAY, claim_payload, file_payload, post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("declared", ["reciprocal", "not_reciprocal", "not_declared"])
def test_vi83_17_the_api_records_the_declaration(api: Client, declared: str) -> None:
    response = post(
        api, "/files", file_payload(claims=[claim_payload(indemnity_reciprocity=declared)])
    )
    assert response.status_code == 201, response.content
    assert response.json()["claims"][0]["indemnity_reciprocity"] == declared
    claim = Claim.objects.get()
    assert claim.indemnity_reciprocity == declared
    # A declaration is kept with who made it; "not declared" is none.
    assert bool(claim.reciprocity_declared_by) is (declared != "not_declared")


def test_vi83_17_a_claim_that_says_nothing_is_not_declared(api: Client) -> None:
    response = post(api, "/files", file_payload(claims=[claim_payload(indemnity_reciprocity=...)]))
    assert response.status_code == 201, response.content
    assert Claim.objects.get().indemnity_reciprocity == "not_declared"
    # The creditor reads at once that no indemnity will be charged, and why.
    (told,) = [e for e in response.json()["timeline"] if e["kind"] == "reciprocity_declared"]
    assert told["data"]["article"] == "CEL art. VI.83, 17°"
    assert "no lump-sum indemnity is charged" in told["message"]


def test_vi83_17_the_api_refuses_a_bad_declaration_with_its_field(api: Client) -> None:
    response = post(
        api, "/files", file_payload(claims=[claim_payload(indemnity_reciprocity="maybe")])
    )
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "claims[0].indemnity_reciprocity"
    assert "'reciprocal'" in error["reason"]
    assert File.objects.count() == 0


def _sheet(*reciprocity: str) -> bytes:
    lines = [";".join(COLUMNS)]
    for number, declared in enumerate(reciprocity, start=1):
        values = {
            "file_reference": f"FILE-{number}",
            "debtor_reference": "CUST-1",
            "debtor_name": "Marie Dupont",
            "debtor_address": "Rue Haute 12",
            "debtor_postal_code": "1000",
            "debtor_city": "Bruxelles",
            "claim_reference": f"INV-{number}",
            "description": "Électricité",
            "invoice_date": "2025-01-15",
            "due_date": "2025-02-14",
            "principal": "200.00",
            "first_reminder_sent_on": "2025-03-03",
            "first_reminder_channel": "paper",
            "indemnity_percent": "10",
            "indemnity_reciprocity": declared,
        }
        lines.append(";".join(values.get(column, "") for column in COLUMNS))
    return ("\r\n".join(lines) + "\r\n").encode()


def test_vi83_17_the_sheet_reads_the_declaration_column(creditor: Creditor) -> None:
    report = import_files(
        creditor=creditor,
        rows=read_sheet(
            io.BytesIO(_sheet("reciprocal", "Oui", "non", "", "Not reciprocal")), name="s.csv"
        ),
        actor="sheet",
        today=TODAY,
    )
    assert report.ok, report.errors
    assert list(
        Claim.objects.order_by("creditor_reference").values_list(
            "creditor_reference", "indemnity_reciprocity"
        )
    ) == [
        ("INV-1", "reciprocal"),
        ("INV-2", "reciprocal"),
        ("INV-3", "not_reciprocal"),
        ("INV-4", "not_declared"),
        ("INV-5", "not_reciprocal"),
    ]


def test_vi83_17_the_sheet_refuses_a_bad_declaration_with_its_line(creditor: Creditor) -> None:
    report = import_files(
        creditor=creditor,
        rows=read_sheet(io.BytesIO(_sheet("reciprocal", "perhaps")), name="sheet.csv"),
        actor="sheet",
        today=TODAY,
    )
    (error,) = report.errors
    assert isinstance(error, LineError)
    assert (error.line, error.column) == (3, "indemnity_reciprocity")
    assert "'reciprocal'" in error.reason
    assert list(File.objects.values_list("creditor_reference", flat=True)) == ["FILE-1"]
