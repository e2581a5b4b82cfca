"""Lifting a hold, ending a mediation, or recording a revoked collective settlement."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client

from amicable.disputes.services import request_documents
from amicable.domain.lifecycle import FileState
from amicable.files.lifecycle import change_file_state
from amicable.files.models import Event, File
from tests.backoffice.conftest import TODAY
from tests.factories import make_file, shown_to_debtor

pytestmark = pytest.mark.django_db


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


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ((FileState.SUSPENDED,), FileState.FORMAL_NOTICE),
        (
            (FileState.WAITING_PERIOD, FileState.IN_COLLECTION, FileState.SUSPENDED),
            FileState.IN_COLLECTION,
        ),
        ((FileState.WAITING_PERIOD, FileState.SUSPENDED), FileState.FORMAL_NOTICE),
        (
            (FileState.WAITING_PERIOD, FileState.IN_COLLECTION, FileState.DEBT_MEDIATION),
            FileState.IN_COLLECTION,
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
    assert f"it goes back to {expected.value}" in page
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


def test_a_document_request_hold_is_lifted(agent: tuple[Client, User]) -> None:
    client, _ = agent
    file = file_through(FileState.WAITING_PERIOD, FileState.IN_COLLECTION)
    request_documents(file=file, kinds=["invoice"], today=TODAY, actor="portal")
    file.refresh_from_db()
    assert file.state == FileState.SUSPENDED
    assert resume(client, file) == 302
    file.refresh_from_db()
    assert file.state == FileState.IN_COLLECTION


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
