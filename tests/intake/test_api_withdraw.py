"""POST /files/{reference}/withdraw: the creditor closes a file; the lifecycle decides."""

from __future__ import annotations

from datetime import date

from django.test import Client

from amicable.domain.lifecycle import FileState
from amicable.files.lifecycle import change_file_state
from amicable.files.models import Event, File
from tests.intake.conftest import file_payload, post


def _reference(api: Client) -> str:
    value: str = post(api, "/files", file_payload()).json()["reference"]
    return value


def test_withdraw_closes_the_file_with_the_reason(api: Client) -> None:
    reference = _reference(api)

    response = post(api, f"/files/{reference}/withdraw", {"reason": "Settled with the customer."})

    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["closed_on"], body["closed_reason"]) == (
        "closed",
        "2025-06-16",
        "Withdrawn by the creditor: Settled with the customer.",
    )
    event = Event.objects.get(kind="state_changed")
    assert event.data == {"from": "formal_notice", "to": "closed"}
    assert event.actor.startswith("api:energie-test:")


def test_withdrawing_twice_changes_nothing_more(api: Client) -> None:
    reference = _reference(api)
    post(api, f"/files/{reference}/withdraw", {"reason": "Settled."})

    again = post(api, f"/files/{reference}/withdraw", {"reason": "Again."})

    assert again.status_code == 200
    assert again.json()["closed_reason"] == "Withdrawn by the creditor: Settled."
    assert Event.objects.filter(kind="state_changed").count() == 1


def test_a_paid_file_cannot_be_withdrawn(api: Client) -> None:
    reference = _reference(api)
    file = File.objects.get()
    change_file_state(file=file, new_state=FileState.PAID, actor="test", on=date(2025, 6, 16))
    events = Event.objects.count()

    response = post(api, f"/files/{reference}/withdraw", {"reason": "Too late."})

    assert response.status_code == 409
    (error,) = response.json()["errors"]
    assert error["field"] is None
    assert error["reason"].startswith(
        "A file in state 'paid' cannot move to 'closed' (a paid file only reopens when a payment "
        "is returned by the bank)."
    )
    assert File.objects.get().state == FileState.PAID
    assert Event.objects.count() == events


def test_a_withdrawal_needs_a_reason(api: Client) -> None:
    reference = _reference(api)

    response = post(api, f"/files/{reference}/withdraw", {"reason": " "})

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "reason", "reason": "This field must not be empty."}
    ]
    assert File.objects.get().state == FileState.FORMAL_NOTICE
