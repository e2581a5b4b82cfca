"""Lifting a hold, ending a mediation, or recording a revoked collective settlement.

Where the file goes is the one rule of every lifted hold (``files.lifecycle.resumption_for``):
the daily run ending a suspension and an agent lifting a hold give the same answer. A file held
at or after its formal notice resumes with a new formal notice (CEL art. XIX.7 §3), a running
plan continues, a file held before its notice resumes where its claims stand.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from amicable.disputes.opening import request_documents
from amicable.domain.lifecycle import FileState
from amicable.files.labels import state_label
from amicable.files.lifecycle import change_file_state
from amicable.files.models import Event, File
from amicable.plans.requests import request_payment_plan
from tests.factories import claim_input, make_file, shown_to_debtor
from tests.staff import TODAY

# What agents do, in staff's day (tests.staff).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_day")]


def file_through(*states: FileState) -> File:
    file = make_file(today=date(2025, 6, 1))
    for state in states:
        change_file_state(file=file, new_state=state, actor="test")
    file.refresh_from_db()
    return file


def resume(client: Client, file: File, reason: str = "Les documents ont été envoyés.") -> int:
    return client.post(
        f"/backoffice/files/{file.reference}/resume/", {"reason": reason}
    ).status_code


# These expectations changed with the one rule of resumption: a hold lifted in collection or a
# mediation ended in collection used to go back to collection here, while the daily run sent a
# new formal notice (tests/workflow/test_suspensions.py). Both now send the new notice, the
# safer reading of CEL art. XIX.7 §3 for the consumer.
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ((FileState.SUSPENDED,), FileState.FORMAL_NOTICE),
        (
            (FileState.WAITING_PERIOD, FileState.IN_COLLECTION, FileState.SUSPENDED),
            FileState.FORMAL_NOTICE,
        ),
        ((FileState.WAITING_PERIOD, FileState.SUSPENDED), FileState.FORMAL_NOTICE),
        (
            (FileState.WAITING_PERIOD, FileState.IN_COLLECTION, FileState.DEBT_MEDIATION),
            FileState.FORMAL_NOTICE,
        ),
        ((FileState.COLLECTIVE_SETTLEMENT,), FileState.IN_COLLECTION),
    ],
    ids=["hold_at_notice", "hold_in_collection", "hold_in_waiting_period", "mediation", "revoked"],
)
def test_collection_resumes_where_the_law_allows(
    agent: tuple[Client, User], path: tuple[FileState, ...], expected: FileState
) -> None:
    client, user = agent
    file = file_through(*path)
    page = client.get(f"/backoffice/files/{file.reference}/").content.decode()
    with translation.override("en"):  # the page's language
        assert f"it goes back to {state_label(expected.value)}" in page
    assert resume(client, file) == 302
    file.refresh_from_db()
    assert file.state == expected
    change = Event.objects.filter(file=file, kind="state_changed").latest("id")
    assert (change.actor, change.message, shown_to_debtor(change), change.data["to"]) == (
        f"staff:{user.username}",
        "Les documents ont été envoyés.",
        True,
        expected.value,
    )


def test_a_document_request_hold_is_lifted_with_a_new_formal_notice(
    agent: tuple[Client, User],
) -> None:
    client, _ = agent
    file = file_through(FileState.WAITING_PERIOD, FileState.IN_COLLECTION)
    request_documents(file=file, kinds=["invoice"], today=TODAY, actor="portal")
    file.refresh_from_db()
    assert file.state == FileState.SUSPENDED
    assert resume(client, file) == 302
    file.refresh_from_db()
    assert file.state == FileState.FORMAL_NOTICE


def test_a_plan_that_still_runs_goes_on_after_the_hold(agent: tuple[Client, User]) -> None:
    client, _ = agent
    file = file_through(FileState.WAITING_PERIOD)
    request_payment_plan(
        file=file, instalment_count=3, first_due_on=TODAY, today=TODAY, actor="portal"
    )
    change_file_state(file=file, new_state=FileState.DEBT_MEDIATION, actor="portal")
    file.refresh_from_db()
    assert file.held_from == FileState.PAYMENT_PLAN
    assert resume(client, file, "La médiation de dettes a pris fin.") == 302
    file.refresh_from_db()
    assert file.state == FileState.PAYMENT_PLAN


def test_a_hold_before_the_formal_notice_resumes_where_the_claims_stand(
    agent: tuple[Client, User],
) -> None:
    client, _ = agent
    # The free first reminder was sent on 16 June: its 14 days still run on 18 June.
    file = make_file(
        today=TODAY,
        claims=[claim_input(first_reminder_sent_on=date(2025, 6, 16))],
    )
    assert file.state == FileState.GRACE_PERIOD
    change_file_state(file=file, new_state=FileState.SUSPENDED, actor="agent")
    assert resume(client, file) == 302
    file.refresh_from_db()
    assert file.state == FileState.GRACE_PERIOD


@pytest.mark.parametrize(
    ("path", "reason", "status"),
    [
        ((), "Nothing to lift.", 409),
        ((FileState.DISPUTED,), "A dispute is resolved, not resumed.", 409),
        ((FileState.SUSPENDED,), "", 400),
    ],
    ids=["not_held", "disputed", "no_reason"],
)
def test_nothing_resumes_without_a_hold_and_a_reason(
    agent: tuple[Client, User], path: tuple[FileState, ...], reason: str, status: int
) -> None:
    client, _ = agent
    file = file_through(*path)
    before = file.state
    assert resume(client, file, reason) == status
    file.refresh_from_db()
    assert file.state == before
