"""The work queues: overview, one page per kind, overdue items, taking and assigning, closing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from amicable.backoffice.roles import Role
from amicable.domain.lifecycle import FileState
from amicable.files.lifecycle import change_file_state
from amicable.files.models import (
    Document,
    Event,
    File,
    ReviewStatus,
    WorkItem,
    WorkItemKind,
    WorkItemStatus,
)
from amicable.phishing.reports import report_phishing
from tests.factories import make_file
from tests.staff import TODAY, make_proof, make_staff

# What agents do, in staff's day (tests.staff).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_day")]

KINDS = list(WorkItemKind)


@pytest.fixture
def file(db: None) -> File:
    return make_file(today=date(2025, 6, 1))


def item(kind: WorkItemKind, *, file: File | None, due_on: date, title: str = "") -> WorkItem:
    return WorkItem.objects.create(
        kind=kind, file=file, title=title or f"{kind.value} item", due_on=due_on
    )


def messages_of(response: HttpResponse) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def test_the_overview_counts_each_queue(agent: tuple[Client, User], file: File) -> None:
    client, _ = agent
    item(WorkItemKind.DISPUTE, file=file, due_on=TODAY - timedelta(days=2))
    item(WorkItemKind.DISPUTE, file=file, due_on=TODAY + timedelta(days=3))
    done = item(WorkItemKind.DISPUTE, file=file, due_on=TODAY - timedelta(days=9))
    WorkItem.objects.filter(pk=done.pk).update(status=WorkItemStatus.DONE)
    WorkItem.objects.update(created_at=timezone.now() - timedelta(days=4))
    response = client.get("/backoffice/")
    assert response.status_code == 200
    queues = {q.kind: q for q in response.context["queues"]}
    assert list(queues) == KINDS
    dispute = queues[WorkItemKind.DISPUTE]
    assert (dispute.open_items, dispute.overdue, dispute.unassigned) == (2, 1, 2)
    assert dispute.earliest_due_on == TODAY - timedelta(days=2)
    assert dispute.oldest_age_days(TODAY) == 4
    assert queues[WorkItemKind.PROOF_REVIEW].open_items == 0
    html = response.content.decode()
    assert '<tr class="queue-dispute overdue">' in html
    assert "1 overdue" in html
    for kind in KINDS:
        assert f'href="/backoffice/queues/{kind.value}/"' in html


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
def test_each_queue_lists_its_open_items_due_first(
    agent: tuple[Client, User], file: File, kind: WorkItemKind
) -> None:
    client, _ = agent
    later = item(kind, file=file, due_on=TODAY + timedelta(days=5), title="the later one")
    late = item(kind, file=None, due_on=TODAY - timedelta(days=3), title="the late one")
    other = next(k for k in KINDS if k != kind)
    item(other, file=file, due_on=TODAY, title="another queue's")
    response = client.get(f"/backoffice/queues/{kind.value}/")
    assert response.status_code == 200
    assert [i.pk for i in response.context["page"].object_list] == [late.pk, later.pk]
    html = response.content.decode()
    assert "another queue&#x27;s" not in html
    # Overdue stands out by a class and in words, not by colour alone.
    assert f'<tr id="item-{late.pk}" class="item overdue">' in html
    assert "Overdue by 3\xa0days" in html
    assert f'<tr id="item-{later.pk}" class="item">' in html
    assert file.reference in html


def test_an_unknown_queue_is_a_404(agent: tuple[Client, User]) -> None:
    client, _ = agent
    assert client.get("/backoffice/queues/nonsense/").status_code == 404


def test_the_queue_filters_mine_and_unassigned(agent: tuple[Client, User], file: File) -> None:
    client, user = agent
    mine = item(WorkItemKind.DISPUTE, file=file, due_on=TODAY)
    free = item(WorkItemKind.DISPUTE, file=file, due_on=TODAY)
    WorkItem.objects.filter(pk=mine.pk).update(owner=user)
    for owner, expected in [("mine", [mine.pk]), ("unassigned", [free.pk])]:
        response = client.get(f"/backoffice/queues/dispute/?owner={owner}")
        assert [i.pk for i in response.context["page"].object_list] == expected


def test_an_agent_takes_an_item(agent: tuple[Client, User], file: File) -> None:
    client, user = agent
    work = item(WorkItemKind.DOCUMENT_REQUEST, file=file, due_on=TODAY)
    response = client.post(
        f"/backoffice/items/{work.pk}/assign/",
        {"take": "1", "next": "/backoffice/queues/document_request/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/backoffice/queues/document_request/"
    work.refresh_from_db()
    assert work.owner == user
    event = Event.objects.get(kind="work_item_assigned")
    assert (event.file, event.actor, event.data["owner"]) == (
        file,
        f"staff:{user.username}",
        user.username,
    )


def test_an_item_taken_by_someone_else_cannot_be_taken(
    agent: tuple[Client, User], file: File
) -> None:
    client, _ = agent
    colleague = make_staff(Role.AGENT)
    work = item(WorkItemKind.DOCUMENT_REQUEST, file=file, due_on=TODAY)
    WorkItem.objects.filter(pk=work.pk).update(owner=colleague)
    response = client.post(f"/backoffice/items/{work.pk}/assign/", {"take": "1"})
    assert messages_of(response) == [
        f"This item was taken by {colleague.username} in the meantime."
    ]
    work.refresh_from_db()
    assert work.owner == colleague
    assert not Event.objects.filter(kind="work_item_assigned").exists()


def test_an_agent_cannot_give_an_item_to_a_colleague(
    agent: tuple[Client, User], file: File
) -> None:
    client, _ = agent
    colleague = make_staff(Role.AGENT)
    work = item(WorkItemKind.DOCUMENT_REQUEST, file=file, due_on=TODAY)
    response = client.post(f"/backoffice/items/{work.pk}/assign/", {"owner": colleague.pk})
    assert messages_of(response) == ["Only a supervisor assigns work to a colleague."]
    work.refresh_from_db()
    assert work.owner is None


def test_a_supervisor_assigns_and_reassigns(supervisor: tuple[Client, User], file: File) -> None:
    client, _ = supervisor
    first, second = make_staff(Role.AGENT), make_staff(Role.AGENT)
    work = item(WorkItemKind.UNMATCHED_MOVEMENT, file=None, due_on=TODAY)
    page = client.get(f"/backoffice/items/{work.pk}/").content.decode()
    assert f'<option value="{first.pk}">{first.username}</option>' in page
    for owner in (first, second):
        client.post(f"/backoffice/items/{work.pk}/assign/", {"owner": owner.pk})
        work.refresh_from_db()
        assert work.owner == owner
    client.post(f"/backoffice/items/{work.pk}/assign/", {"owner": ""})
    work.refresh_from_db()
    assert work.owner is None
    # In the order they were written (a query without an order has none on PostgreSQL).
    assigned = Event.objects.filter(kind="work_item_assigned").order_by("pk")
    assert [e.data["owner"] for e in assigned] == [first.username, second.username, None]


def test_work_is_never_given_to_someone_who_cannot_do_it(
    supervisor: tuple[Client, User], file: File
) -> None:
    client, _ = supervisor
    officer = make_staff(Role.COMPLIANCE_OFFICER)
    work = item(WorkItemKind.DOCUMENT_REQUEST, file=file, due_on=TODAY)
    response = client.post(f"/backoffice/items/{work.pk}/assign/", {"owner": officer.pk})
    assert messages_of(response) == ["Choose a colleague who works on files."]
    work.refresh_from_db()
    assert work.owner is None


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
def test_an_item_is_closed_with_what_was_done(
    agent: tuple[Client, User], file: File, kind: WorkItemKind
) -> None:
    client, user = agent
    work = item(kind, file=file, due_on=TODAY)
    response = client.post(f"/backoffice/items/{work.pk}/close/", {"outcome": "Sent the invoice."})
    assert response.status_code == 302
    assert response["Location"] == f"/backoffice/queues/{kind.value}/"
    work.refresh_from_db()
    assert (work.status, work.outcome, work.closed_by) == (
        WorkItemStatus.DONE,
        "Sent the invoice.",
        f"staff:{user.username}",
    )
    assert work.closed_at == timezone.now()
    assert Event.objects.get(kind="work_item_closed").message == "Sent the invoice."
    client.get(response["Location"])  # shows, and so clears, the "Item closed." message
    again = client.post(f"/backoffice/items/{work.pk}/close/", {"outcome": "Twice."})
    assert messages_of(again) == ["This item is already closed."]


def test_a_pending_proof_closes_only_by_its_decision(
    agent: tuple[Client, User], file: File
) -> None:
    client, _ = agent
    work = make_proof(file)
    page = client.get(f"/backoffice/items/{work.pk}/").content.decode()
    assert "This item closes when you decide on it from the file" in page
    response = client.post(f"/backoffice/items/{work.pk}/close/", {"outcome": "done"})
    assert messages_of(response) == ["This item is closed by deciding on it from the file."]
    work.refresh_from_db()
    assert work.status == WorkItemStatus.OPEN


def test_a_dispute_holding_its_file_closes_only_by_its_decision(
    agent: tuple[Client, User], file: File
) -> None:
    client, _ = agent
    change_file_state(file=file, new_state=FileState.DISPUTED, actor="portal")
    work = item(WorkItemKind.DISPUTE, file=file, due_on=TODAY)
    response = client.post(f"/backoffice/items/{work.pk}/close/", {"outcome": "done"})
    assert messages_of(response) == ["This item is closed by deciding on it from the file."]
    work.refresh_from_db()
    assert work.status == WorkItemStatus.OPEN


def test_a_proof_confirmed_by_the_bank_is_closed_by_hand(
    agent: tuple[Client, User], file: File
) -> None:
    client, _ = agent
    work = make_proof(file)
    assert work.document is not None
    Document.objects.filter(pk=work.document.pk).update(review_status=ReviewStatus.CONFIRMED)
    client.post(f"/backoffice/items/{work.pk}/close/", {"outcome": "Seen on the statement."})
    work.refresh_from_db()
    assert work.status == WorkItemStatus.DONE


def test_a_dispute_on_a_file_that_did_not_move_is_closed_by_hand(
    agent: tuple[Client, User], file: File
) -> None:
    client, _ = agent
    change_file_state(file=file, new_state=FileState.DEBT_MEDIATION, actor="portal")
    work = item(WorkItemKind.DISPUTE, file=file, due_on=TODAY)
    client.post(f"/backoffice/items/{work.pk}/close/", {"outcome": "Sent to the mediator."})
    work.refresh_from_db()
    assert work.status == WorkItemStatus.DONE


def test_a_phishing_report_shows_the_reported_message(agent: tuple[Client, User]) -> None:
    client, _ = agent
    report = report_phishing(
        channel="text",
        received_on=TODAY,
        sender="+32 470 00 00 00",
        content="Payez 12 EUR sur https://amicable-pay.example",
        reporter_email="",
        today=TODAY,
    )
    work = WorkItem.objects.get(kind=WorkItemKind.PHISHING_REPORT)
    html = client.get(f"/backoffice/items/{work.pk}/").content.decode()
    assert report.content in html
    assert "+32 470 00 00 00" in html
