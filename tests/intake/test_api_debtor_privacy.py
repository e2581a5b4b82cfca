"""What a debtor does in the portal, and from where, stays between the debtor and the agency:
the creditor's API never shows a sign-in, a failed one, a lock-out, or an address."""

from __future__ import annotations

from datetime import datetime

import time_machine
from django.test import Client

from amicable.files.models import Event, File
from amicable.files.services import issue_access_code
from amicable.portal.authentication import MAX_FAILURES
from tests.intake.conftest import BRUSSELS, file_payload, post

DEBTOR_ADDRESS = "203.0.113.57"
SIGN_IN_KINDS = {"portal_sign_in", "portal_sign_in_failed", "portal_locked"}


def test_a_debtors_sign_in_and_its_address_never_reach_the_creditor(api: Client) -> None:
    reference = post(api, "/files", file_payload()).json()["reference"]
    file = File.objects.get(reference=reference)
    code = issue_access_code(file=file, actor="test")
    portal = Client(REMOTE_ADDR=DEBTOR_ADDRESS)
    # Locked out first (every failure and the lock are on the timeline with the address),
    # then signed in from the same address once the lock-out is over.
    for _ in range(MAX_FAILURES):
        portal.post("/sign-in/", {"reference": reference, "code": "ZZZZ-ZZZZ"})
    with time_machine.travel(datetime(2025, 6, 16, 11, 30, tzinfo=BRUSSELS), tick=False):
        signed_in = portal.post("/sign-in/", {"reference": reference, "code": code})
    assert signed_in.status_code == 302
    # The agency keeps each of them, with the address, for its staff.
    recorded = Event.objects.filter(file=file, kind__in=SIGN_IN_KINDS)
    assert {event.kind for event in recorded} == SIGN_IN_KINDS
    assert all(DEBTOR_ADDRESS in str(event.data) for event in recorded)

    response = api.get(f"/api/v1/files/{reference}")

    assert response.status_code == 200
    body = response.json()
    assert not SIGN_IN_KINDS & {event["kind"] for event in body["timeline"]}
    assert DEBTOR_ADDRESS not in response.content.decode()
    assert "sign_in" not in response.content.decode()
