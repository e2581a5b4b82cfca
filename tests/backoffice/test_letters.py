"""A letter the batch refused comes back to an agent, who queues it again once corrected."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from amicable.files.models import Event, WorkItem, WorkItemKind, WorkItemStatus
from amicable.workflow.models import LetterRequest, LetterStatus, StepKind
from amicable.workflow.services import record_letter_refused
from tests.backoffice.conftest import TODAY
from tests.factories import make_file

pytestmark = pytest.mark.django_db


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
