"""POST /files/{reference}/payments: a payment made to the creditor, imputed, idempotent."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from amicable.files.models import Allocation, EntryKind, LedgerEntry
from tests.intake.conftest import file_payload, post


@pytest.fixture
def reference(api: Client) -> str:
    value: str = post(api, "/files", file_payload()).json()["reference"]
    return value


def _payment(**changes: Any) -> dict[str, Any]:
    payment = {"amount": "50.00", "value_date": "2025-06-10", "payment_reference": "PAY-1"}
    payment.update(changes)
    return payment


def _payments() -> int:
    return LedgerEntry.objects.filter(kind=EntryKind.CREDITOR_PAYMENT).count()


def test_a_payment_pays_interest_first_then_principal(api: Client, reference: str) -> None:
    response = post(api, f"/files/{reference}/payments", _payment())

    assert response.status_code == 201
    body = response.json()
    # Interest 2025-03-20 to 2025-06-09 (82 days at 8 % on 200.00) = 3.59 is booked, then
    # paid first (old Civil Code art. 1254); the rest goes to the principal.
    assert body["allocations"] == [
        {"claim": "INV-1", "component": "interest", "amount": "3.59"},
        {"claim": "INV-1", "component": "principal", "amount": "46.41"},
    ]
    assert (body["payment_reference"], body["amount"], body["value_date"]) == (
        "PAY-1",
        "50.00",
        "2025-06-10",
    )
    # 153.59 left; 7 days (2025-06-10 to 2025-06-16) of interest on it accrue: in all
    # 3.5945 + 153.59 x 8 % x 7 / 365 = 3.8301 -> 3.83 is owed, of which 3.59 is booked: 0.24.
    assert body["balance"]["principal"] == "153.59"
    assert body["balance"]["interest"] == "0.24"
    assert body["balance"]["paid"] == "50.00"
    entry = LedgerEntry.objects.get(kind=EntryKind.CREDITOR_PAYMENT)
    assert (entry.amount, entry.source) == (-50, "api")
    assert entry.source_reference.endswith(":PAY-1")


def test_the_same_payment_reference_is_recorded_once(api: Client, reference: str) -> None:
    first = post(api, f"/files/{reference}/payments", _payment())
    again = post(api, f"/files/{reference}/payments", _payment())

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["allocations"] == first.json()["allocations"]
    assert _payments() == 1
    assert Allocation.objects.count() == 2


def test_a_payment_reference_with_another_amount_is_409(api: Client, reference: str) -> None:
    post(api, f"/files/{reference}/payments", _payment())

    response = post(api, f"/files/{reference}/payments", _payment(amount="60.00"))

    assert response.status_code == 409
    assert response.json() == {
        "errors": [
            {
                "field": "payment_reference",
                "reason": "This payment reference is already recorded with another amount, date "
                "or file; a payment reference names one payment.",
            }
        ]
    }
    assert _payments() == 1


def test_creditors_have_their_own_payment_references(
    api: Client, stranger: Client, reference: str
) -> None:
    theirs = post(stranger, "/files", file_payload()).json()["reference"]

    mine = post(api, f"/files/{reference}/payments", _payment())
    other = post(stranger, f"/files/{theirs}/payments", _payment())

    assert (mine.status_code, other.status_code) == (201, 201)
    assert _payments() == 2


def test_the_payers_iban_is_kept_in_the_note(api: Client, reference: str) -> None:
    response = post(api, f"/files/{reference}/payments", _payment(payer_iban="be71 0961 2345 6769"))

    assert response.status_code == 201
    assert LedgerEntry.objects.get(kind=EntryKind.CREDITOR_PAYMENT).note == (
        "Paid to the creditor, reference PAY-1. Paid from BE71096123456769."
    )


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        pytest.param(
            {"value_date": "2025-06-17"},
            "value_date",
            "The payment date is in the future.",
            id="future",
        ),
        pytest.param(
            {"amount": "0.00"}, "amount", "The amount must be more than 0.00.", id="zero_amount"
        ),
        pytest.param(
            {"amount": 0.001},
            "amount",
            "An amount has at most two decimals (whole cents).",
            id="fraction_of_cent",
        ),
        pytest.param(
            {"payer_iban": "BE71096123456768"},
            "payer_iban",
            "This is not a valid IBAN (check the country code, the length and the check digits).",
            id="iban_checksum",
        ),
        pytest.param(
            {"payment_reference": ""},
            "payment_reference",
            "This field must not be empty.",
            id="no_reference",
        ),
    ],
)
def test_a_bad_payment_is_refused(
    api: Client, reference: str, changes: dict[str, Any], field: str, reason: str
) -> None:
    response = post(api, f"/files/{reference}/payments", _payment(**changes))

    assert response.status_code == 422
    assert response.json() == {"errors": [{"field": field, "reason": reason}]}
    assert _payments() == 0
