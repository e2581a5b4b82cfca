"""Letters from the back office: a refused letter queued again, and letters sent by hand."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import LazySettings
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from amicable.domain.lifecycle import FileState
from amicable.files.lifecycle import change_file_state
from amicable.files.models import Event, File, WorkItem, WorkItemKind, WorkItemStatus
from amicable.letters.models import ContactAttempt, SentLetter
from amicable.plans.requests import request_payment_plan
from amicable.workflow.letter_queue import record_letter_refused
from amicable.workflow.models import LetterRequest, LetterStatus, StepKind
from tests.factories import make_file
from tests.staff import TODAY

# What agents do, in staff's day (tests.staff).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_day")]


@pytest.fixture(autouse=True)
def _lawful_agency(settings: LazySettings) -> None:
    """An agency whose name, seen through the envelope window, does not reveal a debt (the
    letters service refuses every letter of one that does)."""
    settings.AMICABLE_AGENCY = {
        **settings.AMICABLE_AGENCY,
        "name": "Clairval SRL",
        "address": "Rue de la Loi 155, 1040 Bruxelles",
    }


def refused_letter() -> tuple[LetterRequest, WorkItem]:
    file = make_file(today=date(2025, 6, 1))
    letter = LetterRequest.objects.create(
        file=file,
        kind=StepKind.FORMAL_NOTICE,
        channel="paper",
        due_on=date(2025, 6, 16),
        requested_at=timezone.now(),
        requested_by="daily run",
    )
    record_letter_refused(
        request_id=letter.pk, reason="The debtor's address is empty.", actor="letters", on=TODAY
    )
    return letter, WorkItem.objects.get(kind=WorkItemKind.LETTER_REFUSED)


def test_a_refused_letter_is_queued_again(agent: tuple[Client, User]) -> None:
    client, user = agent
    letter, item = refused_letter()
    page = client.get(f"/backoffice/items/{item.pk}/").content.decode()
    assert 'id="requeue-letter"' in page
    response = client.post(f"/backoffice/items/{item.pk}/requeue-letter/")
    assert response.status_code == 302
    assert response["Location"] == "/backoffice/queues/letter_refused/"
    letter.refresh_from_db()
    assert (letter.status, letter.due_on) == (LetterStatus.PENDING, TODAY)
    item.refresh_from_db()
    assert (item.status, item.closed_by) == (WorkItemStatus.DONE, f"staff:{user.username}")
    assert Event.objects.get(kind="letter_requeued").actor == f"staff:{user.username}"


def test_a_letter_is_queued_again_once(agent: tuple[Client, User]) -> None:
    client, _ = agent
    _, item = refused_letter()
    client.post(f"/backoffice/items/{item.pk}/requeue-letter/")
    client.get("/backoffice/queues/letter_refused/")  # shows, and so clears, the message
    response = client.post(f"/backoffice/items/{item.pk}/requeue-letter/")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [  # type: ignore[attr-defined]
        "This item is already closed."
    ]
    assert Event.objects.filter(kind="letter_requeued").count() == 1


def test_only_a_refused_letter_item_is_queued_again(agent: tuple[Client, User]) -> None:
    client, _ = agent
    file = make_file(today=date(2025, 6, 1))
    item = WorkItem.objects.create(
        kind=WorkItemKind.DOCUMENT_REQUEST, file=file, title="documents", due_on=TODAY
    )
    response = client.post(f"/backoffice/items/{item.pk}/requeue-letter/")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [  # type: ignore[attr-defined]
        "This item is not a refused letter."
    ]
    item.refresh_from_db()
    assert item.status == WorkItemStatus.OPEN


def collecting_file(**debtor: str) -> File:
    file = make_file(today=date(2025, 6, 1), **debtor)
    for state in (FileState.WAITING_PERIOD, FileState.IN_COLLECTION):
        change_file_state(file=file, new_state=state, actor="daily run")
    return file


def send(client: Client, file: File, **data: str) -> list[str]:
    response = client.post(f"/backoffice/files/{file.reference}/letter/", data)
    assert response.status_code == 302, response.content[:300]
    messages = [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]
    client.get(response["Location"])  # shows, and so clears, the messages
    return messages


@pytest.mark.parametrize("channel", ["post", "email"])
def test_an_agent_sends_a_statement_of_account(agent: tuple[Client, User], channel: str) -> None:
    client, user = agent
    file = collecting_file()
    assert send(client, file, kind="statement_of_account", channel=channel) == [
        "Letter produced and archived; it goes out with its channel."
    ]
    letter = SentLetter.objects.get(file=file)
    assert (letter.kind, letter.channel) == ("statement_of_account", channel)
    assert letter.document.content.read().startswith(b"%PDF-")
    page = client.get(f"/backoffice/files/{file.reference}/").content.decode()
    assert f"/backoffice/files/{file.reference}/documents/{letter.document.pk}/" in page
    attempt = ContactAttempt.objects.get(file=file)
    assert (attempt.channel, attempt.allowed, attempt.actor) == (
        "letter",
        True,
        f"staff:{user.username}",
    )


def test_a_letter_by_e_mail_needs_an_address(agent: tuple[Client, User]) -> None:
    client, _ = agent
    file = collecting_file(email="")
    assert send(client, file, kind="statement_of_account", channel="email") == [
        "Letter refused: No e-mail address is known for this letter; it cannot go by e-mail."
    ]
    assert not SentLetter.objects.exists()


def test_a_plan_confirmation_needs_a_plan(agent: tuple[Client, User]) -> None:
    client, _ = agent
    file = collecting_file()
    response = client.post(
        f"/backoffice/files/{file.reference}/letter/",
        {"kind": "payment_plan_confirmation", "channel": "post"},
    )
    assert response.status_code == 409
    assert "No agreed payment plan runs on this file." in response.content.decode()
    request_payment_plan(
        file=file, instalment_count=3, first_due_on=date(2025, 7, 1), today=TODAY, actor="portal"
    )
    assert send(client, file, kind="payment_plan_confirmation", channel="post") == [
        "Letter produced and archived; it goes out with its channel."
    ]
    assert SentLetter.objects.get(file=file).kind == "payment_plan_confirmation"


def test_no_letter_while_the_file_is_disputed(agent: tuple[Client, User]) -> None:
    client, _ = agent
    file = make_file(today=date(2025, 6, 1))
    change_file_state(file=file, new_state=FileState.DISPUTED, actor="portal")
    response = client.post(
        f"/backoffice/files/{file.reference}/letter/",
        {"kind": "statement_of_account", "channel": "post"},
    )
    assert response.status_code == 409
    assert not SentLetter.objects.exists()
