"""One answer gives every error of a request: a malformed field does not hide a rule elsewhere.

The format of each field is checked first, then every rule whose fields are well formed: a
claim's amount written "abc" and a Belgian postal code "0999" come back together, and so do two
errors in the same claim, one of format and one of content.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from amicable.files.models import Claim, Event, File, LedgerEntry
from tests.intake.conftest import claim_payload, file_payload, post

AMOUNT_FORMAT = (
    "Write the amount with digits and a decimal point, like 120.50 (no thousands separator, "
    "no currency sign)."
)
POSTAL_CODE = "A Belgian postal code has four digits, from 1000 to 9999."
DUE_IN_FUTURE = "The due date is in the future: only a late payment can be collected."
DATE_FORMAT = "Write dates as YYYY-MM-DD, for example 2025-02-14."
INVOICE_AFTER_DUE = "The invoice date must be on or before the due date."
MINIMUM_ALONE = "A minimum goes with a percentage; for a single amount use indemnity_fixed."


def _file_with_two_kinds_of_errors() -> dict[str, Any]:
    body = file_payload("FILE-2")
    body["debtor"]["postal_code"] = "0999"
    body["debtor"]["email"] = "not an address"
    body["claims"] = [
        claim_payload(principal="abc"),
        claim_payload(
            creditor_reference="INV-2",
            invoice_date="2025-05-01",
            due_date="2025-04-01",
            first_reminder_sent_on=None,
            first_reminder_channel=None,
        ),
    ]
    return body


EXPECTED_FILE_ERRORS = [
    {"field": "debtor.email", "reason": "This is not a valid e-mail address."},
    {"field": "claims[0].principal", "reason": AMOUNT_FORMAT},
    {"field": "debtor.postal_code", "reason": POSTAL_CODE},
    {"field": "claims[1].invoice_date", "reason": INVOICE_AFTER_DUE},
]


def _counts() -> tuple[int, int, int, int]:
    return (
        File.objects.count(),
        Claim.objects.count(),
        LedgerEntry.objects.count(),
        Event.objects.count(),
    )


@pytest.fixture
def reference(api: Client) -> str:
    value: str = post(api, "/files", file_payload()).json()["reference"]
    return value


@pytest.fixture
def nothing_written(reference: str) -> Any:
    """A file exists; the request under test writes nothing more."""
    counts = _counts()
    yield
    assert _counts() == counts


@pytest.mark.usefixtures("nothing_written")
def test_a_file_gets_its_format_and_its_content_errors_at_once(api: Client) -> None:
    response = post(api, "/files", _file_with_two_kinds_of_errors())

    assert response.status_code == 422
    assert response.json()["errors"] == EXPECTED_FILE_ERRORS


@pytest.mark.usefixtures("nothing_written")
def test_a_bad_header_does_not_hide_the_bodys_errors(api: Client) -> None:
    response = post(api, "/files", _file_with_two_kinds_of_errors(), **{"Idempotency-Key": " "})

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {
        "field": "Idempotency-Key",
        "reason": "An idempotency key has 1 to 128 visible ASCII characters (no spaces).",
    } in errors
    assert [e for e in errors if e["field"] != "Idempotency-Key"] == EXPECTED_FILE_ERRORS


def test_a_batch_item_gets_its_format_and_content_errors_at_once(
    api: Client, reference: str
) -> None:
    response = post(
        api, "/files/batch", {"files": [_file_with_two_kinds_of_errors(), file_payload("OK")]}
    )

    assert response.status_code == 200
    first, second = response.json()["items"]
    assert (first["status"], first["errors"]) == ("rejected", EXPECTED_FILE_ERRORS)
    assert second["status"] == "created"


@pytest.mark.usefixtures("nothing_written")
def test_one_claim_gets_a_format_error_and_a_rule_on_other_fields(
    api: Client, reference: str
) -> None:
    claim = claim_payload(
        creditor_reference="INV-2",
        principal="abc",
        contract_date="25/01/2024",
        due_date="2025-07-01",
        first_reminder_sent_on=None,
        first_reminder_channel=None,
        indemnity_percent=None,
    )

    response = post(api, f"/files/{reference}/claims", claim)

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "principal", "reason": AMOUNT_FORMAT},
        {"field": "contract_date", "reason": DATE_FORMAT},
        {"field": "due_date", "reason": DUE_IN_FUTURE},
        {"field": "indemnity_minimum", "reason": MINIMUM_ALONE},
    ]


def test_a_rule_that_reads_a_malformed_field_waits_for_it(api: Client, reference: str) -> None:
    """The invoice date is compared with the due date only once the due date can be read."""
    claim = claim_payload(creditor_reference="INV-2", invoice_date="2025-05-01", due_date="soon")

    response = post(api, f"/files/{reference}/claims", claim)

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "due_date", "reason": DATE_FORMAT}]


@pytest.mark.usefixtures("nothing_written")
def test_a_payment_gets_its_format_and_date_errors_at_once(api: Client, reference: str) -> None:
    payment = {"amount": "12,50", "value_date": "2025-07-01", "payment_reference": "PAY-1"}

    response = post(api, f"/files/{reference}/payments", payment)

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "amount", "reason": AMOUNT_FORMAT},
        {"field": "value_date", "reason": "The payment date is in the future."},
    ]


@pytest.mark.usefixtures("nothing_written")
def test_a_malformed_path_does_not_hide_the_claims_rules(api: Client, reference: str) -> None:
    claim = claim_payload(creditor_reference="INV-2", due_date="2025-07-01")

    response = post(api, f"/files/{reference}%01/claims", claim)

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors[0]["field"] == "reference"
    assert {"field": "due_date", "reason": DUE_IN_FUTURE} in errors
