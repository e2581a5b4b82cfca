"""Who among the staff opened which debtor's file or document, and when: one row per look,
searched by the compliance officer."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from amicable.privacy import reads
from amicable.privacy.models import FileRead
from tests.factories import make_file
from tests.staff import BRUSSELS, make_proof

pytestmark = pytest.mark.django_db


def test_opening_a_file_page_or_a_document_writes_one_row_each(
    agent: tuple[Client, User],
) -> None:
    client, user = agent
    file = make_file(today=date(2025, 6, 1))
    document = make_proof(file).document
    assert document is not None

    assert client.get(f"/backoffice/files/{file.reference}/").status_code == 200
    assert (
        client.get(f"/backoffice/files/{file.reference}/documents/{document.pk}/").status_code
        == 200
    )

    rows = list(FileRead.objects.order_by("id").values_list("actor", "file", "document", "at"))
    now = datetime(2025, 6, 18, 10, 30, tzinfo=BRUSSELS)
    assert rows == [
        (f"staff:{user.username}", file.pk, None, now),
        (f"staff:{user.username}", file.pk, document.pk, now),
    ]


def test_a_file_another_member_of_staff_cannot_find_is_not_a_read(
    agent: tuple[Client, User],
) -> None:
    client, _ = agent
    assert client.get("/backoffice/files/AM99999999/").status_code == 404
    assert not FileRead.objects.exists()


def test_the_compliance_officer_searches_by_staff_file_and_days(
    compliance: tuple[Client, User],
    agent: tuple[Client, User],
    supervisor: tuple[Client, User],
) -> None:
    officer, _ = compliance
    anna_client, anna = agent
    bob_client, bob = supervisor
    first = make_file(today=date(2025, 6, 1))
    second = make_file(today=date(2025, 6, 1))
    # Monday 16 June late in the evening, then Tuesday 17 June just after midnight in Brussels
    # (still the 16th in UTC): the search's days are Brussels days.
    with time_machine.travel(datetime(2025, 6, 16, 23, 50, tzinfo=BRUSSELS), tick=False):
        anna_client.get(f"/backoffice/files/{first.reference}/")
    with time_machine.travel(datetime(2025, 6, 17, 0, 10, tzinfo=BRUSSELS), tick=False):
        anna_client.get(f"/backoffice/files/{second.reference}/")
        bob_client.get(f"/backoffice/files/{first.reference}/")

    def found(**query: str) -> list[tuple[str, str]]:
        response = officer.get("/backoffice/audit/file-reads/", query)
        assert response.status_code == 200
        return [
            (r.actor.removeprefix("staff:"), r.file.reference)
            for r in response.context["page"].reads
        ]

    assert found() == [
        (bob.username, first.reference),
        (anna.username, second.reference),
        (anna.username, first.reference),
    ]
    assert found(staff=anna.username) == [
        (anna.username, second.reference),
        (anna.username, first.reference),
    ]
    assert found(file=first.reference.lower()) == [
        (bob.username, first.reference),
        (anna.username, first.reference),
    ]
    # Days are Brussels days, both included.
    assert found(since="2025-06-16", until="2025-06-16") == [(anna.username, first.reference)]
    assert found(since="2025-06-17", staff=f"staff:{anna.username}") == [
        (anna.username, second.reference)
    ]
    page = officer.get("/backoffice/audit/file-reads/").content.decode()
    assert "16/06/2025 23:50:00" in page
    assert f'href="/backoffice/files/{first.reference}/"' in page


def test_days_in_the_wrong_order_are_a_form_error(compliance: tuple[Client, User]) -> None:
    officer, _ = compliance
    response = officer.get(
        "/backoffice/audit/file-reads/", {"since": "2025-06-17", "until": "2025-06-16"}
    )
    assert response.status_code == 400
    assert "The first day comes after the last one." in response.content.decode()


def test_the_search_pages_by_id(
    compliance: tuple[Client, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    officer, _ = compliance
    monkeypatch.setattr(reads, "READ_PAGE_SIZE", 2)
    file = make_file(today=date(2025, 6, 1))
    now = datetime(2025, 6, 18, 9, 0, tzinfo=BRUSSELS)
    for _ in range(5):
        reads.record_file_read(actor="staff:anna", file=file, at=now)
    ids = list(FileRead.objects.order_by("-id").values_list("pk", flat=True))

    first = officer.get("/backoffice/audit/file-reads/", {"staff": "anna"}).context["page"]
    second = officer.get(
        "/backoffice/audit/file-reads/", {"staff": "anna", "before": first.next_before}
    ).context["page"]
    last = officer.get(
        "/backoffice/audit/file-reads/", {"staff": "anna", "before": second.next_before}
    ).context["page"]

    assert [r.pk for r in first.reads + second.reads + last.reads] == ids
    assert last.next_before is None
