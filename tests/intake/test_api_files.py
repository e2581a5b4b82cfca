"""POST /files, GET /files/{reference}, GET /files: intake, idempotency, balance, listing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import time_machine
from django.test import Client

from amicable.files.models import Claim, Creditor, Event, File, LedgerEntry
from amicable.files.timeline import EventKind, record_event
from tests.intake.conftest import BRUSSELS, claim_payload, file_payload, post


def _kinds(body: dict[str, Any]) -> list[str]:
    return [event["kind"] for event in body["timeline"]]


def test_create_file_answers_201_with_the_file(api: Client, creditor: Creditor) -> None:
    response = post(api, "/files", file_payload())

    assert response.status_code == 201
    body = response.json()
    file = File.objects.get()
    assert body["reference"] == file.reference
    assert body["reference"].startswith("AM")
    assert body["creditor_reference"] == "FILE-1"
    # Reminder sent 2025-03-03 (paper): grace until 2025-03-19, so the notice is due.
    assert body["state"] == "formal_notice"
    assert body["opened_on"] == "2025-06-16"
    assert body["debtor"]["name"] == "Marie Dupont"
    assert body["debtor"]["country"] == "BE"
    (claim,) = body["claims"]
    assert claim["principal"] == "200.00"
    assert claim["grace_last_day"] == "2025-03-19"
    assert claim["first_chargeable_day"] == "2025-03-20"
    assert claim["allowed_indemnity"] == "25.00"
    assert claim["applied_interest_rate"] == "8.000"
    # 200.00 at 8 % for the 89 days from 2025-03-20 to 2025-06-16: 3.9013... -> 3.90.
    assert body["balance"] == {
        "as_of": "2025-06-16",
        "principal": "200.00",
        "indemnity": "0.00",
        "interest": "3.90",
        "interest_booked": "0.00",
        "interest_accrued": "3.90",
        "reminder_costs": "0.00",
        "paid": "0.00",
        "credit": "0.00",
        "outstanding": "203.90",
    }
    assert _kinds(body) == ["file_created"]
    assert file.creditor == creditor
    assert LedgerEntry.objects.get().amount == 200


def test_the_same_creditor_reference_returns_the_same_file(api: Client) -> None:
    first = post(api, "/files", file_payload())
    again = post(api, "/files", file_payload())

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["reference"] == first.json()["reference"]
    assert File.objects.count() == 1
    assert Claim.objects.count() == 1
    assert LedgerEntry.objects.count() == 1


def test_the_same_idempotency_key_returns_the_same_file(api: Client) -> None:
    first = post(api, "/files", file_payload("FILE-1"), **{"Idempotency-Key": "key-42"})
    # A retry whose body changed its reference: the key still names the first request.
    again = post(api, "/files", file_payload("FILE-1-bis"), **{"Idempotency-Key": "key-42"})

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["reference"] == first.json()["reference"]
    assert File.objects.count() == 1


def test_a_trimmed_indemnity_is_on_the_timeline(api: Client) -> None:
    claim = claim_payload(requested_indemnity="100.00")

    body = post(api, "/files", file_payload(claims=[claim])).json()

    assert body["claims"][0]["allowed_indemnity"] == "25.00"
    assert _kinds(body) == ["file_created", "indemnity_trimmed"]
    trimmed = body["timeline"][1]["data"]
    assert (trimmed["requested"], trimmed["allowed"]) == ("100.00", "25.00")


def test_a_claim_without_first_reminder_waits_for_the_agency_reminder(api: Client) -> None:
    claim = claim_payload(first_reminder_sent_on=None, first_reminder_channel=None)

    body = post(api, "/files", file_payload(claims=[claim])).json()

    assert body["state"] == "first_reminder_pending"
    assert body["claims"][0]["grace_last_day"] is None
    assert _kinds(body) == ["file_created", "first_reminder_missing"]
    assert body["balance"]["interest"] == "0.00"


def test_get_file_gives_the_balance_as_of_a_day(api: Client) -> None:
    reference = post(api, "/files", file_payload()).json()["reference"]

    response = api.get(f"/api/v1/files/{reference}", {"as_of": "2025-04-19"})

    assert response.status_code == 200
    balance = response.json()["balance"]
    # 31 days (2025-03-20 to 2025-04-19) at 8 % on 200.00: 1.3589... -> 1.35.
    assert (balance["as_of"], balance["interest"], balance["outstanding"]) == (
        "2025-04-19",
        "1.35",
        "201.35",
    )


def test_get_file_accepts_the_reference_as_a_person_types_it(api: Client) -> None:
    reference = post(api, "/files", file_payload()).json()["reference"]
    typed = reference.lower()[:2] + " " + reference[2:]

    response = api.get(f"/api/v1/files/{typed}")

    assert response.status_code == 200
    assert response.json()["reference"] == reference


def test_get_an_unknown_file_is_404(api: Client) -> None:
    response = api.get("/api/v1/files/AM99999999")

    assert response.status_code == 404
    assert response.json() == {"errors": [{"field": None, "reason": "No such file."}]}


def test_as_of_out_of_range_is_refused(api: Client) -> None:
    reference = post(api, "/files", file_payload()).json()["reference"]

    response = api.get(f"/api/v1/files/{reference}", {"as_of": "2100-01-01"})

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "as_of", "reason": "The date must be between 2000 and 2099."}
    ]


def _create(api: Client, count: int) -> list[str]:
    return [
        post(api, "/files", file_payload(f"FILE-{n}")).json()["reference"] for n in range(count)
    ]


def test_list_pages_through_every_file_once_in_a_stable_order(api: Client) -> None:
    references = _create(api, 5)

    seen: list[str] = []
    cursors: list[str | None] = []
    params: dict[str, Any] = {"limit": 2}
    while True:
        page = api.get("/api/v1/files", params).json()
        seen += [item["reference"] for item in page["items"]]
        cursors.append(page["next_cursor"])
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]

    assert seen == references
    assert len(cursors) == 3
    assert cursors[-1] is None


def test_list_filters_by_state(api: Client) -> None:
    post(api, "/files", file_payload("FILE-A"))
    no_reminder = claim_payload(first_reminder_sent_on=None, first_reminder_channel=None)
    post(api, "/files", file_payload("FILE-B", claims=[no_reminder]))

    page = api.get("/api/v1/files", {"state": "first_reminder_pending"}).json()

    assert [item["creditor_reference"] for item in page["items"]] == ["FILE-B"]


def test_list_filters_by_creditor_reference(api: Client) -> None:
    _create(api, 3)

    page = api.get("/api/v1/files", {"creditor_reference": "FILE-1"}).json()

    assert [item["creditor_reference"] for item in page["items"]] == ["FILE-1"]


def test_list_filters_by_updated_since(api: Client) -> None:
    first, second = _create(api, 2)
    with time_machine.travel(datetime(2025, 6, 17, 9, 0, tzinfo=BRUSSELS), tick=False):
        post(api, f"/files/{second}/withdraw", {"reason": "Paid to us after all."})

        since_morning = api.get(
            "/api/v1/files", {"updated_since": "2025-06-17T08:00:00+02:00"}
        ).json()
        # Without an offset the moment is Brussels time.
        since_naive = api.get("/api/v1/files", {"updated_since": "2025-06-17T08:00:00"}).json()
        since_yesterday = api.get("/api/v1/files", {"updated_since": "2025-06-16"}).json()

    assert [item["reference"] for item in since_morning["items"]] == [second]
    assert [item["reference"] for item in since_naive["items"]] == [second]
    assert [item["reference"] for item in since_yesterday["items"]] == [first, second]


def test_list_refuses_a_cursor_it_did_not_give(api: Client) -> None:
    response = api.get("/api/v1/files", {"cursor": "bm90LWEtY3Vyc29y"})

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "cursor", "reason": "This cursor is not one we gave."}
    ]


def test_the_timeline_has_every_event_in_order(api: Client) -> None:
    reference = post(api, "/files", file_payload()).json()["reference"]
    post(api, f"/files/{reference}/withdraw", {"reason": "Settled."})

    body = api.get(f"/api/v1/files/{reference}").json()

    assert _kinds(body) == ["file_created", "state_changed"]
    assert body["timeline"][1]["data"] == {"from": "formal_notice", "to": "closed"}
    assert Event.objects.filter(file__reference=reference).count() == 2


def test_the_timeline_shows_a_creditor_only_the_events_meant_for_creditors(api: Client) -> None:
    """Staff notes, calls, the debtor's sign-ins (with their address) and a debtor's
    over-indebtedness declaration stay between the agency and the debtor."""
    reference = post(api, "/files", file_payload()).json()["reference"]
    file = File.objects.get(reference=reference)
    private = [
        EventKind.NOTE_ADDED,
        EventKind.CALL_LOGGED,
        EventKind.PORTAL_SIGN_IN,
        EventKind.DEBT_MEDIATION_DECLARED,
        EventKind.CONTACT_REFUSED,
    ]
    for kind in private:
        record_event(file, kind, actor="agent", data={"ip": "192.0.2.7"})
    record_event(file, EventKind.PAYMENT_POSTED, actor="bank", message="20.00 received.")

    body = api.get(f"/api/v1/files/{reference}").json()

    assert _kinds(body) == ["file_created", "payment_posted"]
    assert Event.objects.filter(file=file).count() == 2 + len(private)


def test_a_page_of_the_largest_size_still_leads_to_the_next(api: Client) -> None:
    files = [file_payload(f"FILE-{n}") for n in range(501)]
    post(api, "/files/batch", {"files": files[:500]})
    post(api, "/files/batch", {"files": files[500:]})

    first = api.get("/api/v1/files", {"limit": 500}).json()
    second = api.get("/api/v1/files", {"limit": 500, "cursor": first["next_cursor"]}).json()

    assert len(first["items"]) == 500
    assert first["next_cursor"] is not None
    assert [item["creditor_reference"] for item in second["items"]] == ["FILE-500"]
    assert second["next_cursor"] is None
