"""POST /files/{reference}/claims: a claim added later passes the intake checks too."""

from __future__ import annotations

from datetime import date

from django.test import Client

from amicable.domain.lifecycle import FileState
from amicable.files.lifecycle import change_file_state
from amicable.files.models import Claim, Event, File, LedgerEntry
from tests.intake.conftest import claim_payload, file_payload, post

NO_REMINDER = {"first_reminder_sent_on": None, "first_reminder_channel": None}


def _file(api: Client, **claim_changes: object) -> str:
    payload = file_payload(claims=[claim_payload(**claim_changes)])
    reference: str = post(api, "/files", payload).json()["reference"]
    return reference


def test_add_a_claim_books_its_principal_and_its_adjustments(api: Client) -> None:
    reference = _file(api)
    claim = claim_payload(
        creditor_reference="INV-2", principal="300.00", requested_indemnity="50.00"
    )

    response = post(api, f"/files/{reference}/claims", claim)

    assert response.status_code == 201
    body = response.json()
    assert body["creditor_reference"] == "INV-2"
    assert body["principal"] == "300.00"
    # The clause gives 10 % of 300.00 (minimum 25.00), within the cap of 45.00: 30.00, not the
    # 50.00 asked.
    assert body["allowed_indemnity"] == "30.00"
    assert body["balance"]["principal"] == "300.00"
    file = File.objects.get(reference=reference)
    assert sorted(file.claims.values_list("creditor_reference", flat=True)) == ["INV-1", "INV-2"]
    assert LedgerEntry.objects.filter(file=file, component="principal").count() == 2
    kinds = list(file.events.order_by("id").values_list("kind", flat=True))
    assert kinds == ["file_created", "claim_added", "indemnity_trimmed"]
    detail = api.get(f"/api/v1/files/{reference}").json()
    assert detail["balance"]["principal"] == "500.00"


def test_adding_the_same_claim_again_changes_nothing(api: Client) -> None:
    reference = _file(api)
    claim = claim_payload(creditor_reference="INV-2")

    first = post(api, f"/files/{reference}/claims", claim)
    again = post(api, f"/files/{reference}/claims", claim)

    assert (first.status_code, again.status_code) == (201, 200)
    assert Claim.objects.count() == 2
    assert LedgerEntry.objects.count() == 2


def test_a_claim_needing_an_earlier_stage_is_refused(api: Client) -> None:
    reference = _file(api)  # formal_notice: its claim is chargeable
    events = Event.objects.count()

    response = post(
        api, f"/files/{reference}/claims", claim_payload(creditor_reference="INV-2", **NO_REMINDER)
    )

    assert response.status_code == 409
    assert response.json() == {
        "errors": [
            {
                "field": "first_reminder_sent_on",
                "reason": "This claim needs the stage 'first_reminder_pending' (CEL art. XIX.2) "
                "but the file has reached 'formal_notice', and a file never goes back: send the "
                "claim as a new file.",
            }
        ]
    }
    assert Claim.objects.count() == 1
    assert LedgerEntry.objects.count() == 1
    assert Event.objects.count() == events


def test_a_file_waiting_for_its_first_reminder_takes_any_claim(api: Client) -> None:
    reference = _file(api, **NO_REMINDER)

    response = post(api, f"/files/{reference}/claims", claim_payload(creditor_reference="INV-2"))

    assert response.status_code == 201
    assert File.objects.get().state == FileState.FIRST_REMINDER_PENDING


def test_no_claim_is_added_after_the_formal_notice_period_began(api: Client) -> None:
    reference = _file(api)
    file = File.objects.get()
    change_file_state(
        file=file, new_state=FileState.WAITING_PERIOD, actor="test", on=date(2025, 6, 16)
    )

    response = post(api, f"/files/{reference}/claims", claim_payload(creditor_reference="INV-2"))

    assert response.status_code == 409
    assert response.json()["errors"][0]["reason"].startswith(
        "The file is in state 'waiting_period': a claim can only be added before the formal notice"
    )
    assert Claim.objects.count() == 1


def test_an_invalid_claim_is_422_with_its_field(api: Client) -> None:
    reference = _file(api)

    response = post(
        api, f"/files/{reference}/claims", claim_payload(creditor_reference="INV-2", due_date="x")
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "due_date", "reason": "Write dates as YYYY-MM-DD, for example 2025-02-14."}
    ]
    assert Claim.objects.count() == 1
