"""The cast of the intake tests: two creditors with their tokens, and a fixed "today".

Today is Monday 16 June 2025 in Brussels: every claim below is due in the past, and the
published interest rates cover every day the tests compute.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from amicable.files.models import Creditor
from amicable.intake.tokens import issue_token
from tests.factories import make_creditor

TODAY = date(2025, 6, 16)
BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(datetime(2025, 6, 16, 10, 30, tzinfo=BRUSSELS), tick=False):
        yield


@pytest.fixture
def creditor(db: None) -> Creditor:
    return make_creditor(reference="energie-test")


@pytest.fixture
def token(creditor: Creditor) -> str:
    return issue_token(creditor=creditor, name="test", actor="test").secret


@pytest.fixture
def api(token: str) -> Client:
    """A client that speaks for ``creditor``."""
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def stranger(db: None) -> Client:
    """A client that speaks for another creditor."""
    other = make_creditor(reference="autre-creancier")
    secret = issue_token(creditor=other, name="test", actor="test").secret
    return Client(headers={"Authorization": f"Bearer {secret}"})


CLAIM: dict[str, Any] = {
    "creditor_reference": "INV-1",
    "description": "Électricité, facture de régularisation",
    "invoice_date": "2025-01-15",
    "due_date": "2025-02-14",
    "principal": "200.00",
    "contract_date": "2024-01-10",
    "regular_supply": True,
    "first_reminder_sent_on": "2025-03-03",
    "first_reminder_channel": "paper",
    "indemnity_percent": "10",
    "indemnity_minimum": "25.00",
    # Declared reciprocal (CEL art. VI.83, 17°): the other tests are about other rules.
    "indemnity_reciprocity": "reciprocal",
    "interest_clause": True,
    "interest_rate": "8",
    "reminder_cost_clause": True,
}

FILE: dict[str, Any] = {
    "creditor_reference": "FILE-1",
    "debtor": {
        "customer_reference": "CUST-1",
        "name": "Marie Dupont",
        "address": "Rue Haute 12",
        "postal_code": "1000",
        "city": "Bruxelles",
        "language": "fr",
        "email": "marie.dupont@example.be",
    },
    "claims": [CLAIM],
}


def file_payload(reference: str = "FILE-1", **changes: Any) -> dict[str, Any]:
    """A valid file, with ``changes`` applied (``debtor`` and ``claims`` replaced whole)."""
    payload = copy.deepcopy(FILE)
    payload["creditor_reference"] = reference
    payload.update(changes)
    return payload


def claim_payload(**changes: Any) -> dict[str, Any]:
    claim = copy.deepcopy(CLAIM)
    claim.update(changes)
    return {k: v for k, v in claim.items() if v is not ...}


def post(client: Client, path: str, body: Any, **headers: str) -> Any:
    return client.post(
        f"/api/v1{path}", body, content_type="application/json", headers=headers or None
    )
